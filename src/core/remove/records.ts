import { platformOf } from '../ids.js';
import type { Invocation } from '../invocation.js';
import type { PlannedPair } from '../judge-pairs.js';
import type { PairResult } from '../outcomes.js';
import type { UndoData } from '../ports/facts.js';
import type { Metrics } from '../ports/metrics.js';
import type { AuditAction, AuditRecord } from '../ports/store.js';

/** What a pair ended in, as the reply and the audit log write it. */

/** Counts a pair just recorded (settled, or refused before anything ran), on the system of the pair's room. */
export function countSettled(metrics: Metrics, result: PairResult): void {
  metrics.removal(platformOf(result.room), result.outcome);
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

/** The case a record belongs to: who asked, which case, what kind of action. */
export interface CaseOf {
  invocation: Invocation;
  caseId: number;
  action: Extract<AuditAction, 'remove' | 'leave' | 'offboard'>;
}

export function record(
  of: CaseOf,
  pair: PlannedPair,
  result: PairResult,
  at: number,
  undo?: UndoData,
): AuditRecord {
  return {
    caseId: of.caseId,
    workspace: of.invocation.workspace,
    action: of.action,
    actor: of.invocation.actor,
    target: pair.user,
    room: pair.room,
    ...(pair.area ? { area: pair.area } : {}),
    ...(pair.reason ? { reason: pair.reason } : {}),
    outcome: result.outcome,
    ...(result.code ? { code: result.code } : {}),
    ...(result.outcome === 'removed' && pair.roles.length > 0 ? { roles: [...pair.roles] } : {}),
    ...(undo ? { undo } : {}),
    invocation: of.invocation.id,
    at,
  };
}
