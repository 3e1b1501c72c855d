import { setTimeout as delay } from 'node:timers/promises';
import { Queue } from 'bullmq';
import {
  type BulkJob,
  type BulkOutcome,
  type BulkRunner,
  type Logger,
  type PairResult,
  type Progress,
  progressOf,
  type Store,
  silentLogger,
} from '../core/index.js';
import type { RedisClient } from '../store/redis-target.js';
import { BATCH_TTL_MS, batchId, bullPrefix, keys, QUEUE, type SliceData, throttled } from './bull.js';

export interface BullBulkRunnerOptions {
  /** A BullMQ connection (`bullConnection(url)`); the runner does not close it. */
  connection: RedisClient;
  store: Store;
  /** The deployment's key prefix (BullMQ's is made from it: `bullPrefix`). */
  prefix?: string;
  /** Pairs per BullMQ job: the unit a worker takes, and what a crash makes another worker resume. */
  sliceSize?: number;
  /** How often progress is read while waiting. */
  pollMs?: number;
  /** Tries of a slice before BullMQ gives up on it. */
  attempts?: number;
  logger?: Logger;
}

/**
 * Runs a bulk job on BullMQ: the pairs go out as slices that any worker of any replica may take; this side
 * waits for every pair to be settled, reporting progress, and collects the results from the store.
 */
export class BullBulkRunner implements BulkRunner {
  readonly queue: Queue;
  readonly #opts: Required<Omit<BullBulkRunnerOptions, 'connection' | 'store'>> & {
    store: Store;
    connection: RedisClient;
  };

  constructor(options: BullBulkRunnerOptions) {
    this.#opts = {
      prefix: 'kickbot',
      sliceSize: 100,
      pollMs: 100,
      attempts: 12,
      logger: silentLogger,
      ...options,
    };
    this.queue = new Queue(QUEUE, { connection: options.connection, prefix: bullPrefix(this.#opts.prefix) });
    // Without a listener BullMQ prints every reconnect error to the console; the store reports outages already.
    this.queue.on('error', throttled(this.#opts.logger, 'bulk queue: Redis error'));
  }

  /** Pairs per slice (the metrics count the queue's pairs from its slices). */
  get sliceSize(): number {
    return this.#opts.sliceSize;
  }

  async run(job: BulkJob, onProgress?: (progress: Progress) => void): Promise<BulkOutcome> {
    const { connection: redis, prefix, sliceSize } = this.#opts;
    const id = batchId(job.id);
    const k = keys(prefix, id);
    const total = job.pairs.length;
    const batch = {
      invocation: job.invocation,
      caseId: job.caseId,
      action: job.action,
      labels: job.labels,
      reasons: job.reasons,
      total,
    };
    await redis.set(k.batch, JSON.stringify(batch), 'PX', BATCH_TTL_MS, 'NX');
    const slices = [];
    for (let offset = 0; offset < total; offset += sliceSize) {
      const data: SliceData = {
        batch: id,
        offset,
        pairs: job.pairs.slice(offset, offset + sliceSize) as SliceData['pairs'],
      };
      slices.push({
        name: 'slice',
        data,
        opts: {
          jobId: `${id}-${offset / sliceSize}`,
          attempts: this.#opts.attempts,
          backoff: { type: 'exponential', delay: 1_000 },
          removeOnComplete: { age: 24 * 3600 },
          removeOnFail: { age: 7 * 24 * 3600 },
        },
      });
    }
    await this.queue.addBulk(slices);
    await this.#wait(
      id,
      slices.length,
      total,
      onProgress && ((p) => onProgress({ ...p, caseId: job.caseId })),
    );
    const marks = await this.#opts.store.readMarks(id);
    const results = job.pairs.map((pair, i): PairResult => {
      const mark = marks.get(i);
      if (mark && mark !== 'pending') return mark;
      return {
        room: pair.room,
        user: pair.user,
        ...(pair.area ? { area: pair.area } : {}),
        outcome: 'failed',
        code: 'job-failed',
      };
    });
    return { results, announced: (await redis.exists(k.announced)) === 1 };
  }

  /**
   * Until every pair is settled and the worker that settled the last one has posted the room confirmations,
   * or every slice has ended (some may have failed for good).
   */
  async #wait(id: string, slices: number, total: number, onProgress?: (p: Progress) => void): Promise<void> {
    const { connection: redis, prefix, pollMs, store } = this.#opts;
    const k = keys(prefix, id);
    const started = Date.now();
    const first = await store.settledCount(id);
    let lastCheck = started;
    for (;;) {
      const done = await store.settledCount(id);
      onProgress?.(progressOf(done, total, first, Date.now() - started));
      if (done >= total && (await redis.exists(k.announced)) === 1) return;
      if (done >= total || Date.now() - lastCheck > 2_000) {
        lastCheck = Date.now();
        const states = await Promise.all(
          Array.from({ length: slices }, (_, i) => this.queue.getJobState(`${id}-${i}`)),
        );
        if (states.every((s) => s === 'completed' || s === 'failed' || s === 'unknown')) return;
      }
      await delay(pollMs);
    }
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
