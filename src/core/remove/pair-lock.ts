import { StoreUnavailableError } from '../errors.js';
import { whileRenewing } from '../locks.js';
import type { Clock, Logger } from '../ports/clock-logger.js';
import type { Metrics } from '../ports/metrics.js';
import type { Remover } from '../ports/remover.js';
import type { AuditRecord, MarkerWrite, PairClaim, PairMark, SettleOptions, Store } from '../ports/store.js';

/** The steps around one pair's removal: pacing, its lock (kept alive while it works), and recording it. */

export interface PairLockDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  settings: {
    /** A pair's lock lives this long unless its holder renews it (every third of it, while the removal runs). */
    lockTtlMs: number;
    /** How long to wait for a (room, user) another invocation is removing; longer than a lock's life. */
    lockWaitMs: number;
    /** How long a removal that happened waits for the store to come back to record it. */
    settleWaitMs: number;
  };
}

/** A pair's lock as its holder knows it. */
export interface HeldLock {
  key: string;
  token: string;
}

/** Keeps every replica and worker together at the platform's rate: a steady slot each, shared through the store. */
export async function pace(deps: PairLockDeps, remover: Remover, workspace: string): Promise<void> {
  const rate = remover.ratePerSecond;
  if (!rate) return;
  const wait = await deps.store.paceSlot(`${workspace}|${remover.system}`, 1_000 / rate);
  if (wait <= 0) return;
  deps.metrics.rateLimitWait(remover.system, wait / 1000);
  await deps.clock.sleep(wait);
}

/**
 * The pair's lock (a bulk job's pair also claims its mark), waiting a while for another holder to finish. A holder
 * that is another attempt of the same job (a slice handed on while its first worker still runs) is waited for
 * without the deadline: it records the pair itself, and a `busy` record here would stand in for its outcome. It
 * renews its lock while it works, so the wait ends when it settles (`settled`) or dies (`recovering`).
 */
export async function lockPair(
  deps: PairLockDeps,
  key: string,
  mark: PairMark | undefined,
  marker?: MarkerWrite,
): Promise<PairClaim> {
  const { store, clock, settings } = deps;
  const deadline = clock.now() + settings.lockWaitMs;
  let wait = 5;
  for (;;) {
    const claim: PairClaim = mark
      ? await store.claimPair(key, settings.lockTtlMs, mark, marker)
      : await store
          .acquireLock(key, settings.lockTtlMs)
          .then((token) => (token ? { token, recovering: false } : { busy: true as const }));
    if (!('busy' in claim) || (clock.now() >= deadline && !claim.inFlight)) return claim;
    await clock.sleep(wait);
    wait = Math.min(wait * 2, 250);
  }
}

/** Runs `work` while renewing every one of `locks`, so that a slow platform call never loses one to a waiter. */
export function holding<T>(
  deps: PairLockDeps,
  locks: readonly HeldLock[],
  work: () => Promise<T>,
): Promise<T> {
  return locks.reduce<() => Promise<T>>(
    (inner, { key, token }) =>
      () =>
        whileRenewing(deps.store, { key, token, ttlMs: deps.settings.lockTtlMs }, inner, (error) =>
          deps.logger.warn({ err: error, key }, 'could not renew a pair lock'),
        ),
    work,
  )();
}

/**
 * Records an outcome (and releases the pair's lock). A removal that happened must not go unrecorded: while the
 * store is away this waits for it, up to `settleWaitMs`, and then logs the record as the last resort.
 */
export async function settle(
  deps: PairLockDeps,
  rec: AuditRecord,
  opts: SettleOptions,
): Promise<number | 'lost'> {
  const { store, clock, logger, settings } = deps;
  const deadline = clock.now() + settings.settleWaitMs;
  let wait = 100;
  for (;;) {
    try {
      return await store.settlePair(rec, opts);
    } catch (error) {
      if (!(error instanceof StoreUnavailableError)) throw error;
      if (clock.now() >= deadline) {
        logger.error(
          { audit: rec },
          'audit record NOT written: the store stayed unavailable; this log line is the record',
        );
        return 'lost';
      }
      logger.warn(
        { caseId: rec.caseId, room: rec.room, user: rec.target },
        'waiting for the store to record an outcome',
      );
      await clock.sleep(wait);
      wait = Math.min(wait * 2, 2_000);
    }
  }
}
