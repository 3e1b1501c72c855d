import { createHash } from 'node:crypto';
import type { RedisOptions } from 'ioredis';
import { z } from 'zod';
import { InvocationSchema, type Logger } from '../core/index.js';
import { keyLayout } from '../store/keys.js';
import { createRedisClient } from '../store/redis-client.js';
import type { RedisClient, RedisTarget } from '../store/redis-target.js';

/** What the BullMQ queue side and worker side share: names, the batch record, connections. */

export const QUEUE = 'bulk';

/** A BullMQ connection (`maxRetriesPerRequest: null`: blocking commands), on one server or a cluster. */
export function bullConnection(target: string | RedisTarget, extra: RedisOptions = {}): RedisClient {
  return createRedisClient(typeof target === 'string' ? { url: target } : target, 'bull', extra);
}

/** BullMQ's prefix for a deployment's prefix: hash-tagged, so each queue's keys share a cluster slot. */
export const bullPrefix = (prefix = 'kickbot') => keyLayout(prefix).bull;

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

/** A batch's record and its announced flag: single-key steps, so they spread (keys.ts). */
export const keys = (prefix: string, batch: string) => ({
  batch: keyLayout(prefix).spread('batch', batch),
  announced: keyLayout(prefix).spread('batch-announced', batch),
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
