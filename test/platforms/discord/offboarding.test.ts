import { REST } from '@discordjs/rest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type HeldRoom, type Id, type RemovalTarget, silentLogger } from '../../../src/core/index.js';
import { type DiscordConnector, discordConnector } from '../../../src/platforms/discord/connector.js';
import { discordId, guildId } from '../../../src/platforms/discord/ids.js';
import { DISCORD_DEFAULTS as D, FakeDiscord } from '../../fakes/discord/FakeDiscord.js';
import { DISCORD_CONFIG } from '../../helpers/discord-rig.js';

/**
 * The Discord server itself as a room, for an offboarding (`discord:G`): its facts, its members, the kick (Remove
 * Guild Member, Kick Members, `X-Audit-Log-Reason`), no undo, one user's memberships; and the directory's side:
 * Kick Members holds `offboard-user`, a bare user id names a member when the bot is in one server only.
 * Default guild: kickbot's role (Kick Members) at position 3, Moderator 2 (carol), Member 1, the owner above all.
 */

const G = D.guildId;
const SERVER = guildId(G);
const STRANGER = '1300000000000000299';
const id = (local: string): Id => discordId(G, local);
const KICKS = 'DELETE /guilds/:guild/members/:user';

let fake: FakeDiscord;
let rest: REST;
let discord: DiscordConnector;

beforeEach(async () => {
  fake = await FakeDiscord.start();
  rest = new REST({ version: '10', api: fake.apiUrl }).setToken(fake.token);
  discord = discordConnector({ rest, config: DISCORD_CONFIG, logger: silentLogger });
});

afterEach(async () => {
  rest.clearHashSweeper();
  rest.clearHandlerSweeper();
  await fake.close();
});

const target = (user: string, reason = 'left the company'): RemovalTarget => ({
  room: SERVER,
  user: id(user),
  actor: id(D.users.carol),
  reason,
  caseId: 12,
});

async function held(user: Id): Promise<HeldRoom[]> {
  const out: HeldRoom[] = [];
  for await (const page of discord.remover.memberships(user)) out.push(...page);
  return out;
}

describe('Discord: the server as a room', () => {
  it('GIVEN the server id THEN room() is a group named after the server, with no undo; an unknown server THEN undefined', async () => {
    expect(await discord.remover.room(SERVER)).toEqual({
      id: SERVER,
      name: 'Kickbot Test Guild',
      type: 'group',
      owners: 0,
      label: 'Kickbot Test Guild',
      noUndo: 'Discord cannot re-add a member to a server: send them an invite link',
    });
    expect(await discord.remover.room(guildId('1300000000000000900'))).toBeUndefined();
  });

  it('GIVEN members and a stranger THEN members() has the members of the server only, with no room roles', async () => {
    const found = await discord.remover.members(SERVER, [id(D.users.alice), id(STRANGER), id(D.users.carol)]);
    expect(found).toEqual(
      new Map([
        [id(D.users.alice), { roles: [] }],
        [id(D.users.carol), { roles: [] }],
      ]),
    );
  });

  it('GIVEN a member below the bot THEN a kick with the audit reason, and they are out of the server', async () => {
    expect(await discord.remover.remove(target(D.users.bob))).toEqual({ outcome: 'removed' });
    const [kick, ...more] = fake.callsTo('DELETE', KICKS);
    expect(more).toEqual([]);
    expect(kick?.path).toBe(`/guilds/${G}/members/${D.users.bob}`);
    expect(kick?.auditLogReason).toBe(`kickbot case 12 by ${D.users.carol}: left the company`);
    expect(fake.member(G, D.users.bob)).toBeUndefined();
    expect(await discord.remover.members(SERVER, [id(D.users.bob)])).toEqual(new Map());
    expect(await discord.remover.remove(target(D.users.bob))).toEqual({ outcome: 'not_member' });
    expect(fake.callsTo('DELETE', KICKS)).toHaveLength(1);
  });

  it('GIVEN a 512-character limit THEN a long reason is cut to 512 characters, never inside a character', async () => {
    await discord.remover.remove(target(D.users.bob, '✓'.repeat(600)));
    const reason = fake.callsTo('DELETE', KICKS)[0]?.auditLogReason ?? '';
    expect(Array.from(reason)).toHaveLength(512);
    expect(reason.endsWith('✓')).toBe(true);
  });

  const refused: {
    name: string;
    user: string;
    setup?: () => void;
    expected: { outcome: string; code?: string };
    calls: number;
  }[] = [
    { name: 'a stranger THEN not_member', user: STRANGER, expected: { outcome: 'not_member' }, calls: 0 },
    {
      name: 'the owner (above every role) THEN missing-permissions, no call made',
      user: D.users.owner,
      expected: { outcome: 'failed', code: 'missing-permissions' },
      calls: 0,
    },
    {
      name: 'a member whose role is at the bot’s THEN missing-permissions, no call made',
      user: D.users.carol,
      setup: () => {
        const moderator = fake.guild(G)?.roles.get(D.roles.moderator);
        if (moderator) moderator.position = 3;
      },
      expected: { outcome: 'failed', code: 'missing-permissions' },
      calls: 0,
    },
    {
      name: 'a bot without Kick Members THEN missing-permissions, no call made',
      user: D.users.bob,
      setup: () => {
        const own = fake.guild(G)?.roles.get(D.roles.kickbot);
        if (own) own.permissions = (BigInt(own.permissions) & ~2n).toString();
      },
      expected: { outcome: 'failed', code: 'missing-permissions' },
      calls: 0,
    },
    {
      name: 'Discord answering 10007 Unknown Member (they left meanwhile) THEN not_member',
      user: D.users.bob,
      setup: () => fake.failNext(KICKS, { code: 10007 }),
      expected: { outcome: 'not_member' },
      calls: 1,
    },
    {
      name: 'Discord answering 50013 Missing Permissions THEN failed missing-permissions',
      user: D.users.bob,
      setup: () => fake.failNext(KICKS, { code: 50013 }),
      expected: { outcome: 'failed', code: 'missing-permissions' },
      calls: 1,
    },
  ];
  for (const c of refused) {
    it(`GIVEN ${c.name}`, async () => {
      c.setup?.();
      const result = await discord.remover.remove(target(c.user));
      expect(result).toMatchObject(c.expected);
      if (result.outcome === 'failed') expect(result.hint).toMatch(/Kick Members.*role/);
      expect(fake.callsTo('DELETE', KICKS)).toHaveLength(c.calls);
    });
  }

  it('GIVEN a kicked member THEN undo is unsupported with an invite-link hint, and nothing is called', async () => {
    await discord.remover.remove(target(D.users.bob));
    const before = fake.calls.length;
    expect(await discord.remover.restore(target(D.users.bob), [])).toEqual({
      outcome: 'unsupported',
      code: 'no-undo',
      hint: 'Discord cannot re-add a member to a server: send them an invite link',
    });
    expect(fake.calls.length).toBe(before);
  });

  it('GIVEN a member THEN memberships() is the server with its facts; a stranger or a kicked member THEN nothing', async () => {
    const room = await discord.remover.room(SERVER);
    expect(await held(id(D.users.alice))).toEqual([{ room, roles: [] }]);
    expect(await held(id(STRANGER))).toEqual([]);
    expect(await held(guildId('1300000000000000900').concat(`/${D.users.alice}`))).toEqual([]);
    await discord.remover.remove(target(D.users.alice));
    expect(await held(id(D.users.alice))).toEqual([]);
  });

  it('GIVEN ids that are not Discord ids THEN nothing is asked of Discord: no room, no member, not_member', async () => {
    expect(await discord.remover.room('discord:general')).toBeUndefined();
    expect(await held('discord:general/1300000000000000201')).toEqual([]);
    expect(await held(id('alice'))).toEqual([]);
    expect(await discord.remover.members(SERVER, [id('alice')])).toEqual(new Map());
    expect(await discord.remover.remove(target('alice'))).toEqual({ outcome: 'not_member' });
    expect(fake.calls.filter((c) => /general|alice/.test(c.path))).toEqual([]);
  });
});

describe('Discord: the directory for an offboarding', () => {
  it('GIVEN Kick Members, Administrator or ownership THEN offboard-user is granted by the platform; else not', async () => {
    const users = await discord.directory.users([D.users.owner, D.users.carol, D.users.bob].map(id));
    expect(users.get(id(D.users.owner))?.grants).toEqual(['offboard-user']); // Administrator, and the owner
    expect(users.get(id(D.users.carol))?.grants).toEqual(['offboard-user']); // Moderator: Kick Members
    expect(users.get(id(D.users.bob))?.grants).toBeUndefined();
  });

  it('GIVEN the bot in one server THEN a user id is that server’s member id; not a snowflake THEN undefined', async () => {
    expect(await discord.directory.personId(D.users.bob)).toBe(id(D.users.bob));
    expect(await discord.directory.personId('bob')).toBeUndefined();
    expect(await discord.directory.personId(`${D.users.bob}/x`)).toBeUndefined();
    expect(fake.callsTo('GET', '/users/@me/guilds')[0]?.query).toEqual({ limit: '2' });
  });

  it('GIVEN the bot in two servers THEN personId is undefined (a bare id names no one for sure)', async () => {
    fake.addGuild({
      id: '1300000000000000900',
      owner_id: D.users.owner,
      roles: [],
      channels: [],
      members: [],
    });
    expect(await discord.directory.personId(D.users.bob)).toBeUndefined();
  });

  it('GIVEN the bot in no server THEN personId is undefined', async () => {
    fake.guild(G)?.members.delete(D.botId);
    expect(await discord.directory.personId(D.users.bob)).toBeUndefined();
  });
});
