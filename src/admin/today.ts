import type { AuditRecord, Store } from '../core/index.js';

/**
 * Today's counts on the overview, from the store's audit log: cases opened since midnight UTC and their pairs
 * by outcome. Bounded: at most TODAY_RECORDS records (newest first) of at most TODAY_WORKSPACES workspaces are
 * read; when that is not all of today, the counts say "at least".
 */

export const TODAY_RECORDS = 5_000;
export const TODAY_WORKSPACES = 20;

export interface TodayCounts {
  /** Midnight UTC, ms. */
  since: number;
  /** Cases whose first record is today. */
  cases: number;
  /** Pairs recorded today, by outcome (`removed`, `restored`…). */
  pairs: Record<string, number>;
  /** Not all of today was read (the bounds above): the numbers are lower bounds. */
  partial: boolean;
}

export function midnightUtc(now: number): number {
  const day = new Date(now);
  return Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate());
}

export async function todayCounts(store: Store, now: number): Promise<TodayCounts> {
  const since = midnightUtc(now);
  const workspaces = await store.workspaces();
  const counts: TodayCounts = { since, cases: 0, pairs: {}, partial: workspaces.length > TODAY_WORKSPACES };
  for (const workspace of workspaces.slice(0, TODAY_WORKSPACES)) {
    const records = await store.readAudit({ workspace, limit: TODAY_RECORDS });
    const oldest = records.at(-1);
    if (records.length === TODAY_RECORDS && oldest && oldest.at >= since) counts.partial = true;
    count(records, since, counts);
  }
  return counts;
}

/** Adds one workspace's records (newest first): today's pairs, and the cases with no record before today. */
function count(records: readonly AuditRecord[], since: number, counts: TodayCounts): void {
  const today = new Set<number>();
  const before = new Set<number>();
  for (const r of records) {
    if (r.at < since) {
      before.add(r.caseId);
      continue;
    }
    today.add(r.caseId);
    counts.pairs[r.outcome] = (counts.pairs[r.outcome] ?? 0) + 1;
  }
  for (const id of today) if (!before.has(id)) counts.cases++;
}
