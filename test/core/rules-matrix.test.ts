/**
 * DESIGN §5 as matrices, one per rule list: actor role × room type × target membership, default grants.
 * One rule at a time: rules-room.test.ts and rules-target.test.ts; the order: rules-order.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { RoomType } from '../../src/core/ports/facts.js';
import {
  ACTORS,
  type Actor,
  type ActorLabel,
  ADMIN,
  AREA_ACTORS,
  type AreaActorLabel,
  DM,
  type Expected,
  expand,
  GLOBAL_MOD,
  LO,
  member,
  NA,
  NM,
  OK,
  OTHER_BOT,
  OWNER,
  PLAIN,
  RNF,
  ROOM_MOD,
  type Scene,
  TARGET_IN,
  verdictOf,
} from './rules-fixtures.js';

describe('RULES.remove: actor role × room type × target membership, default grants', () => {
  // The "owner" target is the room's only owner unless the actor owns the room too (then there are two).
  const rows: [ActorLabel, RoomType, Expected, Expected, Expected][] = [
    ['a global admin (member)', 'public', OK, NM, LO],
    ['a global admin (member)', 'private', OK, NM, LO],
    ['a global admin (member)', 'direct', DM, DM, DM],
    ['a global admin (member)', 'group', OK, NM, LO],
    ['a global admin (not a member)', 'public', OK, NM, LO],
    ['a global admin (not a member)', 'private', OK, NM, LO],
    ['a global admin (not a member)', 'direct', DM, DM, DM],
    ['a global admin (not a member)', 'group', OK, NM, LO],
    ['a global moderator (member)', 'public', OK, NM, LO],
    ['a global moderator (member)', 'private', OK, NM, LO],
    ['a global moderator (member)', 'direct', DM, DM, DM],
    ['a global moderator (member)', 'group', OK, NM, LO],
    ['a global moderator (not a member)', 'public', OK, NM, LO],
    ['a global moderator (not a member)', 'private', RNF, RNF, RNF],
    ['a global moderator (not a member)', 'direct', RNF, RNF, RNF],
    ['a global moderator (not a member)', 'group', RNF, RNF, RNF],
    ['a plain user (member)', 'public', NA, NA, NA],
    ['a plain user (member)', 'private', NA, NA, NA],
    ['a plain user (member)', 'direct', DM, DM, DM],
    ['a plain user (member)', 'group', NA, NA, NA],
    ['a plain user (not a member)', 'public', NA, NA, NA],
    ['a plain user (not a member)', 'private', RNF, RNF, RNF],
    ['a plain user (not a member)', 'direct', RNF, RNF, RNF],
    ['a plain user (not a member)', 'group', RNF, RNF, RNF],
    ['a bot user (member)', 'public', NA, NA, NA],
    ['a bot user (member)', 'private', NA, NA, NA],
    ['a bot user (member)', 'direct', DM, DM, DM],
    ['a bot user (member)', 'group', NA, NA, NA],
    ['a bot user (not a member)', 'public', NA, NA, NA],
    ['a bot user (not a member)', 'private', RNF, RNF, RNF],
    ['a bot user (not a member)', 'direct', RNF, RNF, RNF],
    ['a bot user (not a member)', 'group', RNF, RNF, RNF],
    ['the room owner', 'public', OK, NM, OK],
    ['the room owner', 'private', OK, NM, OK],
    ['the room owner', 'direct', DM, DM, DM],
    ['the room owner', 'group', OK, NM, OK],
    ['a room moderator', 'public', OK, NM, LO],
    ['a room moderator', 'private', OK, NM, LO],
    ['a room moderator', 'direct', DM, DM, DM],
    ['a room moderator', 'group', OK, NM, LO],
  ];

  it.each(expand(rows))(
    'GIVEN $actor in a $room room WHEN removing $target THEN $expected',
    ({ actor, room, target, expected }) => {
      const a = ACTORS[actor];
      expect(verdictOf('remove', { actor: a.user, actorIn: a.in, room, targetIn: TARGET_IN[target] })).toBe(
        expected,
      );
    },
  );
});

describe('RULES.area: remove-area-user replaces rules 1 and 3, with no fall-back to remove-user', () => {
  const rows: [AreaActorLabel, RoomType, Expected, Expected, Expected][] = [
    ['a global admin (not a member)', 'public', OK, NM, LO],
    ['a global admin (not a member)', 'private', OK, NM, LO],
    ['a global admin (not a member)', 'direct', DM, DM, DM],
    ['a global admin (not a member)', 'group', OK, NM, LO],
    ['an area manager (not a member)', 'public', OK, NM, LO],
    ['an area manager (not a member)', 'private', OK, NM, LO],
    ['an area manager (not a member)', 'direct', DM, DM, DM],
    ['an area manager (not a member)', 'group', OK, NM, LO],
    ['an area manager (member)', 'public', OK, NM, LO],
    ['an area manager (member)', 'private', OK, NM, LO],
    ['an area manager (member)', 'direct', DM, DM, DM],
    ['an area manager (member)', 'group', OK, NM, LO],
    ['a global moderator, not a manager (member)', 'public', NA, NA, NA],
    ['a global moderator, not a manager (member)', 'private', NA, NA, NA],
    ['a global moderator, not a manager (member)', 'direct', NA, NA, NA],
    ['a global moderator, not a manager (member)', 'group', NA, NA, NA],
    ['a plain user (member)', 'public', NA, NA, NA],
    ['a plain user (member)', 'private', NA, NA, NA],
    ['a plain user (member)', 'direct', NA, NA, NA],
    ['a plain user (member)', 'group', NA, NA, NA],
    ['a bot user (member)', 'public', NA, NA, NA],
    ['a bot user (member)', 'private', NA, NA, NA],
    ['a bot user (member)', 'direct', NA, NA, NA],
    ['a bot user (member)', 'group', NA, NA, NA],
    ['the room owner, not a manager', 'public', NA, NA, NA],
    ['the room owner, not a manager', 'private', NA, NA, NA],
    ['the room owner, not a manager', 'direct', NA, NA, NA],
    ['the room owner, not a manager', 'group', NA, NA, NA],
    ['a room moderator, not a manager', 'public', NA, NA, NA],
    ['a room moderator, not a manager', 'private', NA, NA, NA],
    ['a room moderator, not a manager', 'direct', NA, NA, NA],
    ['a room moderator, not a manager', 'group', NA, NA, NA],
  ];

  it.each(expand(rows))(
    'GIVEN $actor in a $room room of the area WHEN removing $target THEN $expected',
    ({ actor, room, target, expected }) => {
      const a: Actor = AREA_ACTORS[actor];
      const scene = {
        actor: a.user,
        actorIn: a.in,
        areaRoles: a.areaRoles,
        room,
        targetIn: TARGET_IN[target],
      };
      expect(verdictOf('area', scene)).toBe(expected);
    },
  );
});

describe('RULES.leave: leave-room for everyone, the last owner cannot leave', () => {
  const ROOM_TYPES = ['public', 'private', 'direct', 'group'] as const;
  const LEAVERS = {
    'a global admin (member)': { actor: ADMIN, actorIn: member() },
    'a global moderator (member)': { actor: GLOBAL_MOD, actorIn: member() },
    'a plain user (member)': { actor: PLAIN, actorIn: member() },
    'a bot user (member)': { actor: OTHER_BOT, actorIn: member() },
    'a room owner (one of 2 owners)': { actor: OWNER, actorIn: member('owner'), owners: 2 },
    'the last owner': { actor: OWNER, actorIn: member('owner'), owners: 1 },
    'a room moderator': { actor: ROOM_MOD, actorIn: member('moderator') },
    'a plain user (not a member)': { actor: PLAIN },
    'a global admin (not a member)': { actor: ADMIN },
  } satisfies Record<string, Omit<Scene, 'room'>>;
  /** (actor, verdict in a public, a private, a direct, a group room) */
  const rows: [keyof typeof LEAVERS, Expected, Expected, Expected, Expected][] = [
    ['a global admin (member)', OK, OK, DM, OK],
    ['a global moderator (member)', OK, OK, DM, OK],
    ['a plain user (member)', OK, OK, DM, OK],
    ['a bot user (member)', OK, OK, DM, OK],
    ['a room owner (one of 2 owners)', OK, OK, DM, OK],
    ['the last owner', LO, LO, DM, LO],
    ['a room moderator', OK, OK, DM, OK],
    ['a plain user (not a member)', NM, RNF, RNF, RNF],
    ['a global admin (not a member)', NM, NM, DM, NM],
  ];
  const cases = rows.flatMap(([actor, ...verdicts]) =>
    ROOM_TYPES.map((room, i) => ({ actor, scene: LEAVERS[actor], room, expected: verdicts[i] as Expected })),
  );

  it.each(cases)('GIVEN $actor in a $room room WHEN leaving THEN $expected', ({ scene, room, expected }) => {
    expect(verdictOf('leave', { ...scene, room })).toBe(expected);
  });
});

describe('RULES.restore: undo only for whoever may remove there', () => {
  // The target of an undo is not in the room any more: it was removed.
  const rows: [ActorLabel, Expected, Expected, Expected][] = [
    ['a global admin (member)', OK, OK, OK],
    ['a global admin (not a member)', OK, OK, OK],
    ['a global moderator (member)', OK, OK, OK],
    ['a global moderator (not a member)', OK, RNF, RNF],
    ['a plain user (member)', NA, NA, NA],
    ['a plain user (not a member)', NA, RNF, RNF],
    ['a bot user (member)', NA, NA, NA],
    ['a bot user (not a member)', NA, RNF, RNF],
    ['the room owner', OK, OK, OK],
    ['a room moderator', OK, OK, OK],
  ];
  const cases = rows.flatMap(([actor, pub, priv, group]) => [
    { actor, room: 'public' as const, expected: pub },
    { actor, room: 'private' as const, expected: priv },
    { actor, room: 'group' as const, expected: group },
  ]);

  it.each(cases)(
    'GIVEN $actor in a $room room WHEN restoring a removed user THEN $expected',
    ({ actor, room, expected }) => {
      const a = ACTORS[actor];
      expect(verdictOf('restore', { actor: a.user, actorIn: a.in, room, targetIn: undefined })).toBe(
        expected,
      );
    },
  );
});
