/**
 * DESIGN §5, the rules about the room and the actor's right to act in it: one table per rule of
 * src/core/rules.ts, each row judged by the whole rule list of its command (`remove` unless named).
 * The target rules: rules-target.test.ts; the order: rules-order.test.ts; the matrices: rules-matrix.test.ts.
 */
import { describe, expect, it } from 'vitest';
import {
  ADMIN,
  asManager,
  DM,
  expectCase,
  GLOBAL_MOD,
  judged,
  MANAGER,
  member,
  moderatorIn,
  NA,
  named,
  OK,
  OWNER,
  PLAIN,
  RNF,
  ROOM_MOD,
  type RuleCase,
  type Scene,
  verdictOf,
} from './rules-fixtures.js';

describe('roomVisible (rule 1): the room exists and the actor may see it', () => {
  const cases: RuleCase[] = [
    {
      name: 'GIVEN a global admin and a room that does not exist WHEN removing a member THEN denied:room-not-found',
      scene: { actor: ADMIN, room: 'missing', targetIn: member() },
      expected: RNF,
    },
    {
      name: 'GIVEN a room moderator and a room that does not exist WHEN removing a member THEN denied:room-not-found',
      scene: moderatorIn('missing'),
      expected: RNF,
    },
    {
      name: 'GIVEN a plain user not in a private room WHEN removing a member THEN the answer is the one for a missing room',
      scene: { actor: PLAIN, room: 'private', targetIn: member() },
      expected: RNF,
    },
    {
      name: 'GIVEN a room moderator whose membership of a private room is only assumed WHEN removing a member THEN denied:room-not-found',
      scene: moderatorIn('private', { actorIn: { roles: ['moderator'], presence: 'assumed' } }),
      expected: RNF,
    },
    {
      name: 'GIVEN a plain user and a missing room WHEN leaving THEN denied:room-not-found',
      mode: 'leave',
      scene: { actor: PLAIN, room: 'missing' },
      expected: RNF,
    },
    {
      name: 'GIVEN a room moderator and a missing room WHEN restoring THEN denied:room-not-found',
      mode: 'restore',
      scene: moderatorIn('missing', { targetIn: undefined }),
      expected: RNF,
    },
  ];
  it.each(named(cases))('%s', (_name, row) => expectCase(row));

  it('GIVEN a private room the actor cannot see WHEN judged THEN the verdict is identical to a missing room', () => {
    const hidden = judged('remove', { actor: PLAIN, room: 'private', targetIn: member() });
    const missing = judged('remove', { actor: PLAIN, room: 'missing', targetIn: member() });
    expect(hidden).toEqual(missing);
    expect(hidden).toMatchObject({ ok: false, outcome: 'denied', code: 'room-not-found' });
  });
});

describe('roomExists (rule 1 for areas): the room of the area exists', () => {
  const cases: RuleCase[] = [
    {
      name: 'GIVEN an area manager and a room of the area that does not exist WHEN removing a member THEN denied:room-not-found',
      mode: 'area',
      scene: asManager('missing'),
      expected: RNF,
    },
    {
      name: 'GIVEN an area manager and a missing room WHEN restoring an area case THEN denied:room-not-found',
      mode: 'restoreArea',
      scene: { actor: MANAGER, areaRoles: ['manager'], room: 'missing' },
      expected: RNF,
    },
  ];
  it.each(named(cases))('%s', (_name, row) => expectCase(row));
});

describe('roomAllowsRemoval (rule 2): not a direct conversation, and rooms the platform cannot remove from', () => {
  const general = { code: 'cant_kick_from_general', hint: 'nobody can be removed from #general' };
  const generalVerdict = { ok: false, outcome: 'unsupported', ...general } as const;
  const cases: RuleCase[] = [
    {
      name: 'GIVEN a global admin in a direct room WHEN removing a member THEN the outcome is unsupported with code not-allowed',
      scene: { actor: ADMIN, actorIn: member(), room: 'direct', targetIn: member() },
      expected: DM,
    },
    {
      name: 'GIVEN a room moderator in a room the platform cannot remove from WHEN removing a member THEN unsupported with the room code and hint',
      scene: moderatorIn('public', { unsupported: general }),
      expected: 'unsupported:cant_kick_from_general',
      exact: generalVerdict,
    },
    {
      name: 'GIVEN a global admin in a room the platform cannot remove from WHEN removing a member THEN unsupported with the room code and hint',
      scene: { actor: ADMIN, room: 'public', unsupported: general, targetIn: member() },
      expected: 'unsupported:cant_kick_from_general',
      exact: generalVerdict,
    },
    {
      name: 'GIVEN the room owner in a room the platform cannot remove from WHEN removing a member THEN unsupported with the room code and hint',
      scene: {
        actor: OWNER,
        actorIn: member('owner'),
        room: 'private',
        unsupported: general,
        targetIn: member(),
      },
      expected: 'unsupported:cant_kick_from_general',
      exact: generalVerdict,
    },
    {
      name: 'GIVEN an area manager in a room the platform cannot remove from WHEN removing a member THEN unsupported with the room code',
      mode: 'area',
      scene: asManager('public', { unsupported: { code: 'cant_kick_from_general' } }),
      expected: 'unsupported:cant_kick_from_general',
    },
    {
      name: 'GIVEN a plain user in a room the platform cannot remove from WHEN leaving THEN unsupported with the room code',
      mode: 'leave',
      scene: { actor: PLAIN, actorIn: member(), room: 'public', unsupported: { code: 'cant_leave_general' } },
      expected: 'unsupported:cant_leave_general',
    },
  ];
  it.each(named(cases))('%s', (_name, row) => expectCase(row));
});

describe('mayRemoveInRoom (rule 3): remove-user in the room or the bypass for its type', () => {
  const cases: RuleCase[] = [
    {
      name: 'GIVEN a plain user in a public room WHEN removing a member THEN denied:not-allowed',
      scene: { actor: PLAIN, actorIn: member(), room: 'public', targetIn: member() },
      expected: NA,
    },
    {
      name: 'GIVEN the room owner of a private room WHEN removing a member THEN ok (remove-user in the room scope)',
      scene: { actor: OWNER, actorIn: member('owner'), room: 'private', targetIn: member() },
      expected: OK,
    },
    {
      name: 'GIVEN a moderator of another room (a plain member here) in a public room WHEN removing a member THEN denied:not-allowed',
      scene: { actor: ROOM_MOD, actorIn: member(), room: 'public', targetIn: member() },
      expected: NA,
    },
    {
      name: 'GIVEN an area manager (plain user) in a public room WHEN removing a member with /kick THEN denied:not-allowed',
      scene: {
        actor: MANAGER,
        actorIn: member(),
        room: 'public',
        targetIn: member(),
        areaRoles: ['manager'],
      },
      expected: NA,
    },
  ];
  it.each(named(cases))('%s', (_name, row) => expectCase(row));
});

describe('mayRemoveInArea (rules 1 and 3 for areas): remove-area-user, with no fall-back to remove-user', () => {
  const cases: RuleCase[] = [
    {
      name: 'GIVEN a global moderator who is not a manager and a missing room WHEN removing a member THEN denied:not-allowed',
      mode: 'area',
      scene: { actor: GLOBAL_MOD, areaRoles: [], room: 'missing', targetIn: member() },
      expected: NA,
    },
    {
      name: 'GIVEN a global moderator with no area roles at all in a public room WHEN removing a member THEN denied:not-allowed',
      mode: 'area',
      scene: { actor: GLOBAL_MOD, actorIn: member(), room: 'public', targetIn: member() },
      expected: NA,
    },
    {
      name: 'GIVEN an area manager not in a private room of the area WHEN restoring an area case THEN ok',
      mode: 'restoreArea',
      scene: { actor: MANAGER, areaRoles: ['manager'], room: 'private' },
      expected: OK,
    },
    {
      name: 'GIVEN a global moderator who is not a manager WHEN restoring an area case THEN denied:not-allowed',
      mode: 'restoreArea',
      scene: { actor: GLOBAL_MOD, actorIn: member(), areaRoles: [], room: 'public' },
      expected: NA,
    },
    {
      name: 'GIVEN the room owner who is not a manager WHEN restoring an area case THEN denied:not-allowed',
      mode: 'restoreArea',
      scene: { actor: OWNER, actorIn: member('owner'), areaRoles: [], room: 'private' },
      expected: NA,
    },
  ];
  it.each(named(cases))('%s', (_name, row) => expectCase(row));

  it('GIVEN a plain user not in a private room WHEN the same pair is judged by /kick and by /remove-area as its manager THEN only the area rules let it through', () => {
    const scene: Scene = { actor: MANAGER, areaRoles: ['manager'], room: 'private', targetIn: member() };
    expect(verdictOf('remove', scene)).toBe(RNF);
    expect(verdictOf('area', scene)).toBe(OK);
  });
});

// mayLeave (`leave-room`, everyone by default): the /leave matrix in rules-matrix.test.ts and the leave-room
// overrides in rules-grants.test.ts.
