import type { APIOverwrite } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import {
  ALL,
  basePermissions,
  bits,
  channelPermissions,
  everyoneSees,
  type GuildFacts,
  highestPosition,
  type MemberFacts,
} from '../../../src/platforms/discord/permissions.js';

/**
 * Discord's permission arithmetic (platforms.md DISCORD §5, docs "Permissions" → computing permissions), table by
 * table: the guild owner and ADMINISTRATOR get everything; otherwise @everyone's permissions OR the member's roles',
 * then the channel's @everyone overwrite (deny, then allow), then the role overwrites (the denies of all the
 * member's roles, then the allows of all of them: an allow wins across roles), then the member's own overwrite;
 * without VIEW_CHANNEL nothing in the channel counts. Every expected bitset is written out by hand from the
 * documented bits, not computed with the code under test (nor the fake's copy of it).
 */

// Documented bits (docs "Permissions", bitwise permission flags), as decimal numbers.
const KICK_MEMBERS = 2n; // 1 << 1
const ADMINISTRATOR = 8n; // 1 << 3
const VIEW_CHANNEL = 1024n; // 1 << 10
const SEND_MESSAGES = 2048n; // 1 << 11
const READ_MESSAGE_HISTORY = 65536n; // 1 << 16
const CONNECT = 1048576n; // 1 << 20
const SPEAK = 2097152n; // 1 << 21
const MANAGE_THREADS = 17179869184n; // 1 << 34

const G = '100';
const R = { member: '201', mod: '202', muted: '203', speaker: '204', admin: '205', big: '206' } as const;

/** @everyone: VIEW_CHANNEL | SEND_MESSAGES | READ_MESSAGE_HISTORY | CONNECT = 1024 + 2048 + 65536 + 1048576. */
const EVERYONE = 1117184n;

const guild: GuildFacts = {
  id: G,
  ownerId: '1',
  roles: new Map([
    [G, { name: '@everyone', position: 0, permissions: EVERYONE }],
    [R.member, { name: 'Member', position: 1, permissions: 0n }],
    [R.mod, { name: 'Mod', position: 2, permissions: KICK_MEMBERS | MANAGE_THREADS }],
    [R.muted, { name: 'Muted', position: 3, permissions: 0n }],
    [R.speaker, { name: 'Speaker', position: 4, permissions: SPEAK }],
    [R.admin, { name: 'Admin', position: 6, permissions: ADMINISTRATOR }],
    // 1 << 50, far above 2^32 and 2^53: bitsets are bigints parsed from Discord's decimal strings.
    [R.big, { name: 'Big', position: 5, permissions: bits('1125899906842624') }],
  ]),
};

const M = {
  owner: { id: '1', roles: [] },
  admin: { id: '2', roles: [R.member, R.admin] },
  plain: { id: '3', roles: [] },
  member: { id: '4', roles: [R.member] },
  mod: { id: '5', roles: [R.member, R.mod] },
  muted: { id: '6', roles: [R.member, R.muted] },
  big: { id: '7', roles: [R.big] },
  ghost: { id: '8', roles: ['999'] }, // a role the guild no longer has
} satisfies Record<string, MemberFacts>;

const role = (id: string, allow: bigint | string, deny: bigint | string): APIOverwrite => ({
  id,
  type: 0,
  allow: String(allow),
  deny: String(deny),
});
const member = (id: string, allow: bigint | string, deny: bigint | string): APIOverwrite => ({
  id,
  type: 1,
  allow: String(allow),
  deny: String(deny),
});

describe('bits: bitsets from Discord strings', () => {
  it.each([
    ['0', 0n],
    ['1024', 1024n],
    ['17179869184', 17179869184n],
    ['1125899906842624', 1125899906842624n],
    ['18446744073709551615', 18446744073709551615n],
    ['', 0n],
    [undefined, 0n],
  ])('bits(%j) = %s', (text, expected) => {
    expect(bits(text)).toBe(expected);
  });

  it('ALL has every one of the 64 bits set', () => {
    expect(ALL).toBe(18446744073709551615n);
  });
});

describe('basePermissions (guild level)', () => {
  it.each([
    ['the owner, without any role', M.owner, ALL],
    ['ADMINISTRATOR through a role', M.admin, ALL],
    ['no role: @everyone only', M.plain, 1117184n],
    ['a role without permissions adds nothing', M.member, 1117184n],
    ['role permissions OR into @everyone: + KICK_MEMBERS + MANAGE_THREADS', M.mod, 17180986370n],
    ['a bit above 2^53 survives: 1 << 50 plus @everyone', M.big, 1125899907959808n],
    ['a role the guild does not have counts for nothing', M.ghost, 1117184n],
  ])('%s', (_what, m, expected) => {
    expect(basePermissions(guild, m)).toBe(expected);
  });
});

describe('channelPermissions (overwrites)', () => {
  const cases: [string, MemberFacts, APIOverwrite[], bigint][] = [
    ['no overwrites: the base', M.plain, [], 1117184n],
    ['@everyone overwrite denies SEND_MESSAGES', M.plain, [role(G, 0n, SEND_MESSAGES)], 1115136n],
    ['@everyone overwrite allows SPEAK', M.plain, [role(G, SPEAK, 0n)], 3214336n],
    [
      '@everyone overwrite denies and allows the same bit: the allow wins',
      M.plain,
      [role(G, SEND_MESSAGES, SEND_MESSAGES)],
      1117184n,
    ],
    ['@everyone overwrite denies VIEW_CHANNEL: nothing at all', M.plain, [role(G, 0n, VIEW_CHANNEL)], 0n],
    [
      '@everyone denied VIEW_CHANNEL, a role of the member allows it back',
      M.member,
      [role(G, 0n, VIEW_CHANNEL), role(R.member, VIEW_CHANNEL, 0n)],
      1117184n,
    ],
    [
      'a role overwrite for a role the member lacks is ignored',
      M.plain,
      [role(G, 0n, VIEW_CHANNEL), role(R.member, VIEW_CHANNEL, 0n)],
      0n,
    ],
    ['a role overwrite denies SEND_MESSAGES', M.muted, [role(R.muted, 0n, SEND_MESSAGES)], 1115136n],
    [
      'one role denies SEND_MESSAGES, another allows it: allow wins (deny listed first)',
      M.muted,
      [role(R.muted, 0n, SEND_MESSAGES), role(R.member, SEND_MESSAGES, 0n)],
      1117184n,
    ],
    [
      'one role denies SEND_MESSAGES, another allows it: allow wins (allow listed first)',
      M.muted,
      [role(R.member, SEND_MESSAGES, 0n), role(R.muted, 0n, SEND_MESSAGES)],
      1117184n,
    ],
    [
      "a role overwrite's allow overrides the @everyone overwrite's deny",
      M.member,
      [role(G, 0n, SEND_MESSAGES), role(R.member, SEND_MESSAGES, 0n)],
      1117184n,
    ],
    [
      "a role overwrite's deny overrides the @everyone overwrite's allow (@everyone is not one of the roles)",
      M.member,
      [role(G, SPEAK, 0n), role(R.member, 0n, SPEAK)],
      1117184n,
    ],
    [
      "the member's own deny comes after the roles' allow",
      M.member,
      [role(R.member, SPEAK, 0n), member(M.member.id, 0n, SPEAK)],
      1117184n,
    ],
    [
      "the member's own allow comes after the roles' deny",
      M.muted,
      [role(R.muted, 0n, SEND_MESSAGES), member(M.muted.id, SEND_MESSAGES, 0n)],
      1117184n,
    ],
    [
      "the member's own overwrite denies VIEW_CHANNEL a role allowed: nothing",
      M.member,
      [role(G, 0n, VIEW_CHANNEL), role(R.member, VIEW_CHANNEL, 0n), member(M.member.id, 0n, VIEW_CHANNEL)],
      0n,
    ],
    [
      "the member's own overwrite allows VIEW_CHANNEL that @everyone and a role denied",
      M.muted,
      [role(G, 0n, VIEW_CHANNEL), role(R.muted, 0n, VIEW_CHANNEL), member(M.muted.id, VIEW_CHANNEL, 0n)],
      1117184n,
    ],
    ["another member's overwrite is ignored", M.plain, [member(M.member.id, 0n, VIEW_CHANNEL)], 1117184n],
    [
      'allows without VIEW_CHANNEL count for nothing',
      M.member,
      [role(G, 0n, VIEW_CHANNEL), role(R.member, SPEAK | SEND_MESSAGES, 0n)],
      0n,
    ],
    [
      'ADMINISTRATOR in an overwrite is just a bit (only roles make administrators)',
      M.plain,
      [role(G, ADMINISTRATOR, 0n)],
      1117192n,
    ],
    [
      'several bits at once, as Discord strings: deny SEND | READ_MESSAGE_HISTORY, allow SPEAK',
      M.plain,
      [{ id: G, type: 0, allow: '2097152', deny: '67584' }],
      3146752n,
    ],
    [
      'a role with bit 1 << 50 keeps it through overwrites of low bits',
      M.big,
      [role(G, 0n, SEND_MESSAGES)],
      1125899907957760n,
    ],
    ['the owner: all, whatever the overwrites deny', M.owner, [member(M.owner.id, 0n, VIEW_CHANNEL)], ALL],
    [
      'an administrator: all; overwrites cannot take it away',
      M.admin,
      [
        role(G, 0n, VIEW_CHANNEL),
        role(R.admin, 0n, VIEW_CHANNEL),
        member(M.admin.id, 0n, VIEW_CHANNEL | CONNECT),
      ],
      ALL,
    ],
  ];

  it.each(cases)('%s', (_what, m, overwrites, expected) => {
    expect(channelPermissions(guild, m, overwrites)).toBe(expected);
  });

  it('the bits used above are the documented ones', () => {
    expect([VIEW_CHANNEL, SEND_MESSAGES, READ_MESSAGE_HISTORY, CONNECT, SPEAK, MANAGE_THREADS]).toEqual([
      1n << 10n,
      1n << 11n,
      1n << 16n,
      1n << 20n,
      1n << 21n,
      1n << 34n,
    ]);
    expect(SEND_MESSAGES | READ_MESSAGE_HISTORY).toBe(67584n);
  });
});

describe('everyoneSees (a channel nobody can be shut out of)', () => {
  it.each([
    ['no overwrites, @everyone has VIEW_CHANNEL', [], true],
    ['@everyone denied VIEW_CHANNEL', [role(G, 0n, VIEW_CHANNEL)], false],
    [
      '@everyone denied, a role allowed: private to the role',
      [role(G, 0n, VIEW_CHANNEL), role(R.member, VIEW_CHANNEL, 0n)],
      false,
    ],
    ['a member overwrite shuts one member out: still everyone else', [member('4', 0n, VIEW_CHANNEL)], true],
    ['@everyone denied SEND_MESSAGES only', [role(G, 0n, SEND_MESSAGES)], true],
  ] as [string, APIOverwrite[], boolean][])('%s → %s', (_what, overwrites, expected) => {
    expect(everyoneSees(guild, overwrites)).toBe(expected);
  });

  it('@everyone without VIEW_CHANNEL in the guild, allowed it by the channel overwrite → true', () => {
    const closed: GuildFacts = {
      ...guild,
      roles: new Map([...guild.roles, [G, { name: '@everyone', position: 0, permissions: SEND_MESSAGES }]]),
    };
    expect(everyoneSees(closed, [])).toBe(false);
    expect(everyoneSees(closed, [role(G, VIEW_CHANNEL, 0n)])).toBe(true);
  });
});

describe('highestPosition (hierarchy)', () => {
  it.each([
    ['no roles: @everyone = 0', M.plain, 0],
    ['the owner without roles: 0', M.owner, 0],
    ['Member (1)', M.member, 1],
    ['Member (1) and Mod (2)', M.mod, 2],
    ['Admin (6) listed after Member (1)', M.admin, 6],
    ['roles in any order', { id: '9', roles: [R.speaker, R.member, R.muted] }, 4],
    ['a role the guild does not have', M.ghost, 0],
  ] as [string, MemberFacts, number][])('%s', (_what, m, expected) => {
    expect(highestPosition(guild, m)).toBe(expected);
  });
});
