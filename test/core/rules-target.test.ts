/**
 * DESIGN §5, the rules about the target: one table per rule of src/core/rules.ts, each row judged by the
 * whole rule list of its command (`remove` unless named). The room rules: rules-room.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { Membership, UserInfo } from '../../src/core/ports/facts.js';
import {
  ADMIN,
  asManager,
  BOSS,
  BOT,
  botRanked,
  type Expected,
  expectCase,
  GLOBAL_MOD,
  LO,
  MANAGER,
  member,
  moderatorIn,
  NM,
  named,
  OK,
  OTHER_ADMIN,
  OTHER_BOT,
  OWNER,
  person,
  ROOM_MOD,
  type RuleCase,
  verdictOf,
} from './rules-fixtures.js';

const SELF = /\/leave/;
const PROTECTED = 'denied:protected' as const;
const HIERARCHY = 'denied:hierarchy' as const;

describe('notSelf (rule 4): the target is not the actor', () => {
  const cases: RuleCase[] = [
    {
      name: 'GIVEN a global admin in a public room WHEN removing themself THEN denied:self pointing to /leave',
      scene: { actor: ADMIN, actorIn: member(), target: ADMIN, targetIn: member(), room: 'public' },
      expected: 'denied:self',
      hint: SELF,
    },
    {
      name: 'GIVEN a room moderator in a private room WHEN removing themself THEN denied:self pointing to /leave',
      scene: moderatorIn('private', { target: ROOM_MOD, targetIn: member('moderator') }),
      expected: 'denied:self',
      hint: SELF,
    },
    {
      name: 'GIVEN a global moderator in a group room WHEN removing themself THEN denied:self pointing to /leave',
      scene: { actor: GLOBAL_MOD, actorIn: member(), target: GLOBAL_MOD, targetIn: member(), room: 'group' },
      expected: 'denied:self',
      hint: SELF,
    },
    {
      name: 'GIVEN an area manager in a private room WHEN removing themself THEN denied:self',
      mode: 'area',
      scene: asManager('private', { target: MANAGER, targetIn: member() }),
      expected: 'denied:self',
    },
  ];
  it.each(named(cases))('%s', (_name, row) => expectCase(row));
});

describe('notProtected (rule 5): not the bot, not the platform owner, an admin only by an admin', () => {
  const cases: RuleCase[] = [
    {
      name: 'GIVEN a global admin in a public room WHEN removing the bot THEN denied:protected',
      scene: { actor: ADMIN, actorIn: member(), target: BOT, targetIn: member(), room: 'public' },
      expected: PROTECTED,
    },
    {
      name: 'GIVEN a room moderator in a private room WHEN removing the bot THEN denied:protected',
      scene: moderatorIn('private', { target: BOT }),
      expected: PROTECTED,
    },
    {
      name: 'GIVEN a global admin in a public room WHEN removing the platform owner THEN denied:protected',
      scene: { actor: ADMIN, actorIn: member(), target: BOSS, targetIn: member(), room: 'public' },
      expected: PROTECTED,
    },
    {
      name: 'GIVEN the room owner in a group room WHEN removing the platform owner THEN denied:protected',
      scene: { actor: OWNER, actorIn: member('owner'), target: BOSS, targetIn: member(), room: 'group' },
      expected: PROTECTED,
    },
    {
      name: 'GIVEN a room moderator in a public room WHEN removing an admin THEN denied:protected',
      scene: moderatorIn('public', { target: OTHER_ADMIN }),
      expected: PROTECTED,
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
      expected: PROTECTED,
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
      expected: PROTECTED,
    },
    {
      name: 'GIVEN a global admin in a private room WHEN removing another admin THEN ok',
      scene: { actor: ADMIN, actorIn: member(), target: OTHER_ADMIN, targetIn: member(), room: 'private' },
      expected: OK,
    },
    {
      name: 'GIVEN a room moderator in a public room WHEN removing another bot user (not the bot) THEN ok',
      scene: moderatorIn('public', { target: OTHER_BOT }),
      expected: OK,
    },
    {
      name: 'GIVEN a room moderator in a public room WHEN removing a global moderator THEN ok',
      scene: moderatorIn('public', { target: GLOBAL_MOD }),
      expected: OK,
    },
    {
      name: 'GIVEN an area manager in a private room WHEN removing the bot THEN denied:protected',
      mode: 'area',
      scene: asManager('private', { target: BOT }),
      expected: PROTECTED,
    },
    {
      name: 'GIVEN an area manager in a public room WHEN removing the platform owner THEN denied:protected',
      mode: 'area',
      scene: asManager('public', { target: BOSS }),
      expected: PROTECTED,
    },
    {
      name: 'GIVEN an area manager in a group room WHEN removing an admin THEN denied:protected',
      mode: 'area',
      scene: asManager('group', { target: ADMIN }),
      expected: PROTECTED,
    },
    {
      name: 'GIVEN a global admin in a private room of the area WHEN removing another admin THEN ok',
      mode: 'area',
      scene: { actor: ADMIN, room: 'private', target: OTHER_ADMIN, targetIn: member() },
      expected: OK,
    },
  ];
  it.each(named(cases))('%s', (_name, row) => expectCase(row));
});

describe('aboveInHierarchy (rule 6): where the platform ranks roles, the actor and the bot rank above the target', () => {
  const ranked = (rank: number | undefined): UserInfo =>
    person('amy', ['moderator'], rank === undefined ? {} : { rank });
  const tom = (rank?: number): UserInfo => person('tom', ['user'], rank === undefined ? {} : { rank });
  const boss = person('boss', ['admin'], { owner: true, rank: 1 });
  /** A global moderator in a public room removing a member: (what differs, actor, target, bot, verdict). */
  const rows: [string, UserInfo, UserInfo, UserInfo, Expected][] = [
    ['actor rank 5 and bot rank 10 above target rank 3 THEN ok', ranked(5), tom(3), botRanked(10), OK],
    [
      'actor rank 3 equal to target rank 3 THEN denied:hierarchy',
      ranked(3),
      tom(3),
      botRanked(10),
      HIERARCHY,
    ],
    ['actor rank 2 below target rank 3 THEN denied:hierarchy', ranked(2), tom(3), botRanked(10), HIERARCHY],
    [
      'actor without a rank and a ranked target THEN denied:hierarchy',
      ranked(undefined),
      tom(0),
      botRanked(10),
      HIERARCHY,
    ],
    [
      "actor rank 5 above target rank 3 but the bot's rank 2 too low THEN denied:hierarchy",
      ranked(5),
      tom(3),
      botRanked(2),
      HIERARCHY,
    ],
    [
      "actor rank 5 above target rank 3 but the bot's rank 3 equal THEN denied:hierarchy",
      ranked(5),
      tom(3),
      botRanked(3),
      HIERARCHY,
    ],
    [
      'the platform owner (rank 1) above nobody by rank, target rank 5, bot rank 10 THEN ok',
      boss,
      tom(5),
      botRanked(10),
      OK,
    ],
    [
      "the platform owner, target rank 5, but the bot's rank 4 too low THEN denied:hierarchy",
      boss,
      tom(5),
      botRanked(4),
      HIERARCHY,
    ],
    [
      'a platform without ranks (no rank anywhere) THEN ok',
      ranked(undefined),
      tom(),
      botRanked(undefined),
      OK,
    ],
  ];
  const cases: RuleCase[] = [
    ...rows.map(
      ([what, actor, target, bot, expected]): RuleCase => ({
        name: `GIVEN a global moderator in a public room WHEN removing a member, ${what}`,
        scene: { actor, actorIn: member(), target, targetIn: member(), room: 'public', bot },
        expected,
      }),
    ),
    {
      name: "GIVEN the bot's rank is too low WHEN refused THEN the hint blames the bot, not the actor",
      scene: {
        actor: ranked(5),
        actorIn: member(),
        target: tom(3),
        targetIn: member(),
        room: 'public',
        bot: botRanked(2),
      },
      expected: HIERARCHY,
      hint: /bot/,
    },
    {
      name: 'GIVEN an area manager ranked 1 in a public room WHEN removing a member ranked 5 THEN denied:hierarchy',
      mode: 'area',
      scene: asManager('public', {
        actor: person('mia', ['user'], { rank: 1 }),
        target: tom(5),
        bot: botRanked(10),
      }),
      expected: HIERARCHY,
    },
    {
      name: "GIVEN an area manager ranked 8 in a public room WHEN removing a member ranked 5 with the bot's rank 4 THEN denied:hierarchy",
      mode: 'area',
      scene: asManager('public', {
        actor: person('mia', ['user'], { rank: 8 }),
        target: tom(5),
        bot: botRanked(4),
      }),
      expected: HIERARCHY,
    },
    {
      name: 'GIVEN an area manager ranked 8 in a public room WHEN removing a member ranked 5 THEN ok',
      mode: 'area',
      scene: asManager('public', {
        actor: person('mia', ['user'], { rank: 8 }),
        target: tom(5),
        bot: botRanked(10),
      }),
      expected: OK,
    },
  ];
  it.each(named(cases))('%s', (_name, row) => expectCase(row));
});

describe('targetLinked (rule 7 across systems): the target has an id on the room system', () => {
  const cases: RuleCase[] = [
    {
      name: 'GIVEN a room on another system and no identity linking the target to it WHEN removing them THEN unsupported:no-identity naming the system',
      scene: { actor: ADMIN, room: 'private', targetIn: member(), unlinked: 'mudbase' },
      expected: 'unsupported:no-identity',
      hint: /no mudbase account is linked to bob/,
    },
    {
      name: 'GIVEN a target not linked to the room system and not a member either WHEN removing them THEN unsupported:no-identity, not not_member',
      scene: { actor: ADMIN, room: 'private', targetIn: undefined, unlinked: 'mudbase' },
      expected: 'unsupported:no-identity',
    },
  ];
  it.each(named(cases))('%s', (_name, row) => expectCase(row));
});

describe('isMember (rule 7): the target is a member of the room', () => {
  const cases: RuleCase[] = (['public', 'private', 'group'] as const).map((room) => ({
    name: `GIVEN a room moderator in a ${room} room WHEN removing a non-member THEN not_member with no code`,
    scene: moderatorIn(room, { targetIn: undefined }),
    expected: NM,
    exact: { ok: false, outcome: 'not_member' },
  }));
  it.each(named(cases))('%s', (_name, row) => expectCase(row));

  it('GIVEN the target sees the room through a role without being in it (presence: seen) THEN not_member', () => {
    const targetIn: Membership = { roles: ['moderator'], presence: 'seen' };
    expect(verdictOf('remove', { actor: ADMIN, room: 'private', targetIn })).toBe(NM);
    expect(verdictOf('remove', { actor: ADMIN, room: 'private', targetIn: member('moderator') })).toBe(OK);
  });
});

describe('notLastOwner (rule 8): the target is not the last owner of the room', () => {
  const cases: RuleCase[] = [
    {
      name: 'GIVEN a room moderator in a public room with 1 owner WHEN removing that owner THEN denied:last-owner',
      scene: moderatorIn('public', { targetIn: member('owner'), owners: 1 }),
      expected: LO,
    },
    {
      name: 'GIVEN a room moderator in a private room with 2 owners WHEN removing one owner THEN ok',
      scene: moderatorIn('private', { targetIn: member('owner'), owners: 2 }),
      expected: OK,
    },
    {
      name: 'GIVEN a global admin in a group room with 2 owners WHEN removing one owner THEN ok',
      scene: { actor: ADMIN, room: 'group', targetIn: member('owner'), owners: 2 },
      expected: OK,
    },
    {
      name: 'GIVEN a global admin in a public room with 1 owner WHEN removing that owner (also a moderator) THEN denied:last-owner',
      scene: { actor: ADMIN, room: 'public', targetIn: member('moderator', 'owner'), owners: 1 },
      expected: LO,
    },
    {
      name: 'GIVEN a room moderator in a public room with 1 owner WHEN removing another room moderator THEN ok',
      scene: moderatorIn('public', { targetIn: member('moderator'), owners: 1 }),
      expected: OK,
    },
    {
      name: 'GIVEN the last owner is refused THEN the hint says what to do instead',
      scene: moderatorIn('public', { targetIn: member('owner'), owners: 1 }),
      expected: LO,
      hint: /owner/,
    },
    {
      name: 'GIVEN an area manager in a private room with 2 owners WHEN removing one owner THEN ok',
      mode: 'area',
      scene: asManager('private', { targetIn: member('owner'), owners: 2 }),
      expected: OK,
    },
  ];
  it.each(named(cases))('%s', (_name, row) => expectCase(row));
});
