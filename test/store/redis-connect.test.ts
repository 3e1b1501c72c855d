import { createServer, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { bullConnection } from '../../src/jobs/bull.js';
import { RedisStore, STORE_CLIENT_OPTIONS } from '../../src/store/RedisStore.js';
import { firstConnect } from '../../src/store/redis-errors.js';
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

  it('GIVEN kickbot clients THEN one attempt gives up within 1.5 s and a cut client lets go of its socket at once', () => {
    expect(STORE_CLIENT_OPTIONS.connectTimeout).toBeLessThanOrEqual(1_500);
    expect(STORE_CLIENT_OPTIONS.disconnectTimeout).toBeLessThanOrEqual(200);
    const bull = bullConnection('redis://127.0.0.1:1', { lazyConnect: true });
    try {
      expect(bull.options.connectTimeout).toBeLessThanOrEqual(1_500);
      expect(bull.options.disconnectTimeout).toBeLessThanOrEqual(200);
      expect(bull.options.maxRetriesPerRequest).toBeNull(); // BullMQ's own requirement still holds
    } finally {
      bull.disconnect();
    }
  });
});
