import { createServer } from 'node:net';
import { LogLevel, WebClient, WebClientEvent, type WebClientOptions } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Config } from '../../../src/config/config-file.js';
import {
  ConnectorError,
  type Id,
  type RemovalTarget,
  type RemoveResult,
  type Scope,
  silentLogger,
} from '../../../src/core/index.js';
import { type SlackConnector, slackConnector } from '../../../src/platforms/slack/connector.js';
import { slackId, workspaceId } from '../../../src/platforms/slack/ids.js';
import { FakeSlack, type FakeSlackOptions } from '../../fakes/slack/FakeSlack.js';
import { SLACK_DEFAULTS } from '../../fakes/slack/signer.js';
import { setDisplayNames } from '../../helpers/slack-fake-profiles.js';
import { CONFIG, T, TOKEN, WORKSPACE } from '../../helpers/slack-rig.js';

/**
 * The Slack connector against the fake Slack Web API (a real WebClient on loopback, no Bolt): mentions to ids,
 * roles and rooms from what Slack says, removals and their error codes, user groups, undo, notices, 429s.
 */

const BOT = SLACK_DEFAULTS.botUserId;
const SCOPE: Scope = { workspace: workspaceId(T) };
const id = (local: string): Id => slackId(T, local);

/** The rig's workspace and a few more things to point at. */
const FAKE: FakeSlackOptions = {
  ...WORKSPACE,
  users: [
    ...(WORKSPACE.users ?? []),
    { id: 'U0CORA', name: 'cora', is_owner: true },
    { id: 'U0ERIN', name: 'erin' },
    { id: 'U0GONE', name: 'gone', deleted: true },
    { id: 'U0HELPER', name: 'helper-bot', is_bot: true },
  ],
  channels: [
    ...(WORKSPACE.channels ?? []),
    { id: 'C0MODLOG', name: 'mod-log', members: ['U0MOD', BOT] },
    { id: 'C0OLD', name: 'old', is_archived: true, members: ['U0BOB', BOT] },
    { id: 'G0MPIM', name: 'mpdm-ada--bob-1', is_mpim: true, members: ['U0ADMIN', 'U0BOB', BOT] },
    { id: 'G0HIDDEN', name: 'hidden', is_private: true, members: ['U0BOB'] },
  ],
  usergroups: [
    ...(WORKSPACE.usergroups ?? []),
    { id: 'S0OPS', handle: 'ops', name: 'Ops', users: ['U0BOB', 'U0CAROL', 'U0DAVE'] },
    { id: 'S0SOLO', handle: 'solo', name: 'Solo', users: ['U0DAVE'] },
  ],
};

const CONF: Config = {
  ...CONFIG,
  modLog: { slack: 'C0MODLOG' },
  areas: [...CONFIG.areas, { id: 'ops', name: 'Operations', rooms: ['#secret', 'missing'] }],
};

let fake: FakeSlack;
let connector: SlackConnector;

function webClient(opts: WebClientOptions = {}): WebClient {
  return new WebClient(TOKEN, {
    slackApiUrl: fake.apiUrl,
    retryConfig: { retries: 0 },
    logLevel: LogLevel.ERROR,
    ...opts,
  });
}

function makeConnector(opts: { client?: WebClient; config?: Config; cacheTtlMs?: number } = {}) {
  return slackConnector({
    client: opts.client ?? webClient(),
    config: opts.config ?? CONF,
    logger: silentLogger,
    ...(opts.cacheTtlMs !== undefined ? { cacheTtlMs: opts.cacheTtlMs } : {}),
  });
}

const target = (room: string, user: string): RemovalTarget => ({
  room: id(room),
  user: id(user),
  actor: id('U0MOD'),
  caseId: 1,
});

beforeEach(async () => {
  fake = await FakeSlack.start(FAKE);
  connector = makeConnector();
});

afterEach(async () => {
  vi.useRealTimers();
  await fake.close();
});

describe('SlackDirectory.resolveUsers', () => {
  it('GIVEN a user id mention THEN that user, without a lookup (Slack wrote the id itself)', async () => {
    expect(await connector.directory.resolveUsers('<@U0BOB|bob>', SCOPE)).toEqual({
      ok: true,
      value: [id('U0BOB')],
    });
    expect(await connector.directory.resolveUsers('<@U0CAROL>', SCOPE)).toEqual({
      ok: true,
      value: [id('U0CAROL')],
    });
    expect(await connector.directory.resolveUsers('<@W0ENT|ent>', SCOPE)).toEqual({
      ok: true,
      value: [id('W0ENT')],
    });
    expect(fake.calls).toHaveLength(0);
  });

  it('GIVEN an id no user has THEN it resolves, users() knows no such user and its kick is denied room-not-found', async () => {
    // With escaping on only Slack writes <@…>, so resolveUsers trusts it; the unknown user shows up later.
    expect(await connector.directory.resolveUsers('<@U0NOBODY>', SCOPE)).toEqual({
      ok: true,
      value: [id('U0NOBODY')],
    });
    expect((await connector.directory.users([id('U0NOBODY')])).size).toBe(0);
    expect(await connector.remover.remove(target('C0RANDOM', 'U0NOBODY'))).toEqual({
      outcome: 'denied',
      code: 'room-not-found',
    });
  });

  it('GIVEN a user group mention THEN its members', async () => {
    expect(await connector.directory.resolveUsers('<!subteam^S0PAY|@payments-team>', SCOPE)).toEqual({
      ok: true,
      value: [id('U0BOB'), id('U0CAROL')],
    });
    expect(fake.callsTo('usergroups.users.list').map((c) => c.args.usergroup)).toEqual(['S0PAY']);
  });

  it('GIVEN an unknown user group THEN a clear message naming it', async () => {
    expect(await connector.directory.resolveUsers('<!subteam^S0NOPE|@nope>', SCOPE)).toEqual({
      ok: false,
      message: 'unknown user group <!subteam^S0NOPE|@nope>',
    });
  });

  it('GIVEN a plain @name THEN the user with that name or display name, case-insensitively', async () => {
    setDisplayNames(fake, { U0ERIN: 'erin.e' });
    expect(await connector.directory.resolveUsers('@bob', SCOPE)).toEqual({ ok: true, value: [id('U0BOB')] });
    expect(await connector.directory.resolveUsers('@Carol', SCOPE)).toEqual({
      ok: true,
      value: [id('U0CAROL')],
    });
    expect(await connector.directory.resolveUsers('@erin.e', SCOPE)).toEqual({
      ok: true,
      value: [id('U0ERIN')],
    });
    expect(await connector.directory.resolveUsers('@erin', SCOPE)).toEqual({
      ok: true,
      value: [id('U0ERIN')],
    });
    // users.list is read once and kept for the cache's TTL
    expect(fake.callsTo('users.list')).toHaveLength(1);
  });

  it('GIVEN a plain @name nobody has (or a deactivated user has) THEN a message telling to pick from the @ menu', async () => {
    for (const name of ['nobody', 'gone']) {
      const r = await connector.directory.resolveUsers(`@${name}`, SCOPE);
      expect(r.ok).toBe(false);
      if (r.ok) continue;
      expect(r.message).toContain(`@${name}`);
      expect(r.message).toMatch(/pick them from the @ menu/);
    }
  });

  it('GIVEN a channel or a special mention THEN not users, with a reason', async () => {
    expect(await connector.directory.resolveUsers('<#C0RANDOM|random>', SCOPE)).toEqual({
      ok: false,
      message: '<#C0RANDOM|random> is a channel, not a user',
    });
    const here = await connector.directory.resolveUsers('<!here>', SCOPE);
    expect(here).toEqual({ ok: false, message: expect.stringContaining('@here') });
    const garbage = await connector.directory.resolveUsers('<@u123>', SCOPE);
    expect(garbage).toEqual({ ok: false, message: expect.stringContaining('not a Slack mention') });
    expect(fake.calls).toHaveLength(0);
  });
});

describe('SlackDirectory.resolveRoom', () => {
  it('GIVEN channel id mentions (public with name, private without) THEN their ids, without a call', async () => {
    expect(await connector.directory.resolveRoom('<#C0RANDOM|random>', SCOPE)).toEqual({
      ok: true,
      value: id('C0RANDOM'),
    });
    expect(await connector.directory.resolveRoom('<#G0SECRET|>', SCOPE)).toEqual({
      ok: true,
      value: id('G0SECRET'),
    });
    expect(fake.calls).toHaveLength(0);
  });

  it('GIVEN a plain #name of a public or private channel THEN its id from conversations.list', async () => {
    expect(await connector.directory.resolveRoom('#random', SCOPE)).toEqual({
      ok: true,
      value: id('C0RANDOM'),
    });
    expect(await connector.directory.resolveRoom('#secret', SCOPE)).toEqual({
      ok: true,
      value: id('G0SECRET'),
    });
    const list = fake.callsTo('conversations.list');
    expect(list).toHaveLength(1);
    expect(String(list[0]?.args.types).split(',').sort()).toEqual(['private_channel', 'public_channel']);
  });

  it('GIVEN a plain #name no channel has THEN an id that room() answers undefined for', async () => {
    const r = await connector.directory.resolveRoom('#nope', SCOPE);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.startsWith(SCOPE.workspace)).toBe(true);
    expect(await connector.remover.room(r.value)).toBeUndefined();
  });

  it('GIVEN a user mention THEN not a room, with a reason', async () => {
    expect(await connector.directory.resolveRoom('<@U0BOB>', SCOPE)).toEqual({
      ok: false,
      message: '<@U0BOB> is a user, not a channel',
    });
  });
});

describe('SlackDirectory.users', () => {
  it('GIVEN owners, admins, bots, a config grant and plain users THEN their roles and <@U…> labels', async () => {
    setDisplayNames(fake, { U0ERIN: 'Erin E.' });
    const ids = ['U0OWNER', 'U0CORA', 'U0ADMIN', 'U0HELPER', 'U0MOD', 'U0BOB', 'U0ERIN'].map(id);
    const users = await connector.directory.users([...ids, id('U0NOBODY')]);
    expect(users.size).toBe(ids.length);
    expect(users.has(id('U0NOBODY'))).toBe(false);
    expect(users.get(id('U0OWNER'))).toEqual({
      id: id('U0OWNER'),
      name: 'olivia',
      roles: ['admin'],
      owner: true,
      label: '<@U0OWNER>',
    });
    expect(users.get(id('U0CORA'))).toEqual({
      id: id('U0CORA'),
      name: 'cora',
      roles: ['admin'],
      label: '<@U0CORA>',
    });
    expect(users.get(id('U0ADMIN'))).toEqual({
      id: id('U0ADMIN'),
      name: 'ada',
      roles: ['admin'],
      label: '<@U0ADMIN>',
    });
    expect(users.get(id('U0HELPER'))).toEqual({
      id: id('U0HELPER'),
      name: 'helper-bot',
      roles: ['bot'],
      bot: true,
      label: '<@U0HELPER>',
    });
    expect(users.get(id('U0MOD'))).toEqual({
      id: id('U0MOD'),
      name: 'mo',
      roles: ['moderator'],
      label: '<@U0MOD>',
    });
    expect(users.get(id('U0BOB'))).toEqual({
      id: id('U0BOB'),
      name: 'bob',
      roles: ['user'],
      label: '<@U0BOB>',
    });
    expect(users.get(id('U0ERIN'))?.name).toBe('Erin E.');
  });

  it('GIVEN the same users asked again (and at the same time) within the TTL THEN users.info once per user', async () => {
    const ids = [id('U0BOB'), id('U0CAROL'), id('U0NOBODY')];
    await Promise.all([connector.directory.users(ids), connector.directory.users(ids)]);
    await connector.directory.users(ids);
    await connector.directory.resolveUsers('<@U0BOB>', SCOPE);
    expect(
      fake
        .callsTo('users.info')
        .map((c) => c.args.user)
        .sort(),
    ).toEqual(['U0BOB', 'U0CAROL', 'U0NOBODY']);
  });

  it('GIVEN more than 20 users at once THEN one users.list instead of users.info each, same roles', async () => {
    const extra = Array.from({ length: 20 }, (_, i) => `U0X${String(i).padStart(3, '0')}`);
    for (const u of extra) fake.addUser({ id: u, name: `x${u}` });
    const ids = ['U0OWNER', 'U0ADMIN', 'U0HELPER', 'U0MOD', 'U0BOB', ...extra].map(id);
    const users = await connector.directory.users([...ids, id('U0NOBODY')]);
    expect(fake.callsTo('users.info')).toHaveLength(0);
    expect(fake.callsTo('users.list')).toHaveLength(1);
    expect(users.size).toBe(ids.length);
    expect(users.get(id('U0OWNER'))).toMatchObject({ roles: ['admin'], owner: true });
    expect(users.get(id('U0ADMIN'))?.roles).toEqual(['admin']);
    expect(users.get(id('U0HELPER'))).toMatchObject({ roles: ['bot'], bot: true });
    expect(users.get(id('U0MOD'))?.roles).toEqual(['moderator']);
    expect(users.get(id('U0BOB'))).toEqual({
      id: id('U0BOB'),
      name: 'bob',
      roles: ['user'],
      label: '<@U0BOB>',
    });
  });

  it('GIVEN the TTL has passed THEN users.info is asked again (and sees a new role)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const c = makeConnector({ cacheTtlMs: 60_000 });
    expect((await c.directory.users([id('U0BOB')])).get(id('U0BOB'))?.roles).toEqual(['user']);
    fake.addUser({ id: 'U0BOB', name: 'bob', is_admin: true });
    vi.setSystemTime(Date.now() + 59_000);
    expect((await c.directory.users([id('U0BOB')])).get(id('U0BOB'))?.roles).toEqual(['user']);
    expect(fake.callsTo('users.info')).toHaveLength(1);
    vi.setSystemTime(Date.now() + 2_000);
    expect((await c.directory.users([id('U0BOB')])).get(id('U0BOB'))?.roles).toEqual(['admin']);
    expect(fake.callsTo('users.info')).toHaveLength(2);
  });
});

describe('SlackRemover.room', () => {
  it('GIVEN public and private channels THEN their type, name and <#C…> label', async () => {
    expect(await connector.remover.room(id('C0RANDOM'))).toEqual({
      id: id('C0RANDOM'),
      name: 'random',
      type: 'public',
      owners: 0,
      label: '<#C0RANDOM>',
    });
    expect(await connector.remover.room(id('G0SECRET'))).toEqual({
      id: id('G0SECRET'),
      name: 'secret',
      type: 'private',
      owners: 0,
      label: '<#G0SECRET>',
    });
  });

  it('GIVEN a DM (D…) THEN direct, known without a call', async () => {
    expect(await connector.remover.room(id('D0DIRECT'))).toMatchObject({
      id: id('D0DIRECT'),
      type: 'direct',
    });
    expect(fake.calls).toHaveLength(0);
  });

  it('GIVEN a group DM that conversations.info refuses with missing_scope (no mpim:read) THEN direct', async () => {
    fake.failNext('conversations.info', 'missing_scope', { match: (a) => a.channel === 'G0MPIM' });
    expect(await connector.remover.room(id('G0MPIM'))).toMatchObject({ id: id('G0MPIM'), type: 'direct' });
    expect(fake.callsTo('conversations.info')[0]?.error).toBe('missing_scope');
  });

  it('GIVEN a group DM the bot can read THEN direct as well', async () => {
    expect(await connector.remover.room(id('G0MPIM'))).toMatchObject({ type: 'direct' });
  });

  it('GIVEN #general THEN unsupported cant_kick_from_general with a hint', async () => {
    expect(await connector.remover.room(id('C0GENERAL'))).toMatchObject({
      type: 'public',
      unsupported: {
        code: 'cant_kick_from_general',
        hint: expect.stringContaining('#general'),
      },
    });
  });

  it('GIVEN an archived channel THEN unsupported', async () => {
    expect(await connector.remover.room(id('C0OLD'))).toMatchObject({
      name: 'old',
      unsupported: { code: 'is_archived', hint: expect.stringContaining('archived') },
    });
  });

  it('GIVEN an unknown channel or a private one the bot is not in THEN undefined', async () => {
    expect(await connector.remover.room(id('C0NOPE'))).toBeUndefined();
    expect(await connector.remover.room(id('G0HIDDEN'))).toBeUndefined();
  });

  it('GIVEN a user group id THEN type group, labelled @handle (no ping), and undefined for an unknown one', async () => {
    expect(await connector.remover.room(id('S0PAY'))).toEqual({
      id: id('S0PAY'),
      name: 'payments-team',
      type: 'group',
      owners: 0,
      label: '@payments-team',
    });
    expect(await connector.remover.room(id('S0NOPE'))).toBeUndefined();
  });
});

describe('SlackRemover.members', () => {
  it('GIVEN a channel of 2,100 members THEN every page of conversations.members is read', async () => {
    const members = Array.from({ length: 2100 }, (_, i) => `U0M${String(i).padStart(5, '0')}`);
    fake.addChannel({ id: 'C0BIG', name: 'big', members: [...members, BOT] });
    const asked = [id('U0M00000'), id('U0M01000'), id('U0M02099'), id(BOT), id('U0BOB')];
    const got = await connector.remover.members(id('C0BIG'), asked);
    expect([...got.keys()].sort()).toEqual([id('U0M00000'), id('U0M01000'), id('U0M02099'), id(BOT)].sort());
    expect([...got.values()].every((m) => m.roles.length === 0)).toBe(true);
    const pages = fake.callsTo('conversations.members');
    expect(pages.length).toBe(3);
    expect(pages[0]?.args.cursor ?? '').toBe('');
    expect(pages.slice(1).every((p) => typeof p.args.cursor === 'string' && p.args.cursor !== '')).toBe(true);
  });

  it('GIVEN a user group THEN its members; an unknown channel THEN nobody', async () => {
    const got = await connector.remover.members(id('S0PAY'), [id('U0BOB'), id('U0DAVE')]);
    expect([...got.keys()]).toEqual([id('U0BOB')]);
    expect((await connector.remover.members(id('C0NOPE'), [id('U0BOB')])).size).toBe(0);
  });
});

describe('SlackDirectory.area', () => {
  it("GIVEN 'payments' THEN its channels (names resolved to ids), its user group and its managers", async () => {
    const area = await connector.directory.area('payments', SCOPE);
    expect(area).toEqual({
      id: 'payments',
      name: 'payments',
      rooms: [id('C0RANDOM'), id('G0SECRET'), id('S0PAY')],
      managers: [id('U0MOD')],
    });
    expect(await connector.directory.area('PAYMENTS', SCOPE)).toEqual(area);
  });

  it('GIVEN an area with a #name and a missing channel THEN ids, and a room-not-found id for the missing one', async () => {
    const area = await connector.directory.area('ops', SCOPE);
    expect(area).toMatchObject({ id: 'ops', name: 'Operations', managers: [] });
    expect(area?.rooms[0]).toBe(id('G0SECRET'));
    const missing = area?.rooms[1];
    expect(missing).toBeDefined();
    if (missing) expect(await connector.remover.room(missing)).toBeUndefined();
  });

  it('GIVEN an unknown area THEN undefined; areas() names them all', async () => {
    expect(await connector.directory.area('nope', SCOPE)).toBeUndefined();
    expect(await connector.directory.areas(SCOPE)).toEqual(['payments', 'ops']);
  });
});

describe('SlackRemover.remove: conversations.kick and its error codes', () => {
  interface KickRow {
    code: string;
    means: string;
    room: string;
    user: string;
    setup?: (f: FakeSlack) => void;
    expected: RemoveResult;
    hint?: RegExp;
  }

  const ROWS: KickRow[] = [
    { code: '(ok)', means: 'removed', room: 'C0RANDOM', user: 'U0BOB', expected: { outcome: 'removed' } },
    {
      code: 'not_in_channel',
      means: 'not_member',
      room: 'C0RANDOM',
      user: 'U0DAVE',
      expected: { outcome: 'not_member' },
    },
    {
      code: 'cant_kick_from_general',
      means: 'unsupported',
      room: 'C0GENERAL',
      user: 'U0BOB',
      expected: { outcome: 'unsupported', code: 'cant_kick_from_general' },
      hint: /#general/,
    },
    {
      code: 'method_not_supported_for_channel_type',
      means: 'unsupported',
      room: 'G0MPIM',
      user: 'U0BOB',
      expected: { outcome: 'unsupported', code: 'method_not_supported_for_channel_type' },
      hint: /direct message/,
    },
    {
      code: 'not_supported',
      means: 'unsupported',
      room: 'C0RANDOM',
      user: 'U0CAROL',
      setup: (f) => f.notSupported('C0RANDOM', 'U0CAROL'),
      expected: { outcome: 'unsupported', code: 'not_supported' },
      hint: /cannot remove/,
    },
    {
      code: 'cant_kick_self',
      means: 'denied self',
      room: 'C0RANDOM',
      user: BOT,
      expected: { outcome: 'denied', code: 'self' },
      hint: /\/leave/,
    },
    {
      code: 'restricted_action',
      means: 'failed, with a hint about the workspace setting',
      room: 'C0RANDOM',
      user: 'U0BOB',
      setup: (f) => {
        f.kickRestricted = true;
      },
      expected: { outcome: 'failed', code: 'restricted_action' },
      hint: /workspace's settings.*Settings & permissions.*remove members from channels/s,
    },
    {
      code: 'channel_not_found',
      means: 'denied room-not-found',
      room: 'C0NOPE',
      user: 'U0BOB',
      expected: { outcome: 'denied', code: 'room-not-found' },
    },
    {
      code: 'user_not_found',
      means: 'denied room-not-found',
      room: 'C0RANDOM',
      user: 'U0NOBODY',
      expected: { outcome: 'denied', code: 'room-not-found' },
    },
    {
      code: 'missing_scope',
      means: 'failed, with a hint to reinstall',
      room: 'C0RANDOM',
      user: 'U0BOB',
      setup: (f) => f.failNext('conversations.kick', 'missing_scope'),
      expected: { outcome: 'failed', code: 'missing_scope' },
      hint: /reinstall.*manifest/,
    },
  ];

  it.each(ROWS)('GIVEN conversations.kick answers $code THEN $means', async (row) => {
    row.setup?.(fake);
    const result = await connector.remover.remove(target(row.room, row.user));
    expect(result).toMatchObject(row.expected);
    if (row.hint) expect(result).toMatchObject({ hint: expect.stringMatching(row.hint) });
    else expect(result).not.toHaveProperty('hint');
    const kicks = fake.callsTo('conversations.kick');
    expect(kicks.map((c) => c.args)).toEqual([{ channel: row.room, user: row.user }]);
    if (row.code !== '(ok)') expect(kicks[0]?.error).toBe(row.code);
  });

  it('GIVEN a removal THEN the user is out of the channel on Slack', async () => {
    await connector.remover.remove(target('C0RANDOM', 'U0BOB'));
    expect(fake.isMember('C0RANDOM', 'U0BOB')).toBe(false);
    expect(fake.isMember('C0RANDOM', 'U0CAROL')).toBe(true);
  });

  it('GIVEN Slack cannot be reached THEN a retryable ConnectorError', async () => {
    const closed = await new Promise<number>((resolve) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => {
        const { port } = s.address() as { port: number };
        s.close(() => resolve(port));
      });
    });
    const c = makeConnector({ client: webClient({ slackApiUrl: `http://127.0.0.1:${closed}/api/` }) });
    const error = await c.remover.remove(target('C0RANDOM', 'U0BOB')).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error).toMatchObject({ retryable: true, code: 'slack-unreachable' });
  });

  it.each([500, 502, 503])('GIVEN Slack answers HTTP %i THEN a retryable ConnectorError', async (status) => {
    fake.failNext('conversations.kick', 'internal_error', { status });
    const error = await connector.remover.remove(target('C0RANDOM', 'U0BOB')).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error).toMatchObject({ retryable: true });
    expect(fake.isMember('C0RANDOM', 'U0BOB')).toBe(true);
  });
});

describe('SlackRemover.remove: user groups', () => {
  it('GIVEN a member of a user group THEN usergroups.users.update with everyone else', async () => {
    expect(await connector.remover.remove(target('S0PAY', 'U0BOB'))).toEqual({ outcome: 'removed' });
    expect(fake.usergroups.get('S0PAY')?.users).toEqual(['U0CAROL']);
    expect(fake.callsTo('usergroups.users.update').map((c) => c.args)).toMatchObject([
      { usergroup: 'S0PAY', users: 'U0CAROL' },
    ]);
    expect(fake.callsTo('conversations.kick')).toHaveLength(0);
  });

  it('GIVEN someone not in the group THEN not_member, and the list is not rewritten', async () => {
    expect(await connector.remover.remove(target('S0PAY', 'U0DAVE'))).toEqual({ outcome: 'not_member' });
    expect(fake.callsTo('usergroups.users.update')).toHaveLength(0);
  });

  it('GIVEN a user group that does not exist (no_such_subteam) THEN denied room-not-found, as for a channel', async () => {
    expect(await connector.remover.remove(target('S0NOPE', 'U0BOB'))).toEqual({
      outcome: 'denied',
      code: 'room-not-found',
    });
    expect(fake.callsTo('usergroups.users.list')[0]?.error).toBe('no_such_subteam');
  });

  it('GIVEN two removals from one group at the same time THEN both take effect (read-modify-write in turn)', async () => {
    fake.delay('usergroups.users.list', 25); // widens the window between read and write
    const results = await Promise.all([
      connector.remover.remove(target('S0OPS', 'U0BOB')),
      connector.remover.remove(target('S0OPS', 'U0CAROL')),
    ]);
    expect(results).toEqual([{ outcome: 'removed' }, { outcome: 'removed' }]);
    expect(fake.usergroups.get('S0OPS')?.users).toEqual(['U0DAVE']);
  });

  it('GIVEN the last member of a group THEN unsupported no_users_provided with a hint', async () => {
    const result = await connector.remover.remove(target('S0SOLO', 'U0DAVE'));
    expect(result).toEqual({
      outcome: 'unsupported',
      code: 'no_users_provided',
      hint: expect.stringMatching(/cannot be left empty/),
    });
    expect(fake.usergroups.get('S0SOLO')?.users).toEqual(['U0DAVE']);
  });
});

describe('SlackRemover.restore', () => {
  it('GIVEN a removed user THEN conversations.invite brings them back', async () => {
    await connector.remover.remove(target('C0RANDOM', 'U0BOB'));
    expect(await connector.remover.restore(target('C0RANDOM', 'U0BOB'), [])).toEqual({ outcome: 'restored' });
    expect(fake.isMember('C0RANDOM', 'U0BOB')).toBe(true);
    expect(fake.callsTo('conversations.invite').map((c) => c.args)).toMatchObject([
      { channel: 'C0RANDOM', users: 'U0BOB' },
    ]);
  });

  it('GIVEN a user who is back already THEN already_member (already_in_channel)', async () => {
    expect(await connector.remover.restore(target('C0RANDOM', 'U0CAROL'), [])).toEqual({
      outcome: 'already_member',
    });
    expect(fake.callsTo('conversations.invite')[0]?.error).toBe('already_in_channel');
  });

  it('GIVEN an archived channel THEN unsupported is_archived', async () => {
    expect(await connector.remover.restore(target('C0OLD', 'U0DAVE'), [])).toMatchObject({
      outcome: 'unsupported',
      code: 'is_archived',
    });
  });

  it('GIVEN a user removed from a user group THEN added back, and already_member the second time', async () => {
    await connector.remover.remove(target('S0PAY', 'U0BOB'));
    expect(await connector.remover.restore(target('S0PAY', 'U0BOB'), [])).toEqual({ outcome: 'restored' });
    expect(fake.usergroups.get('S0PAY')?.users.sort()).toEqual(['U0BOB', 'U0CAROL']);
    expect(await connector.remover.restore(target('S0PAY', 'U0BOB'), [])).toEqual({
      outcome: 'already_member',
    });
    expect(fake.callsTo('usergroups.users.update')).toHaveLength(2);
  });

  it('GIVEN Slack is down during undo THEN a retryable ConnectorError', async () => {
    fake.failNext('conversations.invite', 'internal_error', { status: 503 });
    await expect(connector.remover.restore(target('C0RANDOM', 'U0DAVE'), [])).rejects.toMatchObject({
      name: 'ConnectorError',
      retryable: true,
    });
  });
});

describe('SlackDirectory.notice', () => {
  const TEXT =
    '<#C0RANDOM>: <@U0BOB> was removed by <@U0MOD> (reason: <!channel> <!here|here> <!everyone> ' +
    '<!subteam^S0PAY|@payments-team> <!subteam^S0OPS>) · case 1';
  const SAFE =
    '<#C0RANDOM>: <@U0BOB> was removed by <@U0MOD> (reason: @channel @here @everyone @payments-team @S0OPS) · case 1';

  it('GIVEN a notice THEN posted to the room and the mod-log channel, with nothing that pings', async () => {
    await connector.directory.notice(id('C0RANDOM'), TEXT);
    expect(fake.messages.map((m) => [m.channel, m.text])).toEqual([
      ['C0RANDOM', SAFE],
      ['C0MODLOG', SAFE],
    ]);
    for (const m of fake.messages) expect(m.text).not.toMatch(/<!/);
    for (const c of fake.callsTo('chat.postMessage')) {
      expect(String(c.args.unfurl_links)).toBe('false');
      expect(String(c.args.unfurl_media)).toBe('false');
    }
  });

  it('GIVEN a notice in the mod-log channel itself THEN posted once', async () => {
    await connector.directory.notice(id('C0MODLOG'), 'hello');
    expect(fake.messages.map((m) => m.channel)).toEqual(['C0MODLOG']);
  });

  it('GIVEN no mod-log channel in the config THEN only the room', async () => {
    const c = makeConnector({ config: CONFIG });
    await c.directory.notice(id('C0RANDOM'), 'hello');
    expect(fake.messages.map((m) => m.channel)).toEqual(['C0RANDOM']);
  });

  it('GIVEN a user-group pseudo room (or an unknown #name) THEN nothing is posted', async () => {
    await connector.directory.notice(id('S0PAY'), TEXT);
    await connector.directory.notice(id('#nope'), TEXT);
    expect(fake.callsTo('chat.postMessage')).toHaveLength(0);
    expect(fake.messages).toHaveLength(0);
  });
});

describe('SlackConnector under 429s', () => {
  it('GIVEN a Tier-3 bucket on conversations.kick and a burst of 120 removals THEN every one succeeds after Retry-After', async () => {
    const users = Array.from({ length: 120 }, (_, i) => `U0R${String(i).padStart(4, '0')}`);
    for (const u of users) fake.addUser({ id: u, name: `r${u}` });
    fake.addChannel({ id: 'C0BURST', name: 'burst', members: [...users, BOT] });
    fake.rateLimit('conversations.kick', { perMinute: 50, scale: 60, retryAfter: 1 });
    const client = webClient({ retryConfig: { retries: 10, minTimeout: 0, maxTimeout: 10 } });
    let rateLimited = 0;
    client.on(WebClientEvent.RATE_LIMITED, () => {
      rateLimited++;
    });
    const c = makeConnector({ client });
    const results = await Promise.all(users.map((u) => c.remover.remove(target('C0BURST', u))));
    expect(results.every((r) => r.outcome === 'removed')).toBe(true);
    expect(fake.members('C0BURST')).toEqual([BOT]);
    expect(fake.stats.limited).toBeGreaterThan(0);
    expect(fake.stats.limitedBy['conversations.kick']).toBe(fake.stats.limited);
    expect(rateLimited).toBe(fake.stats.limited);
    const ok = fake.callsTo('conversations.kick').filter((k) => k.ok);
    expect(ok).toHaveLength(users.length);
  });
});
