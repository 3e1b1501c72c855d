import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import { readEnv } from '../../src/cli/env.js';
import { consoleApp, createRuntime } from '../../src/cli/runtime.js';
import { EMPTY_CONFIG } from '../../src/config/config-file.js';
import type { AuditRecord, CaseEvent } from '../../src/core/index.js';
import { BullTimers, timerJobId } from '../../src/jobs/BullTimers.js';
import { batchId, bullConnection } from '../../src/jobs/bull.js';
import { migrateLayout } from '../../src/jobs/migrate-queues.js';
import { RedisWorkspace } from '../../src/platforms/console/RedisWorkspace.js';
import { parseWorkspace } from '../../src/platforms/console/workspace-file.js';
import { RedisStore } from '../../src/store/RedisStore.js';
import { bulkWorkspace } from '../helpers/jobs.js';
import { type Logged, loggerTo } from '../helpers/log-capture.js';
import { redisUrl, testClient, testPrefix } from '../helpers/redis.js';

/**
 * A deployment upgrading on one Redis: its data in the layout before hash tags (written here as that code wrote
 * it) is found under the new names after a start, once, whoever starts first; timed restores keep their delay.
 */

let cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step().catch(() => {});
  cleanup = [];
});

const WS = 'console:demo';
const record = (target: string): AuditRecord => ({
  caseId: 7,
  workspace: WS,
  action: 'remove',
  actor: 'console:mo',
  target,
  room: 'console:r00',
  outcome: 'removed',
  invocation: 'console:k1',
  at: 1_700_000_000_000,
});
const note: CaseEvent = { kind: 'note', at: 1, by: 'console:mo', text: 'was warned' };

/** The old layout of `p`, as kickbot ≤ issue 12 wrote it: ledger keys without a tag, queues under prefix `p`. */
async function seedOldLayout(p: string, now: number) {
  const client = testClient();
  const connection = bullConnection(redisUrl());
  cleanup.push(
    () => client.quit(),
    () => connection.quit(),
  );
  await client.xadd(`${p}:audit`, '*', 'r', JSON.stringify(record('console:u000')));
  await client.rpush(`${p}:case:${WS}:7`, JSON.stringify(record('console:u000')));
  await client.rpush(`${p}:case-events:${WS}:7`, JSON.stringify(note));
  await client.set(`${p}:marker:rejoin:console:r00|console:u000`, 'removed:7', 'PX', 3_600_000);
  await client.hset(
    `${p}:marks:${batchId('job-1')}`,
    '0',
    JSON.stringify({ room: 'console:r00', user: 'console:u000', outcome: 'removed' }),
  );
  await client.set(`${p}:marks-done:${batchId('job-1')}`, '1');
  await client.set(`${p}:case-counter:${WS}`, '7');
  // The console workspace: seeded, with u000 already removed from r00.
  await client.set(`${p}:console:demo:seeded`, '1');
  await client.hset(`${p}:console:demo:members:r00`, 'mo', 'moderator', 'kickbot', '', 'u001', '');
  await client.set(`${p}:console:demo:owners:r00`, '0');
  // A timed restore due in an hour and a bulk slice waiting, on the old BullMQ prefix.
  const timers = new Queue('timers', { connection, prefix: p });
  const bulk = new Queue('bulk', { connection, prefix: p });
  cleanup.push(
    () => timers.close(),
    () => bulk.close(),
  );
  await timers.add(
    'restore',
    { workspace: WS, caseId: 7, until: now + 3_600_000 },
    {
      jobId: timerJobId(WS, 7),
      delay: 3_600_000,
      attempts: 20,
    },
  );
  await bulk.add(
    'slice',
    { batch: batchId('job-2'), offset: 0, pairs: [] },
    { jobId: `${batchId('job-2')}-0` },
  );
  return { client, connection };
}

describe('moving the layout before hash tags', () => {
  it('GIVEN old-layout data WHEN two replicas start together THEN one moves it all once, and the audit, case, markers, workspace and timer are found', async () => {
    const p = testPrefix();
    const now = Date.now();
    const { client, connection } = await seedOldLayout(p, now);
    const logged: Logged[] = [];
    const logger = loggerTo((entry) => logged.push(entry));

    const other = testClient(); // the second replica's own clients
    const otherBull = bullConnection(redisUrl());
    cleanup.push(
      () => other.quit(),
      () => otherBull.quit(),
    );
    const [one, two] = await Promise.all([
      migrateLayout(client, connection, p, logger),
      migrateLayout(other, otherBull, p, logger),
    ]);
    const moved = one ?? two;
    expect([one, two].filter((m) => m === undefined)).toHaveLength(1);
    expect(moved).toEqual({ ledger: 6, console: 3, jobs: { bulk: 1, timers: 1 } });
    expect(logged).toEqual([{ level: 'info', obj: moved, msg: expect.stringContaining('moved') }]);
    expect(JSON.stringify(logged)).not.toMatch(/u000|job-|b[0-9a-f]{32}|t[0-9a-f]{32}/);

    const store = new RedisStore(client, { prefix: p });
    expect(await store.readAudit({})).toEqual([record('console:u000')]);
    expect(await store.readAudit({ workspace: WS, caseId: 7 })).toEqual([record('console:u000')]);
    expect(await store.readCaseEvents(WS, 7)).toEqual([note]);
    expect(await store.getMarker('rejoin:console:r00|console:u000')).toBe('removed:7');
    expect(await client.pttl(`${p}:{${p}}:marker:rejoin:console:r00|console:u000`)).toBeGreaterThan(
      3_500_000,
    );
    expect((await store.readMarks(batchId('job-1'))).get(0)).toMatchObject({ outcome: 'removed' });
    expect(await store.settledCount(batchId('job-1'))).toBe(1);
    expect(await store.lastCaseId(WS)).toBe(7);
    expect(await store.nextCaseId(WS)).toBe(8);
    expect(await client.keys(`${p}:audit`)).toEqual([]);

    // The workspace is not seeded again: u000 stays out of r00.
    const data = parseWorkspace(bulkWorkspace({ name: 'demo', users: 2, rooms: 1 }), 'demo.yaml');
    const state = new RedisWorkspace(client, data, { prefix: p });
    expect([...(await state.allMembers('r00')).keys()].sort()).toEqual(['kickbot', 'mo', 'u001']);

    // The timer: same id and data, still about an hour away, on the new prefix; the old queue is empty.
    const timers = new BullTimers({ connection, prefix: p });
    cleanup.push(() => timers.close());
    const job = await timers.queue.getJob(timerJobId(WS, 7));
    expect(job?.data).toEqual({ workspace: WS, caseId: 7, until: now + 3_600_000 });
    expect(await job?.getState()).toBe('delayed');
    expect((job?.timestamp ?? 0) + (job?.delay ?? 0)).toBeGreaterThan(now + 3_590_000);
    expect((job?.timestamp ?? 0) + (job?.delay ?? 0)).toBeLessThan(now + 3_610_000);
    expect(job?.opts.attempts).toBe(20);
    const old = new Queue('timers', { connection, prefix: p });
    cleanup.push(() => old.close());
    expect(await old.getJobCounts('delayed', 'wait')).toEqual({ delayed: 0, wait: 0 });

    // A later start has nothing to do.
    expect(await migrateLayout(client, connection, p, logger)).toBeUndefined();
    expect(logged).toHaveLength(1);
  });

  it('GIVEN an old replica that kept writing after the move THEN the next start merges its records in', async () => {
    const p = testPrefix();
    const { client, connection } = await seedOldLayout(p, Date.now());
    const logger = loggerTo(() => {});
    await migrateLayout(client, connection, p, logger);
    await client.xadd(`${p}:audit`, '*', 'r', JSON.stringify(record('console:u001')));
    await client.rpush(`${p}:case:${WS}:7`, JSON.stringify(record('console:u001')));

    expect(await migrateLayout(client, connection, p, logger)).toMatchObject({ ledger: 2, console: 0 });
    const store = new RedisStore(client, { prefix: p });
    const targets = (await store.readAudit({ workspace: WS, caseId: 7 })).map((r) => r.target);
    expect(targets).toEqual(['console:u001', 'console:u000']);
    expect((await store.readAudit({})).map((r) => r.target)).toEqual(['console:u001', 'console:u000']);
  });

  it('GIVEN old-layout data WHEN kickbot starts (createRuntime) THEN its store and console find it before any command', async () => {
    const p = testPrefix();
    const now = Date.now();
    await seedOldLayout(p, now);
    const dir = mkdtempSync(join(tmpdir(), 'kickbot-migrate-'));
    cleanup.push(async () => rmSync(dir, { recursive: true, force: true }));
    const workspaceFile = join(dir, 'demo.yaml');
    writeFileSync(workspaceFile, bulkWorkspace({ name: 'demo', users: 2, rooms: 1 }));
    const logged: Logged[] = [];
    const runtime = await createRuntime({
      env: readEnv({ REDIS_URL: redisUrl(), KICKBOT_REDIS_PREFIX: p }),
      config: EMPTY_CONFIG,
      logger: loggerTo((entry) => logged.push(entry)),
      worker: false,
      console: { workspaceFile },
    });
    cleanup.push(() => runtime.close());
    expect(logged.filter((l) => l.msg?.includes('moved'))).toHaveLength(1);
    expect(await runtime.store.readAudit({ workspace: WS, caseId: 7 })).toEqual([record('console:u000')]);
    expect(await runtime.store.getMarker('rejoin:console:r00|console:u000')).toBe('removed:7');
    const app = consoleApp(runtime);
    const members = await app.connector.members('console:r00', ['console:u000', 'console:u001']);
    expect([...members.keys()]).toEqual(['console:u001']); // not seeded again: u000 stays out
    expect(runtime.storeLabel).toMatch(/^redis store at redis:\/\/127\.0\.0\.1:\d+/);
  });

  it('GIVEN a fresh Redis THEN the start moves nothing and logs nothing', async () => {
    const p = testPrefix();
    const client = testClient();
    cleanup.push(() => client.quit());
    const logged: Logged[] = [];
    expect(
      await migrateLayout(
        client,
        client,
        p,
        loggerTo((e) => logged.push(e)),
      ),
    ).toEqual({
      ledger: 0,
      console: 0,
      jobs: { bulk: 0, timers: 0 },
    });
    expect(logged).toEqual([]);
    expect(
      await migrateLayout(
        client,
        client,
        p,
        loggerTo((e) => logged.push(e)),
      ),
    ).toBeUndefined();
  });
});
