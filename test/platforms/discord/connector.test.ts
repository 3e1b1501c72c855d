import { REST } from '@discordjs/rest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Config } from '../../../src/config/config-file.js';
import {
  ConnectorError,
  type Id,
  type RemovalTarget,
  type Scope,
  silentLogger,
} from '../../../src/core/index.js';
import { type DiscordConnector, discordConnector } from '../../../src/platforms/discord/connector.js';
import { discordId, guildId, roleRoom } from '../../../src/platforms/discord/ids.js';
import {
  DISCORD_DEFAULTS as D,
  defaultGuild,
  FakeDiscord,
  type FakeGuild,
  type FakeOverwrite,
  perms,
  type RecordedCall,
} from '../../fakes/discord/FakeDiscord.js';

/**
 * The Discord connector against the fake Discord REST API with a real @discordjs/rest `REST` on loopback (no
 * gateway, no HTTP front): mentions to ids, roles and rank from the guild, rooms by channel type, membership
 * computed from the overwrites, removals per channel type with their audit-log reasons, the bot's own
 * permissions checked before any call (no 403 collected), Discord's error codes as outcomes, undo, notices, 429s.
 *
 * Expected bitsets are written out by hand from the documented bits (platforms.md DISCORD §5):
 * VIEW_CHANNEL 1024, SEND_MESSAGES 2048, ATTACH_FILES 32768, READ_MESSAGE_HISTORY 65536, CONNECT 1048576,
 * SPEAK 2097152.
 */

const G = D.guildId;
const SCOPE: Scope = { workspace: guildId(G) };
const id = (local: string): Id => discordId(G, local);
const BOT = D.botId;

/** The default guild's users, and a few more. */
const U = {
  ...D.users,
  dave: '1300000000000000204', // no role at all
  erin: '1300000000000000205', // Member, with a global name and a nickname
  helper: '1300000000000000206', // another bot, no role
  mona: '1300000000000000207', // Channel Managers (MANAGE_CHANNELS)
  ada: '1300000000000000208', // Admin role, not the owner
} as const;

/** Roles by position: @everyone 0, Member 1, Relay 2 (another app's managed role), Moderator 3, Channel
 * Managers 4, kickbot 5 (the bot's own, managed), Admin 6. */
const ROLE = {
  ...D.roles,
  relay: '1300000000000000306',
  managers: '1300000000000000305',
} as const;

const CH = {
  ...D.channels,
  /** A voice channel hidden from @everyone, visible to Member. */
  privateVoice: '1300000000000000405',
  /** Private: only kickbot sees it. */
  modLog: '1300000000000000406',
  /** Private to Member; bob shut out by a member overwrite; Moderator manages it; erin may manage its permissions. */
  staff: '1300000000000000407',
} as const;
const T = D.threads;

const OTHER_GUILD = '1300000000000000900';
const OTHER_CHANNEL = '1300000000000000901';
const UNKNOWN_CHANNEL = '1300000000000000999';

function guildModel(): FakeGuild {
  const g = defaultGuild();
  const position: Record<string, number> = {
    [ROLE.everyone]: 0,
    [ROLE.member]: 1,
    [ROLE.moderator]: 3,
    [ROLE.kickbot]: 5,
    [ROLE.admin]: 6,
  };
  g.roles = [
    ...g.roles.map((r) => ({ ...r, position: position[r.id] ?? r.position })),
    {
      id: ROLE.relay,
      name: 'Relay',
      position: 2,
      managed: true,
      permissions: '0',
      tags: { bot_id: U.helper },
    },
    { id: ROLE.managers, name: 'Channel Managers', position: 4, permissions: perms('ManageChannels') },
  ];
  g.channels.push(
    {
      id: CH.privateVoice,
      type: 2,
      name: 'private-voice',
      permission_overwrites: [
        { id: ROLE.everyone, type: 0, allow: '0', deny: perms('ViewChannel') },
        { id: ROLE.member, type: 0, allow: perms('ViewChannel'), deny: '0' },
        { id: ROLE.kickbot, type: 0, allow: perms('ViewChannel'), deny: '0' },
      ],
    },
    {
      id: CH.modLog,
      type: 0,
      name: 'mod-log',
      permission_overwrites: [
        { id: ROLE.everyone, type: 0, allow: '0', deny: perms('ViewChannel') },
        { id: ROLE.kickbot, type: 0, allow: perms('ViewChannel'), deny: '0' },
      ],
    },
    {
      id: CH.staff,
      type: 0,
      name: 'staff',
      permission_overwrites: [
        { id: ROLE.everyone, type: 0, allow: '0', deny: perms('ViewChannel') },
        { id: ROLE.member, type: 0, allow: perms('ViewChannel'), deny: '0' },
        { id: ROLE.moderator, type: 0, allow: perms('ManageChannels'), deny: '0' },
        { id: ROLE.kickbot, type: 0, allow: perms('ViewChannel'), deny: '0' },
        { id: U.bob, type: 1, allow: '0', deny: perms('ViewChannel') },
        { id: U.erin, type: 1, allow: perms('ManageRoles'), deny: '0' },
      ],
    },
  );
  g.members.push(
    { user: { id: U.dave, username: 'dave' }, roles: [] },
    {
      user: { id: U.erin, username: 'erin', global_name: 'Erinnyes' },
      nick: 'ernie',
      roles: [ROLE.member],
    },
    { user: { id: U.helper, username: 'relaybot', bot: true }, roles: [] },
    { user: { id: U.mona, username: 'mona' }, roles: [ROLE.managers] },
    { user: { id: U.ada, username: 'ada' }, roles: [ROLE.admin] },
  );
  g.voice_states = [
    { user_id: U.alice, channel_id: CH.privateVoice },
    { user_id: U.erin, channel_id: CH.voice },
  ];
  return g;
}

const otherGuild: FakeGuild = {
  id: OTHER_GUILD,
  owner_id: '1300000000000000910',
  roles: [{ id: OTHER_GUILD, name: '@everyone', position: 0, permissions: perms('ViewChannel') }],
  channels: [{ id: OTHER_CHANNEL, type: 0, name: 'elsewhere' }],
  members: [{ user: { id: '1300000000000000910', username: 'other-owner' }, roles: [] }],
};

const CONFIG: Config = {
  areas: [
    {
      id: 'payments',
      rooms: ['private', CH.staff],
      managers: { discord: [U.carol] },
      groups: { discord: ROLE.member },
    },
  ],
  grants: { discord: { [U.dave]: ['moderator'] } },
  modLog: { discord: CH.modLog },
};

let fake: FakeDiscord;
let rest: REST;
let connector: DiscordConnector;

beforeEach(async () => {
  fake = await FakeDiscord.start({ guilds: [guildModel(), otherGuild] });
  rest = new REST({ version: '10', api: fake.apiUrl }).setToken(fake.token);
  connector = discordConnector({ rest, config: CONFIG, logger: silentLogger });
});

afterEach(async () => {
  rest.clearHashSweeper();
  rest.clearHandlerSweeper();
  await fake.close();
});

// ------------------------------------------------------------------------------------------------ helpers

const target = (room: Id, user: string, extra: Partial<RemovalTarget> = {}): RemovalTarget => ({
  room,
  user: id(user),
  actor: id(U.carol),
  reason: 'spam',
  caseId: 7,
  ...extra,
});

/** Every call that changes something (anything but GET). */
const writes = (): RecordedCall[] => fake.calls.filter((c) => c.method !== 'GET');

function setRolePermissions(role: string, permissions: string): void {
  const r = fake.guild(G)?.roles.get(role);
  if (!r) throw new Error(`no role ${role}`);
  r.permissions = permissions;
}

function setOverwrite(channel: string, overwrite: FakeOverwrite): void {
  const c = fake.findChannel(channel)?.channel;
  if (!c) throw new Error(`no channel ${channel}`);
  c.permission_overwrites = [...c.permission_overwrites.filter((o) => o.id !== overwrite.id), overwrite];
}

const overwritesOf = (channel: string) =>
  (fake.findChannel(channel)?.channel?.permission_overwrites ?? []).map((o) => ({ ...o }));

/** Checks the audit-log reason of every write: the case, the actor, the reason, at most 512 characters. */
function expectAuditReasons(reason = 'spam', caseId = 7): void {
  expect(writes().length).toBeGreaterThan(0);
  for (const call of writes()) {
    const header = call.auditLogReason ?? '';
    expect(header, `${call.method} ${call.path}`).toContain(`case ${caseId}`);
    expect(header, `${call.method} ${call.path}`).toContain(U.carol);
    expect(header, `${call.method} ${call.path}`).toContain(reason);
    expect([...header].length, `${call.method} ${call.path}`).toBeLessThanOrEqual(512);
  }
}

/** Resolves with what a promise rejects with. */
async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

// ------------------------------------------------------------------------------------------------ tests

describe('resolveUsers', () => {
  it.each([
    [`<@${U.alice}>`, [U.alice]],
    [`<@!${U.bob}>`, [U.bob]],
    ['@alice', [U.alice]], // username
    ['@ALICE', [U.alice]], // case-insensitively
    ['@Erinnyes', [U.erin]], // global name
    ['@ernie', [U.erin]], // server nickname
  ])('%s → %j', async (ref, users) => {
    expect(await connector.directory.resolveUsers(ref, SCOPE)).toEqual({ ok: true, value: users.map(id) });
  });

  it("<@&role> → the role's members", async () => {
    const resolved = await connector.directory.resolveUsers(`<@&${ROLE.member}>`, SCOPE);
    expect(resolved.ok).toBe(true);
    const value = resolved.ok ? [...resolved.value].sort() : [];
    expect(value).toEqual([U.alice, U.bob, U.carol, U.erin].map(id).sort());
  });

  it('<@&role> nobody has → no users', async () => {
    expect(await connector.directory.resolveUsers(`<@&${ROLE.relay}>`, SCOPE)).toEqual({
      ok: true,
      value: [],
    });
  });

  it('@name nobody has → a message naming it', async () => {
    const resolved = await connector.directory.resolveUsers('@nobody', SCOPE);
    expect(resolved.ok).toBe(false);
    expect(resolved.ok ? '' : resolved.message).toContain('@nobody');
  });

  it.each(['garbage', `<#${CH.general}>`, '<@abc>', '@'])('%j → a message', async (ref) => {
    const resolved = await connector.directory.resolveUsers(ref, SCOPE);
    expect(resolved.ok).toBe(false);
    expect(resolved.ok ? '' : resolved.message).not.toBe('');
  });
});

describe('the Server Members intent turned off (GET /guilds/:g/members answers 50001)', () => {
  beforeEach(async () => {
    await fake.close();
    fake = await FakeDiscord.start({ guilds: [guildModel(), otherGuild], privilegedIntents: 0 });
    rest = new REST({ version: '10', api: fake.apiUrl }).setToken(fake.token);
    connector = discordConnector({ rest, config: CONFIG, logger: silentLogger });
  });

  it.each([`<@&${ROLE.member}>`, '@alice'])('%s → a message saying which intent to turn on', async (ref) => {
    const resolved = await connector.directory.resolveUsers(ref, SCOPE);
    expect(resolved).toEqual({
      ok: false,
      message: `${ref} stands for members kickbot cannot list: turn on the Server Members intent (Developer Portal › Bot › Privileged Gateway Intents), or mention the users`,
    });
  });

  it('<@id> mentions still resolve, without the list', async () => {
    expect(await connector.directory.resolveUsers(`<@${U.bob}>`, SCOPE)).toEqual({
      ok: true,
      value: [id(U.bob)],
    });
    expect(fake.callsTo('GET', '/guilds/:guild/members')).toEqual([]);
  });

  it('a big batch (more than 20 users) falls back to one lookup per member, with the same answers', async () => {
    const many = [U.alice, U.bob, U.carol, U.dave, U.erin, U.ada, U.owner, U.mona];
    const ids = Array.from({ length: 3 }, () => many)
      .flat()
      .map(id);
    const users = await connector.directory.users(ids);
    expect([...users.keys()].sort()).toEqual([...new Set(ids)].sort());
    const members = await connector.remover.members(id(CH.staff), ids);
    expect([...members.keys()].sort()).toEqual([U.alice, U.carol, U.erin, U.ada, U.owner].map(id).sort());
    expect(fake.callsTo('GET', '/guilds/:guild/members').map((c) => c.status)).toEqual([403]);
  });
});

describe('resolveRoom', () => {
  it.each([
    [`<#${CH.private}>`, CH.private],
    ['#private', CH.private],
    ['#Mod-Log', CH.modLog],
  ])('%s → the channel', async (ref, channel) => {
    expect(await connector.directory.resolveRoom(ref, SCOPE)).toEqual({ ok: true, value: id(channel) });
  });

  it('#Voice: channel names that keep their case (voice, stage, category) are found case-insensitively', async () => {
    // Text channel names are lowercase on Discord, but a voice channel is called "Voice" in the default guild.
    expect(await connector.directory.resolveRoom('#Voice', SCOPE)).toEqual({ ok: true, value: id(CH.voice) });
    expect(await connector.directory.resolveRoom('#voice', SCOPE)).toEqual({ ok: true, value: id(CH.voice) });
  });

  it('#unknown → an id room() answers undefined for', async () => {
    const resolved = await connector.directory.resolveRoom('#nowhere', SCOPE);
    expect(resolved.ok).toBe(true);
    if (!resolved.ok) return;
    expect(await connector.remover.room(resolved.value)).toBeUndefined();
  });

  it.each(['garbage', `<@${U.alice}>`])('%j → a message', async (ref) => {
    const resolved = await connector.directory.resolveRoom(ref, SCOPE);
    expect(resolved.ok).toBe(false);
  });
});

describe('getUsers: global roles, rank, labels', () => {
  it('roles from permissions, owner and bot flags, rank = the highest role position, names, labels', async () => {
    const users = await connector.directory.users(
      [U.owner, U.ada, U.carol, U.mona, U.helper, U.dave, U.alice, U.erin, BOT].map(id),
    );
    const get = (u: string) => users.get(id(u));

    expect(get(U.owner)).toMatchObject({ name: 'olga', owner: true, rank: 6, label: `<@${U.owner}>` });
    expect(get(U.owner)?.roles).toContain('admin');
    expect(get(U.ada)?.roles).toContain('admin');
    expect(get(U.ada)).not.toHaveProperty('owner');
    expect(get(U.ada)?.rank).toBe(6);

    // KICK_MEMBERS (Moderator) / MANAGE_CHANNELS (Channel Managers) → moderator; KICK_MEMBERS also offboards
    expect(get(U.carol)).toEqual({
      id: id(U.carol),
      name: 'carol',
      roles: ['moderator'],
      rank: 3,
      label: `<@${U.carol}>`,
      grants: ['offboard-user'],
    });
    expect(get(U.mona)).toMatchObject({ roles: ['moderator'], rank: 4 });
    expect(get(U.mona)?.grants).toBeUndefined();

    // another bot without permissions → bot
    expect(get(U.helper)).toMatchObject({ roles: ['bot'], bot: true, rank: 0 });
    // kickbot itself: a bot with KICK_MEMBERS
    expect(get(BOT)).toMatchObject({ bot: true, rank: 5 });
    expect(get(BOT)?.roles).toEqual(expect.arrayContaining(['bot', 'moderator']));

    // a grant in the config
    expect(get(U.dave)).toMatchObject({ roles: ['moderator'], rank: 0 });

    // plain members
    expect(get(U.alice)).toEqual({
      id: id(U.alice),
      name: 'Alice',
      roles: ['user'],
      rank: 1,
      label: `<@${U.alice}>`,
    });
    expect(get(U.erin)).toMatchObject({ name: 'ernie', roles: ['user'], rank: 1 });
  });

  it('someone not in the guild, or a guild Discord does not know → absent', async () => {
    const users = await connector.directory.users([
      id('1300000000000000777'),
      discordId('1300000000000000888', U.alice),
      id(U.alice),
    ]);
    expect([...users.keys()]).toEqual([id(U.alice)]);
  });

  it('up to 20 users: one member lookup each; more: the member list, once', async () => {
    await connector.directory.users([U.alice, U.bob, U.carol].map(id));
    expect(fake.callsTo('GET', '/guilds/:g/members/:u')).toHaveLength(3);
    expect(fake.callsTo('GET', '/guilds/:g/members')).toHaveLength(0);

    const extra = Array.from({ length: 25 }, (_, i) => `13000000000000010${String(i).padStart(2, '0')}`);
    for (const [i, user] of extra.entries()) {
      fake.addMember(G, { user: { id: user, username: `extra${i}` }, roles: [ROLE.member] });
    }
    fake.clearRecords();
    const fresh = discordConnector({ rest, config: CONFIG, logger: silentLogger });
    const users = await fresh.directory.users([...extra, U.owner].map(id));
    expect(users.size).toBe(26);
    expect(users.get(id(extra[0] as string))).toMatchObject({ name: 'extra0', roles: ['user'], rank: 1 });
    expect(fake.callsTo('GET', '/guilds/:g/members')).toHaveLength(1);
    expect(fake.callsTo('GET', '/guilds/:g/members/:u')).toHaveLength(0);

    // members() the same way
    fake.clearRecords();
    const members = await fresh.remover.members(id(CH.private), [...extra, U.dave].map(id));
    expect(members.size).toBe(25);
    expect(members.has(id(U.dave))).toBe(false);
    expect(fake.callsTo('GET', '/guilds/:g/members/:u')).toHaveLength(0);
  });
});

describe('getRoom: room types', () => {
  it('a private text channel', async () => {
    expect(await connector.remover.room(id(CH.private))).toEqual({
      id: id(CH.private),
      name: 'private',
      type: 'private',
      owners: 0,
      label: `<#${CH.private}>`,
    });
  });

  it('a text channel everyone sees → unsupported public-channel with a hint', async () => {
    const room = await connector.remover.room(id(CH.general));
    expect(room).toMatchObject({ id: id(CH.general), name: 'general', type: 'public' });
    expect(room?.unsupported?.code).toBe('public-channel');
    expect(room?.unsupported?.hint).toContain('#general');
  });

  it('a private voice channel → private; a voice channel everyone sees → unsupported', async () => {
    expect(await connector.remover.room(id(CH.privateVoice))).toMatchObject({
      name: 'private-voice',
      type: 'private',
    });
    expect((await connector.remover.room(id(CH.privateVoice)))?.unsupported).toBeUndefined();
    expect((await connector.remover.room(id(CH.voice)))?.unsupported?.code).toBe('public-channel');
  });

  it('threads: public → public, private → private, both supported', async () => {
    const active = await connector.remover.room(id(T.active));
    expect(active).toMatchObject({ name: 'active thread', type: 'public', label: `<#${T.active}>` });
    expect(active?.unsupported).toBeUndefined();
    const priv = await connector.remover.room(id(T.private));
    expect(priv).toMatchObject({ name: 'private thread', type: 'private' });
    expect(priv?.unsupported).toBeUndefined();
  });

  it('a category → unsupported category', async () => {
    const room = await connector.remover.room(id(CH.category));
    expect(room?.unsupported?.code).toBe('category');
  });

  it('a role pseudo-room → a group labelled <@&id>', async () => {
    expect(await connector.remover.room(roleRoom(G, ROLE.member))).toEqual({
      id: roleRoom(G, ROLE.member),
      name: 'Member',
      type: 'group',
      owners: 0,
      label: `<@&${ROLE.member}>`,
    });
    expect(await connector.remover.room(roleRoom(G, '1300000000000000399'))).toBeUndefined();
  });

  it("another guild's channel, an unknown channel, one the bot cannot see, an unknown guild → undefined", async () => {
    expect(await connector.remover.room(id(OTHER_CHANNEL))).toBeUndefined();
    expect(await connector.remover.room(id(UNKNOWN_CHANNEL))).toBeUndefined();
    expect(await connector.remover.room(id(CH.secret))).toBeUndefined();
    expect(await connector.remover.room(discordId('1300000000000000888', CH.general))).toBeUndefined();
  });
});

describe('getMembers: membership computed from the overwrites', () => {
  it('#staff: role allow, member-overwrite deny, admins; room moderators by MANAGE_CHANNELS / MANAGE_ROLES', async () => {
    const members = await connector.remover.members(
      id(CH.staff),
      [U.alice, U.bob, U.carol, U.dave, U.erin, U.ada, U.owner, U.mona].map(id),
    );
    expect(Object.fromEntries([...members].map(([k, v]) => [k, v.roles]))).toEqual({
      [id(U.alice)]: [], // sees through Member's allow
      // bob: Member allows, his own overwrite denies → not a member
      [id(U.carol)]: ['moderator'], // Moderator's overwrite allows MANAGE_CHANNELS here
      // dave: no role, @everyone denied
      [id(U.erin)]: ['moderator'], // her own overwrite allows MANAGE_ROLES here
      [id(U.ada)]: ['moderator'], // an administrator sees and manages everything
      [id(U.owner)]: ['moderator'],
      // mona: MANAGE_CHANNELS in the guild, but cannot see the channel
    });
  });

  it('#mod-log (only the bot has an overwrite): administrators see it, members do not', async () => {
    const members = await connector.remover.members(
      id(CH.modLog),
      [U.alice, U.carol, U.ada, U.owner].map(id),
    );
    expect([...members.keys()].sort()).toEqual([U.ada, U.owner].map(id).sort());
  });

  it('#secret, which the bot cannot see: nobody, as far as kickbot can tell', async () => {
    expect((await connector.remover.members(id(CH.secret), [U.alice, U.ada].map(id))).size).toBe(0);
  });

  it('a thread: its member list; room roles from the parent', async () => {
    const members = await connector.remover.members(id(T.active), [U.alice, U.bob, U.carol].map(id));
    expect([...members.keys()].sort()).toEqual([U.alice, U.bob].map(id).sort());
    expect(members.get(id(U.alice))?.roles).toEqual([]);
  });

  it("a role pseudo-room: the role's holders", async () => {
    const members = await connector.remover.members(
      roleRoom(G, ROLE.member),
      [U.alice, U.carol, U.dave].map(id),
    );
    expect([...members.keys()].sort()).toEqual([U.alice, U.carol].map(id).sort());
  });

  it('an unknown channel → nobody', async () => {
    expect((await connector.remover.members(id(UNKNOWN_CHANNEL), [id(U.alice)])).size).toBe(0);
  });
});

describe('remove: private text channel', () => {
  it('no previous overwrite: PUT a member overwrite denying VIEW_CHANNEL; undo = none', async () => {
    const result = await connector.remover.remove(target(id(CH.private), U.alice));
    expect(result).toEqual({ outcome: 'removed', undo: { overwrite: 'none' } });
    const puts = fake.callsTo('PUT', '/channels/:c/permissions/:o');
    expect(puts.map((c) => [c.path, c.body, c.status])).toEqual([
      [`/channels/${CH.private}/permissions/${U.alice}`, { type: 1, allow: '0', deny: '1024' }, 204],
    ]);
    expect(fake.channelPermissions(CH.private, U.alice)).toBe(0n);
    expectAuditReasons();
    // the directory forgot the channel: membership is computed from the new overwrites
    expect((await connector.remover.members(id(CH.private), [id(U.alice)])).size).toBe(0);
  });

  it('a previous overwrite: its allow bits are kept except VIEW_CHANNEL, VIEW_CHANNEL denied; undo = it', async () => {
    // allow VIEW_CHANNEL | SEND_MESSAGES | READ_MESSAGE_HISTORY = 68608, deny SPEAK = 2097152
    setOverwrite(CH.private, { id: U.bob, type: 1, allow: '68608', deny: '2097152' });
    const result = await connector.remover.remove(target(id(CH.private), U.bob));
    expect(result).toEqual({
      outcome: 'removed',
      undo: { overwrite: 'member', allow: '68608', deny: '2097152' },
    });
    const put = fake.callsTo('PUT', '/channels/:c/permissions/:o')[0];
    // allow 68608 - 1024 = 67584; deny 2097152 + 1024 = 2098176
    expect(put?.body).toEqual({ type: 1, allow: '67584', deny: '2098176' });
    expect(fake.overwrite(CH.private, U.bob)).toEqual({
      id: U.bob,
      type: 1,
      allow: '67584',
      deny: '2098176',
    });
  });

  it('the overwrite changed on Discord since kickbot last read the channel: the PUT keeps it, the undo restores it', async () => {
    await connector.remover.room(id(CH.private)); // an earlier command read #private (kept for a while)
    // Meanwhile an admin gives bob his own overwrite: allow VIEW_CHANNEL | SEND_MESSAGES = 3072.
    setOverwrite(CH.private, { id: U.bob, type: 1, allow: '3072', deny: '0' });
    const result = await connector.remover.remove(target(id(CH.private), U.bob));
    expect(result).toEqual({ outcome: 'removed', undo: { overwrite: 'member', allow: '3072', deny: '0' } });
    expect(fake.overwrite(CH.private, U.bob)).toEqual({ id: U.bob, type: 1, allow: '2048', deny: '1024' });
  });

  it('an administrator (or the owner) → unsupported administrator, no call', async () => {
    for (const user of [U.ada, U.owner]) {
      const result = await connector.remover.remove(target(id(CH.private), user));
      expect(result).toMatchObject({ outcome: 'unsupported', code: 'administrator' });
    }
    expect(writes()).toEqual([]);
  });

  it('the bot lacks MANAGE_ROLES → failed missing-permissions naming it, no call', async () => {
    setRolePermissions(ROLE.kickbot, perms('ViewChannel', 'SendMessages', 'Connect', 'MoveMembers'));
    const result = await connector.remover.remove(target(id(CH.private), U.alice));
    expect(result).toMatchObject({ outcome: 'failed', code: 'missing-permissions' });
    expect('hint' in result ? result.hint : '').toMatch(/Manage (Roles|Permissions)/);
    expect(writes()).toEqual([]);
  });

  it('the previous overwrite allows a bit the bot does not have (ATTACH_FILES) → no PUT that Discord would refuse with 403', async () => {
    // Discord: "only permissions your bot has … can be allowed/denied (unless it has a MANAGE_ROLES overwrite in the
    // channel)"; writing the member's ATTACH_FILES back is answered 50013. Checked first, it costs no 403.
    setOverwrite(CH.private, { id: U.bob, type: 1, allow: String(1024 + 32768), deny: '0' });
    const result = await connector.remover.remove(target(id(CH.private), U.bob));
    expect(result).toMatchObject({ outcome: 'failed', code: 'missing-permissions' });
    expect(fake.calls.filter((c) => c.status === 403)).toEqual([]);
    expect(writes()).toEqual([]);
  });

  it('someone not in the guild → not_member, no call', async () => {
    expect(await connector.remover.remove(target(id(CH.private), '1300000000000000777'))).toEqual({
      outcome: 'not_member',
    });
    expect(writes()).toEqual([]);
  });

  it('an unknown channel → denied room-not-found, no call', async () => {
    expect(await connector.remover.remove(target(id(UNKNOWN_CHANNEL), U.alice))).toEqual({
      outcome: 'denied',
      code: 'room-not-found',
    });
    expect(writes()).toEqual([]);
  });
});

describe('remove: voice channel', () => {
  it('in that channel: deny VIEW_CHANNEL + CONNECT, then disconnect', async () => {
    const result = await connector.remover.remove(target(id(CH.privateVoice), U.alice));
    expect(result).toEqual({ outcome: 'removed', undo: { overwrite: 'none' } });
    expect(writes().map((c) => [c.method, c.path, c.body])).toEqual([
      [
        'PUT',
        `/channels/${CH.privateVoice}/permissions/${U.alice}`,
        { type: 1, allow: '0', deny: '1049600' },
      ],
      ['PATCH', `/guilds/${G}/members/${U.alice}`, { channel_id: null }],
    ]);
    expect(fake.voiceState(G, U.alice)).toBeUndefined();
    expectAuditReasons();
  });

  it('not in voice, or in another voice channel: no disconnect', async () => {
    expect((await connector.remover.remove(target(id(CH.privateVoice), U.bob))).outcome).toBe('removed');
    expect((await connector.remover.remove(target(id(CH.privateVoice), U.erin))).outcome).toBe('removed');
    expect(fake.callsTo('PATCH', '/guilds/:g/members/:u')).toEqual([]);
    expect(fake.voiceState(G, U.erin)?.channel_id).toBe(CH.voice);
  });

  it('the bot lacks MOVE_MEMBERS: shut out, not disconnected (no call Discord would refuse)', async () => {
    setRolePermissions(
      ROLE.kickbot,
      perms(
        'ViewChannel',
        'SendMessages',
        'SendMessagesInThreads',
        'Connect',
        'ManageRoles',
        'ManageThreads',
      ),
    );
    expect((await connector.remover.remove(target(id(CH.privateVoice), U.alice))).outcome).toBe('removed');
    expect(fake.callsTo('PATCH', '/guilds/:g/members/:u')).toEqual([]);
    expect(fake.voiceState(G, U.alice)?.channel_id).toBe(CH.privateVoice);
  });
});

describe('remove: thread', () => {
  it('DELETE the thread member, with the audit reason', async () => {
    expect(await connector.remover.remove(target(id(T.active), U.bob))).toEqual({ outcome: 'removed' });
    expect(writes().map((c) => [c.method, c.path, c.status])).toEqual([
      ['DELETE', `/channels/${T.active}/thread-members/${U.bob}`, 204],
    ]);
    expect(fake.isThreadMember(T.active, U.bob)).toBe(false);
    expectAuditReasons();
  });

  it('an archived thread → unsupported', async () => {
    const result = await connector.remover.remove(target(id(T.archived), U.bob));
    expect(result).toMatchObject({ outcome: 'unsupported', code: 'archived-thread' });
    expect(fake.isThreadMember(T.archived, U.bob)).toBe(true);
  });

  it('the bot lacks MANAGE_THREADS → failed missing-permissions naming it, no call', async () => {
    setRolePermissions(ROLE.kickbot, perms('ViewChannel', 'SendMessages', 'Connect', 'ManageRoles'));
    const result = await connector.remover.remove(target(id(T.active), U.bob));
    expect(result).toMatchObject({ outcome: 'failed', code: 'missing-permissions' });
    expect('hint' in result ? result.hint : '').toContain('Manage Threads');
    expect(writes()).toEqual([]);
  });
});

describe('remove: role (an area’s group)', () => {
  it('DELETE the member role, with the audit reason', async () => {
    expect(await connector.remover.remove(target(roleRoom(G, ROLE.member), U.alice))).toEqual({
      outcome: 'removed',
    });
    expect(writes().map((c) => [c.method, c.path, c.status])).toEqual([
      ['DELETE', `/guilds/${G}/members/${U.alice}/roles/${ROLE.member}`, 204],
    ]);
    expect(fake.member(G, U.alice)?.roles).toEqual([]);
    expectAuditReasons();
    // the member was forgotten: the role pseudo-room no longer lists alice
    expect((await connector.remover.members(roleRoom(G, ROLE.member), [id(U.alice)])).size).toBe(0);
  });

  it.each([
    ['above the bot (Admin, 6 > 5)', ROLE.admin, U.ada],
    ["at the bot's own position (kickbot, 5)", ROLE.kickbot, BOT],
  ])('a role %s → failed missing-permissions naming Manage Roles, no call', async (_what, role, user) => {
    const result = await connector.remover.remove(target(roleRoom(G, role), user));
    expect(result).toMatchObject({ outcome: 'failed', code: 'missing-permissions' });
    expect('hint' in result ? result.hint : '').toContain('Manage Roles');
    expect(writes()).toEqual([]);
  });

  it('the bot lacks MANAGE_ROLES → failed, no call', async () => {
    setRolePermissions(ROLE.kickbot, perms('ViewChannel', 'SendMessages', 'ManageThreads'));
    const result = await connector.remover.remove(target(roleRoom(G, ROLE.member), U.alice));
    expect(result).toMatchObject({ outcome: 'failed', code: 'missing-permissions' });
    expect(writes()).toEqual([]);
  });

  it("another app's managed role (below the bot) cannot be taken by anyone → refused without a call", async () => {
    fake.addMember(G, { user: { id: U.dave, username: 'dave' }, roles: [ROLE.relay] });
    const result = await connector.remover.remove(target(roleRoom(G, ROLE.relay), U.dave));
    expect(['failed', 'unsupported']).toContain(result.outcome);
    expect(fake.calls.filter((c) => c.status === 403)).toEqual([]);
    expect(writes()).toEqual([]);
  });

  it('an unknown role → denied room-not-found, no call', async () => {
    const result = await connector.remover.remove(target(roleRoom(G, '1300000000000000399'), U.alice));
    expect(result).toEqual({ outcome: 'denied', code: 'room-not-found' });
    expect(writes()).toEqual([]);
  });
});

describe('X-Audit-Log-Reason', () => {
  it('no reason: the case and the actor', async () => {
    await connector.remover.remove(target(id(CH.private), U.alice, { reason: undefined, caseId: 12 }));
    expect(writes()[0]?.auditLogReason).toBe(`kickbot case 12 by ${U.carol}`);
  });

  it('a long reason is cut to 512 characters', async () => {
    const reason = 'r'.repeat(600);
    expect((await connector.remover.remove(target(id(CH.private), U.alice, { reason }))).outcome).toBe(
      'removed',
    );
    const header = writes()[0]?.auditLogReason ?? '';
    expect(header.length).toBe(512);
    expect(header.startsWith(`kickbot case 7 by ${U.carol}: rrr`)).toBe(true);
  });

  it('a reason with an emoji across the 512th character: removed, and the header is valid UTF-8 of ≤ 512 characters', async () => {
    const prefix = `kickbot case 7 by ${U.carol}: `;
    // The emoji's two UTF-16 halves sit at indexes 511 and 512 of the header.
    const reason = `${'r'.repeat(511 - prefix.length)}😀 and more`;
    const result = await connector.remover.remove(target(id(CH.private), U.alice, { reason }));
    expect(result.outcome).toBe('removed');
    const header = writes()[0]?.auditLogReason ?? '';
    expect(header.startsWith(prefix)).toBe(true);
    expect([...header].length).toBeLessThanOrEqual(512);
    expect(header).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
  });
});

describe("remove: Discord's error codes as outcomes", () => {
  const putOverwrite = 'PUT /channels/:c/permissions/:o';

  it('50013 → failed missing-permissions naming the permission', async () => {
    fake.failNext(putOverwrite, { code: 50013 });
    const result = await connector.remover.remove(target(id(CH.private), U.alice));
    expect(result).toMatchObject({ outcome: 'failed', code: 'missing-permissions' });
    expect('hint' in result ? result.hint : '').toMatch(/Manage (Permissions|Roles)/);

    fake.failNext('DELETE /channels/:c/thread-members/:u', { code: 50013 });
    const thread = await connector.remover.remove(target(id(T.active), U.bob));
    expect(thread).toMatchObject({ outcome: 'failed', code: 'missing-permissions' });
    expect('hint' in thread ? thread.hint : '').toContain('Manage Threads');
  });

  it('10007 → not_member', async () => {
    fake.failNext('DELETE /channels/:c/thread-members/:u', { code: 10007 });
    expect(await connector.remover.remove(target(id(T.active), U.bob))).toEqual({ outcome: 'not_member' });
    fake.failNext('DELETE /guilds/:g/members/:u/roles/:r', { code: 10007 });
    expect(await connector.remover.remove(target(roleRoom(G, ROLE.member), U.alice))).toEqual({
      outcome: 'not_member',
    });
  });

  it('10003 unknown channel → denied room-not-found', async () => {
    fake.failNext(putOverwrite, { code: 10003 });
    expect(await connector.remover.remove(target(id(CH.private), U.alice))).toEqual({
      outcome: 'denied',
      code: 'room-not-found',
    });
  });

  it('10011 unknown role → denied room-not-found', async () => {
    fake.failNext('DELETE /guilds/:g/members/:u/roles/:r', { code: 10011 });
    expect(await connector.remover.remove(target(roleRoom(G, ROLE.member), U.alice))).toEqual({
      outcome: 'denied',
      code: 'room-not-found',
    });
  });

  it('50083 archived thread → unsupported', async () => {
    fake.failNext('DELETE /channels/:c/thread-members/:u', { code: 50083 });
    const result = await connector.remover.remove(target(id(T.active), U.bob));
    expect(result).toMatchObject({ outcome: 'unsupported', code: 'archived-thread' });
  });

  it('50001 missing access → failed missing-access', async () => {
    fake.failNext(putOverwrite, { code: 50001 });
    expect(await connector.remover.remove(target(id(CH.private), U.alice))).toMatchObject({
      outcome: 'failed',
      code: 'missing-access',
    });
  });

  it('a 5xx on every try → a retryable ConnectorError after @discordjs/rest’s 3 retries', async () => {
    fake.failNext(putOverwrite, { status: 502, times: 4 });
    const error = await rejection(connector.remover.remove(target(id(CH.private), U.alice)));
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error).toMatchObject({ retryable: true });
    expect(fake.callsTo('PUT', putOverwrite).map((c) => c.status)).toEqual([502, 502, 502, 502]);
  });

  it('a 5xx on a lookup → a retryable ConnectorError', async () => {
    fake.failNext('GET /channels/:c', { status: 503, code: 130000, times: 4 });
    const error = await rejection(connector.remover.room(id(CH.private)));
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error).toMatchObject({ retryable: true });
  });

  it('Discord unreachable (connection refused) → a retryable ConnectorError', async () => {
    // `connection: close`: no idle keep-alive socket outlives a response, so the PUT has to connect, and is refused.
    const closing = new REST({ version: '10', api: fake.apiUrl, headers: { connection: 'close' } }).setToken(
      fake.token,
    );
    const c = discordConnector({ rest: closing, config: CONFIG, logger: silentLogger });
    try {
      // Everything the removal looks up is read first; then Discord goes away before the PUT.
      await c.directory.bot(SCOPE);
      await c.directory.users([id(BOT), id(U.alice)]);
      await c.remover.room(id(CH.private));
      await fake.close();
      const error = await rejection(c.remover.remove(target(id(CH.private), U.alice)));
      expect(error).toBeInstanceOf(ConnectorError);
      expect(error).toMatchObject({ retryable: true });
    } finally {
      closing.clearHashSweeper();
      closing.clearHandlerSweeper();
    }
  });

  it('the connection drops while the PUT is in flight → a retryable ConnectorError (an overwrite PUT is idempotent)', async () => {
    const putOverwrite = 'PUT /channels/:c/permissions/:o';
    fake.delay(putOverwrite, 10_000); // answered never: the fake goes away first
    fake.on('request', (call) => {
      if (call.method === 'PUT') void fake.close();
    });
    const error = await rejection(connector.remover.remove(target(id(CH.private), U.alice)));
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error).toMatchObject({ retryable: true });
  });

  it('a 429 on the overwrite route is waited out by @discordjs/rest and the removal succeeds', async () => {
    fake.failNext(putOverwrite, { status: 429, retryAfter: 0.25 });
    const result = await connector.remover.remove(target(id(CH.private), U.alice));
    expect(result).toEqual({ outcome: 'removed', undo: { overwrite: 'none' } });
    const puts = fake.callsTo('PUT', putOverwrite);
    expect(puts.map((c) => c.status)).toEqual([429, 204]);
    expect((puts[1]?.at ?? 0) - (puts[0]?.answeredAt ?? 0)).toBeGreaterThanOrEqual(200);
    expect(fake.channelPermissions(CH.private, U.alice)).toBe(0n);
  });
});

describe('restore from the undo data', () => {
  it('a previous overwrite: PUT it back exactly', async () => {
    const before = { id: U.bob, type: 1 as const, allow: '68608', deny: '2097152' };
    setOverwrite(CH.private, before);
    const removed = await connector.remover.remove(target(id(CH.private), U.bob));
    const undo = removed.outcome === 'removed' ? removed.undo : undefined;
    fake.clearRecords();
    expect(await connector.remover.restore(target(id(CH.private), U.bob), [], undo)).toEqual({
      outcome: 'restored',
    });
    expect(writes().map((c) => [c.method, c.path, c.body])).toEqual([
      ['PUT', `/channels/${CH.private}/permissions/${U.bob}`, { type: 1, allow: '68608', deny: '2097152' }],
    ]);
    expect(fake.overwrite(CH.private, U.bob)).toEqual(before);
    expectAuditReasons();
  });

  it('no previous overwrite: DELETE the one the removal made; the channel is as it was', async () => {
    const before = overwritesOf(CH.private);
    const removed = await connector.remover.remove(target(id(CH.private), U.alice));
    expect(removed).toEqual({ outcome: 'removed', undo: { overwrite: 'none' } });
    fake.clearRecords();
    const restored = await connector.remover.restore(target(id(CH.private), U.alice), [], {
      overwrite: 'none',
    });
    expect(restored).toEqual({ outcome: 'restored' });
    expect(writes().map((c) => [c.method, c.path])).toEqual([
      ['DELETE', `/channels/${CH.private}/permissions/${U.alice}`],
    ]);
    expect(overwritesOf(CH.private)).toEqual(before);
    expect((await connector.remover.members(id(CH.private), [id(U.alice)])).has(id(U.alice))).toBe(true);
  });

  it('a voice channel: the overwrite comes back (a disconnect is not undone)', async () => {
    const removed = await connector.remover.remove(target(id(CH.privateVoice), U.alice));
    const undo = removed.outcome === 'removed' ? removed.undo : undefined;
    expect(await connector.remover.restore(target(id(CH.privateVoice), U.alice), [], undo)).toEqual({
      outcome: 'restored',
    });
    expect(fake.overwrite(CH.privateVoice, U.alice)).toBeUndefined();
  });

  it('a role: PUT the member role back', async () => {
    await connector.remover.remove(target(roleRoom(G, ROLE.member), U.alice));
    fake.clearRecords();
    expect(await connector.remover.restore(target(roleRoom(G, ROLE.member), U.alice), [])).toEqual({
      outcome: 'restored',
    });
    expect(writes().map((c) => [c.method, c.path])).toEqual([
      ['PUT', `/guilds/${G}/members/${U.alice}/roles/${ROLE.member}`],
    ]);
    expect(fake.member(G, U.alice)?.roles).toEqual([ROLE.member]);
    expectAuditReasons();
  });

  it('a thread: PUT the thread member back', async () => {
    await connector.remover.remove(target(id(T.active), U.bob));
    fake.clearRecords();
    expect(await connector.remover.restore(target(id(T.active), U.bob), [])).toEqual({ outcome: 'restored' });
    expect(writes().map((c) => [c.method, c.path])).toEqual([
      ['PUT', `/channels/${T.active}/thread-members/${U.bob}`],
    ]);
    expect(fake.isThreadMember(T.active, U.bob)).toBe(true);
  });

  it('Discord refuses → failed with the code', async () => {
    fake.failNext('PUT /guilds/:g/members/:u/roles/:r', { code: 50013 });
    const result = await connector.remover.restore(target(roleRoom(G, ROLE.member), U.alice), []);
    expect(result).toMatchObject({ outcome: 'failed', code: 'missing-permissions' });
  });
});

describe('postNotice', () => {
  it('posts to the room and to the mod-log channel, never pinging anyone', async () => {
    const text = `<@${U.bob}> was removed by <@${U.carol}> · case 7`;
    await connector.directory.notice(id(CH.private), text);
    const posts = fake.callsTo('POST', '/channels/:c/messages');
    expect(posts.map((c) => [c.path, c.body])).toEqual([
      [`/channels/${CH.private}/messages`, { content: text, allowed_mentions: { parse: [] } }],
      [`/channels/${CH.modLog}/messages`, { content: text, allowed_mentions: { parse: [] } }],
    ]);
    expect(fake.messages.map((m) => [m.channel_id, m.content])).toEqual([
      [CH.private, text],
      [CH.modLog, text],
    ]);
  });

  it('in the mod-log channel itself: once', async () => {
    await connector.directory.notice(id(CH.modLog), 'hello');
    expect(fake.callsTo('POST', '/channels/:c/messages')).toHaveLength(1);
  });

  it('without a mod-log channel configured: the room only', async () => {
    const plain = discordConnector({ rest, config: { areas: [] }, logger: silentLogger });
    await plain.directory.notice(id(CH.private), 'hello');
    expect(fake.callsTo('POST', '/channels/:c/messages').map((c) => c.path)).toEqual([
      `/channels/${CH.private}/messages`,
    ]);
  });

  it('over 2000 characters: cut to 2000', async () => {
    await connector.directory.notice(id(CH.private), 'n'.repeat(2500));
    expect(fake.messages[0]?.content).toHaveLength(2000);
  });

  it('a role pseudo-room, or a room that never resolved: nothing', async () => {
    await connector.directory.notice(roleRoom(G, ROLE.member), 'hello');
    await connector.directory.notice(id('#nowhere'), 'hello');
    expect(fake.calls).toEqual([]);
  });
});

describe('bot, areas, labels', () => {
  it('bot(): the bot user in this guild', async () => {
    expect(await connector.directory.bot(SCOPE)).toBe(id(BOT));
  });

  it("area(): channel names to ids, and the area's role", async () => {
    expect(await connector.directory.area('Payments', SCOPE)).toEqual({
      id: 'payments',
      name: 'payments',
      rooms: [id(CH.private), id(CH.staff), roleRoom(G, ROLE.member)],
      managers: [id(U.carol)],
    });
    expect(await connector.directory.area('nope', SCOPE)).toBeUndefined();
    expect(await connector.directory.areas(SCOPE)).toEqual(['payments']);
  });

  it('labels without lookups', () => {
    expect(connector.directory.label(id(U.alice), 'user')).toBe(`<@${U.alice}>`);
    expect(connector.directory.label(id(CH.private), 'room')).toBe(`<#${CH.private}>`);
    expect(connector.directory.label(roleRoom(G, ROLE.member), 'room')).toBe(`<@&${ROLE.member}>`);
    expect(connector.directory.label(id('#nowhere'), 'room')).toBe('#nowhere');
    expect(fake.calls).toEqual([]);
  });
});
