import { Worker } from 'bullmq';
import type { Core, Logger, PlannedPair, Store } from '../core/index.js';
import type { RedisClient } from '../store/redis-target.js';
import { BATCH_TTL_MS, BatchSchema, bullPrefix, keys, QUEUE, SliceDataSchema, throttled } from './bull.js';

export interface BulkWorkerOptions {
  core: Core;
  store: Store;
  /** A BullMQ connection (`bullConnection(url)`); the worker does not close it. */
  connection: RedisClient;
  logger: Logger;
  prefix?: string;
  /** Slices worked at once by this process. */
  concurrency?: number;
  /**
   * How long a slice stays locked to this worker without a renewal. If the worker dies, another takes the slice
   * over after about this long (BullMQ's stalled-job check), and resumes it where it stopped.
   */
  lockMs?: number;
}

/** Works bulk-job slices from BullMQ with the process's own core (connectors, store). */
export function startBulkWorker(options: BulkWorkerOptions): Worker {
  const { core, store, connection, logger } = options;
  const prefix = options.prefix ?? 'kickbot';
  const lockMs = options.lockMs ?? 30_000;
  const worker = new Worker(
    QUEUE,
    async (job) => {
      const slice = SliceDataSchema.parse(job.data);
      const k = keys(prefix, slice.batch);
      const raw = await connection.get(k.batch);
      if (!raw) throw new Error(`bulk job ${slice.batch} has no batch record`);
      const batch = BatchSchema.parse(JSON.parse(raw));
      const marks = await store.readMarks(slice.batch);
      const results = await core.executeSlice({
        invocation: batch.invocation,
        caseId: batch.caseId,
        action: batch.action,
        pairs: slice.pairs as PlannedPair[],
        job: { id: slice.batch, offset: slice.offset, total: batch.total, marks },
      });
      if (results.some((r) => r.code === 'store-unavailable')) {
        throw new Error('the store was unavailable; the slice will be resumed'); // BullMQ retries it later
      }
      const done = await store.settledCount(slice.batch);
      if (
        done >= batch.total &&
        (await connection.set(k.announced, '1', 'PX', BATCH_TTL_MS, 'NX')) === 'OK'
      ) {
        const all = await store.readMarks(slice.batch);
        const final = [...all.entries()]
          .sort(([a], [b]) => a - b)
          .flatMap(([, m]) => (m === 'pending' ? [] : [m]));
        await core.announce(batch, final);
      }
      return { pairs: results.length };
    },
    {
      connection,
      prefix: bullPrefix(prefix),
      concurrency: options.concurrency ?? 2,
      lockDuration: lockMs,
      stalledInterval: Math.max(Math.floor(lockMs / 2), 500),
      maxStalledCount: 100,
      // Seconds an idle worker blocks waiting for a slice; a graceful close waits for that call to return.
      drainDelay: 1,
    },
  );
  worker.on('failed', (job, error) =>
    logger.warn({ job: job?.id, err: error }, 'bulk slice failed; it will be retried'),
  );
  worker.on('error', throttled(logger, 'bulk worker: Redis error'));
  return worker;
}
