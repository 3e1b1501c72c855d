import { afterAll, describe, expect, it } from 'vitest';
import { StoreUnavailableError } from '../../src/core/index.js';
import { RedisStore } from '../../src/store/RedisStore.js';
import { elapse, redisUrl, testClient, testPrefix } from '../helpers/redis.js';
import { startRedisServer } from '../helpers/redis-server.js';
import { storeContract } from './contract.js';

const client = testClient();
afterAll(() => client.quit());

storeContract('RedisStore', async () => {
  const prefix = testPrefix();
  return { store: new RedisStore(client, { prefix }), elapse: (ms) => elapse(client, prefix, ms) };
});

describe('RedisStore specifics', () => {
  it('GIVEN the default prefix THEN the ledger is kickbot:{kickbot}:<kind>:…, and the rest kickbot:<kind>:…', async () => {
    const server = await startRedisServer();
    const store = RedisStore.fromUrl(server.url);
    try {
      await store.claimInvocation('console:k1', 60_000);
      await store.nextCaseId('console:demo');
      await store.claimPair('console:general|console:bob', 60_000, { job: 'j1', index: 0 });
      await store.savePending(
        'p1',
        {
          invocation: {
            id: 'console:k',
            platform: 'console',
            workspace: 'console:w',
            actor: 'console:mo',
            channel: 'console:general',
            command: 'kick',
            input: { text: '' },
            receivedAt: 1,
          },
          expiresAt: 2,
        },
        60_000,
      );
      const keys = (await store.client.keys('*')).sort();
      expect(keys).toEqual([
        'kickbot:case-counter:console:demo',
        'kickbot:epoch',
        'kickbot:invocation:console:k1',
        'kickbot:pending:p1',
        'kickbot:{kickbot}:lock:console:general|console:bob',
        'kickbot:{kickbot}:marks:j1',
      ]);
    } finally {
      await store.close();
      await server.stop();
    }
  });

  it('GIVEN an injected client THEN close() leaves it open; a store from a URL quits its own', async () => {
    const own = testClient();
    const store = new RedisStore(own, { prefix: testPrefix() });
    await store.close();
    expect(await own.ping()).toBe('PONG');
    await own.quit();
    const fromUrl = RedisStore.fromUrl(redisUrl(), { prefix: testPrefix() });
    expect(await fromUrl.ping()).toBe(true);
    await fromUrl.close();
    await expect(fromUrl.client.ping()).rejects.toThrow(/closed/i);
  });

  it('GIVEN a value that is not what kickbot wrote THEN reading it fails loudly instead of using it', async () => {
    const prefix = testPrefix();
    const store = new RedisStore(client, { prefix });
    await client.set(`${prefix}:pending:p1`, JSON.stringify({ invocation: { id: 1 } }));
    await expect(store.peekPending('p1')).rejects.toThrow(/invocation/);
  });

  it('GIVEN a claim written before fingerprints were kept THEN it counts as the empty fingerprint, and completing keeps the one written', async () => {
    const prefix = testPrefix();
    const store = new RedisStore(client, { prefix });
    await client.set(`${prefix}:invocation:old`, '{"state":"running"}');
    expect(await store.claimInvocation('old', 60_000)).toEqual({ state: 'running' });
    expect(await store.claimInvocation('old', 60_000, 'fp-new')).toEqual({ state: 'mismatch' });
    await store.claimInvocation('k2', 60_000, 'fp-2');
    await store.completeInvocation('k2', { kind: 'info', message: 'done' }, 60_000);
    expect(JSON.parse((await client.get(`${prefix}:invocation:k2`)) ?? '')).toEqual({
      state: 'done',
      fp: 'fp-2',
      reply: { kind: 'info', message: 'done' },
    });
    expect(await client.pttl(`${prefix}:invocation:k2`)).toBeGreaterThan(50_000);
  });

  it('GIVEN Redis is gone THEN calls fail with StoreUnavailableError, and work again once it is back', async () => {
    const server = await startRedisServer();
    const store = RedisStore.fromUrl(server.url, { prefix: testPrefix() });
    try {
      expect(await store.nextCaseId('w')).toBe(1);
      await server.stop();
      await expect(store.nextCaseId('w')).rejects.toBeInstanceOf(StoreUnavailableError);
      expect(await store.ping()).toBe(false);
      await server.start();
      await new Promise<void>((resolve) => store.client.once('ready', () => resolve()));
      expect(await store.ping()).toBe(true);
      expect(await store.nextCaseId('w')).toBe(2); // a fresh, empty server: case 1 is not handed out again
    } finally {
      await store.close();
      await server.stop();
    }
  });
});
