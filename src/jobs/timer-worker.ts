import { Worker } from 'bullmq';
import type { Core, Logger } from '../core/index.js';
import type { RedisClient } from '../store/redis-target.js';
import { TIMER_QUEUE, TimerSchema } from './BullTimers.js';
import { bullPrefix, throttled } from './bull.js';

export interface TimerWorkerOptions {
  core: Core;
  /** A BullMQ connection (`bullConnection(url)`); the worker does not close it. */
  connection: RedisClient;
  logger: Logger;
  prefix?: string;
}

/**
 * Fires timed removals' restores from the `timers` queue with the process's own core. Whichever replica takes a
 * job runs it; firing a case twice restores it once (the restore's invocation id is the case's).
 */
export function startTimerWorker(options: TimerWorkerOptions): Worker {
  const { core, connection, logger } = options;
  const worker = new Worker(
    TIMER_QUEUE,
    async (job) => {
      const timer = TimerSchema.parse(job.data);
      const reply = await core.fireTimer(timer); // throws when the store is away: BullMQ tries again later
      logger.info({ workspace: timer.workspace, caseId: timer.caseId, reply: reply.kind }, 'timer fired');
      return { reply: reply.kind };
    },
    { connection, prefix: bullPrefix(options.prefix), concurrency: 2, drainDelay: 1 },
  );
  worker.on('failed', (job, error) =>
    logger.warn({ job: job?.id, err: error }, 'timed restore failed; it will be retried'),
  );
  worker.on('error', throttled(logger, 'timer worker: Redis error'));
  return worker;
}
