import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { inject } from 'vitest';
import { RedisStore } from '../../src/store/RedisStore.js';

/** A key prefix no other test uses. */
export const testPrefix = () => `kt-${randomUUID().slice(0, 8)}`;

export function redisUrl(): string {
  return inject('redisUrl');
}

/** A client for a test; the caller quits it. */
export function testClient(url = redisUrl()): Redis {
  return new Redis(url, { maxRetriesPerRequest: 1 });
}

/** Lets time pass for the keys under `prefix`: every TTL shrinks by `ms`, and keys whose TTL runs out go. */
export async function elapse(client: Redis, prefix: string, ms: number): Promise<void> {
  const keys = await client.keys(`${prefix}:*`);
  for (const key of keys) {
    const ttl = await client.pttl(key);
    if (ttl < 0) continue;
    if (ttl <= ms) await client.del(key);
    else await client.pexpire(key, ttl - ms);
  }
}

export function testStore(client: Redis, prefix = testPrefix()): RedisStore {
  return new RedisStore(client, { prefix });
}
