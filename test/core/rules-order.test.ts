/**
 * DESIGN §5: the rules answer in order and the first refusal wins. Each row sets up two failing rules and
 * names which one must answer.
 */
import { describe, expect, it } from 'vitest';
import {
  ADMIN,
  asManager,
  BOSS,
  BOT,
  botRanked,
  expectCase,
  GLOBAL_MOD,
  judged,
  MANAGER,
  member,
  moderatorIn,
  named,
  OWNER,
  PLAIN,
  person,
  type RuleCase,
} from './rules-fixtures.js';

const rankedBot = botRanked(10);

describe('RULES.remove: the first failing rule answers', () => {
  const high = person('vip', ['user'], { rank: 9 });
  const rankedMod = person('amy', ['moderator'], { rank: 5 });
  const cases: RuleCase[] = [
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
  ];
  it.each(named(cases))('%s', (_name, row) => expectCase(row));

  it('GIVEN everything passes WHEN judged THEN the verdict is exactly { ok: true }', () => {
    expect(judged('remove', moderatorIn('public'))).toEqual({ ok: true });
  });
});

describe('RULES.area: the first failing rule answers', () => {
  const lowManager = person('mia', ['user'], { rank: 1 });
  const rows: RuleCase[] = [
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
  ];
  const cases = rows.map((row): RuleCase => ({ ...row, mode: 'area' }));
  it.each(named(cases))('%s', (_name, row) => expectCase(row));
});
