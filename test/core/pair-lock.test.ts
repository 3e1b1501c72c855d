import { describe, expect, it } from 'vitest';
import {
  type AuditRecord,
  type MarkerWrite,
  noMetrics,
  type PairMark,
  silentLogger,
} from '../../src/core/index.js';
import { lockPair } from '../../src/core/remove/pair-lock.js';
import { MemoryStore } from '../../src/store/MemoryStore.js';
import { FakeClock } from '../helpers/clock.js';

const KEY = 'console:demo/general|console:bob';
const removed = { room: 'console:demo/general', user: 'console:bob', outcome: 'removed' as const };
const record: AuditRecord = {
  caseId: 1,
  workspace: 'console:demo',
  action: 'remove',
  actor: 'console:mo',
  target: 'console:bob',
  room: 'console:demo/general',
  outcome: 'removed',
  invocation: 'i1',
  at: 0,
};

/** A store that lets the test act after a number of claims (while a waiter is looping). */
class Stepped extends MemoryStore {
  claims = 0;
  onClaim: (n: number) => Promise<void> = async () => {};
  override async claimPair(key: string, ttlMs: number, mark: PairMark, marker?: MarkerWrite) {
    await this.onClaim(++this.claims);
    return super.claimPair(key, ttlMs, mark, marker);
  }
}

const setup = () => {
  const clock = new FakeClock();
  const store = new Stepped({ clock });
  const settings = { lockTtlMs: 60_000, lockWaitMs: 1_000, settleWaitMs: 1_000 };
  return { clock, store, deps: { store, clock, logger: silentLogger, metrics: noMetrics, settings } };
};

describe('lockPair', () => {
  it('GIVEN another attempt of the same job holding the pair past the wait THEN it waits for its record instead of a busy one', async () => {
    const { clock, store, deps } = setup();
    const mark = { job: 'j1', index: 0 };
    const first = await store.claimPair(KEY, 60_000, mark); // a slice's first worker, still working
    expect(first).toMatchObject({ token: expect.any(String) });
    const token = (first as { token: string }).token;
    store.onClaim = async (n) => {
      if (n === 40) expect(clock.sleeps.reduce((a, b) => a + b, 0)).toBeGreaterThan(1_000); // past the wait
      if (n === 40)
        await store.settlePair(record, { lock: { key: KEY, token }, mark: { ...mark, result: removed } });
    };
    // The slice handed on to a second worker while the first still runs: its claim must not settle `busy`.
    expect(await lockPair(deps, KEY, mark)).toEqual({ settled: removed });
    expect(await store.readAudit({})).toHaveLength(1);
  });

  it('GIVEN another invocation holding the pair past the wait THEN busy', async () => {
    const { clock, store, deps } = setup();
    await store.acquireLock(KEY, 60_000);
    expect(await lockPair(deps, KEY, { job: 'j2', index: 0 })).toEqual({ busy: true });
    expect(clock.sleeps.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1_000);
  });
});
