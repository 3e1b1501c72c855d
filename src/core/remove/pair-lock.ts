import type { Connectors } from './connectors.js';
import { StoreUnavailableError } from './errors.js';
import type { ExecuteDeps } from './execute.js';
import { whileRenewing } from './locks.js';
import type { PairResult } from './outcomes.js';
import type { PlannedPair } from './plan.js';
import type { AuditRecord, Connector, PairClaim, PairMark, RemoveResult, Store } from './ports.js';

/** The steps around one pair's removal: pacing, its lock (kept alive while it works), and recording it. */

/** Keeps every replica and worker together at the platform's rate: a steady slot each, shared through the store. */
export async function pace(deps: ExecuteDeps, connector: Connector, workspace: string): Promise<void> {
  const rate = connector.capabilities.ratePerSecond;
  if (!rate) return;
  const wait = await deps.store.paceSlot(`${workspace}|${connector.platform}`, 1_000 / rate);
  if (wait > 0) await deps.clock.sleep(wait);
}

/** Runs `work` while renewing the pair's lock, so that a slow platform call never loses it to a waiter. */
export function holding<T>(
  deps: ExecuteDeps,
  key: string,
  token: string,
  work: () => Promise<T>,
): Promise<T> {
  return whileRenewing(deps.store, { key, token, ttlMs: deps.settings.lockTtlMs }, work, (error) =>
    deps.logger.warn({ err: error, key }, 'could not renew a pair lock'),
  );
}

/** The pair's lock (a bulk job's pair also claims its mark), waiting a while for another holder to finish. */
export async function lockPair(
  deps: ExecuteDeps,
  key: string,
  mark: PairMark | undefined,
): Promise<PairClaim> {
  const { store, clock, settings } = deps;
  const deadline = clock.now() + settings.lockWaitMs;
  let wait = 5;
  for (;;) {
    const claim: PairClaim = mark
      ? await store.claimPair(key, settings.lockTtlMs, mark)
      : await store
          .acquireLock(key, settings.lockTtlMs)
          .then((token) => (token ? { token, recovering: false } : { busy: true as const }));
    if (!('busy' in claim) || clock.now() >= deadline) return claim;
    await clock.sleep(wait);
    wait = Math.min(wait * 2, 250);
  }
}

/**
 * Records an outcome (and releases the pair's lock). A removal that happened must not go unrecorded: while the
 * store is away this waits for it, up to `settleWaitMs`, and then logs the record as the last resort.
 */
export async function settle(
  deps: ExecuteDeps,
  rec: AuditRecord,
  opts: Parameters<Store['settlePair']>[1],
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

/** A pair of a unit after its claim: already done, refused without a call, or locked and ready to go. */
export interface Claimed {
  i: number;
  index: number;
  key: string;
  token?: string;
  recovering?: boolean;
  done?: PairResult;
  outcome?: RemoveResult;
}

/** Pairs that go to the platform together: one, or up to a connector's `batch` size for one `removeMany`. */
export function unitsOf(pairs: readonly PlannedPair[], connectors: Connectors): number[][] {
  const units: number[][] = [];
  const open = new Map<string, number[]>();
  for (const [i, pair] of pairs.entries()) {
    const connector = connectors.for(pair.room);
    const size = connector.removeMany ? (connector.capabilities.batch ?? 1) : 1;
    if (size <= 1) {
      units.push([i]);
      continue;
    }
    let unit = open.get(connector.platform);
    if (!unit || unit.length >= size) {
      unit = [];
      open.set(connector.platform, unit);
      units.push(unit);
    }
    unit.push(i);
  }
  return units;
}

/** Keeps every lock of a unit alive while its call runs. */
export function holdingAll<T>(
  deps: ExecuteDeps,
  claims: readonly Claimed[],
  work: () => Promise<T>,
): Promise<T> {
  return claims.reduce<() => Promise<T>>(
    (inner, c) => () => holding(deps, c.key, c.token as string, inner),
    work,
  )();
}
