import { type JobType, Queue } from 'bullmq';
import type { Logger } from '../core/index.js';
import { oldLayout } from '../store/keys.js';
import { mayHaveOldLayout, migrateKeys, withMigrationLock } from '../store/redis-migrate.js';
import type { RedisClient } from '../store/redis-target.js';
import { TIMER_QUEUE } from './BullTimers.js';
import { bullPrefix, QUEUE } from './bull.js';

/** The job states moved: what has not started yet (an active job belongs to the old worker running it). */
const WAITING: JobType[] = ['wait', 'delayed', 'prioritized'];

/**
 * Moves one queue's waiting jobs from the old BullMQ prefix (`kickbot`) to the hash-tagged one, through BullMQ's
 * own API: the same job id, name, data and options, and a delayed job's remaining delay (from its place in the
 * delayed set, so a retry's backoff counts too). The new job is added before the old one is removed; adding a job
 * id that exists is a no-op, so a move cut short is finished by the next start.
 */
async function moveQueue(
  connection: RedisClient,
  prefix: string,
  name: string,
  now: number,
): Promise<number> {
  const old = new Queue(name, { connection, prefix: oldLayout(prefix).bull });
  const fresh = new Queue(name, { connection, prefix: bullPrefix(prefix) });
  old.on('error', () => {});
  fresh.on('error', () => {});
  try {
    let moved = 0;
    for (const job of await old.getJobs(WAITING)) {
      if (!job?.id) continue;
      const score = await connection.zscore(old.keys.delayed ?? '', job.id);
      const due = score === null ? now : Math.floor(Number(score) / 0x1000);
      await fresh.add(job.name, job.data, { ...job.opts, jobId: job.id, delay: Math.max(0, due - now) });
      await job.remove();
      moved++;
    }
    return moved;
  } finally {
    await Promise.all([old.close(), fresh.close()]);
  }
}

export interface LayoutMigration {
  ledger: number;
  console: number;
  jobs: Record<string, number>;
}

/**
 * At start, on a single Redis: moves a deployment's data from the layout before hash tags to keys.ts's (keys
 * renamed, queued jobs moved), once, under a lock so that replicas starting together do it once. Logs counts
 * only. Resolves what was moved, or undefined when there was nothing to do (or another replica did it).
 */
export async function migrateLayout(
  client: RedisClient,
  connection: RedisClient,
  prefix: string,
  logger: Logger,
  now: () => number = Date.now,
): Promise<LayoutMigration | undefined> {
  if (!(await mayHaveOldLayout(client, prefix))) return undefined;
  return withMigrationLock(client, prefix, async () => {
    const keys = await migrateKeys(client, prefix);
    const jobs: Record<string, number> = {};
    for (const queue of [QUEUE, TIMER_QUEUE]) jobs[queue] = await moveQueue(connection, prefix, queue, now());
    const moved = { ...keys, jobs };
    if (keys.ledger + keys.console + Object.values(jobs).reduce((a, b) => a + b, 0) > 0)
      logger.info(moved, 'Redis: moved the data of the layout before hash tags to the new key names');
    return moved;
  });
}
