import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/index.js';
import { BullTimers, timerJobId } from '../../src/jobs/BullTimers.js';
import { bullConnection } from '../../src/jobs/bull.js';
import { startTimerWorker } from '../../src/jobs/timer-worker.js';
import { RedisWorkspace } from '../../src/platforms/console/RedisWorkspace.js';
import { parseWorkspace } from '../../src/platforms/console/workspace-file.js';
import { RedisStore } from '../../src/store/RedisStore.js';
import { SMALL_WORKSPACE } from '../helpers/console.js';
import { consoleCore } from '../helpers/jobs.js';
import { testClient, testPrefix } from '../helpers/redis.js';
import { startRedisServer } from '../helpers/redis-server.js';

let cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step().catch(() => {});
  cleanup = [];
});

const data = { ...parseWorkspace(SMALL_WORKSPACE, 'small.yaml'), name: 'small' };

/** One kickbot process on Redis: its store, the shared console workspace, BullMQ timers and (maybe) a timer worker. */
function instance(url: string, prefix: string, worker: boolean) {
  const client: Redis = testClient(url);
  const connection = bullConnection(url);
  const store = new RedisStore(client, { prefix });
  const timers = new BullTimers({ connection, prefix });
  const test = consoleCore(data, new RedisWorkspace(client, data, { prefix }), store, { timers });
  let w: Worker | undefined;
  if (worker) {
    w = startTimerWorker({ core: test.core, connection, logger: silentLogger, prefix });
  }
  const close = async () => {
    await w?.close();
    await timers.close();
    await connection.quit();
    await client.quit();
  };
  return { ...test, store, timers, worker: w, close };
}

describe('timed removals on BullMQ (Redis)', () => {
  it('GIVEN a timer set by one process THEN after the process and Redis restart a new worker restores the case, once', async () => {
    const redis = await startRedisServer({ persist: true });
    cleanup.push(() => redis.stop());
    const prefix = testPrefix();

    // The first process: removes bob for 2 hours, then stops (no worker: it never fires anything).
    const first = instance(redis.url, prefix, false);
    const reply = await first.core.handle(first.inv('mo', 'general', '/kick @bob --for 2h spam'));
    expect(reply).toMatchObject({ kind: 'result', caseId: 1, status: 'ok' });
    expect(first.timers.durable).toBe(true);
    const job = await first.timers.queue.getJob(timerJobId('console:small', 1));
    expect(job?.id).not.toContain(':');
    expect(await job?.getState()).toBe('delayed');
    expect(job?.opts.delay).toBeGreaterThan(2 * 60 * 60_000 - 60_000);
    await first.close();

    // Redis restarts (its AOF keeps the delayed job), and a new process with a worker comes up.
    await redis.stop();
    await redis.start();
    const second = instance(redis.url, prefix, true);
    cleanup.push(() => second.close());
    const worker = second.worker as Worker;
    const completed = new Promise<unknown>((resolve) =>
      worker.once('completed', (_job, value) => resolve(value)),
    );
    const again = await second.timers.queue.getJob(timerJobId('console:small', 1));
    expect(await again?.getState()).toBe('delayed');
    await again?.promote(); // due now, without waiting two hours
    expect(await completed).toEqual({ reply: 'result' });

    const members = await second.connector.members('console:general', ['console:bob']);
    expect(members.has('console:bob')).toBe(true);
    const restores = (await second.store.readAudit({ workspace: 'console:small' })).filter(
      (r) => r.action === 'restore',
    );
    expect(restores.map((r) => [r.caseId, r.actor, r.undoOf, r.outcome])).toEqual([
      [2, 'console:mo', 1, 'restored'],
    ]);
    const timer = (await second.store.readCaseEvents('console:small', 1)).filter((e) => e.kind === 'timer');
    expect(timer.map((e) => e.state)).toEqual(['set', 'restored']);

    // Firing again (another replica, a retried job) restores nothing more.
    await second.core.fireTimer({ workspace: 'console:small', caseId: 1, until: Date.now() });
    expect(
      (await second.store.readAudit({ workspace: 'console:small' })).filter((r) => r.action === 'restore'),
    ).toHaveLength(1);
  });

  it('GIVEN an undo before the time THEN the delayed job is removed', async () => {
    const redis = await startRedisServer();
    cleanup.push(() => redis.stop());
    const one = instance(redis.url, testPrefix(), false);
    cleanup.push(() => one.close());
    await one.core.handle(one.inv('mo', 'general', '/kick @bob --for 1d spam'));
    expect(await one.timers.queue.getJob(timerJobId('console:small', 1))).toBeDefined();
    expect(await one.core.handle(one.inv('mo', 'general', '/kickbot undo 1'))).toMatchObject({
      status: 'ok',
    });
    expect(await one.timers.queue.getJob(timerJobId('console:small', 1))).toBeUndefined();
    const timer = (await one.store.readCaseEvents('console:small', 1)).filter((e) => e.kind === 'timer');
    expect(timer.map((e) => e.state)).toEqual(['set', 'cancelled']);
  });
});
