import type { Id } from './ids.js';

/** How one (room, user) pair ended. DESIGN §4. */
export const OUTCOMES = ['removed', 'not_member', 'denied', 'unsupported', 'failed', 'cancelled'] as const;
export type Outcome = (typeof OUTCOMES)[number];
/** How one (room, user) pair of an undo ended. */
export const RESTORE_OUTCOMES = ['restored', 'already_member', 'denied', 'unsupported', 'failed'] as const;
export type RestoreOutcome = (typeof RESTORE_OUTCOMES)[number];

/** Refusal codes of the permission rules (DESIGN §5). Platforms add their own codes to `failed` / `unsupported`. */
export const REFUSAL_CODES = [
  'room-not-found',
  'not-allowed',
  'self',
  'protected',
  'hierarchy',
  'last-owner',
] as const;
export type RefusalCode = (typeof REFUSAL_CODES)[number];

export interface PairResult<O extends string = Outcome> {
  room: Id;
  user: Id;
  area?: string;
  outcome: O;
  code?: string;
  /** A short hint for the moderator (what to do instead). Never a secret or a payload. */
  hint?: string;
}

/** Per area, as in the feedback.house Area API: who was removed, who had nothing to remove, what went wrong. */
export interface AreaResult {
  area: string;
  users: Id[];
  usersNotUpdated: Id[];
  errors: { room: Id; user: Id; outcome: Outcome; code?: string }[];
}

export type Status = 'ok' | 'partial' | 'error';

export interface Tally {
  removed: number;
  notMember: number;
  denied: number;
  unsupported: number;
  failed: number;
  /** Pairs a `/kickbot cancel` stopped before they started. */
  cancelled: number;
}

export function tally(results: readonly PairResult[]): Tally {
  const t: Tally = { removed: 0, notMember: 0, denied: 0, unsupported: 0, failed: 0, cancelled: 0 };
  for (const r of results) {
    if (r.outcome === 'removed') t.removed++;
    else if (r.outcome === 'not_member') t.notMember++;
    else if (r.outcome === 'denied') t.denied++;
    else if (r.outcome === 'unsupported') t.unsupported++;
    else if (r.outcome === 'cancelled') t.cancelled++;
    else t.failed++;
  }
  return t;
}

/** `Removed 3 | Not a member 1 | Denied 0 | Failed 0`, plus `| Unsupported N` and `| Cancelled N` when some pair was. */
export function summaryLine(t: Tally): string {
  const line = `Removed ${t.removed} | Not a member ${t.notMember} | Denied ${t.denied} | Failed ${t.failed}`;
  const unsupported = t.unsupported > 0 ? ` | Unsupported ${t.unsupported}` : '';
  return `${line}${unsupported}${t.cancelled > 0 ? ` | Cancelled ${t.cancelled}` : ''}`;
}

/**
 * DESIGN §8: ok = nothing refused or failed; partial = some removed and some not; error = nothing removed and
 * something went wrong. A cancelled pair was not done as asked, so it counts like a refusal.
 */
export function statusOf(t: Tally): Status {
  const bad = t.denied + t.unsupported + t.failed + t.cancelled;
  if (bad === 0) return 'ok';
  return t.removed > 0 ? 'partial' : 'error';
}

export function areaResults(results: readonly PairResult[]): AreaResult[] {
  const byArea = new Map<string, PairResult[]>();
  for (const r of results) {
    if (r.area === undefined) continue;
    const list = byArea.get(r.area) ?? [];
    list.push(r);
    byArea.set(r.area, list);
  }
  return [...byArea].map(([area, rows]) => {
    const removed = new Set<Id>();
    const touched = new Set<Id>();
    const errors: AreaResult['errors'] = [];
    for (const r of rows) {
      if (r.outcome === 'removed') removed.add(r.user);
      if (r.outcome !== 'not_member') touched.add(r.user);
      if (r.outcome === 'denied' || r.outcome === 'unsupported' || r.outcome === 'failed') {
        errors.push({ room: r.room, user: r.user, outcome: r.outcome, ...(r.code ? { code: r.code } : {}) });
      }
    }
    const users = [...new Set(rows.map((r) => r.user))];
    return {
      area,
      users: users.filter((u) => removed.has(u)),
      usersNotUpdated: users.filter((u) => !touched.has(u)),
      errors,
    };
  });
}
