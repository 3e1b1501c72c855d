import pMap from 'p-map';
import type { Connectors } from './connectors.js';
import { ConnectorError, isRetryable, StoreUnavailableError } from './errors.js';
import type { Invocation } from './invocation.js';
import type { PairResult } from './outcomes.js';
import { type Claimed, holdingAll, lockPair, pace, settle, unitsOf } from './pair-steps.js';
import type { PlannedPair } from './plan.js';
import type {
  AuditAction,
  AuditRecord,
  Clock,
  Logger,
  RemovalTarget,
  RemoveResult,
  Store,
  UndoData,
} from './ports.js';

export interface ExecuteSettings {
  /** Removals running at once (further bounded by each connector's own concurrency). */
  concurrency: number;
  /** Retries of a call the connector marked retryable. */
  retries: number;
  /** First backoff; doubles on each retry unless the platform said how long to wait. */
  backoffMs: number;
  /** A pair's lock lives this long unless its holder renews it (every third of it, while the removal runs). */
  lockTtlMs: number;
  /** How long to wait for a (room, user) another invocation is removing; longer than a lock's life. */
  lockWaitMs: number;
  /** How long a removal that happened waits for the store to come back to record it. */
  settleWaitMs: number;
}

export const DEFAULT_EXECUTE: ExecuteSettings = {
  concurrency: 4,
  retries: 3,
  backoffMs: 250,
  lockTtlMs: 6_000,
  lockWaitMs: 15_000,
  settleWaitMs: 120_000,
};

export interface Progress {
  done: number;
  total: number;
  /** Removals per second so far. */
  rate: number;
  /** Estimated time left, once there is a rate to go by. */
  etaMs: number | undefined;
}

export interface ExecuteDeps {
  connectors: Connectors;
  store: Store;
  clock: Clock;
  logger: Logger;
  settings: ExecuteSettings;
}

/** A slice of a bulk job: where its pairs sit in the whole job, and what earlier attempts left. */
export interface JobSlice {
  id: string;
  /** Index of the slice's first pair in the whole job. */
  offset: number;
  /** Pairs in the whole job. */
  total: number;
  /** Pairs an earlier attempt finished (their result) or started (`pending`). */
  marks: ReadonlyMap<number, PairResult | 'pending'>;
}

export interface Execution {
  invocation: Invocation;
  caseId: number;
  action: Extract<AuditAction, 'remove' | 'leave'>;
  /** Pairs the rules allowed; refusals are recorded before execution. */
  pairs: readonly PlannedPair[];
  onProgress?: (progress: Progress) => void;
  job?: JobSlice;
}

const NOT_ATTEMPTED: RemoveResult = {
  outcome: 'failed',
  code: 'store-unavailable',
  hint: 'kickbot lost its state store (Redis), so it did not try this removal',
};

/**
 * Runs the allowed pairs of a plan: each goes through its connector under a (room, user) lock with retries,
 * and each outcome is in the audit log before anyone is told about it. In a bulk job, pairs an earlier attempt
 * finished are skipped and pairs it left in flight are tried again, so every target is handled once.
 */
export async function executePlan(deps: ExecuteDeps, exec: Execution): Promise<PairResult[]> {
  const { clock } = deps;
  const results: PairResult[] = new Array(exec.pairs.length);
  const job = exec.job;
  const total = job?.total ?? exec.pairs.length;
  const started = clock.now();
  let startDone = 0;
  for (const mark of job?.marks.values() ?? []) if (mark !== 'pending') startDone++;
  let done = startDone;
  let storeDown = false;

  const report = () => {
    if (!exec.onProgress) return;
    const elapsed = Math.max(clock.now() - started, 1);
    const rate = (Math.max(done - startDone, 0) * 1000) / elapsed;
    const etaMs = done >= total ? 0 : rate > 0 ? ((total - done) / rate) * 1000 : undefined;
    exec.onProgress({ done, total, rate, etaMs });
  };

  /** Claims a pair's lock (and mark); answers what to do with it. */
  const claim = async (i: number): Promise<Claimed> => {
    const pair = exec.pairs[i] as PlannedPair;
    const index = (job?.offset ?? 0) + i;
    const mark = job?.marks.get(index);
    if (mark && mark !== 'pending') return { i, index, key: '', done: mark };
    const key = `${pair.room}|${pair.user}`;
    try {
      const got = storeDown ? undefined : await lockPair(deps, key, job ? { job: job.id, index } : undefined);
      if (!got) return { i, index, key, outcome: NOT_ATTEMPTED };
      if ('settled' in got) return { i, index, key, done: got.settled }; // another attempt settled it meanwhile
      if ('busy' in got) return { i, index, key, outcome: BUSY };
      return { i, index, key, token: got.token, recovering: got.recovering };
    } catch (error) {
      if (!(error instanceof StoreUnavailableError)) throw error;
      storeDown = true;
      return { i, index, key, outcome: NOT_ATTEMPTED };
    }
  };

  /** Records a pair's outcome (releasing its lock) and reports progress. */
  const finish = async (c: Claimed, outcome: RemoveResult): Promise<void> => {
    const pair = exec.pairs[c.i] as PlannedPair;
    const result = pairResult(pair, outcome);
    results[c.i] = result;
    if (outcome === NOT_ATTEMPTED) return; // nothing happened, and there is nowhere to record it
    const undo = outcome.outcome === 'removed' ? outcome.undo : undefined;
    const settled = await settle(deps, record(exec, pair, result, clock.now(), undo), {
      ...(c.token ? { lock: { key: c.key, token: c.token } } : {}),
      ...(job ? { mark: { job: job.id, index: c.index, result } } : {}),
    });
    if (settled === 'lost') storeDown = true;
    done = job && typeof settled === 'number' ? Math.max(done, settled) : done + 1;
    report();
  };

  await pMap(
    unitsOf(exec.pairs, deps.connectors),
    async (unit) => {
      const claims = await Promise.all(unit.map(claim));
      const ready: Claimed[] = [];
      for (const c of claims) {
        if (c.done) results[c.i] = c.done;
        else if (c.outcome) await finish(c, c.outcome);
        else ready.push(c);
      }
      if (ready.length === 0) return;
      const outcomes = await holdingAll(deps, ready, () => callRemove(deps, exec, ready));
      await Promise.all(ready.map((c, k) => finish(c, outcomes[k] as RemoveResult)));
    },
    { concurrency: Math.max(1, deps.settings.concurrency) },
  );
  return results;
}

const BUSY: RemoveResult = {
  outcome: 'failed',
  code: 'busy',
  hint: 'another removal of this user from this room is still running',
};

async function callRemove(
  deps: ExecuteDeps,
  exec: Execution,
  claims: readonly Claimed[],
): Promise<RemoveResult[]> {
  const pairs = claims.map((c) => exec.pairs[c.i] as PlannedPair);
  const connector = deps.connectors.for((pairs[0] as PlannedPair).room);
  const targets = pairs.map((pair) =>
    deps.connectors.targetIn({
      room: pair.room,
      user: pair.user,
      actor: exec.invocation.actor,
      caseId: exec.caseId,
      ...(pair.reason ? { reason: pair.reason } : {}),
      ...(exec.action === 'leave' ? { self: true } : {}),
    }),
  );
  await pace(deps, connector, exec.invocation.workspace); // a StoreUnavailableError here means: not attempted
  let attempts = 0;
  try {
    const results = await withRetry(deps, async () => {
      attempts++;
      return connector.removeMany && targets.length > 1
        ? await connector.removeMany(targets)
        : [await connector.remove(targets[0] as RemovalTarget)];
    });
    if (results.length !== targets.length)
      throw new Error(`${connector.platform}: ${results.length} results`);
    // An earlier attempt was removing this pair when it stopped (a dead worker, or a call that timed out after
    // the platform had done it): where the plan saw a member, that attempt removed them.
    const seen = connector.capabilities.membership !== false;
    return results.map((r, k) =>
      r.outcome === 'not_member' && (claims[k]?.recovering || (attempts > 1 && seen))
        ? { outcome: 'removed' }
        : r,
    );
  } catch (error) {
    if (error instanceof ConnectorError) {
      const failed: RemoveResult = {
        outcome: 'failed',
        code: error.code,
        ...(error.hint ? { hint: error.hint } : {}),
      };
      return targets.map(() => failed);
    }
    deps.logger.error({ err: error, room: pairs[0]?.room, users: pairs.length }, 'removal failed');
    return targets.map(() => ({ outcome: 'failed', code: 'internal-error' }));
  }
}

export async function withRetry<T>(
  deps: Pick<ExecuteDeps, 'clock' | 'settings'>,
  call: () => Promise<T>,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!isRetryable(error) || attempt >= deps.settings.retries) throw error;
      await deps.clock.sleep(error.retryAfterMs ?? deps.settings.backoffMs * 2 ** attempt);
    }
  }
}

export function pairResult(
  pair: PlannedPair,
  r: { outcome: PairResult['outcome']; code?: string; hint?: string },
): PairResult {
  return {
    room: pair.room,
    user: pair.user,
    ...(pair.area ? { area: pair.area } : {}),
    outcome: r.outcome,
    ...(r.code ? { code: r.code } : {}),
    ...(r.hint ? { hint: r.hint } : {}),
  };
}

export function record(
  exec: Pick<Execution, 'invocation' | 'caseId' | 'action'>,
  pair: PlannedPair,
  result: PairResult,
  at: number,
  undo?: UndoData,
): AuditRecord {
  return {
    caseId: exec.caseId,
    workspace: exec.invocation.workspace,
    action: exec.action,
    actor: exec.invocation.actor,
    target: pair.user,
    room: pair.room,
    ...(pair.area ? { area: pair.area } : {}),
    ...(pair.reason ? { reason: pair.reason } : {}),
    outcome: result.outcome,
    ...(result.code ? { code: result.code } : {}),
    ...(result.outcome === 'removed' && pair.roles.length > 0 ? { roles: [...pair.roles] } : {}),
    ...(undo ? { undo } : {}),
    invocation: exec.invocation.id,
    at,
  };
}
