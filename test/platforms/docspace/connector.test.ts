import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ConnectorError,
  type Id,
  localOf,
  type RemovalTarget,
  silentLogger,
} from '../../../src/core/index.js';
import { DocSpaceConnector } from '../../../src/platforms/docspace/DocSpaceConnector.js';
import {
  FakeDocSpace,
  type FakeDocSpaceOptions,
  DOCSPACE_ROUTES as R,
} from '../../fakes/docspace/FakeDocSpace.js';
import { type SeedRig, seedContract } from '../seeds/contract.js';

/**
 * The DocSpace connector against the fake DocSpace portal on loopback: the contract every seed connector keeps,
 * then what DocSpace's docs describe (a DELETE with the JSON body `{members}`, the bare API key in
 * `Authorization`, the envelope), how kickbot tells removed from not_member by comparing the group before and
 * after (DocSpace skips non-members silently), one DELETE per group, status codes as outcomes, and undo by PUT.
 */

const KEY = 'fake-docspace-key-0001';
const G = {
  staff: 'c652dba3-210e-436d-b264-df5ceda0a48e',
  ops: '08e455dc-98c4-4390-b36f-54757080149c',
  nowhere: '00000000-0000-4000-8000-000000000000',
} as const;
const U = {
  ada: '4c65a238-ca50-4374-b904-0d51d4c1822b',
  bob: '75a5f745-f697-4418-b38d-0fe0d277e258',
  cyd: '1f0e5b1e-2a7a-4d4e-9d59-3c1b8a6f0c01',
  dan: '9b2c7d3e-5f61-4a8b-8c9d-0e1f2a3b4c5d',
} as const;

const room = (group: string): Id => `docspace:${group}`;
const user = (uuid: string): Id => `docspace:${uuid}`;
const target = (uuid: string, group: string = G.staff): RemovalTarget => ({
  room: room(group),
  user: user(uuid),
  actor: 'console:ada',
  reason: 'offboarding',
  caseId: 5,
});

/** staff: ada (manager), bob, cyd; ops: bob, dan; dan is not in staff. */
function startFake(opts: Partial<FakeDocSpaceOptions> = {}): Promise<FakeDocSpace> {
  return FakeDocSpace.start({
    apiKey: KEY,
    users: { [U.ada]: 'Ada', [U.bob]: 'Bob', [U.cyd]: 'Cyd', [U.dan]: 'Dan' },
    groups: [
      { id: G.staff, name: 'Staff', manager: U.ada, members: [U.ada, U.bob, U.cyd] },
      { id: G.ops, name: 'Ops', members: [U.bob, U.dan] },
    ],
    ...opts,
  });
}

const connectorFor = (fake: FakeDocSpace, apiKey = KEY): DocSpaceConnector =>
  new DocSpaceConnector({ url: fake.url, apiKey, logger: silentLogger });

seedContract('docspace', async (): Promise<SeedRig> => {
  const fake = await startFake();
  return {
    remover: connectorFor(fake),
    room: room(G.staff),
    member: user(U.bob),
    member2: user(U.cyd),
    outsider: user(U.dan),
    unknownRoom: room(G.nowhere),
    isMember: (r, u) => fake.isMember(localOf(r), localOf(u)),
    revokeCredentials: () => fake.revoke(),
    failNextRemoval: (status) => fake.failNext(R.remove, status),
    removalRequests: () => fake.callsTo(R.remove).length,
    secrets: [KEY],
    close: () => fake.close(),
  };
});

describe('docspace: requests and answers', () => {
  let fake: FakeDocSpace;
  let docspace: DocSpaceConnector;
  beforeEach(async () => {
    fake = await startFake();
    docspace = connectorFor(fake);
  });
  afterEach(async () => {
    await fake.close();
  });

  it('GIVEN a batch THEN one DELETE whose raw JSON body lists exactly the targets who were members, with the bare key', async () => {
    const results = await docspace.batch.remove([target(U.bob), target(U.dan), target(U.cyd)]);
    expect(results).toEqual([{ outcome: 'removed' }, { outcome: 'not_member' }, { outcome: 'removed' }]);
    const [call, ...more] = fake.callsTo(R.remove);
    expect(more).toEqual([]);
    expect(call?.path).toBe(`/api/2.0/group/${G.staff}/members`);
    expect(JSON.parse(call?.raw ?? '')).toEqual({ members: [U.bob, U.cyd] });
    expect(call?.headers['content-type']).toBe('application/json');
    expect(call?.headers.authorization).toBe(KEY);
    expect(fake.calls.every((c) => c.headers.authorization === KEY)).toBe(true);
  });

  it('GIVEN lookups THEN one GET each, with includeMembers (the fake lists no members without it)', async () => {
    expect(await docspace.members(room(G.staff), [user(U.dan), user(U.cyd), user(U.ada)])).toEqual(
      new Map([
        [user(U.cyd), { roles: [] }],
        [user(U.ada), { roles: [] }],
      ]),
    );
    expect(await docspace.room(room(G.staff))).toEqual({
      id: room(G.staff),
      name: 'Staff',
      type: 'group',
      owners: 0,
      label: 'DocSpace group Staff',
    });
    expect(fake.calls.map((c) => `${c.method} ${c.path}`)).toEqual(
      Array(2).fill(`GET /api/2.0/group/${G.staff}`),
    );
  });

  it('GIVEN targets in two groups THEN one GET and one DELETE per group, results in the order of the targets', async () => {
    const results = await docspace.batch.remove([
      target(U.dan, G.ops),
      target(U.bob, G.staff),
      target(U.dan, G.staff),
      target(U.bob, G.ops),
    ]);
    expect(results.map((r) => r.outcome)).toEqual(['removed', 'removed', 'not_member', 'removed']);
    expect(fake.callsTo(R.remove).map((c) => [c.path, c.body])).toEqual([
      [`/api/2.0/group/${G.ops}/members`, { members: [U.dan, U.bob] }],
      [`/api/2.0/group/${G.staff}/members`, { members: [U.bob] }],
    ]);
    expect(fake.callsTo(R.group).length).toBe(2);
    expect(fake.isMember(G.ops, U.bob) || fake.isMember(G.staff, U.bob)).toBe(false);
  });

  it('GIVEN only non-members THEN not_member for each and no DELETE at all', async () => {
    const results = await docspace.batch.remove([target(U.dan), target(U.dan, G.staff)]);
    expect(results).toEqual([{ outcome: 'not_member' }, { outcome: 'not_member' }]);
    expect(fake.callsTo(R.remove)).toEqual([]);
  });

  it('GIVEN DocSpace answers the group with the user still in it THEN failed not-removed, the others removed', async () => {
    fake.pin(G.staff, U.cyd);
    const results = await docspace.batch.remove([target(U.bob), target(U.cyd)]);
    expect(results[0]).toEqual({ outcome: 'removed' });
    expect(results[1]).toMatchObject({ outcome: 'failed', code: 'not-removed' });
    expect(fake.isMember(G.staff, U.cyd)).toBe(true);
  });

  it('GIVEN an unknown group THEN every target of it denied room-not-found, other groups still done', async () => {
    const results = await docspace.batch.remove([
      target(U.bob, G.nowhere),
      target(U.bob),
      target(U.cyd, G.nowhere),
    ]);
    expect(results[0]).toMatchObject({ outcome: 'denied', code: 'room-not-found' });
    expect(results[1]).toEqual({ outcome: 'removed' });
    expect(results[2]).toMatchObject({ outcome: 'denied', code: 'room-not-found' });
    expect(fake.callsTo(R.remove).map((c) => c.path)).toEqual([`/api/2.0/group/${G.staff}/members`]);
    expect(await docspace.room(room(G.nowhere))).toBeUndefined();
  });

  it('GIVEN a wrong key THEN removals fail unauthorized with a hint about the key, lookups throw, the key never shows', async () => {
    const wrong = connectorFor(fake, 'fake-docspace-key-9999');
    const result = await wrong.remove(target(U.bob));
    expect(result).toEqual({
      outcome: 'failed',
      code: 'unauthorized',
      hint: "DocSpace refused kickbot's API key",
    });
    const error = await wrong.room(room(G.staff)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectorError);
    expect((error as ConnectorError).code).toBe('unauthorized');
    expect((error as ConnectorError).retryable).toBe(false);
    expect(`${(error as Error).message} ${JSON.stringify(result)}`).not.toContain('fake-docspace-key');
    expect(fake.isMember(G.staff, U.bob)).toBe(true);
  });

  it('GIVEN a 403 on the DELETE THEN failed forbidden (hint: edit groups), non-members still not_member; a 409 THEN docspace-409', async () => {
    fake.failNext(R.remove, 403);
    const results = await docspace.batch.remove([target(U.bob), target(U.dan)]);
    expect(results[0]).toMatchObject({ outcome: 'failed', code: 'forbidden' });
    expect(results[0] && 'hint' in results[0] ? results[0].hint : '').toMatch(/permission to edit groups/);
    expect(results[1]).toEqual({ outcome: 'not_member' });
    expect(fake.isMember(G.staff, U.bob)).toBe(true);
    fake.failNext(R.remove, 409);
    expect(await docspace.remove(target(U.bob))).toMatchObject({ outcome: 'failed', code: 'docspace-409' });
  });

  it('GIVEN an id that is no UUID THEN failed user-not-found and never sent; an upper-case UUID THEN it matches', async () => {
    const results = await docspace.batch.remove([target('bob'), target(U.bob), target(U.cyd.toUpperCase())]);
    expect(results[0]).toMatchObject({ outcome: 'failed', code: 'user-not-found' });
    expect(results.slice(1)).toEqual([{ outcome: 'removed' }, { outcome: 'removed' }]);
    expect(fake.callsTo(R.remove).map((c) => c.body)).toEqual([{ members: [U.bob, U.cyd] }]);
  });

  it('GIVEN a second group fails after the first changed THEN the first stays removed and the second fails, no throw', async () => {
    fake.outage(G.staff, 503);
    const results = await docspace.batch.remove([target(U.dan, G.ops), target(U.bob, G.staff)]);
    expect(results[0]).toEqual({ outcome: 'removed' });
    expect(results[1]).toMatchObject({ outcome: 'failed', code: 'docspace-unavailable' });
    expect(fake.isMember(G.ops, U.dan)).toBe(false);
  });

  it('GIVEN the first group fails before any change THEN a retryable ConnectorError, so the core retries', async () => {
    fake.outage(G.ops, 503);
    const error = await docspace.batch
      .remove([target(U.dan, G.ops), target(U.bob, G.staff)])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectorError);
    expect((error as ConnectorError).retryable).toBe(true);
    expect(fake.callsTo(R.remove)).toEqual([]);
  });

  it('GIVEN undo THEN one PUT with {members:[uuid]} and the user is back; a member already THEN no PUT', async () => {
    await docspace.remove(target(U.bob));
    expect(await docspace.restore(target(U.bob), [])).toEqual({ outcome: 'restored' });
    const [put, ...more] = fake.callsTo(R.add);
    expect(more).toEqual([]);
    expect(put?.path).toBe(`/api/2.0/group/${G.staff}/members`);
    expect(JSON.parse(put?.raw ?? '')).toEqual({ members: [U.bob] });
    expect(put?.headers.authorization).toBe(KEY);
    expect(fake.isMember(G.staff, U.bob)).toBe(true);
    expect(await docspace.restore(target(U.cyd), [])).toEqual({ outcome: 'already_member' });
    expect(fake.callsTo(R.add).length).toBe(1);
  });

  it('GIVEN undo refused or impossible THEN failed with the mapped code', async () => {
    expect(await docspace.restore(target(U.bob, G.nowhere), [])).toMatchObject({
      outcome: 'failed',
      code: 'room-not-found',
    });
    fake.failNext(R.add, 403);
    expect(await docspace.restore(target(U.dan), [])).toMatchObject({ outcome: 'failed', code: 'forbidden' });
    fake.users.delete(U.dan); // DocSpace skips an unknown account: the answer shows it was not added
    expect(await docspace.restore(target(U.dan), [])).toMatchObject({
      outcome: 'failed',
      code: 'not-restored',
    });
    expect(fake.isMember(G.staff, U.dan)).toBe(false);
  });
});

describe('docspace: a portal that answers a removal with `response: true`', () => {
  it('GIVEN no group in the DELETE answer THEN the group is read again to tell removed from kept', async () => {
    const fake = await startFake({ removalAnswer: 'true' });
    try {
      fake.pin(G.staff, U.cyd);
      const results = await connectorFor(fake).batch.remove([target(U.bob), target(U.cyd)]);
      expect(results[0]).toEqual({ outcome: 'removed' });
      expect(results[1]).toMatchObject({ outcome: 'failed', code: 'not-removed' });
      expect(fake.calls.map((c) => c.method)).toEqual(['GET', 'DELETE', 'GET']);
    } finally {
      await fake.close();
    }
  });
});

describe('docspace: the fake refuses what DocSpace would', () => {
  let fake: FakeDocSpace;
  beforeEach(async () => {
    fake = await startFake();
  });
  afterEach(async () => {
    await fake.close();
  });

  const send = (method: string, path: string, init: { body?: string; type?: string; key?: string } = {}) =>
    fetch(fake.url + path, {
      method,
      headers: {
        authorization: init.key ?? KEY,
        ...(init.type ? { 'content-type': init.type } : {}),
      },
      ...(init.body === undefined ? {} : { body: init.body }),
    });

  it('GIVEN a DELETE without a body, or with a bad members field THEN 400 in the envelope, nothing removed', async () => {
    const path = `/api/2.0/group/${G.staff}/members`;
    for (const body of ['', '{}', '{"members":"x"}', `{"members":[1]}`, '{"members":["bob"]}']) {
      const res = await send('DELETE', path, { body, type: 'application/json' });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ status: 1, statusCode: 400 });
    }
    expect((await send('DELETE', path, { body: `{"members":["${U.bob}"]}` })).status).toBe(415);
    expect(fake.isMember(G.staff, U.bob)).toBe(true);
  });

  it('GIVEN a Bearer key THEN 401; a GET without includeMembers THEN the group without members', async () => {
    const refused = await send('GET', `/api/2.0/group/${G.staff}`, { key: `Bearer ${KEY}` });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toEqual({ status: 1, statusCode: 401, error: { message: 'Unauthorized' } });
    const res = await send('GET', `/api/2.0/group/${G.staff}`);
    const body = (await res.json()) as { status: number; response: Record<string, unknown> };
    expect(body).toMatchObject({
      status: 0,
      statusCode: 200,
      count: 1,
      response: { id: G.staff, name: 'Staff' },
    });
    expect(body.response.members).toBeUndefined();
  });
});
