import { createHash } from 'node:crypto';
import { Queue } from 'bullmq';
import { z } from 'zod';
import { type Id, type Logger, silentLogger, type TimedRestore, type Timers } from '../core/index.js';
import type { RedisClient } from '../store/redis-target.js';
import { bullPrefix, throttled } from './bull.js';

/** The BullMQ queue of timed removals' restores (beside `bulk`). */
export const TIMER_QUEUE = 'timers';

export const TimerSchema = z.object({
  workspace: z.string().min(1),
  caseId: z.number().int().positive(),
  until: z.number(),
});

/** A case's timer job id: deterministic (scheduling again finds it, cancelling needs no lookup), without ':'. */
export function timerJobId(workspace: Id, caseId: number): string {
  return `t${createHash('sha256').update(`${workspace}\n${caseId}`).digest('hex').slice(0, 32)}`;
}

export interface BullTimersOptions {
  /** A BullMQ connection (`bullConnection(url)`); the timers do not close it. */
  connection: RedisClient;
  prefix?: string;
  logger?: Logger;
  /** The time now (ms since the epoch), for the delay. */
  now?: () => number;
}

/**
 * Timed removals on Redis: one BullMQ delayed job per case on the `timers` queue. It survives restarts, and a
 * worker of any replica (`startTimerWorker`) fires it when it is due; a job that fails is tried again later.
 */
export class BullTimers implements Timers {
  readonly durable = true;
  readonly queue: Queue;
  readonly #now: () => number;

  constructor(options: BullTimersOptions) {
    this.#now = options.now ?? Date.now;
    this.queue = new Queue(TIMER_QUEUE, {
      connection: options.connection,
      prefix: bullPrefix(options.prefix),
    });
    this.queue.on('error', throttled(options.logger ?? silentLogger, 'timer queue: Redis error'));
  }

  async schedule(timer: TimedRestore): Promise<void> {
    const data: z.infer<typeof TimerSchema> = {
      workspace: timer.workspace,
      caseId: timer.caseId,
      until: timer.until,
    };
    await this.queue.add('restore', data, {
      jobId: timerJobId(timer.workspace, timer.caseId),
      delay: Math.max(0, timer.until - this.#now()),
      // A store away at the time: tried again up to 20 times, 5 s apart and doubling (weeks in all).
      attempts: 20,
      backoff: { type: 'exponential', delay: 5_000 },
      removeOnComplete: { age: 7 * 24 * 3600 },
      removeOnFail: { age: 30 * 24 * 3600 },
    });
  }

  async cancel(workspace: Id, caseId: number): Promise<void> {
    const job = await this.queue.getJob(timerJobId(workspace, caseId));
    // A job already running (active) is locked and stays: its restore finds the case undone and only ends it.
    if (job && (await job.getState()) !== 'active') await job.remove();
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
