import type { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import type {
  AuditRecord,
  Logger,
  PairResult,
  PlannedPair,
  Progress,
  Reply,
  ResultReply,
  Store,
} from '../../src/core/index.js';
import { BullBulkRunner } from '../../src/jobs/BullBulkRunner.js';
import { startBulkWorker } from '../../src/jobs/bulk-worker.js';
import { bullConnection } from '../../src/jobs/bull.js';
import { RedisWorkspace } from '../../src/platforms/console/RedisWorkspace.js';
import { parseWorkspace } from '../../src/platforms/console/workspace-file.js';
import { MemoryWorkspace } from '../../src/platforms/console/workspace-state.js';
import { MemoryStore } from '../../src/store/MemoryStore.js';
import { RedisStore } from '../../src/store/RedisStore.js';
import { bulkWorkspace, consoleCore, kickAll, roomIds, userIds } from '../helpers/jobs.js';
import { loggerTo } from '../helpers/log-capture.js';
import { redisUrl, testClient, testPrefix } from '../helpers/redis.js';
import { waitFor } from '../helpers/wait.js';

/**
 * Bulk jobs in one process: a front end whose core sends big batches to BullMQ (BullBulkRunner), and a worker
 * (startBulkWorker) with its own core on the same Redis prefix, sharing the console workspace through Redis.
 */

const WS = 'bulk';
const WORKSPACE = `console:${WS}`;

let cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step().catch(() => {});
  cleanup = [];
});

/** Every (room, user) of `bulkWorkspace(users, rooms)`, in plan order: rooms as named, then users as named. */
const planOrder = (users: number, rooms: number) =>
  roomIds(rooms).flatMap((room) => userIds(users).map((user) => `console:${room}|console:${user}`));

const pairKey = (r: { room: string; user: string }) => `${r.room}|${r.user}`;
const auditKey = (r: AuditRecord) => `${r.room}|${r.target}`;

/** How many times each key occurs. */
function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

/** Progress reports: `done` never goes back, `total` never changes, and the last one is the end. */
function expectProgressToEnd(progress: readonly Progress[], total: number) {
  expect(progress.length).toBeGreaterThan(0);
  expect(progress.every((p) => p.total === total)).toBe(true);
  for (let i = 1; i < progress.length; i++) {
    expect(progress[i]?.done).toBeGreaterThanOrEqual(progress[i - 1]?.done ?? 0);
  }
  expect(progress.at(-1)).toMatchObject({ done: total, total, etaMs: 0 });
  expect(progress.every((p) => Number.isFinite(p.rate) && p.rate >= 0)).toBe(true);
}

function recordingLogger(warnings: object[]): Logger {
  return loggerTo(({ level, obj }) => {
    if (level === 'warn' || level === 'error') warnings.push(obj);
  });
}

/**
 * A front end (enqueues, waits) and a worker (works slices), each with its own core, connector and room-notice
 * record, on one Redis prefix. `workerStore` lets a test put something between the worker and the store.
 */
function redisSetup(
  users: number,
  rooms: number,
  opts: { sliceSize?: number; pollMs?: number; workerStore?: (store: RedisStore) => Store } = {},
) {
  const url = redisUrl();
  const prefix = testPrefix();
  const data = parseWorkspace(bulkWorkspace({ name: WS, users, rooms }), `${WS}.yaml`);
  const client: Redis = testClient(url);
  cleanup.push(() => client.quit());
  const store = new RedisStore(client, { prefix });
  const queueConnection = bullConnection(url);
  cleanup.push(() => queueConnection.quit());
  const runner = new BullBulkRunner({
    connection: queueConnection,
    store,
    prefix,
    ...(opts.sliceSize ? { sliceSize: opts.sliceSize } : {}),
    ...(opts.pollMs ? { pollMs: opts.pollMs } : {}),
  });
  cleanup.push(() => runner.close());
  const front = consoleCore(data, new RedisWorkspace(client, data, { prefix }), store, { bulk: runner });

  const workerStore = opts.workerStore ? opts.workerStore(store) : store;
  const back = consoleCore(data, new RedisWorkspace(client, data, { prefix }), workerStore);
  const warnings: object[] = [];
  const workerConnection = bullConnection(url);
  cleanup.push(() => workerConnection.quit());
  const worker = startBulkWorker({
    core: back.core,
    store: workerStore,
    connection: workerConnection,
    logger: recordingLogger(warnings),
    prefix,
    lockMs: 5_000,
  });
  cleanup.push(() => worker.close());
  return { prefix, data, client, store, runner, front, back, warnings };
}

describe('bulk jobs on BullMQ', () => {
  it('GIVEN /kick of 100 users × 2 rooms with --yes THEN a worker removes each pair once, in plan order, and posts the confirmations', async () => {
    const s = redisSetup(100, 2, { sliceSize: 50 });
    const progress: Progress[] = [];
    const reply = (await s.front.core.handle(s.front.inv('mo', 'r00', kickAll(100, 2)), {
      onProgress: (p) => progress.push(p),
    })) as ResultReply;

    expect(reply).toMatchObject({ kind: 'result', action: 'remove', status: 'ok' });
    expect(reply.results.map(pairKey)).toEqual(planOrder(100, 2));
    expect(reply.results.filter((r) => r.outcome !== 'removed')).toEqual([]);
    expectProgressToEnd(progress, 200);

    // The worker did every removal, each once; the front end did none.
    expect(s.front.connector.removals).toEqual([]);
    const calls = countBy(s.back.connector.removals, pairKey);
    expect(calls.size).toBe(200);
    expect([...calls.values()].every((n) => n === 1)).toBe(true);
    expect(await s.runner.queue.getJobCounts('completed', 'failed', 'active', 'wait', 'delayed')).toEqual({
      completed: 4,
      failed: 0,
      active: 0,
      wait: 0,
      delayed: 0,
    });

    // One confirmation per room, posted by the worker (`announced`), none by the front end.
    expect(s.front.notices).toEqual([]);
    expect(s.back.notices.map((n) => n.room).sort()).toEqual(['console:r00', 'console:r01']);
    for (const n of s.back.notices) {
      expect(n.text).toMatch(/removed by mo \(reason: spam\) · case \d+$/);
      expect(n.text).toContain(`case ${reply.caseId}`);
    }

    // The audit log: exactly one `removed` record per pair.
    const audit = await s.store.readAudit({ workspace: WORKSPACE, caseId: reply.caseId });
    const recorded = countBy(audit, auditKey);
    expect([...recorded.keys()].sort()).toEqual(planOrder(100, 2).sort());
    expect([...recorded.values()].every((n) => n === 1)).toBe(true);
    expect(audit.every((r) => r.outcome === 'removed')).toBe(true);

    const state = new RedisWorkspace(s.client, s.data, { prefix: s.prefix });
    for (const room of roomIds(2)) {
      expect([...(await state.allMembers(room)).keys()].sort()).toEqual(['kickbot', 'mo']);
    }
    expect(s.warnings).toEqual([]);
  });

  it('GIVEN a batch at the bulk threshold (50) THEN it runs inline: no BullMQ job, the front end confirms', async () => {
    const s = redisSetup(25, 2);
    const progress: Progress[] = [];
    const reply = (await s.front.core.handle(s.front.inv('mo', 'r00', kickAll(25, 2)), {
      onProgress: (p) => progress.push(p),
    })) as ResultReply;

    expect(reply.results.map(pairKey)).toEqual(planOrder(25, 2));
    expect(reply.results.every((r) => r.outcome === 'removed')).toBe(true);
    expectProgressToEnd(progress, 50);
    expect(s.front.connector.removals).toHaveLength(50);
    expect(s.back.connector.removals).toEqual([]);
    const counts = await s.runner.queue.getJobCounts();
    expect(
      Object.values(counts).every((n) => n === 0),
      JSON.stringify(counts),
    ).toBe(true);
    expect(s.front.notices.map((n) => n.room).sort()).toEqual(['console:r00', 'console:r01']);
    expect(s.back.notices).toEqual([]);
    const audit = await s.store.readAudit({ workspace: WORKSPACE, caseId: reply.caseId });
    expect(audit).toHaveLength(50);
  });

  it('GIVEN the worker is slow between its last removal and its confirmation THEN the rooms are still told once', async () => {
    // The front end sees every pair settled before the worker has claimed the announcement: only one may post.
    // The worker is held after its last settle until the front end has replied (or has seen the job done in
    // three polls, for a front end that waits for the worker's confirmation instead).
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const total = 60;
    const s = redisSetup(30, 2, {
      pollMs: 10,
      workerStore: (store) => afterSettle(store, (done) => (done >= total ? held : undefined)),
    });
    let polls = 0;
    const reply = (await s.front.core
      .handle(s.front.inv('mo', 'r00', kickAll(30, 2)), {
        onProgress: (p) => {
          if (p.done >= total && ++polls >= 3) release();
        },
      })
      .finally(release)) as ResultReply;
    expect(reply.results.every((r) => r.outcome === 'removed')).toBe(true);
    // The worker's slice ends (its confirmation, if it posts one, comes before that).
    await waitFor('the slice to complete', async () =>
      (await s.runner.queue.getJobCounts('completed')).completed === 1 ? true : undefined,
    );
    const notices = [...s.front.notices, ...s.back.notices];
    expect(notices.map((n) => n.room).sort()).toEqual(['console:r00', 'console:r01']);
  });
});

describe('resuming a slice (marks of an earlier attempt)', () => {
  /** A job of 10 users × 2 rooms (20 pairs, plan order) on Redis, with a core to work its slices. */
  async function jobFixture() {
    const prefix = testPrefix();
    const data = parseWorkspace(bulkWorkspace({ name: WS, users: 10, rooms: 2 }), `${WS}.yaml`);
    const client = testClient();
    cleanup.push(() => client.quit());
    const store = new RedisStore(client, { prefix });
    const state = new RedisWorkspace(client, data, { prefix });
    const k = consoleCore(data, state, store, { execute: { lockWaitMs: 300 } });
    const inv = k.inv('mo', 'r00', kickAll(10, 2));
    const caseId = await store.nextCaseId(WORKSPACE);
    const job = `job-${prefix}`;
    const pairs: PlannedPair[] = planOrder(10, 2).map((key) => {
      const [room, user] = key.split('|') as [string, string];
      return { room, user, reason: 'spam', verdict: { ok: true }, roles: [] };
    });
    const record = (pair: PlannedPair, result: PairResult): AuditRecord => ({
      caseId,
      workspace: WORKSPACE,
      action: 'remove',
      actor: 'console:mo',
      target: pair.user,
      room: pair.room,
      reason: 'spam',
      outcome: result.outcome,
      ...(result.code ? { code: result.code } : {}),
      invocation: inv.id,
      at: Date.now(),
    });
    const local = (id: string) => id.replace(/^console:/, '');
    /** What an earlier attempt did with pair `index`: locked, removed (or not), recorded, released. */
    const settle = async (index: number, result: Omit<PairResult, 'room' | 'user'>) => {
      const pair = pairs[index] as PlannedPair;
      const full = { room: pair.room, user: pair.user, ...result };
      const key = pairKey(pair);
      const claim = await store.claimPair(key, 30_000, { job, index });
      if (!('token' in claim)) throw new Error(`lock of ${key} not free`);
      const token = claim.token;
      if (result.outcome === 'removed') await state.removeMember(local(pair.room), local(pair.user));
      await store.settlePair(record(pair, full), {
        lock: { key, token },
        mark: { job, index, result: full },
      });
      return full;
    };
    /** Works the pairs from `offset` on, as a worker does with a slice it took: marks read at its start. */
    const work = async (offset: number, progress?: Progress[]) =>
      k.core.executeSlice({
        invocation: inv,
        caseId,
        action: 'remove',
        pairs: pairs.slice(offset),
        ...(progress ? { onProgress: (p: Progress) => progress.push(p) } : {}),
        job: { id: job, offset, total: pairs.length, marks: await store.readMarks(job) },
      });
    const auditCounts = async () =>
      countBy(await store.readAudit({ workspace: WORKSPACE, caseId }), auditKey);
    return { k, store, state, client, prefix, job, caseId, pairs, settle, work, auditCounts };
  }

  for (const lockStillHeld of [false, true]) {
    it(`GIVEN marks of an earlier attempt${lockStillHeld ? ' whose lock on the in-flight pair has not expired yet' : ''} THEN settled pairs are not tried again and the in-flight one ends removed${lockStillHeld ? ' once that lock runs out' : ''}`, async () => {
      // The slice at offset 10 (room r01) is resumed. The earlier attempt settled every pair of the first slice
      // and pairs 10–13 of this one (13 as `failed`), and was removing pair 14 (u004) when it stopped: u004 is
      // gone from r01, its mark says `pending` (and, at first, its lock is still held).
      const f = await jobFixture();
      const before: PairResult[] = [];
      for (let i = 0; i < 13; i++) before.push(await f.settle(i, { outcome: 'removed' }));
      before.push(await f.settle(13, { outcome: 'failed', code: 'timeout' }));
      const inFlight = f.pairs[14] as PlannedPair;
      // A dead worker's lock runs out on its own (it is no longer renewed); a short one keeps the test short.
      const claim = await f.store.claimPair(pairKey(inFlight), lockStillHeld ? 300 : 30_000, {
        job: f.job,
        index: 14,
      });
      const token = 'token' in claim ? claim.token : undefined;
      expect(token).toBeDefined();
      await f.state.removeMember('r01', 'u004');
      if (!lockStillHeld) await f.store.releaseLock(pairKey(inFlight), token as string); // its TTL ran out

      const progress: Progress[] = [];
      const results = await f.work(10, progress);

      // Settled pairs come back as they were, without a call; 14 (in flight) and 15–19 are tried.
      expect(results.slice(0, 4)).toEqual(before.slice(10, 14));
      expect(f.k.connector.removals.map(pairKey).sort()).toEqual(planOrder(10, 2).slice(14));
      // The in-flight pair: the earlier attempt removed u004, so this one finds no member; that is `removed`.
      expect(results[4]).toEqual({ room: 'console:r01', user: 'console:u004', outcome: 'removed' });
      expect(results.slice(5).every((x) => x.outcome === 'removed')).toBe(true);
      expect(results.map(pairKey)).toEqual(planOrder(10, 2).slice(10));

      // Every pair of the job is settled now, counted once; progress starts from the settled ones.
      const marks = await f.store.readMarks(f.job);
      expect(marks.size).toBe(20);
      expect([...marks.values()].includes('pending')).toBe(false);
      expect((marks.get(14) as PairResult).outcome).toBe('removed');
      expect(await f.store.settledCount(f.job)).toBe(20);
      expectProgressToEnd(progress, 20);
      expect(progress[0]?.done).toBeGreaterThan(14);

      // The audit log: exactly one record per pair; the failed one stays failed, and u003 stays in r01.
      const audit = await f.store.readAudit({ workspace: WORKSPACE, caseId: f.caseId });
      const recorded = countBy(audit, auditKey);
      expect(recorded.size).toBe(20);
      expect([...recorded.values()].every((n) => n === 1)).toBe(true);
      expect(audit.filter((a) => a.outcome !== 'removed').map(auditKey)).toEqual([
        'console:r01|console:u003',
      ]);
      expect([...(await f.state.allMembers('r01')).keys()].sort()).toEqual(['kickbot', 'mo', 'u003']);
    });
  }

  it('GIVEN one slice worked by two workers at once (BullMQ hands a stalled slice on) THEN each pair is removed and recorded once', async () => {
    const f = await jobFixture();
    const [a, b] = await Promise.all([f.work(0), f.work(0)]);
    for (const results of [a, b]) {
      expect(results?.map(pairKey)).toEqual(planOrder(10, 2));
      expect(results?.filter((r) => r.outcome !== 'removed')).toEqual([]);
    }
    const calls = countBy(f.k.connector.removals, pairKey);
    expect(calls.size).toBe(20);
    expect([...calls].filter(([, n]) => n > 1)).toEqual([]);
    const recorded = await f.auditCounts();
    expect(recorded.size).toBe(20);
    expect([...recorded].filter(([, n]) => n > 1)).toEqual([]);
    expect(
      [...(await f.store.readMarks(f.job)).values()].every((m) => m !== 'pending' && m.outcome === 'removed'),
    ).toBe(true);
    expect(await f.store.settledCount(f.job)).toBe(20);
  });
});

describe('bulk jobs without Redis', () => {
  it('GIVEN a memory store and the default runner THEN a batch over the threshold runs here with the same progress reports', async () => {
    const data = parseWorkspace(bulkWorkspace({ name: WS, users: 100, rooms: 2 }), `${WS}.yaml`);
    const store = new MemoryStore();
    const k = consoleCore(data, new MemoryWorkspace(data), store);
    const progress: Progress[] = [];
    const inv = k.inv('mo', 'r00', kickAll(100, 2));
    const reply: Reply = await k.core.handle(inv, { onProgress: (p) => progress.push(p) });
    expect(reply).toMatchObject({ kind: 'result', status: 'ok' });
    const results = (reply as ResultReply).results;
    expect(results.map(pairKey)).toEqual(planOrder(100, 2));
    expect(results.every((r) => r.outcome === 'removed')).toBe(true);
    expectProgressToEnd(progress, 200);
    expect(progress.map((p) => p.done)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    const calls = countBy(k.connector.removals, pairKey);
    expect(calls.size).toBe(200);
    expect([...calls.values()].every((n) => n === 1)).toBe(true);
    expect(k.notices.map((n) => n.room).sort()).toEqual(['console:r00', 'console:r01']);
    const audit = await store.readAudit({ workspace: WORKSPACE, caseId: (reply as ResultReply).caseId });
    expect(audit).toHaveLength(200);
    expect(countBy(audit, auditKey).size).toBe(200);
    // It runs as a small batch does: every pair marked under the job while it runs (a resent write is a no-op),
    // and the marks go once the results are in hand.
    const job = `${inv.id}#${(reply as ResultReply).caseId}`;
    expect(await store.settledCount(job)).toBe(0);
    expect(await store.readMarks(job)).toEqual(new Map());
  });
});

/** `store` with a hook after each settled pair: the hook gets the job's settled count and may hold the caller. */
function afterSettle(store: Store, hook: (done: number) => Promise<void> | undefined): Store {
  return new Proxy(store, {
    get(target, prop) {
      if (prop === 'settlePair') {
        return async (...args: Parameters<Store['settlePair']>) => {
          const done = await target.settlePair(...args);
          await hook(done);
          return done;
        };
      }
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
