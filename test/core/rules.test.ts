/**
 * DESIGN §5 as a table: who may remove whom from which room, in which order the rules answer, and how the
 * grants change that. Every expected verdict below is written out by hand from DESIGN §5, never computed.
 *
 * A verdict is written as one string: `ok`, `not_member`, `denied:<code>` or `unsupported:<code>`.
 */
import { describe, expect, it } from 'vitest';
import {
  type AreaRole,
  DEFAULT_GRANTS,
  type GlobalRole,
  type Grants,
  type GrantsOverride,
  holds,
  type Role,
  type RoomRole,
  withOverrides,
} from '../../src/core/permissions.js';
import type { Membership, RoomInfo, RoomType, UserInfo } from '../../src/core/ports.js';
import { type Facts, judge, RULES, type Verdict } from '../../src/core/rules.js';

// ---------------------------------------------------------------------------------------------------
// Fact builders
// ---------------------------------------------------------------------------------------------------

type Expected =
  | 'ok'
  | 'not_member'
  | 'denied:room-not-found'
  | 'denied:not-allowed'
  | 'denied:self'
  | 'denied:protected'
  | 'denied:hierarchy'
  | 'denied:last-owner'
  | 'unsupported:not-allowed'
  | `unsupported:${string}`;

/** The verdict as one comparable string (see the file comment). */
function summary(verdict: Verdict): string {
  if (verdict.ok) return 'ok';
  return verdict.code === undefined ? verdict.outcome : `${verdict.outcome}:${verdict.code}`;
}

function person(
  name: string,
  roles: readonly GlobalRole[] = ['user'],
  extra: Partial<UserInfo> = {},
): UserInfo {
  return { id: `console:${name}`, name, roles, ...extra };
}

const member = (...roles: RoomRole[]): Membership => ({ roles });

/** kickbot itself, as the connector reports it. */
const BOT = person('kickbot', ['bot'], { bot: true });
/** The default target: a plain user. */
const BOB = person('bob');

type RoomKind = RoomType | 'missing';

interface Scene {
  actor: UserInfo;
  actorIn?: Membership | undefined;
  target?: UserInfo;
  targetIn?: Membership | undefined;
  room: RoomKind;
  /** The room's owner count; by default, the owners among the actor and the target. */
  owners?: number;
  unsupported?: RoomInfo['unsupported'];
  bot?: UserInfo | undefined;
  areaRoles?: readonly AreaRole[];
}

function roomOf(kind: RoomKind, owners: number, unsupported?: RoomInfo['unsupported']): RoomInfo | undefined {
  if (kind === 'missing') return undefined;
  return {
    id: `console:${kind}-room`,
    name: `${kind}-room`,
    type: kind,
    owners,
    ...(unsupported ? { unsupported } : {}),
  };
}

function facts(scene: Scene): Facts {
  const target = scene.target ?? BOB;
  const ownerships = new Map<string, boolean>();
  ownerships.set(scene.actor.id, scene.actorIn?.roles.includes('owner') ?? false);
  if (target.id !== scene.actor.id)
    ownerships.set(target.id, scene.targetIn?.roles.includes('owner') ?? false);
  const counted = [...ownerships.values()].filter(Boolean).length;
  return {
    actor: scene.actor,
    target,
    bot: 'bot' in scene ? scene.bot : BOT,
    room: roomOf(scene.room, scene.owners ?? counted, scene.unsupported),
    actorIn: scene.actorIn,
    targetIn: scene.targetIn,
    ...(scene.areaRoles ? { areaRoles: scene.areaRoles } : {}),
  };
}

/** `/leave`: the actor is the target. */
function leaving(scene: Omit<Scene, 'target' | 'targetIn'>): Facts {
  return facts({ ...scene, target: scene.actor, targetIn: scene.actorIn });
}

type Mode = 'remove' | 'area' | 'leave' | 'restore' | 'restoreArea';

function verdictOf(mode: Mode, scene: Scene, grants: Grants = DEFAULT_GRANTS): string {
  return summary(judge(RULES[mode], mode === 'leave' ? leaving(scene) : facts(scene), grants));
}

// ---------------------------------------------------------------------------------------------------
// Who is who
// ---------------------------------------------------------------------------------------------------

interface Actor {
  user: UserInfo;
  in: Membership | undefined;
  areaRoles?: readonly AreaRole[];
}

const ADMIN = person('ada', ['admin']);
const GLOBAL_MOD = person('gus', ['moderator']);
const PLAIN = person('pat');
const OTHER_BOT = person('otto', ['bot'], { bot: true });
const OWNER = person('olga');
const ROOM_MOD = person('max');
const MANAGER = person('mia');

const ACTORS = {
  'a global admin (member)': { user: ADMIN, in: member() },
  'a global admin (not a member)': { user: ADMIN, in: undefined },
  'a global moderator (member)': { user: GLOBAL_MOD, in: member() },
  'a global moderator (not a member)': { user: GLOBAL_MOD, in: undefined },
  'a plain user (member)': { user: PLAIN, in: member() },
  'a plain user (not a member)': { user: PLAIN, in: undefined },
  'a bot user (member)': { user: OTHER_BOT, in: member() },
  'a bot user (not a member)': { user: OTHER_BOT, in: undefined },
  'the room owner': { user: OWNER, in: member('owner') },
  'a room moderator': { user: ROOM_MOD, in: member('moderator') },
} satisfies Record<string, Actor>;
type ActorLabel = keyof typeof ACTORS;

const AREA_ACTORS = {
  'a global admin (not a member)': { user: ADMIN, in: undefined },
  'an area manager (not a member)': { user: MANAGER, in: undefined, areaRoles: ['manager'] },
  'an area manager (member)': { user: MANAGER, in: member(), areaRoles: ['manager'] },
  'a global moderator, not a manager (member)': { user: GLOBAL_MOD, in: member(), areaRoles: [] },
  'a plain user (member)': { user: PLAIN, in: member(), areaRoles: [] },
  'a bot user (member)': { user: OTHER_BOT, in: member(), areaRoles: [] },
  'the room owner, not a manager': { user: OWNER, in: member('owner'), areaRoles: [] },
  'a room moderator, not a manager': { user: ROOM_MOD, in: member('moderator'), areaRoles: [] },
} satisfies Record<string, Actor>;
type AreaActorLabel = keyof typeof AREA_ACTORS;

/** The three kinds of target of the matrices: a plain member, someone not in the room, an owner of the room. */
const TARGETS = ['a member', 'a non-member', 'an owner'] as const;
type TargetLabel = (typeof TARGETS)[number];
const TARGET_IN: Record<TargetLabel, Membership | undefined> = {
  'a member': member(),
  'a non-member': undefined,
  'an owner': member('owner'),
};

interface MatrixCase {
  actor: string;
  room: RoomType;
  target: TargetLabel;
  expected: Expected;
}

/** Rows of (actor, room, verdict for a member, for a non-member, for an owner) → one case per target. */
function expand<A extends string>(
  rows: readonly [A, RoomType, Expected, Expected, Expected][],
): MatrixCase[] {
  return rows.flatMap(([actor, room, ...verdicts]) =>
    TARGETS.map((target, i) => ({ actor, room, target, expected: verdicts[i] as Expected })),
  );
}

// ---------------------------------------------------------------------------------------------------
// Grants
// ---------------------------------------------------------------------------------------------------

describe('DEFAULT_GRANTS, holds and withOverrides', () => {
  it('GIVEN no configuration THEN the default grants are the table of DESIGN §5', () => {
    expect(DEFAULT_GRANTS).toEqual({
      'remove-user': ['admin', 'owner', 'moderator'],
      'kick-user-from-any-c-room': ['admin'],
      'kick-user-from-any-p-room': ['admin'],
      'remove-area-user': ['admin', 'manager'],
      'leave-room': ['everyone'],
    });
  });

  it.each<{ permission: keyof Grants; roles: Role[]; expected: boolean }>([
    { permission: 'remove-user', roles: ['admin'], expected: true },
    { permission: 'remove-user', roles: ['user', 'owner'], expected: true },
    { permission: 'remove-user', roles: ['user', 'moderator'], expected: true },
    { permission: 'remove-user', roles: ['user'], expected: false },
    { permission: 'remove-user', roles: ['bot'], expected: false },
    { permission: 'remove-user', roles: ['manager'], expected: false },
    { permission: 'remove-user', roles: [], expected: false },
    { permission: 'kick-user-from-any-c-room', roles: ['moderator', 'owner'], expected: false },
    { permission: 'kick-user-from-any-p-room', roles: ['admin'], expected: true },
    { permission: 'remove-area-user', roles: ['manager'], expected: true },
    { permission: 'remove-area-user', roles: ['moderator', 'owner'], expected: false },
    { permission: 'leave-room', roles: ['user'], expected: true },
    { permission: 'leave-room', roles: [], expected: true },
  ])(
    'GIVEN the default grants WHEN roles $roles ask for $permission THEN holds is $expected',
    ({ permission, roles, expected }) => {
      expect(holds(DEFAULT_GRANTS, permission, roles)).toBe(expected);
    },
  );

  it('GIVEN an override of one line WHEN applied THEN that line is replaced and the others are kept', () => {
    const grants = withOverrides(DEFAULT_GRANTS, { 'remove-user': ['admin'] });
    expect(grants).toEqual({
      'remove-user': ['admin'],
      'kick-user-from-any-c-room': ['admin'],
      'kick-user-from-any-p-room': ['admin'],
      'remove-area-user': ['admin', 'manager'],
      'leave-room': ['everyone'],
    });
    expect(DEFAULT_GRANTS['remove-user']).toEqual(['admin', 'owner', 'moderator']);
  });

  it('GIVEN no override WHEN applied THEN the grants are the base grants', () => {
    expect(withOverrides(DEFAULT_GRANTS, undefined)).toEqual(DEFAULT_GRANTS);
  });

  it('GIVEN an override granting nobody WHEN asked THEN nobody holds it, not even an admin', () => {
    const grants = withOverrides(DEFAULT_GRANTS, { 'kick-user-from-any-p-room': [] });
    expect(holds(grants, 'kick-user-from-any-p-room', ['admin'])).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------------
// /kick: actor role × room type × target membership
// ---------------------------------------------------------------------------------------------------

describe('RULES.remove: actor role × room type × target membership, default grants', () => {
  // The "owner" target is the room's only owner unless the actor owns the room too (then there are two).
  const rows: [ActorLabel, RoomType, Expected, Expected, Expected][] = [
    ['a global admin (member)', 'public', 'ok', 'not_member', 'denied:last-owner'],
    ['a global admin (member)', 'private', 'ok', 'not_member', 'denied:last-owner'],
    [
      'a global admin (member)',
      'direct',
      'unsupported:not-allowed',
      'unsupported:not-allowed',
      'unsupported:not-allowed',
    ],
    ['a global admin (member)', 'group', 'ok', 'not_member', 'denied:last-owner'],
    ['a global admin (not a member)', 'public', 'ok', 'not_member', 'denied:last-owner'],
    ['a global admin (not a member)', 'private', 'ok', 'not_member', 'denied:last-owner'],
    [
      'a global admin (not a member)',
      'direct',
      'unsupported:not-allowed',
      'unsupported:not-allowed',
      'unsupported:not-allowed',
    ],
    ['a global admin (not a member)', 'group', 'ok', 'not_member', 'denied:last-owner'],
    ['a global moderator (member)', 'public', 'ok', 'not_member', 'denied:last-owner'],
    ['a global moderator (member)', 'private', 'ok', 'not_member', 'denied:last-owner'],
    [
      'a global moderator (member)',
      'direct',
      'unsupported:not-allowed',
      'unsupported:not-allowed',
      'unsupported:not-allowed',
    ],
    ['a global moderator (member)', 'group', 'ok', 'not_member', 'denied:last-owner'],
    ['a global moderator (not a member)', 'public', 'ok', 'not_member', 'denied:last-owner'],
    [
      'a global moderator (not a member)',
      'private',
      'denied:room-not-found',
      'denied:room-not-found',
      'denied:room-not-found',
    ],
    [
      'a global moderator (not a member)',
      'direct',
      'denied:room-not-found',
      'denied:room-not-found',
      'denied:room-not-found',
    ],
    [
      'a global moderator (not a member)',
      'group',
      'denied:room-not-found',
      'denied:room-not-found',
      'denied:room-not-found',
    ],
    ['a plain user (member)', 'public', 'denied:not-allowed', 'denied:not-allowed', 'denied:not-allowed'],
    ['a plain user (member)', 'private', 'denied:not-allowed', 'denied:not-allowed', 'denied:not-allowed'],
    [
      'a plain user (member)',
      'direct',
      'unsupported:not-allowed',
      'unsupported:not-allowed',
      'unsupported:not-allowed',
    ],
    ['a plain user (member)', 'group', 'denied:not-allowed', 'denied:not-allowed', 'denied:not-allowed'],
    [
      'a plain user (not a member)',
      'public',
      'denied:not-allowed',
      'denied:not-allowed',
      'denied:not-allowed',
    ],
    [
      'a plain user (not a member)',
      'private',
      'denied:room-not-found',
      'denied:room-not-found',
      'denied:room-not-found',
    ],
    [
      'a plain user (not a member)',
      'direct',
      'denied:room-not-found',
      'denied:room-not-found',
      'denied:room-not-found',
    ],
    [
      'a plain user (not a member)',
      'group',
      'denied:room-not-found',
      'denied:room-not-found',
      'denied:room-not-found',
    ],
    ['a bot user (member)', 'public', 'denied:not-allowed', 'denied:not-allowed', 'denied:not-allowed'],
    ['a bot user (member)', 'private', 'denied:not-allowed', 'denied:not-allowed', 'denied:not-allowed'],
    [
      'a bot user (member)',
      'direct',
      'unsupported:not-allowed',
      'unsupported:not-allowed',
      'unsupported:not-allowed',
    ],
    ['a bot user (member)', 'group', 'denied:not-allowed', 'denied:not-allowed', 'denied:not-allowed'],
    ['a bot user (not a member)', 'public', 'denied:not-allowed', 'denied:not-allowed', 'denied:not-allowed'],
    [
      'a bot user (not a member)',
      'private',
      'denied:room-not-found',
      'denied:room-not-found',
      'denied:room-not-found',
    ],
    [
      'a bot user (not a member)',
      'direct',
      'denied:room-not-found',
      'denied:room-not-found',
      'denied:room-not-found',
    ],
    [
      'a bot user (not a member)',
      'group',
      'denied:room-not-found',
      'denied:room-not-found',
      'denied:room-not-found',
    ],
    ['the room owner', 'public', 'ok', 'not_member', 'ok'],
    ['the room owner', 'private', 'ok', 'not_member', 'ok'],
    [
      'the room owner',
      'direct',
      'unsupported:not-allowed',
      'unsupported:not-allowed',
      'unsupported:not-allowed',
    ],
    ['the room owner', 'group', 'ok', 'not_member', 'ok'],
    ['a room moderator', 'public', 'ok', 'not_member', 'denied:last-owner'],
    ['a room moderator', 'private', 'ok', 'not_member', 'denied:last-owner'],
    [
      'a room moderator',
      'direct',
      'unsupported:not-allowed',
      'unsupported:not-allowed',
      'unsupported:not-allowed',
    ],
    ['a room moderator', 'group', 'ok', 'not_member', 'denied:last-owner'],
  ];

  it.each(expand(rows))(
    'GIVEN $actor in a $room room WHEN removing $target THEN $expected',
    ({ actor, room, target, expected }) => {
      const a = ACTORS[actor as ActorLabel];
      expect(verdictOf('remove', { actor: a.user, actorIn: a.in, room, targetIn: TARGET_IN[target] })).toBe(
        expected,
      );
    },
  );
});

// ---------------------------------------------------------------------------------------------------
// /kick: one rule at a time
// ---------------------------------------------------------------------------------------------------

interface RuleCase {
  name: string;
  scene: Scene;
  expected: Expected;
}

const moderatorIn = (room: RoomKind, extra: Partial<Scene> = {}): Scene => ({
  actor: ROOM_MOD,
  actorIn: member('moderator'),
  room,
  targetIn: member(),
  ...extra,
});

describe('RULES.remove: rule 1, the room exists and the actor may see it', () => {
  it.each<RuleCase>([
    {
      name: 'GIVEN a global admin and a room that does not exist WHEN removing a member THEN denied:room-not-found',
      scene: { actor: ADMIN, room: 'missing', targetIn: member() },
      expected: 'denied:room-not-found',
    },
    {
      name: 'GIVEN a room moderator and a room that does not exist WHEN removing a member THEN denied:room-not-found',
      scene: moderatorIn('missing'),
      expected: 'denied:room-not-found',
    },
    {
      name: 'GIVEN a plain user not in a private room WHEN removing a member THEN the answer is the one for a missing room',
      scene: { actor: PLAIN, room: 'private', targetIn: member() },
      expected: 'denied:room-not-found',
    },
  ])('$name', ({ scene, expected }) => {
    expect(verdictOf('remove', scene)).toBe(expected);
  });

  it('GIVEN a private room the actor cannot see WHEN judged THEN the verdict is identical to a missing room', () => {
    const hidden = judge(
      RULES.remove,
      facts({ actor: PLAIN, room: 'private', targetIn: member() }),
      DEFAULT_GRANTS,
    );
    const missing = judge(
      RULES.remove,
      facts({ actor: PLAIN, room: 'missing', targetIn: member() }),
      DEFAULT_GRANTS,
    );
    expect(hidden).toEqual(missing);
    expect(hidden).toMatchObject({ ok: false, outcome: 'denied', code: 'room-not-found' });
  });
});

describe('RULES.remove: rule 2, not a direct conversation, and rooms the platform cannot remove from', () => {
  it('GIVEN a global admin in a direct room WHEN removing a member THEN the outcome is unsupported with code not-allowed', () => {
    const verdict = judge(
      RULES.remove,
      facts({ actor: ADMIN, actorIn: member(), room: 'direct', targetIn: member() }),
      DEFAULT_GRANTS,
    );
    expect(verdict).toMatchObject({ ok: false, outcome: 'unsupported', code: 'not-allowed' });
  });

  const general = { code: 'cant_kick_from_general', hint: 'nobody can be removed from #general' };
  it.each<{ actor: string; scene: Scene }>([
    { actor: 'a room moderator', scene: moderatorIn('public', { unsupported: general }) },
    {
      actor: 'a global admin',
      scene: { actor: ADMIN, room: 'public', unsupported: general, targetIn: member() },
    },
    {
      actor: 'the room owner',
      scene: {
        actor: OWNER,
        actorIn: member('owner'),
        room: 'private',
        unsupported: general,
        targetIn: member(),
      },
    },
  ])(
    'GIVEN $actor in a room the platform cannot remove from WHEN removing a member THEN unsupported with the room code and hint',
    ({ scene }) => {
      expect(judge(RULES.remove, facts(scene), DEFAULT_GRANTS)).toEqual({
        ok: false,
        outcome: 'unsupported',
        code: 'cant_kick_from_general',
        hint: 'nobody can be removed from #general',
      });
    },
  );
});

describe('RULES.remove: rule 3, remove-user in the room or the bypass for its type', () => {
  it.each<RuleCase>([
    {
      name: 'GIVEN a plain user in a public room WHEN removing a member THEN denied:not-allowed',
      scene: { actor: PLAIN, actorIn: member(), room: 'public', targetIn: member() },
      expected: 'denied:not-allowed',
    },
    {
      name: 'GIVEN the room owner of a private room WHEN removing a member THEN ok (remove-user in the room scope)',
      scene: { actor: OWNER, actorIn: member('owner'), room: 'private', targetIn: member() },
      expected: 'ok',
    },
    {
      name: 'GIVEN a moderator of another room (a plain member here) in a public room WHEN removing a member THEN denied:not-allowed',
      scene: { actor: ROOM_MOD, actorIn: member(), room: 'public', targetIn: member() },
      expected: 'denied:not-allowed',
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
      expected: 'denied:not-allowed',
    },
  ])('$name', ({ scene, expected }) => {
    expect(verdictOf('remove', scene)).toBe(expected);
  });
});

describe('RULES.remove: rule 4, not oneself', () => {
  it.each<{ room: RoomType; actor: string; scene: Scene }>([
    {
      room: 'public',
      actor: 'a global admin',
      scene: { actor: ADMIN, actorIn: member(), target: ADMIN, targetIn: member(), room: 'public' },
    },
    {
      room: 'private',
      actor: 'a room moderator',
      scene: moderatorIn('private', { target: ROOM_MOD, targetIn: member('moderator') }),
    },
    {
      room: 'group',
      actor: 'a global moderator',
      scene: { actor: GLOBAL_MOD, actorIn: member(), target: GLOBAL_MOD, targetIn: member(), room: 'group' },
    },
  ])(
    'GIVEN $actor in a $room room WHEN removing themself THEN denied:self pointing to /leave',
    ({ scene }) => {
      const verdict = judge(RULES.remove, facts(scene), DEFAULT_GRANTS);
      expect(verdict).toMatchObject({ ok: false, outcome: 'denied', code: 'self' });
      expect(verdict.ok ? '' : verdict.hint).toContain('/leave');
    },
  );
});

describe('RULES.remove: rule 5, protected targets', () => {
  const BOSS = person('boss', ['admin'], { owner: true });
  const OTHER_ADMIN = person('abe', ['admin']);
  it.each<RuleCase>([
    {
      name: 'GIVEN a global admin in a public room WHEN removing the bot THEN denied:protected',
      scene: { actor: ADMIN, actorIn: member(), target: BOT, targetIn: member(), room: 'public' },
      expected: 'denied:protected',
    },
    {
      name: 'GIVEN a room moderator in a private room WHEN removing the bot THEN denied:protected',
      scene: moderatorIn('private', { target: BOT }),
      expected: 'denied:protected',
    },
    {
      name: 'GIVEN a global admin in a public room WHEN removing the platform owner THEN denied:protected',
      scene: { actor: ADMIN, actorIn: member(), target: BOSS, targetIn: member(), room: 'public' },
      expected: 'denied:protected',
    },
    {
      name: 'GIVEN the room owner in a group room WHEN removing the platform owner THEN denied:protected',
      scene: { actor: OWNER, actorIn: member('owner'), target: BOSS, targetIn: member(), room: 'group' },
      expected: 'denied:protected',
    },
    {
      name: 'GIVEN a room moderator in a public room WHEN removing an admin THEN denied:protected',
      scene: moderatorIn('public', { target: OTHER_ADMIN }),
      expected: 'denied:protected',
    },
    {
      name: 'GIVEN the room owner in a private room WHEN removing an admin THEN denied:protected',
      scene: {
        actor: OWNER,
        actorIn: member('owner'),
        target: OTHER_ADMIN,
        targetIn: member(),
        room: 'private',
      },
      expected: 'denied:protected',
    },
    {
      name: 'GIVEN a global moderator in a public room WHEN removing an admin THEN denied:protected',
      scene: {
        actor: GLOBAL_MOD,
        actorIn: member(),
        target: OTHER_ADMIN,
        targetIn: member(),
        room: 'public',
      },
      expected: 'denied:protected',
    },
    {
      name: 'GIVEN a global admin in a private room WHEN removing another admin THEN ok',
      scene: { actor: ADMIN, actorIn: member(), target: OTHER_ADMIN, targetIn: member(), room: 'private' },
      expected: 'ok',
    },
    {
      name: 'GIVEN a room moderator in a public room WHEN removing another bot user (not the bot) THEN ok',
      scene: moderatorIn('public', { target: OTHER_BOT }),
      expected: 'ok',
    },
    {
      name: 'GIVEN a room moderator in a public room WHEN removing a global moderator THEN ok',
      scene: moderatorIn('public', { target: GLOBAL_MOD }),
      expected: 'ok',
    },
  ])('$name', ({ scene, expected }) => {
    expect(verdictOf('remove', scene)).toBe(expected);
  });
});

describe('RULES.remove: rule 6, role hierarchy where the platform ranks roles', () => {
  const ranked = (name: string, rank: number | undefined, extra: Partial<UserInfo> = {}) =>
    person(name, ['moderator'], { ...(rank === undefined ? {} : { rank }), ...extra });
  const botRanked = (rank: number | undefined) =>
    person('kickbot', ['bot'], { bot: true, ...(rank === undefined ? {} : { rank }) });

  it.each<{ name: string; actor: UserInfo; target: UserInfo; bot: UserInfo; expected: Expected }>([
    {
      name: 'actor rank 5 and bot rank 10 above target rank 3 THEN ok',
      actor: ranked('amy', 5),
      target: person('tom', ['user'], { rank: 3 }),
      bot: botRanked(10),
      expected: 'ok',
    },
    {
      name: 'actor rank 3 equal to target rank 3 THEN denied:hierarchy',
      actor: ranked('amy', 3),
      target: person('tom', ['user'], { rank: 3 }),
      bot: botRanked(10),
      expected: 'denied:hierarchy',
    },
    {
      name: 'actor rank 2 below target rank 3 THEN denied:hierarchy',
      actor: ranked('amy', 2),
      target: person('tom', ['user'], { rank: 3 }),
      bot: botRanked(10),
      expected: 'denied:hierarchy',
    },
    {
      name: 'actor without a rank and a ranked target THEN denied:hierarchy',
      actor: ranked('amy', undefined),
      target: person('tom', ['user'], { rank: 0 }),
      bot: botRanked(10),
      expected: 'denied:hierarchy',
    },
    {
      name: "actor rank 5 above target rank 3 but the bot's rank 2 too low THEN denied:hierarchy",
      actor: ranked('amy', 5),
      target: person('tom', ['user'], { rank: 3 }),
      bot: botRanked(2),
      expected: 'denied:hierarchy',
    },
    {
      name: "actor rank 5 above target rank 3 but the bot's rank 3 equal THEN denied:hierarchy",
      actor: ranked('amy', 5),
      target: person('tom', ['user'], { rank: 3 }),
      bot: botRanked(3),
      expected: 'denied:hierarchy',
    },
    {
      name: 'the platform owner (rank 1) above nobody by rank, target rank 5, bot rank 10 THEN ok',
      actor: person('boss', ['admin'], { owner: true, rank: 1 }),
      target: person('tom', ['user'], { rank: 5 }),
      bot: botRanked(10),
      expected: 'ok',
    },
    {
      name: "the platform owner, target rank 5, but the bot's rank 4 too low THEN denied:hierarchy",
      actor: person('boss', ['admin'], { owner: true, rank: 1 }),
      target: person('tom', ['user'], { rank: 5 }),
      bot: botRanked(4),
      expected: 'denied:hierarchy',
    },
    {
      name: 'a platform without ranks (no rank anywhere) THEN ok',
      actor: ranked('amy', undefined),
      target: person('tom'),
      bot: botRanked(undefined),
      expected: 'ok',
    },
  ])(
    'GIVEN a global moderator in a public room WHEN removing a member, $name',
    ({ actor, target, bot, expected }) => {
      expect(
        verdictOf('remove', { actor, actorIn: member(), target, targetIn: member(), room: 'public', bot }),
      ).toBe(expected);
    },
  );

  it("GIVEN the bot's rank is too low WHEN refused THEN the hint blames the bot, not the actor", () => {
    const verdict = judge(
      RULES.remove,
      facts({
        actor: ranked('amy', 5),
        actorIn: member(),
        target: person('tom', ['user'], { rank: 3 }),
        targetIn: member(),
        room: 'public',
        bot: botRanked(2),
      }),
      DEFAULT_GRANTS,
    );
    expect(verdict).toMatchObject({ ok: false, outcome: 'denied', code: 'hierarchy' });
    expect(verdict.ok ? '' : verdict.hint).toMatch(/bot/);
  });
});

describe('RULES.remove: rule 7, the target is a member', () => {
  it.each<{ room: RoomType }>([{ room: 'public' }, { room: 'private' }, { room: 'group' }])(
    'GIVEN a room moderator in a $room room WHEN removing a non-member THEN not_member with no code',
    ({ room }) => {
      expect(judge(RULES.remove, facts(moderatorIn(room, { targetIn: undefined })), DEFAULT_GRANTS)).toEqual({
        ok: false,
        outcome: 'not_member',
      });
    },
  );

  it('GIVEN the target sees the room through a role without being in it (presence: seen) THEN not_member', () => {
    const targetIn: Membership = { roles: ['moderator'], presence: 'seen' };
    expect(verdictOf('remove', { actor: ADMIN, room: 'private', targetIn })).toBe('not_member');
    expect(verdictOf('remove', { actor: ADMIN, room: 'private', targetIn: member('moderator') })).toBe('ok');
  });
});

describe('RULES.remove: rule 8, the last owner', () => {
  it.each<RuleCase>([
    {
      name: 'GIVEN a room moderator in a public room with 1 owner WHEN removing that owner THEN denied:last-owner',
      scene: moderatorIn('public', { targetIn: member('owner'), owners: 1 }),
      expected: 'denied:last-owner',
    },
    {
      name: 'GIVEN a room moderator in a private room with 2 owners WHEN removing one owner THEN ok',
      scene: moderatorIn('private', { targetIn: member('owner'), owners: 2 }),
      expected: 'ok',
    },
    {
      name: 'GIVEN a global admin in a group room with 2 owners WHEN removing one owner THEN ok',
      scene: { actor: ADMIN, room: 'group', targetIn: member('owner'), owners: 2 },
      expected: 'ok',
    },
    {
      name: 'GIVEN a global admin in a public room with 1 owner WHEN removing that owner (also a moderator) THEN denied:last-owner',
      scene: { actor: ADMIN, room: 'public', targetIn: member('moderator', 'owner'), owners: 1 },
      expected: 'denied:last-owner',
    },
    {
      name: 'GIVEN a room moderator in a public room with 1 owner WHEN removing another room moderator THEN ok',
      scene: moderatorIn('public', { targetIn: member('moderator'), owners: 1 }),
      expected: 'ok',
    },
  ])('$name', ({ scene, expected }) => {
    expect(verdictOf('remove', scene)).toBe(expected);
  });

  it('GIVEN the last owner is refused THEN the hint says what to do instead', () => {
    const verdict = judge(
      RULES.remove,
      facts(moderatorIn('public', { targetIn: member('owner'), owners: 1 })),
      DEFAULT_GRANTS,
    );
    expect(verdict).toMatchObject({ ok: false, outcome: 'denied', code: 'last-owner' });
    expect(verdict.ok ? '' : verdict.hint).toMatch(/owner/);
  });
});

describe('RULES.remove: the first failing rule answers', () => {
  const high = person('vip', ['user'], { rank: 9 });
  const rankedMod = person('amy', ['moderator'], { rank: 5 });
  const rankedBot = person('kickbot', ['bot'], { bot: true, rank: 10 });
  it.each<RuleCase>([
    {
      name: 'GIVEN a global admin and a missing room WHEN removing themself THEN denied:room-not-found, not self (1 before 4)',
      scene: { actor: ADMIN, target: ADMIN, room: 'missing' },
      expected: 'denied:room-not-found',
    },
    {
      name: 'GIVEN a plain user not in a private room WHEN removing themself THEN denied:room-not-found, not self (1 before 4)',
      scene: { actor: PLAIN, target: PLAIN, room: 'private' },
      expected: 'denied:room-not-found',
    },
    {
      name: 'GIVEN a global moderator not in a private room WHEN removing an admin THEN denied:room-not-found, not protected (1 before 5)',
      scene: { actor: GLOBAL_MOD, target: ADMIN, targetIn: member(), room: 'private' },
      expected: 'denied:room-not-found',
    },
    {
      name: 'GIVEN a global moderator not in a group room WHEN removing a non-member THEN denied:room-not-found, not not_member (1 before 7)',
      scene: { actor: GLOBAL_MOD, room: 'group' },
      expected: 'denied:room-not-found',
    },
    {
      name: 'GIVEN a plain user not in a private room the platform cannot remove from WHEN removing a member THEN denied:room-not-found (1 before 2)',
      scene: {
        actor: PLAIN,
        room: 'private',
        targetIn: member(),
        unsupported: { code: 'cant_kick_from_general' },
      },
      expected: 'denied:room-not-found',
    },
    {
      name: 'GIVEN a plain user in a direct room WHEN removing themself THEN unsupported:not-allowed (2 before 3 and 4)',
      scene: { actor: PLAIN, actorIn: member(), target: PLAIN, targetIn: member(), room: 'direct' },
      expected: 'unsupported:not-allowed',
    },
    {
      name: 'GIVEN a plain user in a public room WHEN removing themself THEN denied:not-allowed, not self (3 before 4)',
      scene: { actor: PLAIN, actorIn: member(), target: PLAIN, targetIn: member(), room: 'public' },
      expected: 'denied:not-allowed',
    },
    {
      name: 'GIVEN a plain user in a public room WHEN removing the bot THEN denied:not-allowed, not protected (3 before 5)',
      scene: { actor: PLAIN, actorIn: member(), target: BOT, targetIn: member(), room: 'public' },
      expected: 'denied:not-allowed',
    },
    {
      name: 'GIVEN a plain user in a private room WHEN removing a non-member THEN denied:not-allowed, not not_member (3 before 7)',
      scene: { actor: PLAIN, actorIn: member(), room: 'private' },
      expected: 'denied:not-allowed',
    },
    {
      name: 'GIVEN the only owner of a public room WHEN removing themself THEN denied:self, not last-owner (4 before 8)',
      scene: {
        actor: OWNER,
        actorIn: member('owner'),
        target: OWNER,
        targetIn: member('owner'),
        room: 'public',
        owners: 1,
      },
      expected: 'denied:self',
    },
    {
      name: 'GIVEN the platform owner in a public room WHEN removing themself THEN denied:self, not protected (4 before 5)',
      scene: {
        actor: person('boss', ['admin'], { owner: true }),
        actorIn: member(),
        target: person('boss', ['admin'], { owner: true }),
        targetIn: member(),
        room: 'public',
      },
      expected: 'denied:self',
    },
    {
      name: 'GIVEN a ranked global moderator in a public room WHEN removing the bot ranked above them THEN denied:protected, not hierarchy (5 before 6)',
      scene: {
        actor: rankedMod,
        actorIn: member(),
        target: { ...rankedBot },
        targetIn: member(),
        room: 'public',
        bot: rankedBot,
      },
      expected: 'denied:protected',
    },
    {
      name: 'GIVEN a room moderator in a public room WHEN removing an admin who is not a member THEN denied:protected, not not_member (5 before 7)',
      scene: moderatorIn('public', { target: ADMIN, targetIn: undefined }),
      expected: 'denied:protected',
    },
    {
      name: 'GIVEN a ranked global moderator in a public room WHEN removing a higher-ranked non-member THEN denied:hierarchy, not not_member (6 before 7)',
      scene: {
        actor: rankedMod,
        actorIn: member(),
        target: high,
        targetIn: undefined,
        room: 'public',
        bot: rankedBot,
      },
      expected: 'denied:hierarchy',
    },
    {
      name: 'GIVEN a ranked global moderator in a public room WHEN removing a higher-ranked last owner THEN denied:hierarchy, not last-owner (6 before 8)',
      scene: {
        actor: rankedMod,
        actorIn: member(),
        target: high,
        targetIn: member('owner'),
        room: 'public',
        bot: rankedBot,
        owners: 1,
      },
      expected: 'denied:hierarchy',
    },
  ])('$name', ({ scene, expected }) => {
    expect(verdictOf('remove', scene)).toBe(expected);
  });

  it('GIVEN everything passes WHEN judged THEN the verdict is exactly { ok: true }', () => {
    expect(judge(RULES.remove, facts(moderatorIn('public')), DEFAULT_GRANTS)).toEqual({ ok: true });
  });
});

// ---------------------------------------------------------------------------------------------------
// /remove-area
// ---------------------------------------------------------------------------------------------------

describe('RULES.area: remove-area-user replaces rules 1 and 3, with no fall-back to remove-user', () => {
  const NA = 'denied:not-allowed' as const;
  const DM = 'unsupported:not-allowed' as const;
  const rows: [AreaActorLabel, RoomType, Expected, Expected, Expected][] = [
    ['a global admin (not a member)', 'public', 'ok', 'not_member', 'denied:last-owner'],
    ['a global admin (not a member)', 'private', 'ok', 'not_member', 'denied:last-owner'],
    ['a global admin (not a member)', 'direct', DM, DM, DM],
    ['a global admin (not a member)', 'group', 'ok', 'not_member', 'denied:last-owner'],
    ['an area manager (not a member)', 'public', 'ok', 'not_member', 'denied:last-owner'],
    ['an area manager (not a member)', 'private', 'ok', 'not_member', 'denied:last-owner'],
    ['an area manager (not a member)', 'direct', DM, DM, DM],
    ['an area manager (not a member)', 'group', 'ok', 'not_member', 'denied:last-owner'],
    ['an area manager (member)', 'public', 'ok', 'not_member', 'denied:last-owner'],
    ['an area manager (member)', 'private', 'ok', 'not_member', 'denied:last-owner'],
    ['an area manager (member)', 'direct', DM, DM, DM],
    ['an area manager (member)', 'group', 'ok', 'not_member', 'denied:last-owner'],
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
      const a: Actor = AREA_ACTORS[actor as AreaActorLabel];
      expect(
        verdictOf('area', {
          actor: a.user,
          actorIn: a.in,
          areaRoles: a.areaRoles,
          room,
          targetIn: TARGET_IN[target],
        }),
      ).toBe(expected);
    },
  );

  const asManager = (room: RoomKind, extra: Partial<Scene> = {}): Scene => ({
    actor: MANAGER,
    areaRoles: ['manager'],
    room,
    targetIn: member(),
    ...extra,
  });
  const BOSS = person('boss', ['admin'], { owner: true });
  const rankedBot = person('kickbot', ['bot'], { bot: true, rank: 10 });

  it.each<RuleCase>([
    {
      name: 'GIVEN an area manager and a room of the area that does not exist WHEN removing a member THEN denied:room-not-found',
      scene: asManager('missing'),
      expected: 'denied:room-not-found',
    },
    {
      name: 'GIVEN a global moderator who is not a manager and a missing room WHEN removing a member THEN denied:not-allowed',
      scene: { actor: GLOBAL_MOD, areaRoles: [], room: 'missing', targetIn: member() },
      expected: 'denied:not-allowed',
    },
    {
      name: 'GIVEN a global moderator with no area roles at all in a public room WHEN removing a member THEN denied:not-allowed',
      scene: { actor: GLOBAL_MOD, actorIn: member(), room: 'public', targetIn: member() },
      expected: 'denied:not-allowed',
    },
    {
      name: 'GIVEN an area manager in a room the platform cannot remove from WHEN removing a member THEN unsupported with the room code',
      scene: asManager('public', { unsupported: { code: 'cant_kick_from_general' } }),
      expected: 'unsupported:cant_kick_from_general',
    },
    {
      name: 'GIVEN an area manager in a private room WHEN removing themself THEN denied:self',
      scene: asManager('private', { target: MANAGER, targetIn: member() }),
      expected: 'denied:self',
    },
    {
      name: 'GIVEN an area manager in a private room WHEN removing the bot THEN denied:protected',
      scene: asManager('private', { target: BOT }),
      expected: 'denied:protected',
    },
    {
      name: 'GIVEN an area manager in a public room WHEN removing the platform owner THEN denied:protected',
      scene: asManager('public', { target: BOSS }),
      expected: 'denied:protected',
    },
    {
      name: 'GIVEN an area manager in a group room WHEN removing an admin THEN denied:protected',
      scene: asManager('group', { target: ADMIN }),
      expected: 'denied:protected',
    },
    {
      name: 'GIVEN a global admin in a private room of the area WHEN removing another admin THEN ok',
      scene: { actor: ADMIN, room: 'private', target: person('abe', ['admin']), targetIn: member() },
      expected: 'ok',
    },
    {
      name: 'GIVEN an area manager ranked 1 in a public room WHEN removing a member ranked 5 THEN denied:hierarchy',
      scene: asManager('public', {
        actor: person('mia', ['user'], { rank: 1 }),
        target: person('tom', ['user'], { rank: 5 }),
        bot: rankedBot,
      }),
      expected: 'denied:hierarchy',
    },
    {
      name: "GIVEN an area manager ranked 8 in a public room WHEN removing a member ranked 5 with the bot's rank 4 THEN denied:hierarchy",
      scene: asManager('public', {
        actor: person('mia', ['user'], { rank: 8 }),
        target: person('tom', ['user'], { rank: 5 }),
        bot: person('kickbot', ['bot'], { bot: true, rank: 4 }),
      }),
      expected: 'denied:hierarchy',
    },
    {
      name: 'GIVEN an area manager ranked 8 in a public room WHEN removing a member ranked 5 THEN ok',
      scene: asManager('public', {
        actor: person('mia', ['user'], { rank: 8 }),
        target: person('tom', ['user'], { rank: 5 }),
        bot: rankedBot,
      }),
      expected: 'ok',
    },
    {
      name: 'GIVEN an area manager in a private room with 2 owners WHEN removing one owner THEN ok',
      scene: asManager('private', { targetIn: member('owner'), owners: 2 }),
      expected: 'ok',
    },
    {
      name: 'GIVEN a global moderator who is not a manager in a private room WHEN removing themself THEN denied:not-allowed (area rule first)',
      scene: {
        actor: GLOBAL_MOD,
        actorIn: member(),
        areaRoles: [],
        target: GLOBAL_MOD,
        targetIn: member(),
        room: 'private',
      },
      expected: 'denied:not-allowed',
    },
  ])('$name', ({ scene, expected }) => {
    expect(verdictOf('area', scene)).toBe(expected);
  });

  const lowManager = person('mia', ['user'], { rank: 1 });
  it.each<RuleCase>([
    {
      name: 'GIVEN an area manager in a direct room of the area WHEN removing themself THEN unsupported:not-allowed, not self (2 before 4)',
      scene: asManager('direct', { actorIn: member(), target: MANAGER }),
      expected: 'unsupported:not-allowed',
    },
    {
      name: 'GIVEN the platform owner (an admin) in a public room of the area WHEN removing themself THEN denied:self, not protected (4 before 5)',
      scene: { actor: BOSS, actorIn: member(), target: BOSS, targetIn: member(), room: 'public' },
      expected: 'denied:self',
    },
    {
      name: 'GIVEN an area manager ranked 1 in a public room WHEN removing the bot ranked 10 THEN denied:protected, not hierarchy (5 before 6)',
      scene: asManager('public', { actor: lowManager, target: rankedBot, bot: rankedBot }),
      expected: 'denied:protected',
    },
    {
      name: 'GIVEN an area manager ranked 1 in a private room WHEN removing a non-member ranked 5 THEN denied:hierarchy, not not_member (6 before 7)',
      scene: asManager('private', {
        actor: lowManager,
        target: person('tom', ['user'], { rank: 5 }),
        targetIn: undefined,
        bot: rankedBot,
      }),
      expected: 'denied:hierarchy',
    },
  ])('$name', ({ scene, expected }) => {
    expect(verdictOf('area', scene)).toBe(expected);
  });

  it('GIVEN a plain user not in a private room WHEN the same pair is judged by /kick and by /remove-area as its manager THEN only the area rules let it through', () => {
    const scene: Scene = { actor: MANAGER, areaRoles: ['manager'], room: 'private', targetIn: member() };
    expect(verdictOf('remove', scene)).toBe('denied:room-not-found');
    expect(verdictOf('area', scene)).toBe('ok');
  });
});

// ---------------------------------------------------------------------------------------------------
// /leave
// ---------------------------------------------------------------------------------------------------

describe('RULES.leave: leave-room for everyone, the last owner cannot leave', () => {
  const rows: {
    actor: string;
    scene: Omit<Scene, 'room'>;
    public: Expected;
    private: Expected;
    direct: Expected;
    group: Expected;
  }[] = [
    {
      actor: 'a global admin (member)',
      scene: { actor: ADMIN, actorIn: member() },
      public: 'ok',
      private: 'ok',
      direct: 'unsupported:not-allowed',
      group: 'ok',
    },
    {
      actor: 'a global moderator (member)',
      scene: { actor: GLOBAL_MOD, actorIn: member() },
      public: 'ok',
      private: 'ok',
      direct: 'unsupported:not-allowed',
      group: 'ok',
    },
    {
      actor: 'a plain user (member)',
      scene: { actor: PLAIN, actorIn: member() },
      public: 'ok',
      private: 'ok',
      direct: 'unsupported:not-allowed',
      group: 'ok',
    },
    {
      actor: 'a bot user (member)',
      scene: { actor: OTHER_BOT, actorIn: member() },
      public: 'ok',
      private: 'ok',
      direct: 'unsupported:not-allowed',
      group: 'ok',
    },
    {
      actor: 'a room owner (one of 2 owners)',
      scene: { actor: OWNER, actorIn: member('owner'), owners: 2 },
      public: 'ok',
      private: 'ok',
      direct: 'unsupported:not-allowed',
      group: 'ok',
    },
    {
      actor: 'the last owner',
      scene: { actor: OWNER, actorIn: member('owner'), owners: 1 },
      public: 'denied:last-owner',
      private: 'denied:last-owner',
      direct: 'unsupported:not-allowed',
      group: 'denied:last-owner',
    },
    {
      actor: 'a room moderator',
      scene: { actor: ROOM_MOD, actorIn: member('moderator') },
      public: 'ok',
      private: 'ok',
      direct: 'unsupported:not-allowed',
      group: 'ok',
    },
    {
      actor: 'a plain user (not a member)',
      scene: { actor: PLAIN },
      public: 'not_member',
      private: 'denied:room-not-found',
      direct: 'denied:room-not-found',
      group: 'denied:room-not-found',
    },
    {
      actor: 'a global admin (not a member)',
      scene: { actor: ADMIN },
      public: 'not_member',
      private: 'not_member',
      direct: 'unsupported:not-allowed',
      group: 'not_member',
    },
  ];
  const ROOM_TYPES = ['public', 'private', 'direct', 'group'] as const;
  const cases = rows.flatMap((row) =>
    ROOM_TYPES.map((room) => ({ actor: row.actor, scene: row.scene, room, expected: row[room] })),
  );

  it.each(cases)('GIVEN $actor in a $room room WHEN leaving THEN $expected', ({ scene, room, expected }) => {
    expect(verdictOf('leave', { ...scene, room })).toBe(expected);
  });

  it.each<RuleCase>([
    {
      name: 'GIVEN a plain user and a missing room WHEN leaving THEN denied:room-not-found',
      scene: { actor: PLAIN, room: 'missing' },
      expected: 'denied:room-not-found',
    },
    {
      name: 'GIVEN a plain user in a room the platform cannot remove from WHEN leaving THEN unsupported with the room code',
      scene: { actor: PLAIN, actorIn: member(), room: 'public', unsupported: { code: 'cant_leave_general' } },
      expected: 'unsupported:cant_leave_general',
    },
  ])('$name', ({ scene, expected }) => {
    expect(verdictOf('leave', scene)).toBe(expected);
  });
});

// ---------------------------------------------------------------------------------------------------
// /kickbot undo
// ---------------------------------------------------------------------------------------------------

describe('RULES.restore: undo only for whoever may remove there', () => {
  // The target of an undo is not in the room any more: it was removed.
  const rows: [ActorLabel, Expected, Expected, Expected][] = [
    ['a global admin (member)', 'ok', 'ok', 'ok'],
    ['a global admin (not a member)', 'ok', 'ok', 'ok'],
    ['a global moderator (member)', 'ok', 'ok', 'ok'],
    ['a global moderator (not a member)', 'ok', 'denied:room-not-found', 'denied:room-not-found'],
    ['a plain user (member)', 'denied:not-allowed', 'denied:not-allowed', 'denied:not-allowed'],
    ['a plain user (not a member)', 'denied:not-allowed', 'denied:room-not-found', 'denied:room-not-found'],
    ['a bot user (member)', 'denied:not-allowed', 'denied:not-allowed', 'denied:not-allowed'],
    ['a bot user (not a member)', 'denied:not-allowed', 'denied:room-not-found', 'denied:room-not-found'],
    ['the room owner', 'ok', 'ok', 'ok'],
    ['a room moderator', 'ok', 'ok', 'ok'],
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

  it.each<RuleCase & { mode: Mode }>([
    {
      name: 'GIVEN a room moderator and a missing room WHEN restoring THEN denied:room-not-found',
      mode: 'restore',
      scene: moderatorIn('missing', { targetIn: undefined }),
      expected: 'denied:room-not-found',
    },
    {
      name: 'GIVEN an area manager not in a private room of the area WHEN restoring an area case THEN ok',
      mode: 'restoreArea',
      scene: { actor: MANAGER, areaRoles: ['manager'], room: 'private' },
      expected: 'ok',
    },
    {
      name: 'GIVEN a global moderator who is not a manager WHEN restoring an area case THEN denied:not-allowed',
      mode: 'restoreArea',
      scene: { actor: GLOBAL_MOD, actorIn: member(), areaRoles: [], room: 'public' },
      expected: 'denied:not-allowed',
    },
    {
      name: 'GIVEN the room owner who is not a manager WHEN restoring an area case THEN denied:not-allowed',
      mode: 'restoreArea',
      scene: { actor: OWNER, actorIn: member('owner'), areaRoles: [], room: 'private' },
      expected: 'denied:not-allowed',
    },
    {
      name: 'GIVEN an area manager and a missing room WHEN restoring an area case THEN denied:room-not-found',
      mode: 'restoreArea',
      scene: { actor: MANAGER, areaRoles: ['manager'], room: 'missing' },
      expected: 'denied:room-not-found',
    },
  ])('$name', ({ mode, scene, expected }) => {
    expect(verdictOf(mode, scene)).toBe(expected);
  });
});

// ---------------------------------------------------------------------------------------------------
// Grant overrides
// ---------------------------------------------------------------------------------------------------

describe('grant overrides', () => {
  it.each<{ name: string; override: GrantsOverride; mode: Mode; scene: Scene; expected: Expected }>([
    {
      name: 'GIVEN kick-user-from-any-p-room: [] AND a global admin not in a private room WHEN removing a member THEN denied:room-not-found',
      override: { 'kick-user-from-any-p-room': [] },
      mode: 'remove',
      scene: { actor: ADMIN, room: 'private', targetIn: member() },
      expected: 'denied:room-not-found',
    },
    {
      name: 'GIVEN kick-user-from-any-p-room: [] AND a global admin not in a group room WHEN removing a member THEN denied:room-not-found',
      override: { 'kick-user-from-any-p-room': [] },
      mode: 'remove',
      scene: { actor: ADMIN, room: 'group', targetIn: member() },
      expected: 'denied:room-not-found',
    },
    {
      name: 'GIVEN kick-user-from-any-p-room: [] AND a global admin in a private room WHEN removing a member THEN ok',
      override: { 'kick-user-from-any-p-room': [] },
      mode: 'remove',
      scene: { actor: ADMIN, actorIn: member(), room: 'private', targetIn: member() },
      expected: 'ok',
    },
    {
      name: 'GIVEN kick-user-from-any-p-room: [] AND a global admin not in a public room WHEN removing a member THEN ok',
      override: { 'kick-user-from-any-p-room': [] },
      mode: 'remove',
      scene: { actor: ADMIN, room: 'public', targetIn: member() },
      expected: 'ok',
    },
    {
      name: 'GIVEN kick-user-from-any-p-room: [admin, moderator] AND a global moderator not in a private room WHEN removing a member THEN ok',
      override: { 'kick-user-from-any-p-room': ['admin', 'moderator'] },
      mode: 'remove',
      scene: { actor: GLOBAL_MOD, room: 'private', targetIn: member() },
      expected: 'ok',
    },
    {
      name: 'GIVEN remove-user: [admin] AND the room owner in a public room WHEN removing a member THEN denied:not-allowed',
      override: { 'remove-user': ['admin'] },
      mode: 'remove',
      scene: { actor: OWNER, actorIn: member('owner'), room: 'public', targetIn: member() },
      expected: 'denied:not-allowed',
    },
    {
      name: 'GIVEN remove-user: [admin] AND a room moderator in a private room WHEN removing a member THEN denied:not-allowed',
      override: { 'remove-user': ['admin'] },
      mode: 'remove',
      scene: moderatorIn('private'),
      expected: 'denied:not-allowed',
    },
    {
      name: 'GIVEN remove-user: [admin] AND a global moderator in a public room WHEN removing a member THEN denied:not-allowed',
      override: { 'remove-user': ['admin'] },
      mode: 'remove',
      scene: { actor: GLOBAL_MOD, actorIn: member(), room: 'public', targetIn: member() },
      expected: 'denied:not-allowed',
    },
    {
      name: 'GIVEN remove-user: [admin] AND a global admin in a private room WHEN removing a member THEN ok',
      override: { 'remove-user': ['admin'] },
      mode: 'remove',
      scene: { actor: ADMIN, actorIn: member(), room: 'private', targetIn: member() },
      expected: 'ok',
    },
    {
      name: 'GIVEN remove-user: [admin] AND the room owner in a public room WHEN restoring THEN denied:not-allowed',
      override: { 'remove-user': ['admin'] },
      mode: 'restore',
      scene: { actor: OWNER, actorIn: member('owner'), room: 'public' },
      expected: 'denied:not-allowed',
    },
    {
      name: 'GIVEN remove-user: [owner] and kick-user-from-any-c-room: [] AND a global admin in a public room WHEN removing a member THEN denied:not-allowed',
      override: { 'remove-user': ['owner'], 'kick-user-from-any-c-room': [] },
      mode: 'remove',
      scene: { actor: ADMIN, actorIn: member(), room: 'public', targetIn: member() },
      expected: 'denied:not-allowed',
    },
    {
      name: 'GIVEN remove-user: [owner] AND a global admin not in a public room WHEN removing a member THEN ok (the c-room bypass)',
      override: { 'remove-user': ['owner'] },
      mode: 'remove',
      scene: { actor: ADMIN, room: 'public', targetIn: member() },
      expected: 'ok',
    },
    {
      name: 'GIVEN remove-user: [everyone] AND a plain user in a public room WHEN removing a member THEN ok',
      override: { 'remove-user': ['everyone'] },
      mode: 'remove',
      scene: { actor: PLAIN, actorIn: member(), room: 'public', targetIn: member() },
      expected: 'ok',
    },
    {
      name: 'GIVEN remove-user: [everyone] AND a plain user not in a private room WHEN removing a member THEN denied:room-not-found',
      override: { 'remove-user': ['everyone'] },
      mode: 'remove',
      scene: { actor: PLAIN, room: 'private', targetIn: member() },
      expected: 'denied:room-not-found',
    },
    {
      name: 'GIVEN remove-area-user: [manager] AND a global admin in a public room of the area WHEN removing a member THEN denied:not-allowed',
      override: { 'remove-area-user': ['manager'] },
      mode: 'area',
      scene: { actor: ADMIN, actorIn: member(), areaRoles: [], room: 'public', targetIn: member() },
      expected: 'denied:not-allowed',
    },
    {
      name: 'GIVEN remove-area-user: [admin] AND an area manager in a public room of the area WHEN removing a member THEN denied:not-allowed',
      override: { 'remove-area-user': ['admin'] },
      mode: 'area',
      scene: { actor: MANAGER, areaRoles: ['manager'], room: 'public', targetIn: member() },
      expected: 'denied:not-allowed',
    },
    {
      name: 'GIVEN remove-area-user: [admin, manager, moderator] AND a global moderator in a private room of the area WHEN removing a member THEN ok',
      override: { 'remove-area-user': ['admin', 'manager', 'moderator'] },
      mode: 'area',
      scene: { actor: GLOBAL_MOD, areaRoles: [], room: 'private', targetIn: member() },
      expected: 'ok',
    },
    {
      name: 'GIVEN leave-room: [admin] AND a plain user in a public room WHEN leaving THEN denied:not-allowed',
      override: { 'leave-room': ['admin'] },
      mode: 'leave',
      scene: { actor: PLAIN, actorIn: member(), room: 'public' },
      expected: 'denied:not-allowed',
    },
    {
      name: 'GIVEN leave-room: [admin] AND a room owner (one of 2) in a private room WHEN leaving THEN denied:not-allowed',
      override: { 'leave-room': ['admin'] },
      mode: 'leave',
      scene: { actor: OWNER, actorIn: member('owner'), owners: 2, room: 'private' },
      expected: 'denied:not-allowed',
    },
    {
      name: 'GIVEN leave-room: [admin] AND a global admin in a public room WHEN leaving THEN ok',
      override: { 'leave-room': ['admin'] },
      mode: 'leave',
      scene: { actor: ADMIN, actorIn: member(), room: 'public' },
      expected: 'ok',
    },
    {
      name: 'GIVEN leave-room: [owner] AND a room owner (one of 2) in a group room WHEN leaving THEN ok',
      override: { 'leave-room': ['owner'] },
      mode: 'leave',
      scene: { actor: OWNER, actorIn: member('owner'), owners: 2, room: 'group' },
      expected: 'ok',
    },
  ])('$name', ({ override, mode, scene, expected }) => {
    expect(verdictOf(mode, scene, withOverrides(DEFAULT_GRANTS, override))).toBe(expected);
  });

  it('GIVEN the same pair WHEN judged with and without an override THEN only the override changes the verdict', () => {
    const scene: Scene = { actor: ADMIN, room: 'private', targetIn: member() };
    expect(verdictOf('remove', scene)).toBe('ok');
    expect(
      verdictOf('remove', scene, withOverrides(DEFAULT_GRANTS, { 'kick-user-from-any-p-room': [] })),
    ).toBe('denied:room-not-found');
  });
});
