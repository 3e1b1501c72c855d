import { readRefusal } from './cases/access.js';
import { clip, fmt, OUTCOME_WORDS, whenText } from './cases/format.js';
import { sinceTime } from './cases/since.js';
import { type CaseStory, caseStory, describeCommand } from './cases/story.js';
import type { CoreDeps } from './deps.js';
import { UsageError } from './errors.js';
import type { Id } from './ids.js';
import type { Invocation } from './invocation.js';
import type { AuditRecord, CaseEvent } from './ports/store.js';
import type { CaseSummary, Reply } from './reply.js';

/** Cases per page of `/kickbot cases`. */
export const CASES_PER_PAGE = 10;

/** What `/kickbot cases` was asked for: each filter as typed (mentions, `7d`), all of them combined. */
export interface CaseFilters {
  user?: string | undefined;
  /** Only cases this moderator opened. */
  by?: string | undefined;
  /** Only cases opened at or after this (`7d`, `2026-11-01`). */
  since?: string | undefined;
  page?: number | undefined;
}

/**
 * `/kickbot cases [@user] [by @moderator] [since 7d|2026-11-01] [page N]`: one line per case, newest first, for
 * whoever may remove users in the current room. Cases are read one at a time from the newest down (never a fixed
 * number of audit records, which a single big case fills), so every case on the page is whole and counted right;
 * the walk stops at the first case older than `since` (case numbers grow with time). A case's events are read
 * only for the cases listed.
 */
export async function listCases(deps: CoreDeps, inv: Invocation, filters: CaseFilters = {}): Promise<Reply> {
  const refused = await readRefusal(deps, inv);
  if (refused) return refused;
  const page = filters.page ?? 1;
  const user = filters.user === undefined ? undefined : await resolveUser(deps, inv, filters.user);
  const by = filters.by === undefined ? undefined : await resolveUser(deps, inv, filters.by);
  const since = filters.since === undefined ? undefined : sinceTime(filters.since, deps.clock.now());
  const ids = await caseIds(deps, inv.workspace, user);
  const skip = (page - 1) * CASES_PER_PAGE;
  const summaries: CaseSummary[] = [];
  const undoneBy = new Map<number, number>();
  const label = (id: Id, kind: 'user' | 'room') => deps.connectors.label(id, kind);
  let more = false;
  let seen = 0;
  for (const id of ids) {
    const rows = await deps.store.readAudit({ workspace: inv.workspace, caseId: id });
    let events: CaseEvent[] | undefined;
    if (rows.length === 0) {
      events = await deps.store.readCaseEvents(inv.workspace, id);
      if (events.length === 0) continue; // a number given out with nothing written under it
    }
    const first = rows.at(-1); // newest first: the last row is the case's first record
    if (first?.action === 'restore' && first.undoOf !== undefined && !undoneBy.has(first.undoOf))
      undoneBy.set(first.undoOf, id);
    const opened = events?.find((e) => e.kind === 'opened');
    const at = first?.at ?? opened?.at ?? 0;
    if (since !== undefined && at < since) break;
    if (by !== undefined && (first?.actor ?? opened?.by) !== by) continue;
    seen++;
    if (seen <= skip) continue;
    if (summaries.length === CASES_PER_PAGE) {
      more = true;
      break;
    }
    events ??= await deps.store.readCaseEvents(inv.workspace, id);
    const story = caseStory(id, rows, events) as CaseStory;
    summaries.push(summarize(story, story.undone.at(-1)?.restoreCase ?? undoneBy.get(id), label));
  }
  const name = (id: Id) => label(id, 'user');
  const about = [
    ...(user ? [` involving ${name(user)}`] : []),
    ...(by ? [` by ${name(by)}`] : []),
    ...(since !== undefined ? [` since ${whenText(since)}`] : []),
  ].join('');
  if (summaries.length === 0) {
    const message =
      page > 1
        ? `There is no page ${page} of cases${about}.`
        : user && !by && since === undefined
          ? `No cases involve ${name(user)}.`
          : `No cases${about}${about ? '' : ' yet'}.`;
    return { kind: 'info', message, cases: { page, more: false, items: [] } };
  }
  const typed = [
    ...(filters.user !== undefined ? [` ${filters.user}`] : []),
    ...(filters.by !== undefined ? [` by ${filters.by}`] : []),
    ...(filters.since !== undefined ? [` since ${filters.since}`] : []),
  ].join('');
  const next = more ? [`More: /kickbot cases${typed} page ${page + 1}`] : [];
  return {
    kind: 'info',
    message: [
      `Cases${about}, newest first${page > 1 || more ? ` (page ${page})` : ''}:`,
      ...summaries.map(caseLine),
      ...next,
    ].join('\n'),
    cases: { page, more, items: summaries },
  };
}

async function resolveUser(deps: CoreDeps, inv: Invocation, ref: string): Promise<Id | undefined> {
  const resolved = await deps.connectors
    .directory(inv.platform)
    .resolveUsers(ref, { workspace: inv.workspace });
  if (!resolved.ok) throw new UsageError(resolved.message);
  return resolved.value[0];
}

/**
 * The workspace's case numbers, newest first: every number from the highest given out down to 1, or with a user,
 * the cases whose records name them (as target or actor).
 */
async function caseIds(deps: CoreDeps, workspace: Id, user: Id | undefined): Promise<number[]> {
  if (user !== undefined) {
    const rows = await deps.store.readAudit({ workspace, user });
    const mine = new Set(rows.map((r) => r.caseId));
    // The undo of a case names the same people, so it is listed too and marks the case undone.
    return [...mine].sort((a, b) => b - a);
  }
  const [newest] = await deps.store.readAudit({ workspace, limit: 1 });
  const top = Math.max(await deps.store.lastCaseId(workspace), newest?.caseId ?? 0);
  return Array.from({ length: top }, (_, i) => top - i);
}

export function summarize(
  story: CaseStory,
  undoneBy: number | undefined,
  label: (id: Id, kind: 'user' | 'room') => string,
): CaseSummary {
  const rows: readonly AuditRecord[] = story.records;
  const counts: Record<string, number> = {};
  for (const outcome of Object.keys(OUTCOME_WORDS)) {
    const n = rows.filter((r) => r.outcome === outcome).length;
    if (n > 0) counts[outcome] = n;
  }
  return {
    case: story.caseId,
    at: new Date(story.records[0]?.at ?? story.at).toISOString(),
    by: story.by === undefined ? 'unknown' : label(story.by, 'user'),
    command: rows.length > 0 ? describeCommand([...rows].reverse(), label) : (story.command ?? ''),
    pairs: rows.length,
    counts,
    ...(story.reason ? { reason: story.reason } : {}),
    undone: undoneBy !== undefined,
    ...(undoneBy !== undefined ? { undoneBy } : {}),
    ...(story.byHand ? { byHand: true } : {}),
    ...(story.until !== undefined ? { until: new Date(story.until).toISOString() } : {}),
  };
}

/**
 * `case 12 · 2026-12-06 03:50 UTC · mo · /kick bob from #general · removed 1 · until 2026-12-07 03:50 UTC ·
 * undone by case 13 · reason: spam`; a case made by hand says so after its moderator: `mo (by hand)`.
 */
export function caseLine(c: CaseSummary): string {
  const when = `${c.at.slice(0, 16).replace('T', ' ')} UTC`;
  const counts = Object.entries(c.counts)
    .map(([outcome, n]) => `${OUTCOME_WORDS[outcome] ?? outcome} ${fmt(n)}`)
    .join(', ');
  const hand = c.byHand ? ' (by hand)' : '';
  const until = c.until !== undefined ? ` · until ${whenText(Date.parse(c.until))}` : '';
  const undone = c.undoneBy !== undefined ? ` · undone by case ${c.undoneBy}` : '';
  const reason = c.reason ? ` · reason: ${clip(c.reason, 80)}` : '';
  return `case ${c.case} · ${when} · ${c.by}${hand} · ${c.command} · ${counts}${until}${undone}${reason}`;
}
