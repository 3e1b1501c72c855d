import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ConnectorError,
  type Id,
  type Logger,
  localOf,
  type RemovalTarget,
  silentLogger,
} from '../../../src/core/index.js';
import {
  BetterFormsConnector,
  type BetterFormsTarget,
} from '../../../src/platforms/betterforms/BetterFormsConnector.js';
import { FakeBetterForms, REMOVE_USER } from '../../fakes/betterforms/FakeBetterForms.js';
import { type SeedRig, seedContract } from '../seeds/contract.js';

/**
 * The BetterForms connector against the fake portal (test/fakes/betterforms): the contract, then what is
 * BetterForms' own — the key in the body, one removeuser request per channel, anonymous channels answered
 * `unsupported` without a call, and the statuses the connector maps.
 */

const KEY = 'fake-bf-key-0001';
/** BF user ids are FileMaker UUIDs from the helper file's users table. */
const U = {
  ada: '5D0F3A8E-1C2B-4E7A-9F10-00000000000A',
  bob: '5D0F3A8E-1C2B-4E7A-9F10-00000000000B',
  cyd: '5D0F3A8E-1C2B-4E7A-9F10-00000000000C',
  eve: '5D0F3A8E-1C2B-4E7A-9F10-00000000000E',
} as const;
const user = (local: string): Id => `betterforms:${local}`;
const room = (channel: string): Id => `betterforms:${channel}`;
const target = (channel: string, local: string): RemovalTarget => ({
  room: room(channel),
  user: user(local),
  actor: 'console:ada',
  reason: 'offboarding',
  caseId: 11,
});

const TARGETS: BetterFormsTarget[] = [
  { channel: 'support', mode: 'listen' },
  { channel: 'sales' },
  { channel: 'lobby', anonymous: true },
];

async function startFake(): Promise<FakeBetterForms> {
  return FakeBetterForms.start({
    apiKey: KEY,
    channels: [
      { name: 'support', members: [U.ada, U.bob, U.cyd] },
      { name: 'sales', members: [U.ada, U.eve] },
      { name: 'lobby', anonymous: true, members: [U.ada] },
    ],
  });
}

const connect = (fake: FakeBetterForms, logger: Logger = silentLogger) =>
  new BetterFormsConnector({ url: fake.url, apiKey: KEY, targets: TARGETS, logger });

seedContract('betterforms', async (): Promise<SeedRig> => {
  const fake = await startFake();
  return {
    remover: connect(fake),
    room: room('support'),
    member: user(U.ada),
    member2: user(U.bob),
    outsider: user(U.eve),
    // The fake answers 404 for a channel it does not know; the connector reads that as room-not-found.
    unknownRoom: room('no-such-channel'),
    isMember: (r, u) => fake.isMember(localOf(r), localOf(u)),
    revokeCredentials: () => fake.revoke(),
    failNextRemoval: (status) => fake.failNext(REMOVE_USER, { status, body: { error: `status ${status}` } }),
    removalRequests: () => fake.callsTo(REMOVE_USER).length,
    secrets: [KEY],
    close: () => fake.close(),
  };
});

describe('betterforms: removeuser requests and answers', () => {
  let fake: FakeBetterForms;
  let bf: BetterFormsConnector;
  beforeEach(async () => {
    fake = await startFake();
    bf = connect(fake);
  });
  afterEach(async () => {
    await fake.close();
  });

  it('GIVEN a removal THEN one POST with the key in the JSON body only, the user and the channel with its mode', async () => {
    expect(await bf.remove(target('support', U.ada))).toEqual({ outcome: 'removed' });
    const [call, ...more] = fake.callsTo(REMOVE_USER);
    expect(more).toEqual([]);
    expect(call?.body).toEqual({
      apiKey: KEY,
      users: [{ id: U.ada, channels: [{ name: 'support', mode: 'listen' }] }],
    });
    expect(call?.headers['content-type']).toBe('application/json');
    expect(JSON.stringify(call?.headers)).not.toContain(KEY);
    expect(call?.path).toBe('/message/removeuser');
  });

  it('GIVEN a channel without a configured mode, or no targets at all THEN the mode sent is ignore', async () => {
    const bare = new BetterFormsConnector({ url: fake.url, apiKey: KEY, logger: silentLogger });
    expect(await bf.remove(target('sales', U.eve))).toEqual({ outcome: 'removed' });
    expect(await bare.remove(target('support', U.bob))).toEqual({ outcome: 'removed' });
    expect(fake.callsTo(REMOVE_USER).map((c) => c.body)).toEqual([
      { apiKey: KEY, users: [{ id: U.eve, channels: [{ name: 'sales', mode: 'ignore' }] }] },
      { apiKey: KEY, users: [{ id: U.bob, channels: [{ name: 'support', mode: 'ignore' }] }] },
    ]);
  });

  it('GIVEN pairs in two channels, interleaved THEN one request per channel with all its users, results in input order', async () => {
    const results = await bf.batch.remove([
      target('support', U.ada),
      target('sales', U.ada),
      target('support', U.eve),
      target('sales', U.eve),
      target('support', U.bob),
    ]);
    expect(results.map((r) => r.outcome)).toEqual(['removed', 'removed', 'not_member', 'removed', 'removed']);
    expect(fake.callsTo(REMOVE_USER).map((c) => c.body)).toEqual([
      {
        apiKey: KEY,
        users: [U.ada, U.eve, U.bob].map((id) => ({ id, channels: [{ name: 'support', mode: 'listen' }] })),
      },
      {
        apiKey: KEY,
        users: [U.ada, U.eve].map((id) => ({ id, channels: [{ name: 'sales', mode: 'ignore' }] })),
      },
    ]);
    expect(fake.isMember('support', U.cyd)).toBe(true);
    expect(fake.isMember('sales', U.ada)).toBe(false);
  });

  it('GIVEN the same pair twice in one batch THEN the user is sent once and both answers say removed', async () => {
    const results = await bf.batch.remove([target('support', U.cyd), target('support', U.cyd)]);
    expect(results).toEqual([{ outcome: 'removed' }, { outcome: 'removed' }]);
    expect(fake.callsTo(REMOVE_USER).map((c) => c.body)).toEqual([
      { apiKey: KEY, users: [{ id: U.cyd, channels: [{ name: 'support', mode: 'listen' }] }] },
    ]);
  });

  it('GIVEN an anonymous channel THEN unsupported anonymous-channel with the channelLeaveAnon hint, and no request', async () => {
    const result = await bf.remove(target('lobby', U.ada));
    expect(result).toEqual({
      outcome: 'unsupported',
      code: 'anonymous-channel',
      hint: 'only the user’s own browser tab can leave an anonymous BetterForms channel (channelLeaveAnon)',
    });
    expect(fake.calls).toEqual([]);
    expect(fake.isMember('lobby', U.ada)).toBe(true);
  });

  it('GIVEN rooms THEN room describes any channel as private, and an anonymous one as unsupported', async () => {
    expect(await bf.room(room('support'))).toEqual({
      id: room('support'),
      name: 'support',
      type: 'private',
      owners: 0,
      label: 'BetterForms channel support',
    });
    expect(await bf.room(room('lobby'))).toMatchObject({
      name: 'lobby',
      unsupported: { code: 'anonymous-channel', hint: expect.stringContaining('channelLeaveAnon') },
    });
    expect((await bf.room(room('never-configured')))?.unsupported).toBeUndefined();
    expect(fake.calls).toEqual([]);
  });

  it('GIVEN a mixed batch THEN each target gets its own outcome, in input order', async () => {
    const results = await bf.batch.remove([
      target('lobby', U.ada),
      target('support', U.bob),
      target('no-such-channel', U.ada),
      target('sales', U.bob),
      target('support', U.eve),
    ]);
    expect(results).toEqual([
      expect.objectContaining({ outcome: 'unsupported', code: 'anonymous-channel' }),
      { outcome: 'removed' },
      { outcome: 'denied', code: 'room-not-found', hint: 'BetterForms has no channel no-such-channel' },
      { outcome: 'not_member' },
      { outcome: 'not_member' },
    ]);
    expect(fake.callsTo(REMOVE_USER)).toHaveLength(3);
  });

  it('GIVEN a revoked key THEN every channel fails unauthorized, no key in the answers or the logs', async () => {
    const lines: string[] = [];
    const log = (o: object, m?: string) => lines.push(JSON.stringify([o, m]));
    const capture: Logger = { debug: log, info: log, warn: log, error: log, child: () => capture };
    fake.revoke();
    const results = await connect(fake, capture).batch.remove([
      target('support', U.ada),
      target('sales', U.eve),
    ]);
    expect(results).toEqual(
      [0, 1].map(() => ({
        outcome: 'failed',
        code: 'unauthorized',
        hint: "BetterForms refused kickbot's API key",
      })),
    );
    expect(fake.callsTo(REMOVE_USER).map((c) => c.status)).toEqual([401, 401]);
    expect(lines.length).toBeGreaterThan(0);
    expect(JSON.stringify([results, lines])).not.toContain(KEY);
  });

  it('GIVEN a 400, a 403 or a 409 THEN failed bad-request, unauthorized, betterforms-409', async () => {
    const answers = [];
    for (const status of [400, 403, 409]) {
      fake.failNext(REMOVE_USER, { status, body: { error: 'no' } });
      answers.push(await bf.remove(target('support', U.ada)));
    }
    expect(answers.map((a) => ('code' in a ? a.code : a.outcome))).toEqual([
      'bad-request',
      'unauthorized',
      'betterforms-409',
    ]);
    expect(fake.isMember('support', U.ada)).toBe(true);
  });

  it('GIVEN a 201 without the users list THEN failed betterforms-bad-answer, not a guess', async () => {
    fake.failNext(REMOVE_USER, { status: 201, body: { ok: true } });
    expect(await bf.remove(target('support', U.ada))).toMatchObject({
      outcome: 'failed',
      code: 'betterforms-bad-answer',
    });
  });

  it('GIVEN a 503 on the second channel after the first removed someone THEN the first stays removed and the second fails', async () => {
    fake.failNext(REMOVE_USER, { status: 201, body: { users: [U.ada] } });
    fake.failNext(REMOVE_USER, { status: 503 });
    const results = await bf.batch.remove([target('support', U.ada), target('sales', U.eve)]);
    expect(results).toEqual([
      { outcome: 'removed' },
      { outcome: 'failed', code: 'betterforms-unavailable', hint: 'betterforms had an error (503)' },
    ]);
  });

  it('GIVEN a 503 on the second channel after the first removed nobody THEN the whole call throws, to be sent again', async () => {
    fake.failNext(REMOVE_USER, { status: 201, body: { users: [] } });
    fake.failNext(REMOVE_USER, { status: 503 });
    const error = await bf.batch
      .remove([target('support', U.eve), target('sales', U.ada)])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error).toMatchObject({ code: 'betterforms-unavailable', retryable: true });
  });
});

describe('betterforms: the fake keeps to the documented REST shape', () => {
  let fake: FakeBetterForms;
  beforeEach(async () => {
    fake = await startFake();
  });
  afterEach(async () => {
    await fake.close();
  });

  const post = async (body: unknown) => {
    const res = await fetch(`${fake.url}/message/removeuser`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as unknown };
  };

  it("GIVEN the FileMaker script's shape THEN 400, and nobody leaves", async () => {
    for (const body of [
      { apiKey: KEY, users: U.ada, channels: { name: 'support', mode: 'ignore' } },
      { apiKey: KEY, users: [U.ada, U.bob], channels: [{ name: 'support' }] },
      { apiKey: KEY, users: U.ada },
    ]) {
      const res = await post(body);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ error: expect.any(String) });
    }
    expect(fake.isMember('support', U.ada)).toBe(true);
  });

  it('GIVEN unknown keys, a bad mode or a numeric id THEN 400; a wrong key THEN 401; an unknown channel THEN 404', async () => {
    const one = (channel: object, id: unknown = U.ada) => ({
      apiKey: KEY,
      users: [{ id, channels: [channel] }],
    });
    expect((await post({ ...one({ name: 'support' }), token: KEY })).status).toBe(400);
    expect((await post(one({ name: 'support', mode: 'mute' }))).status).toBe(400);
    expect((await post(one({ name: 'support' }, 42))).status).toBe(400);
    expect(await post({ ...one({ name: 'support' }), apiKey: 'fake-bf-key-9999' })).toEqual({
      status: 401,
      body: { error: 'Invalid apiKey' },
    });
    expect((await post(one({ name: 'nowhere' }))).status).toBe(404);
    expect(fake.isMember('support', U.ada)).toBe(true);
  });

  it('GIVEN the REST shape over several channels THEN 201 lists the users removed from at least one; anonymous tabs stay', async () => {
    const res = await post({
      apiKey: KEY,
      users: [
        { id: U.ada, channels: [{ name: 'support' }, { name: 'lobby' }] },
        { id: U.eve, channels: [{ name: 'support', mode: 'ignore' }] },
      ],
    });
    expect(res).toEqual({ status: 201, body: { users: [U.ada] } });
    expect(fake.isMember('support', U.ada)).toBe(false);
    expect(fake.isMember('lobby', U.ada)).toBe(true);
  });
});
