import { describe, expect, it } from 'vitest';
import { withLock } from '../../src/core/locks.js';
import { MemoryStore } from '../../src/store/MemoryStore.js';
import { FakeClock } from '../helpers/clock.js';

/** The store lock held across a piece of work (a Slack user group's read-modify-write). */
describe('withLock', () => {
  const setup = () => {
    const clock = new FakeClock();
    const store = new MemoryStore({ clock });
    const opts = {
      ttlMs: 60_000,
      waitMs: 1_000,
      sleep: (ms: number) => clock.sleep(ms),
      now: () => clock.now(),
    };
    return { clock, store, opts };
  };

  it('GIVEN a free lock THEN the work runs holding it, and it is free again after', async () => {
    const { store, opts } = setup();
    const seen = await withLock(store, 'k', opts, async () => store.acquireLock('k', 1_000));
    expect(seen).toBeUndefined(); // held while the work ran
    expect(await store.acquireLock('k', 1_000)).toBeDefined(); // released after
  });

  it('GIVEN the lock held elsewhere for longer than the wait THEN busy, and the work never runs', async () => {
    const { clock, store, opts } = setup();
    await store.acquireLock('k', 60_000);
    let ran = false;
    const done = await withLock(store, 'k', opts, async () => {
      ran = true;
    });
    expect([done, ran]).toEqual(['busy', false]);
    expect(clock.sleeps.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1_000);
  });

  it('GIVEN the work fails THEN the lock is released all the same', async () => {
    const { store, opts } = setup();
    await expect(withLock(store, 'k', opts, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await store.acquireLock('k', 1_000)).toBeDefined();
  });
});
