/**
 * Fixtures for the tables of DESIGN §5 (test/core/rules-*.test.ts): who is who, a scene (actor, target, room)
 * turned into the `Facts` the rules judge, and the verdict as one comparable string: `ok`, `not_member`,
 * `denied:<code>` or `unsupported:<code>`. Every expected verdict in the tables is written out by hand from
 * DESIGN §5, never computed.
 */
import { expect } from 'vitest';
import {
  type AreaRole,
  DEFAULT_GRANTS,
  type GlobalRole,
  type Grants,
  type RoomRole,
} from '../../src/core/permissions.js';
import type { Membership, RoomInfo, RoomType, UserInfo } from '../../src/core/ports/facts.js';
import { type Facts, judge, RULES, type Verdict } from '../../src/core/rules.js';

export type Expected =
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

/** Short names for the verdicts the matrices repeat. */
export const OK = 'ok' as const;
export const NM = 'not_member' as const;
export const RNF = 'denied:room-not-found' as const;
export const NA = 'denied:not-allowed' as const;
export const LO = 'denied:last-owner' as const;
/** A direct conversation: `unsupported` with code `not-allowed`. */
export const DM = 'unsupported:not-allowed' as const;

/** The verdict as one comparable string (see the file comment). */
export function summary(verdict: Verdict): string {
  if (verdict.ok) return 'ok';
  return verdict.code === undefined ? verdict.outcome : `${verdict.outcome}:${verdict.code}`;
}

export function person(
  name: string,
  roles: readonly GlobalRole[] = ['user'],
  extra: Partial<UserInfo> = {},
): UserInfo {
  return { id: `console:${name}`, name, roles, ...extra };
}

export const member = (...roles: RoomRole[]): Membership => ({ roles });

/** kickbot itself, as the connector reports it. */
export const BOT = person('kickbot', ['bot'], { bot: true });
/** The default target: a plain user. */
export const BOB = person('bob');
export const ADMIN = person('ada', ['admin']);
export const OTHER_ADMIN = person('abe', ['admin']);
/** The platform's owner (Slack's primary owner, the Discord guild owner). */
export const BOSS = person('boss', ['admin'], { owner: true });
export const GLOBAL_MOD = person('gus', ['moderator']);
export const PLAIN = person('pat');
export const OTHER_BOT = person('otto', ['bot'], { bot: true });
export const OWNER = person('olga');
export const ROOM_MOD = person('max');
export const MANAGER = person('mia');

/** kickbot with a rank (Discord), or without one. */
export const botRanked = (rank: number | undefined): UserInfo =>
  person('kickbot', ['bot'], { bot: true, ...(rank === undefined ? {} : { rank }) });

export type RoomKind = RoomType | 'missing';

export interface Scene {
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
  /** Set when the room is on another system and no identity links the target to it. */
  unlinked?: string;
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

export function facts(scene: Scene): Facts {
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
    ...(scene.unlinked === undefined ? {} : { unlinked: scene.unlinked }),
  };
}

/** `/leave`: the actor is the target. */
function leaving(scene: Scene): Facts {
  return facts({ ...scene, target: scene.actor, targetIn: scene.actorIn });
}

export type Mode = keyof typeof RULES;

/** The verdict of one rule list on a scene (for `leave`, the actor leaves). */
export function judged(mode: Mode, scene: Scene, grants: Grants = DEFAULT_GRANTS): Verdict {
  return judge(RULES[mode], mode === 'leave' ? leaving(scene) : facts(scene), grants);
}

export function verdictOf(mode: Mode, scene: Scene, grants: Grants = DEFAULT_GRANTS): string {
  return summary(judged(mode, scene, grants));
}

/** One row of a rule's table: a scene judged by one rule list (`remove` unless named). */
export interface RuleCase {
  name: string;
  mode?: Mode;
  scene: Scene;
  expected: Expected;
  /** The refusal's hint must match this. */
  hint?: RegExp;
  /** The whole verdict, when the table pins more than its summary. */
  exact?: Verdict;
}

/** Rows as `[name, row]` for `it.each(...)('%s', …)`: vitest would cut a `$name` title at 40 characters. */
export function named<C extends { name: string }>(cases: readonly C[]): [string, C][] {
  return cases.map((c) => [c.name, c]);
}

/** Asserts one row: its summary, and its hint and whole verdict when the row names them. */
export function expectCase(row: RuleCase): void {
  const verdict = judged(row.mode ?? 'remove', row.scene);
  expect(summary(verdict)).toBe(row.expected);
  if (row.hint) expect(verdict.ok ? '' : verdict.hint).toMatch(row.hint);
  if (row.exact) expect(verdict).toEqual(row.exact);
}

/** A room moderator acting in a room, on a plain member by default. */
export const moderatorIn = (room: RoomKind, extra: Partial<Scene> = {}): Scene => ({
  actor: ROOM_MOD,
  actorIn: member('moderator'),
  room,
  targetIn: member(),
  ...extra,
});

/** An area manager (not in the room) acting in a room of the area, on a plain member by default. */
export const asManager = (room: RoomKind, extra: Partial<Scene> = {}): Scene => ({
  actor: MANAGER,
  areaRoles: ['manager'],
  room,
  targetIn: member(),
  ...extra,
});

export interface Actor {
  user: UserInfo;
  in: Membership | undefined;
  areaRoles?: readonly AreaRole[];
}

export const ACTORS = {
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
export type ActorLabel = keyof typeof ACTORS;

export const AREA_ACTORS = {
  'a global admin (not a member)': { user: ADMIN, in: undefined },
  'an area manager (not a member)': { user: MANAGER, in: undefined, areaRoles: ['manager'] },
  'an area manager (member)': { user: MANAGER, in: member(), areaRoles: ['manager'] },
  'a global moderator, not a manager (member)': { user: GLOBAL_MOD, in: member(), areaRoles: [] },
  'a plain user (member)': { user: PLAIN, in: member(), areaRoles: [] },
  'a bot user (member)': { user: OTHER_BOT, in: member(), areaRoles: [] },
  'the room owner, not a manager': { user: OWNER, in: member('owner'), areaRoles: [] },
  'a room moderator, not a manager': { user: ROOM_MOD, in: member('moderator'), areaRoles: [] },
} satisfies Record<string, Actor>;
export type AreaActorLabel = keyof typeof AREA_ACTORS;

/** The three kinds of target of the matrices: a plain member, someone not in the room, an owner of the room. */
const TARGETS = ['a member', 'a non-member', 'an owner'] as const;
export type TargetLabel = (typeof TARGETS)[number];
export const TARGET_IN: Record<TargetLabel, Membership | undefined> = {
  'a member': member(),
  'a non-member': undefined,
  'an owner': member('owner'),
};

export interface MatrixCase<A extends string> {
  actor: A;
  room: RoomType;
  target: TargetLabel;
  expected: Expected;
}

/** Rows of (actor, room, verdict for a member, for a non-member, for an owner) → one case per target. */
export function expand<A extends string>(
  rows: readonly [A, RoomType, Expected, Expected, Expected][],
): MatrixCase<A>[] {
  return rows.flatMap(([actor, room, ...verdicts]) =>
    TARGETS.map((target, i) => ({ actor, room, target, expected: verdicts[i] as Expected })),
  );
}
