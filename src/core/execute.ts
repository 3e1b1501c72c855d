import pMap from 'p-map';
import type { Connectors } from './connectors.js';
import { ConnectorError, isRetryable } from './errors.js';
import type { Invocation } from './invocation.js';
import type { PairResult } from './outcomes.js';
import type { PlannedPair } from './plan.js';
import type { AuditAction, AuditRecord, Clock, Logger, RemoveResult, Store } from './ports.js';

export interface ExecuteSettings {
  /** Removals running at once (further bounded by each connector's own concurrency). */
  concurrency: number;
  /** Retries of a call the connector marked retryable. */
  retries: number;
  /** First backoff; doubles on each retry unless the platform said how long to wait. */
  backoffMs: number;
  lockTtlMs: number;
  /** How long to wait for a (room, user) another invocation is removing. */
  lockWaitMs: number;
}

export const DEFAULT_EXECUTE: ExecuteSettings = {
  concurrency: 4,
  retries: 3,
  backoffMs: 250,
  lockTtlMs: 30_000,
  lockWaitMs: 10_000,
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

export interface Execution {
  invocation: Invocation;
  caseId: number;
  action: Extract<AuditAction, 'remove' | 'leave'>;
  pairs: readonly PlannedPair[];
  onProgress?: (progress: Progress) => void;
}

/**
 * Runs a judged plan: refusals are recorded as they are, every other pair goes through its connector under a
 * (room, user) lock with retries, and each outcome is in the audit log before anyone is told about it.
 */
export async function executePlan(deps: ExecuteDeps, exec: Execution): Promise<PairResult[]> {
  const { store, clock } = deps;
  const results: PairResult[] = new Array(exec.pairs.length);
  const go: number[] = [];
  const refusals: AuditRecord[] = [];
  exec.pairs.forEach((pair, i) => {
    if (pair.verdict.ok) {
      go.push(i);
      return;
    }
    const { outcome, code, hint } = pair.verdict;
    results[i] = pairResult(pair, { outcome, ...(code ? { code } : {}), ...(hint ? { hint } : {}) });
    refusals.push(record(exec, pair, results[i], clock.now()));
  });
  if (refusals.length > 0) await store.appendAudit(refusals);

  const started = clock.now();
  let done = 0;
  await pMap(
    go,
    async (i) => {
      const pair = exec.pairs[i] as PlannedPair;
      const result = pairResult(pair, await removeOne(deps, exec, pair));
      await store.appendAudit([record(exec, pair, result, clock.now())]);
      results[i] = result;
      done++;
      if (exec.onProgress) {
        const elapsed = Math.max(clock.now() - started, 1);
        const rate = (done * 1000) / elapsed;
        exec.onProgress({
          done,
          total: go.length,
          rate,
          etaMs: done < go.length ? ((go.length - done) / rate) * 1000 : 0,
        });
      }
    },
    { concurrency: Math.max(1, deps.settings.concurrency) },
  );
  return results;
}

async function removeOne(deps: ExecuteDeps, exec: Execution, pair: PlannedPair): Promise<RemoveResult> {
  const key = `${pair.room}|${pair.user}`;
  const token = await acquire(deps, key);
  if (!token) {
    return {
      outcome: 'failed',
      code: 'busy',
      hint: 'another removal of this user from this room is still running',
    };
  }
  try {
    const connector = deps.connectors.for(pair.room);
    return await withRetry(deps, () =>
      connector.remove({
        room: pair.room,
        user: pair.user,
        actor: exec.invocation.actor,
        caseId: exec.caseId,
        ...(pair.reason ? { reason: pair.reason } : {}),
        ...(exec.action === 'leave' ? { self: true } : {}),
      }),
    );
  } catch (error) {
    if (error instanceof ConnectorError) {
      return { outcome: 'failed', code: error.code, ...(error.hint ? { hint: error.hint } : {}) };
    }
    deps.logger.error({ err: error, room: pair.room, user: pair.user }, 'removal failed');
    return { outcome: 'failed', code: 'internal-error' };
  } finally {
    await deps.store.releaseLock(key, token);
  }
}

async function acquire(deps: ExecuteDeps, key: string): Promise<string | undefined> {
  const { store, clock, settings } = deps;
  const deadline = clock.now() + settings.lockWaitMs;
  let wait = 5;
  for (;;) {
    const token = await store.acquireLock(key, settings.lockTtlMs);
    if (token || clock.now() >= deadline) return token;
    await clock.sleep(wait);
    wait = Math.min(wait * 2, 250);
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

function pairResult(
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

function record(exec: Execution, pair: PlannedPair, result: PairResult, at: number): AuditRecord {
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
    invocation: exec.invocation.id,
    at,
  };
}
