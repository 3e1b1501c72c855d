import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectorError, type Id, type RemovalTarget, silentLogger } from '../../../src/core/index.js';
import { resultsOf } from '../../../src/platforms/feedbackhouse/answers.js';
import { FeedbackHouseConnector } from '../../../src/platforms/feedbackhouse/FeedbackHouseConnector.js';
import {
  FakeFeedbackHouse,
  type FakeFeedbackHouseOptions,
  REMOVE_ROUTE,
} from '../../fakes/feedbackhouse/FakeFeedbackHouse.js';
import { type SeedRig, seedContract } from '../seeds/contract.js';

/**
 * The feedback.house connector against the fake Area API on loopback: the seed contract, then what is its own —
 * the batch body across areas, the key's header, the doc's example answers, per-area errors, the rate limit.
 * Ids are shaped like the doc's examples (MongoDB ObjectIds); the key is made up.
 */

const KEY = 'fake-fh-key-0001';
const AREA = '997f1f77bcf86cd799439011';
const AREA2 = '997f1f77bcf86cd799439012';
const UNKNOWN_AREA = '997f1f77bcf86cd7994390ff';
const ANA = '507f1f77bcf86cd799439011';
const BEN = '507f1f77bcf86cd799439012';
const CAL = '507f1f77bcf86cd799439014'; // in no area
const DEE = '507f1f77bcf86cd799439016';

const fh = (local: string): Id => `feedbackhouse:${local}`;
const target = (area: string, user: string): RemovalTarget => ({
  room: fh(area),
  user: fh(user),
  actor: 'console:ada',
  reason: 'offboarding',
  caseId: 7,
});

/** Every fake a test started, closed after it. */
const opened: FakeFeedbackHouse[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((fake) => fake.close()));
});

async function setup(opts: Partial<FakeFeedbackHouseOptions> = {}, apiKeyHeader?: string) {
  const fake = await FakeFeedbackHouse.start({ apiKey: KEY, ...opts });
  opened.push(fake);
  fake.addArea(AREA, [ANA, BEN]);
  fake.addArea(AREA2, [DEE]);
  const connector = new FeedbackHouseConnector({
    url: fake.url,
    apiKey: KEY,
    logger: silentLogger,
    timeoutMs: 2_000,
    ...(apiKeyHeader ? { apiKeyHeader } : {}),
  });
  return { fake, connector };
}

async function thrown(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

seedContract('feedbackhouse', async (): Promise<SeedRig> => {
  const { fake, connector } = await setup();
  return {
    remover: connector,
    room: fh(AREA),
    member: fh(ANA),
    member2: fh(BEN),
    outsider: fh(CAL),
    unknownRoom: fh(UNKNOWN_AREA),
    isMember: (room, user) =>
      fake.isMember(room.slice('feedbackhouse:'.length), user.slice('feedbackhouse:'.length)),
    revokeCredentials: () => fake.revoke(),
    failNextRemoval: (status) =>
      fake.failNext(REMOVE_ROUTE, { status, body: { status: 'ERROR', message: 'boom' } }),
    removalRequests: () => fake.removals().length,
    secrets: [KEY],
    close: () => fake.close(),
  };
});

describe('feedback.house: requests', () => {
  let fake: FakeFeedbackHouse;
  let connector: FeedbackHouseConnector;
  beforeEach(async () => {
    ({ fake, connector } = await setup());
  });

  it('GIVEN targets across two areas THEN one request, one element per area, each user once, results in order', async () => {
    const targets = [target(AREA, ANA), target(AREA2, DEE), target(AREA, BEN), target(AREA, ANA)];
    const results = await connector.batch.remove(targets);
    expect(fake.removals()).toHaveLength(1);
    expect(fake.removals()[0]?.body).toEqual({
      areaUsersRemove: [
        { areaId: AREA, users: [ANA, BEN] },
        { areaId: AREA2, users: [DEE] },
      ],
    });
    expect(results.map((r) => r.outcome)).toEqual(['removed', 'removed', 'removed', 'removed']);
    expect([fake.isMember(AREA, ANA), fake.isMember(AREA, BEN), fake.isMember(AREA2, DEE)]).toEqual([
      false,
      false,
      false,
    ]);
  });

  it('GIVEN no apiKeyHeader THEN the key goes as Authorization: Bearer, in JSON', async () => {
    await connector.remove(target(AREA, ANA));
    const call = fake.removals()[0];
    expect(call?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(call?.headers['content-type']).toBe('application/json');
  });

  it('GIVEN room THEN a group named by its area id, without a request', async () => {
    expect(await connector.room(fh(AREA))).toEqual({
      id: fh(AREA),
      name: AREA,
      type: 'group',
      owners: 0,
      label: `feedback.house area ${AREA}`,
    });
    expect(fake.calls).toHaveLength(0);
  });

  it('GIVEN one unknown area in a batch THEN its targets are denied room-not-found, the rest go through, in order', async () => {
    const results = await connector.batch.remove([
      target(UNKNOWN_AREA, ANA),
      target(AREA, ANA),
      target(UNKNOWN_AREA, BEN),
      target(AREA, CAL),
    ]);
    expect(results).toEqual([
      { outcome: 'denied', code: 'room-not-found' },
      { outcome: 'removed' },
      { outcome: 'denied', code: 'room-not-found' },
      { outcome: 'not_member' },
    ]);
    expect(fake.removals()).toHaveLength(1);
    expect(fake.isMember(AREA, ANA)).toBe(false);
  });

  it('GIVEN an area error other than not found, and a user left out of the answer THEN area-error with its message, and no-answer', async () => {
    fake.failNext(REMOVE_ROUTE, {
      status: 200,
      body: {
        data: [{ areaId: AREA, users: [ANA], usersNotUpdated: [] }],
        errors: [{ data: { areaId: AREA2, users: [DEE] }, message: 'Area is archived' }],
        message: 'Updated 1 | Not Updated 0 | Errors 1',
        status: 'ERROR',
      },
    });
    const results = await connector.batch.remove([target(AREA, ANA), target(AREA, BEN), target(AREA2, DEE)]);
    expect(results).toEqual([
      { outcome: 'removed' },
      { outcome: 'failed', code: 'no-answer', hint: 'feedback.house did not report on this user' },
      { outcome: 'failed', code: 'area-error', hint: 'Area is archived' },
    ]);
  });

  it('GIVEN a 4xx that still reports per area THEN the per-area answer is read', async () => {
    fake.failNext(REMOVE_ROUTE, {
      status: 400,
      body: {
        data: [],
        errors: [{ data: { areaId: AREA, users: [] }, message: 'Missing users' }],
        message: 'Updated 0 | Not Updated 0 | Errors 1',
        status: 'ERROR',
      },
    });
    expect(await connector.remove(target(AREA, ANA))).toEqual({
      outcome: 'failed',
      code: 'area-error',
      hint: 'Missing users',
    });
  });

  it('GIVEN another 4xx THEN every target failed feedbackhouse-<status> with the API message, key scrubbed', async () => {
    fake.failNext(REMOVE_ROUTE, {
      status: 400,
      body: { status: 'ERROR', message: `bad request from ${KEY}` },
    });
    const results = await connector.batch.remove([target(AREA, ANA), target(AREA2, DEE)]);
    const failed = { outcome: 'failed', code: 'feedbackhouse-400', hint: 'bad request from [api key]' };
    expect(results).toEqual([failed, failed]);
    expect(fake.isMember(AREA, ANA)).toBe(true);
  });

  it('GIVEN a 403 THEN failed unauthorized too', async () => {
    fake.failNext(REMOVE_ROUTE, { status: 403, body: { status: 'ERROR', message: 'Not an admin key' } });
    expect(await connector.remove(target(AREA, ANA))).toMatchObject({
      outcome: 'failed',
      code: 'unauthorized',
    });
  });
});

describe('feedback.house: the key', () => {
  it('GIVEN apiKeyHeader THEN the key goes in that header only, and the fake accepts it', async () => {
    const { fake, connector } = await setup({ apiKeyHeader: 'X-Api-Key' }, 'X-Api-Key');
    expect(await connector.remove(target(AREA, ANA))).toEqual({ outcome: 'removed' });
    const call = fake.removals()[0];
    expect(call?.headers['x-api-key']).toBe(KEY);
    expect(call?.headers.authorization).toBeUndefined();
  });

  it('GIVEN the key in the wrong header THEN 401: failed unauthorized for every target, no key in the result', async () => {
    const { fake, connector } = await setup({ apiKeyHeader: 'X-Api-Key' });
    const results = await connector.batch.remove([target(AREA, ANA), target(AREA2, DEE)]);
    const unauthorized = {
      outcome: 'failed',
      code: 'unauthorized',
      hint: "feedback.house refused kickbot's API key",
    };
    expect(results).toEqual([unauthorized, unauthorized]);
    expect(fake.removals().map((c) => c.status)).toEqual([401]);
    expect(JSON.stringify(results)).not.toContain(KEY);
    expect(fake.isMember(AREA, ANA)).toBe(true);
  });
});

describe('feedback.house: the rate limit (10 requests a second)', () => {
  it('GIVEN an 11th request in the same second THEN a retryable ConnectorError after 1000 ms; the next second THEN it goes through', async () => {
    let now = 5_000;
    const { fake, connector } = await setup({ now: () => now });
    for (let i = 0; i < 10; i++)
      expect(await connector.remove(target(AREA, CAL))).toEqual({ outcome: 'not_member' });
    const error = await thrown(connector.remove(target(AREA, ANA)));
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error).toMatchObject({ code: 'ratelimited', retryable: true, retryAfterMs: 1000 });
    expect(fake.isMember(AREA, ANA)).toBe(true);
    now += 1_000;
    expect(await connector.remove(target(AREA, ANA))).toEqual({ outcome: 'removed' });
  });
});

/**
 * The doc's three example answers, with its `"ObjectId"` placeholders filled in with distinct ids so that each
 * user can be told apart; shapes, messages and statuses are as printed.
 */
describe('feedback.house: the documented answers, mapped per target', () => {
  const answers = {
    ok: {
      data: [{ areaId: AREA, users: [ANA, BEN, DEE], usersNotUpdated: [] }],
      errors: [],
      message: 'Updated 3 | Not Updated 0 | Errors 0',
      status: 'OK',
    },
    notUpdated: {
      data: [{ areaId: AREA, users: [ANA, BEN, DEE], usersNotUpdated: [CAL] }],
      errors: [],
      message: 'Updated 3 | Not Updated 1 | Errors 0',
      status: 'OK',
    },
    errors: {
      data: [],
      errors: [{ data: { areaId: AREA, users: [] }, message: 'Missing users' }],
      message: 'Updated 0 | Not Updated 0 | Errors 1',
      status: 'ERROR',
    },
  };

  it('GIVEN the answer without errors THEN every named user removed', () => {
    const targets = [ANA, BEN, DEE].map((u) => target(AREA, u));
    expect(resultsOf(targets, answers.ok)).toEqual([
      { outcome: 'removed' },
      { outcome: 'removed' },
      { outcome: 'removed' },
    ]);
  });

  it('GIVEN the answer with a user not updated THEN that user not_member, the others removed', () => {
    const targets = [CAL, ANA, BEN, DEE].map((u) => target(AREA, u));
    expect(resultsOf(targets, answers.notUpdated).map((r) => r.outcome)).toEqual([
      'not_member',
      'removed',
      'removed',
      'removed',
    ]);
  });

  it("GIVEN the answer with an area error THEN that area's targets failed area-error with the message; another area's no-answer", () => {
    expect(resultsOf([target(AREA, ANA), target(AREA2, DEE)], answers.errors)).toEqual([
      { outcome: 'failed', code: 'area-error', hint: 'Missing users' },
      { outcome: 'failed', code: 'no-answer', hint: 'feedback.house did not report on this user' },
    ]);
  });

  it('GIVEN an answer that is not the documented shape THEN every target no-answer', () => {
    expect(resultsOf([target(AREA, ANA)], undefined).map((r) => r.outcome)).toEqual(['failed']);
    expect(resultsOf([target(AREA, ANA)], { data: 'nope' })).toMatchObject([{ code: 'no-answer' }]);
  });
});
