import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisScimStore } from '../../src/scim/RedisScimStore.js';
import { type RedisServer, startRedisServer } from '../helpers/redis-server.js';
import { person, scimStoreContract } from './store-contract.js';

let server: RedisServer;
let client: Redis;
beforeAll(async () => {
  server = await startRedisServer();
  client = new Redis(server.url, { maxRetriesPerRequest: 1 });
});
afterAll(async () => {
  await client.quit();
  await server.stop();
});

const prefix = () => `kt-${randomUUID().slice(0, 8)}`;

scimStoreContract('RedisScimStore', async () => new RedisScimStore(client, { prefix: prefix() }));

describe('RedisScimStore specifics', () => {
  it('GIVEN a prefix THEN every key is <prefix>:scim:{scim}:… (one hash slot for Redis Cluster)', async () => {
    const p = prefix();
    const store = new RedisScimStore(client, { prefix: p });
    const ada = await store.create(randomUUID(), person('Ada@example.com', { externalId: 'e1' }), 'now');
    if (ada === 'taken') throw new Error('taken');
    const keys = (await client.keys(`${p}:*`)).sort();
    expect(keys).toEqual([
      `${p}:scim:{scim}:by-externalid:e1`,
      `${p}:scim:{scim}:by-username`,
      `${p}:scim:{scim}:order`,
      `${p}:scim:{scim}:seq`,
      `${p}:scim:{scim}:user:${ada.id}`,
    ]);
    expect(new Set(keys.map(keySlot))).toEqual(new Set([keySlot('{scim}')]));
    expect(await client.hget(`${p}:scim:{scim}:by-username`, 'ada@example.com')).toBe(ada.id);
  });

  it('GIVEN two stores on one Redis (two replicas) THEN each sees what the other wrote and one deactivation wins', async () => {
    const p = prefix();
    const other = new Redis(server.url, { maxRetriesPerRequest: 1 });
    try {
      const a = new RedisScimStore(client, { prefix: p });
      const b = new RedisScimStore(other, { prefix: p });
      const ada = await a.create(randomUUID(), person('ada@example.com'), 'now');
      if (ada === 'taken') throw new Error('taken');
      expect(await b.get(ada.id)).toEqual(ada);
      const off = person('ada@example.com', { active: false });
      const [x, y] = await Promise.all([
        a.replace(ada.id, off, 1, 'later'),
        b.replace(ada.id, off, 1, 'later'),
      ]);
      const transitions = [x, y].filter((r) => typeof r === 'object' && r.transition === 'deactivated');
      expect(transitions).toHaveLength(1);
    } finally {
      await other.quit();
    }
  });
});

/** Redis Cluster's slot of a key (CRC16/XMODEM of its hash tag, mod 16384), as the cluster spec defines it. */
function keySlot(key: string): number {
  const tag = /\{([^}]+)\}/.exec(key)?.[1] ?? key;
  let crc = 0;
  for (const byte of Buffer.from(tag)) {
    crc ^= byte << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc % 16_384;
}
