import type { Store } from './ports/store.js';

/** The store's named locks (SET NX PX, renewed, compare-and-delete): every replica sees the same ones. */
export type Locks = Pick<Store, 'acquireLock' | 'extendLock' | 'releaseLock'>;

/**
 * Runs `work` while renewing the lock `key` (every third of its life), so that a slow call never loses it to a
 * waiter. A failed renewal is reported to `onRenewFailed`; the work goes on.
 */
export async function whileRenewing<T>(
  locks: Pick<Store, 'extendLock'>,
  lock: { key: string; token: string; ttlMs: number },
  work: () => Promise<T>,
  onRenewFailed: (error: unknown) => void = () => {},
): Promise<T> {
  const timer = setInterval(
    () => {
      locks.extendLock(lock.key, lock.token, lock.ttlMs).catch(onRenewFailed);
    },
    Math.max(Math.floor(lock.ttlMs / 3), 100),
  );
  timer.unref();
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

/**
 * Runs `work` holding the lock `key`: waits for it (up to `waitMs`, backing off), renews it while `work` runs and
 * releases it after. 'busy' when another holder kept it all that time; the store's errors are thrown.
 */
export async function withLock<T>(
  locks: Locks,
  key: string,
  opts: { ttlMs: number; waitMs: number; sleep: (ms: number) => Promise<void>; now: () => number },
  work: () => Promise<T>,
): Promise<T | 'busy'> {
  const deadline = opts.now() + opts.waitMs;
  let wait = 10;
  let token = await locks.acquireLock(key, opts.ttlMs);
  while (!token) {
    if (opts.now() >= deadline) return 'busy';
    await opts.sleep(wait);
    wait = Math.min(wait * 2, 200);
    token = await locks.acquireLock(key, opts.ttlMs);
  }
  const held = token;
  try {
    return await whileRenewing(locks, { key, token: held, ttlMs: opts.ttlMs }, work);
  } finally {
    await locks.releaseLock(key, held).catch(() => {});
  }
}
