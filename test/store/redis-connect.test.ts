import { createServer, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { bullConnection } from '../../src/jobs/bull.js';
import { RedisStore } from '../../src/store/RedisStore.js';
import { type ClientRole, createRedisClient } from '../../src/store/redis-client.js';
import { firstConnect } from '../../src/store/redis-errors.js';
import { describeTarget, isCluster, type RedisClient } from '../../src/store/redis-target.js';
import { freePort } from '../helpers/redis-server.js';

/** How kickbot connects at start: one attempt, bounded, so that `kickbot run` refuses quickly when Redis is down. */

/** A loopback port that accepts connections and drops each at once, counting them. */
async function dropper(): Promise<{ url: string; attempts: () => number; close: () => Promise<void> }> {
  let attempts = 0;
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    attempts++;
    sockets.add(socket);
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('no port');
  return {
    url: `redis://127.0.0.1:${address.port}`,
    attempts: () => attempts,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('firstConnect: the first attempt decides', () => {
  it('GIVEN a port nobody listens on THEN it answers false long before its timeout', async () => {
    const store = RedisStore.fromUrl(`redis://127.0.0.1:${await freePort()}`);
    try {
      // A minute allowed, the test itself times out after 5 s: only a first failed attempt can end it in time.
      expect(await firstConnect(store.client, 60_000)).toBe(false);
    } finally {
      store.client.disconnect();
    }
  }, 5_000);

  it('GIVEN a server that drops every connection THEN it answers false after exactly one attempt', async () => {
    const server = await dropper();
    const store = RedisStore.fromUrl(server.url);
    try {
      expect(await firstConnect(store.client, 60_000)).toBe(false);
      expect(server.attempts()).toBe(1);
    } finally {
      store.client.disconnect();
      await server.close();
    }
  }, 5_000);

  it('GIVEN kickbot clients, on one server or a cluster THEN one attempt gives up within 1.5 s and a cut client lets go of its socket at once', () => {
    const options = (client: RedisClient) =>
      isCluster(client) ? { ...client.options.redisOptions } : { ...client.options };
    const targets = [{ url: 'redis://127.0.0.1:1' }, { clusterNodes: '127.0.0.1:1,127.0.0.1:2' }];
    for (const target of targets) {
      for (const role of ['store', 'bull', 'state'] as ClientRole[]) {
        const client = createRedisClient(target, role, { lazyConnect: true });
        try {
          expect(isCluster(client)).toBe(target.clusterNodes !== undefined);
          expect(options(client).connectTimeout).toBeLessThanOrEqual(1_500);
          expect(options(client).disconnectTimeout).toBeLessThanOrEqual(200);
          // BullMQ's own requirement; the store's calls fail fast instead.
          expect(options(client).maxRetriesPerRequest).toBe(role === 'bull' ? null : 1);
        } finally {
          client.disconnect();
        }
      }
    }
    const bull = bullConnection('redis://127.0.0.1:1', { lazyConnect: true });
    expect(isCluster(bull) ? undefined : bull.options.maxRetriesPerRequest).toBeNull();
    bull.disconnect();
  });

  it('GIVEN cluster nodes and a rediss URL THEN every node gets its username, password and TLS, and the banner no password', () => {
    const target = { url: 'rediss://ops:s%40cret@ignored:6380', clusterNodes: 'a:7000,b:7001,c:7002' };
    const client = createRedisClient(target, 'store', { lazyConnect: true });
    try {
      if (!isCluster(client)) throw new Error('expected a cluster client');
      expect(client.options.redisOptions).toMatchObject({ username: 'ops', password: 's@cret', tls: {} });
      expect(client.options.enableOfflineQueue).toBe(false);
      expect(client.options.dnsLookup).toBeTypeOf('function'); // TLS: the nodes' own names
    } finally {
      client.disconnect();
    }
    expect(describeTarget(target)).toBe('on redis cluster (3 nodes)');
    expect(describeTarget({ url: 'redis://:s3cret@h:6379' })).toBe('at redis://***@h:6379');
  });
});
