import type { Queue, Worker } from 'bullmq';
import type { BullBulkRunner } from '../jobs/BullBulkRunner.js';
import type { RedisClient } from '../store/redis-target.js';

const CLOSE_MS = 5_000;

/** The promise's value, or 'timeout' if it takes longer than `ms`. */
async function within<T>(promise: Promise<T>, ms: number, unref = false): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
    if (unref) timer.unref(); // a close nobody awaits must not keep the process alive
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Closes a runtime's BullMQ worker and queue and its Redis clients, bounded. BullMQ's graceful close can wait for
 * ever on a Redis that is away: it is only tried while Redis answers (`healthy`). A slice in flight is not lost:
 * another worker resumes it after KICKBOT_JOB_LOCK.
 */
export async function closeRedisClients(opts: {
  healthy: boolean;
  worker: Worker | undefined;
  runner: BullBulkRunner | undefined;
  /** The timed removals' queue and worker (BullTimers, startTimerWorker). */
  timers?: { queue?: Queue; worker?: Worker | undefined };
  clients: readonly (RedisClient | undefined)[];
}): Promise<void> {
  const { healthy, worker, runner, clients } = opts;
  const timers = opts.timers ?? {};
  const bull = healthy
    ? await within(
        Promise.all([worker?.close(), runner?.close(), timers.worker?.close(), timers.queue?.close()]),
        CLOSE_MS,
      )
    : 'timeout';
  if (bull === 'timeout') {
    // Also BullMQ's own connections (the worker's blocking one is a duplicate of ours).
    worker?.close(true).catch(() => {});
    runner?.close().catch(() => {});
    timers.worker?.close(true).catch(() => {});
    timers.queue?.close().catch(() => {});
    void within(
      Promise.all([
        worker?.disconnect(),
        runner?.queue.disconnect(),
        timers.worker?.disconnect(),
        timers.queue?.disconnect(),
      ]),
      CLOSE_MS,
      true,
    ).catch(() => {});
  }
  if (healthy) await within(Promise.all(clients.map((c) => c?.quit().catch(() => {}))), CLOSE_MS);
  // Whatever did not end gracefully is cut: ioredis would otherwise keep reconnecting, and the process alive.
  for (const c of clients) if (c && c.status !== 'end') c.disconnect();
}
