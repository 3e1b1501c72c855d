import pMap from 'p-map';
import type { Connectors } from '../connectors.js';
import { ConnectorError, StoreUnavailableError } from '../errors.js';
import type { Invocation } from '../invocation.js';
import type { PlannedPair } from '../judge-pairs.js';
import { OWN_ACTION_MS, pairMarkerWrite } from '../markers.js';
import type { PairResult } from '../outcomes.js';
import type { RemovalTarget, RemoveResult } from '../ports/facts.js';
import type { AuditAction } from '../ports/store.js';
import { type Progress, progressOf } from '../progress.js';
import { type RetrySettings, withRetry } from '../retry.js';
import type { BulkJob } from './bulk.js';
import { CaseWatch } from './case-watch.js';
import { type HeldLock, holding, lockPair, type PairLockDeps, pace, settle } from './pair-lock.js';
import { countSettled, pairResult, record } from './records.js';

export interface ExecuteSettings extends RetrySettings, Readonly<PairLockDeps['settings']> {
  /** Removals running at once (further bounded by each connector's own concurrency). */
  concurrency: number;
}

export const DEFAULT_EXECUTE: ExecuteSettings = {
  concurrency: 4,
  retries: 3,
  backoffMs: 250,
  lockTtlMs: 6_000,
  lockWaitMs: 15_000,
  settleWaitMs: 120_000,
};

export interface ExecuteDeps extends PairLockDeps {
  connectors: Connectors;
  settings: ExecuteSettings;
  /** How long a removal is remembered for a rejoin alert (0: not at all). */
  rejoinAlertMs: number;
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
  action: Extract<AuditAction, 'remove' | 'leave' | 'offboard'>;
  /** Pairs the rules allowed; refusals are recorded before execution. */
  pairs: readonly PlannedPair[];
  onProgress?: (progress: Progress) => void;
  job: JobSlice;
}

/**
 * Runs a whole job in this process, every pair marked in the store like a bulk job's, so that a write resent after
 * a lost reply is a no-op. Small batches and the default bulk runner both run here. The marks go once the results
 * are in hand (an offboarding runs hundreds of such jobs; they would otherwise stay until they expire).
 */
export async function executeJob(
  deps: ExecuteDeps,
  job: BulkJob,
  onProgress?: (progress: Progress) => void,
): Promise<PairResult[]> {
  const results = await executePlan(deps, {
    ...job,
    job: { id: job.id, offset: 0, total: job.pairs.length, marks: new Map() },
    ...(onProgress ? { onProgress } : {}),
  });
  await deps.store.forgetJob(job.id).catch(() => {}); // they expire anyway
  return results;
}

const NOT_ATTEMPTED: RemoveResult = {
  outcome: 'failed',
  code: 'store-unavailable',
  hint: 'kickbot lost its state store (Redis), so it did not try this removal',
};

const CANCELLED = { outcome: 'cancelled' } as const;

const BUSY: RemoveResult = {
  outcome: 'failed',
  code: 'busy',
  hint: 'another removal of this user from this room is still running',
};

/** A pair after its claim: already done, refused without a call, or locked and ready to go. */
interface Claimed {
  i: number;
  index: number;
  key: string;
  token?: string;
  recovering?: boolean;
  done?: PairResult;
  outcome?: RemoveResult;
  /** `/kickbot cancel` came before the pair started. */
  cancel?: true;
}

/**
 * Runs the allowed pairs of a job (or a slice of one): each goes through its remover under a (room, user) lock with
 * retries, and each outcome is in the audit log before anyone is told about it. Pairs an earlier attempt finished
 * are skipped and pairs it left in flight are tried again, so every target is handled once.
 */
export async function executePlan(deps: ExecuteDeps, exec: Execution): Promise<PairResult[]> {
  const { clock, connectors } = deps;
  const { job } = exec;
  const results: PairResult[] = new Array(exec.pairs.length);
  const started = clock.now();
  let startDone = 0;
  for (const mark of job.marks.values()) if (mark !== 'pending') startDone++;
  let done = startDone;
  let storeDown = false;
  const watch = new CaseWatch(deps, exec.invocation.workspace, exec.caseId);

  /** Claims a pair's lock and mark; answers what to do with it. */
  const claim = async (i: number): Promise<Claimed> => {
    const pair = exec.pairs[i] as PlannedPair;
    const index = job.offset + i;
    const mark = job.marks.get(index);
    if (mark && mark !== 'pending') return { i, index, key: '', done: mark };
    const key = `${pair.room}|${pair.user}`;
    if (!storeDown) await watch.running();
    // A pair an earlier attempt left in flight may have been removed: it finishes whatever a cancel says.
    if (mark === undefined && !storeDown && (await watch.cancelled())) return { i, index, key, cancel: true };
    try {
      // kickbot's own call is about to go out: the platform's "member left" event for it is kickbot's own.
      const removing = pairMarkerWrite(
        pair.room,
        pair.user,
        { caseId: exec.caseId, at: clock.now(), state: 'removing' },
        OWN_ACTION_MS,
      );
      const got = storeDown ? undefined : await lockPair(deps, key, { job: job.id, index }, removing);
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
  const finish = async (c: Claimed, outcome: RemoveResult | { outcome: 'cancelled' }): Promise<void> => {
    const pair = exec.pairs[c.i] as PlannedPair;
    const result = pairResult(pair, outcome);
    results[c.i] = result;
    if (outcome === NOT_ATTEMPTED) return; // nothing happened, and there is nowhere to record it
    countSettled(deps.metrics, result);
    const undo = outcome.outcome === 'removed' ? outcome.undo : undefined;
    const settled = await settle(deps, record(exec, pair, result, clock.now(), undo), {
      ...(c.token ? { lock: { key: c.key, token: c.token } } : {}),
      mark: { job: job.id, index: c.index, result },
      // Claimed: the `removing` marker becomes `removed` for the rejoin window, or goes.
      ...(c.token ? { marker: settledMarker(deps, exec, pair, result) } : {}),
    });
    if (settled === 'lost') storeDown = true;
    done = typeof settled === 'number' ? Math.max(done, settled) : done + 1;
    exec.onProgress?.({
      ...progressOf(done, job.total, startDone, clock.now() - started),
      caseId: exec.caseId,
    });
  };

  // Read once before the first claims, so that they all start alike (in plan order) on what is known.
  if (!storeDown) {
    await watch.running();
    await watch.cancelled();
  }
  await pMap(
    unitsOf(exec.pairs, connectors),
    async (unit) => {
      const claims = await Promise.all(unit.map(claim));
      const ready: Claimed[] = [];
      for (const c of claims) {
        if (c.done) results[c.i] = c.done;
        else if (c.cancel) await finish(c, CANCELLED);
        else if (c.outcome) await finish(c, c.outcome);
        else ready.push(c);
      }
      if (ready.length === 0) return;
      const outcomes = await holding(deps, ready as HeldLock[], () => callRemove(deps, exec, ready));
      await Promise.all(ready.map((c, k) => finish(c, outcomes[k] as RemoveResult)));
    },
    { concurrency: Math.max(1, deps.settings.concurrency) },
  );
  // The whole job is settled (this slice's last pair, or another worker's, was the last): nothing left to cancel.
  // An offboarding runs a job per page and says itself when it is done.
  if (done >= job.total && exec.action !== 'offboard') await watch.finished();
  return results;
}

/** Pairs that go to the platform together: one, or up to a remover's `batch` size for one batch call. */
function unitsOf(pairs: readonly PlannedPair[], connectors: Connectors): number[][] {
  const units: number[][] = [];
  const open = new Map<string, number[]>();
  for (const [i, pair] of pairs.entries()) {
    const remover = connectors.remover(pair.room);
    const size = remover.batch?.size ?? 1;
    if (size <= 1) {
      units.push([i]);
      continue;
    }
    let unit = open.get(remover.system);
    if (!unit || unit.length >= size) {
      unit = [];
      open.set(remover.system, unit);
      units.push(unit);
    }
    unit.push(i);
  }
  return units;
}

/** One platform call for a unit's pairs (paced, retried); one outcome per pair, never a throw. */
async function callRemove(
  deps: ExecuteDeps,
  exec: Execution,
  claims: readonly Claimed[],
): Promise<RemoveResult[]> {
  const pairs = claims.map((c) => exec.pairs[c.i] as PlannedPair);
  const remover = deps.connectors.remover((pairs[0] as PlannedPair).room);
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
  await pace(deps, remover, exec.invocation.workspace); // a StoreUnavailableError here means: not attempted
  let attempts = 0;
  try {
    const results = await withRetry(deps, remover.system, async () => {
      attempts++;
      return remover.batch && targets.length > 1
        ? await remover.batch.remove(targets)
        : [await remover.remove(targets[0] as RemovalTarget)];
    });
    if (results.length !== targets.length) throw new Error(`${remover.system}: ${results.length} results`);
    // An earlier attempt was removing this pair when it stopped (a dead worker, or a call that timed out after
    // the platform had done it): where the plan saw a member, that attempt removed them.
    const seen = remover.members !== undefined;
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

/**
 * What a settled pair leaves on its marker (markers.ts): a removal stays `removed` for the rejoin window, anything
 * else drops the `removing` its claim wrote. Written in the settle's own atomic step, never a round trip of its own.
 */
function settledMarker(deps: ExecuteDeps, exec: Execution, pair: PlannedPair, result: PairResult) {
  return result.outcome === 'removed'
    ? pairMarkerWrite(
        pair.room,
        pair.user,
        { caseId: exec.caseId, at: deps.clock.now(), state: 'removed' },
        Math.max(deps.rejoinAlertMs, OWN_ACTION_MS),
      )
    : pairMarkerWrite(pair.room, pair.user, undefined, 0);
}
