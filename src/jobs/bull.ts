import { createHash } from 'node:crypto';
import { Redis, type RedisOptions } from 'ioredis';
import { z } from 'zod';
import { InvocationSchema, type Logger } from '../core/index.js';
import { CONNECT_OPTIONS } from '../store/redis-errors.js';

/** What the BullMQ queue side and worker side share: names, the batch record, connections. */

export const QUEUE = 'bulk';

/** BullMQ needs `maxRetriesPerRequest: null` on its connections (blocking commands). */
export function bullConnection(url: string, extra: RedisOptions = {}): Redis {
  const client = new Redis(url, { maxRetriesPerRequest: null, ...CONNECT_OPTIONS, ...extra });
  client.on('error', () => {}); // reconnects on its own; the store reports outages to users
  return client;
}

/** A BullMQ job id from a kickbot job id: deterministic (a redelivery finds its job), without ':'. */
export function batchId(jobId: string): string {
  return `b${createHash('sha256').update(jobId).digest('hex').slice(0, 32)}`;
}

export const BatchSchema = z.object({
  invocation: InvocationSchema,
  caseId: z.number(),
  action: z.enum(['remove', 'leave', 'offboard']),
  labels: z.record(z.string(), z.string()),
  reasons: z.record(z.string(), z.string()),
  total: z.number().int().nonnegative(),
});
export type Batch = z.infer<typeof BatchSchema>;

export const SliceDataSchema = z.object({
  batch: z.string(),
  offset: z.number().int().nonnegative(),
  pairs: z.array(
    z.object({
      room: z.string(),
      user: z.string(),
      area: z.string().optional(),
      reason: z.string().optional(),
      verdict: z.object({ ok: z.literal(true) }),
      roles: z.array(z.enum(['owner', 'moderator'])),
    }),
  ),
});
export type SliceData = z.infer<typeof SliceDataSchema>;

export const keys = (prefix: string, batch: string) => ({
  batch: `${prefix}:batch:${batch}`,
  announced: `${prefix}:batch-announced:${batch}`,
});

export const BATCH_TTL_MS = 7 * 24 * 60 * 60_000;

/** An error listener that logs the first error and then at most one a minute (Redis retries many times a second). */
export function throttled(logger: Logger, message: string, everyMs = 60_000): (error: Error) => void {
  let last = 0;
  let skipped = 0;
  return (error) => {
    const now = Date.now();
    if (now - last < everyMs) {
      skipped++;
      return;
    }
    logger.warn({ error: error.message, skipped }, message); // the message only: a reconnect's stack says nothing
    last = now;
    skipped = 0;
  };
}
