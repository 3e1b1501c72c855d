import { afterAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../../src/store/RedisStore.js';
import {
  fromConfig,
  fromInfo,
  persistenceWarning,
  readPersistence,
} from '../../src/store/redis-persistence.js';
import { testClient, testPrefix } from '../helpers/redis.js';
import { startRedisServer } from '../helpers/redis-server.js';

/** A Redis that keeps nothing and comes back empty: the warning, the epoch, and case numbers never reused. */

const client = testClient();
afterAll(() => client.quit());

/** What a Redis restart without persistence does to kickbot's keys (only this test's, on the shared Redis). */
async function wipe(prefix: string): Promise<void> {
  const keys = await client.keys(`${prefix}:*`);
  if (keys.length) await client.del(...keys);
}

describe('case numbers when Redis comes back empty', () => {
  it('GIVEN cases 1 and 2 WHEN Redis loses every key THEN the next case is 3, and the loss is reported once', async () => {
    const prefix = testPrefix();
    const lost: number[] = [];
    const store = new RedisStore(client, { prefix, onDataLost: (highest) => lost.push(highest) });
    expect(await store.checkEpoch()).toBe('new');
    expect(await store.nextCaseId('console:demo')).toBe(1);
    expect(await store.nextCaseId('console:demo')).toBe(2);
    expect(await store.checkEpoch()).toBe('same');

    await wipe(prefix);
    expect(await store.nextCaseId('console:demo')).toBe(3);
    expect(lost).toEqual([2]);
    expect(await store.nextCaseId('console:demo')).toBe(4);
    expect(await store.checkEpoch()).toBe('same');
    expect(lost).toEqual([2]); // once per loss
    expect(await client.get(`${prefix}:case-counter:console:demo`)).toBe('4');
  });

  it('GIVEN a loss noticed on reconnect (checkEpoch) THEN the next case still goes above what was seen, per workspace', async () => {
    const prefix = testPrefix();
    const lost: number[] = [];
    const store = new RedisStore(client, { prefix, onDataLost: (highest) => lost.push(highest) });
    await store.checkEpoch();
    for (let i = 0; i < 5; i++) await store.nextCaseId('console:a');
    await store.nextCaseId('console:b');
    await wipe(prefix);
    expect(await store.checkEpoch()).toBe('lost');
    expect(lost).toEqual([5]);
    expect(await store.nextCaseId('console:a')).toBe(6);
    expect(await store.nextCaseId('console:b')).toBe(2);
  });

  it('GIVEN case numbers this process only read or wrote in the audit log THEN they count as seen too', async () => {
    const prefix = testPrefix();
    const store = new RedisStore(client, { prefix });
    await store.checkEpoch();
    const record = {
      workspace: 'console:demo',
      action: 'remove' as const,
      actor: 'console:mo',
      target: 'console:bob',
      room: 'console:general',
      outcome: 'removed' as const,
      invocation: 'console:k',
      at: 1,
    };
    await store.appendAudit([{ ...record, caseId: 41 }], 'once-1');
    await store.settlePair({ ...record, caseId: 7 }, {});
    await wipe(prefix);
    expect(await store.nextCaseId('console:demo')).toBe(42);
  });

  it('GIVEN a loss noticed by one process THEN it puts the counters back, so another process continues above too', async () => {
    const prefix = testPrefix();
    const a = new RedisStore(client, { prefix });
    const fresh = new RedisStore(client, { prefix }); // started after the loss: it has seen nothing
    await a.checkEpoch();
    for (let i = 0; i < 3; i++) await a.nextCaseId('console:a');
    await a.nextCaseId('console:b');
    await wipe(prefix);
    expect(await a.checkEpoch()).toBe('lost'); // on reconnect
    expect(await fresh.nextCaseId('console:a')).toBe(4);
    expect(await fresh.nextCaseId('console:b')).toBe(2);
  });

  it('GIVEN two processes on one Redis THEN they share the epoch: neither reports a loss that did not happen', async () => {
    const prefix = testPrefix();
    const lost: string[] = [];
    const a = new RedisStore(client, { prefix, onDataLost: () => lost.push('a') });
    const b = new RedisStore(client, { prefix, onDataLost: () => lost.push('b') });
    expect(await a.checkEpoch()).toBe('new');
    expect(await b.checkEpoch()).toBe('same');
    expect([await a.nextCaseId('w'), await b.nextCaseId('w'), await a.nextCaseId('w')]).toEqual([1, 2, 3]);
    expect(lost).toEqual([]);
  });
});

describe('Redis persistence settings', () => {
  it.each([
    ['no', '', 'none'],
    ['yes', '', 'aof'],
    ['no', '3600 1 300 100', 'rdb'],
    ['yes', '3600 1', 'aof+rdb'],
  ] as const)('GIVEN appendonly %s and save "%s" THEN %s', (appendonly, save, expected) => {
    expect(fromConfig(appendonly, save)).toBe(expected);
  });

  it('GIVEN CONFIG disabled THEN INFO persistence tells AOF on, and otherwise it is unknown', () => {
    expect(fromInfo('# Persistence\r\nloading:0\r\naof_enabled:1\r\n')).toBe('aof');
    expect(fromInfo('# Persistence\r\nloading:0\r\naof_enabled:0\r\n')).toBe('unknown');
    expect(persistenceWarning('unknown')).toMatch(/cannot tell/);
    expect(persistenceWarning('aof')).toBeUndefined();
    expect(persistenceWarning('none')).toMatch(/--appendonly yes/);
  });

  it('GIVEN redis-servers with and without AOF THEN kickbot reads aof and none', async () => {
    const bare = await startRedisServer();
    const aof = await startRedisServer({ persist: true });
    const [c1, c2] = [testClient(bare.url), testClient(aof.url)];
    try {
      expect(await readPersistence(c1)).toBe('none');
      expect(await readPersistence(c2)).toBe('aof');
      await c1.call('CONFIG', 'SET', 'save', '900 1');
      expect(await readPersistence(c1)).toBe('rdb');
    } finally {
      c1.disconnect();
      c2.disconnect();
      await bare.stop();
      await aof.stop();
    }
  });
});
