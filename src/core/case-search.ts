import { summarize } from './case-list.js';
import { type CaseStory, caseStory } from './cases/story.js';
import type { Connectors } from './connectors.js';
import { type Id, platformOf } from './ids.js';
import type { AuditRecord, CaseEvent, Store } from './ports/store.js';
import type { CaseSummary } from './reply.js';

/**
 * Searching a workspace's cases without a command (the admin page): by user, moderator, room, outcome and a time
 * range, newest first. Case numbers grow with time, so the walk goes down from the newest (or from `before`) and
 * stops at the first case older than `from`. Every case it looks at costs its records (one read of the case's own
 * list on Redis, never a scan of the audit stream) and, when it matches, its events; a walk reads at most
 * SEARCH_CASES cases or SEARCH_RECORDS records, and says where to go on (`next`).
 */

/** Cases per page. */
export const SEARCH_PAGE = 20;
/** Cases one page's walk looks at, at most. */
export const SEARCH_CASES = 200;
/** Audit records one page's walk reads, at most (a case is read whole, so the last one may pass it). */
export const SEARCH_RECORDS = 20_000;

export interface CaseQuery {
  workspace: Id;
  /** Cases whose records name this user (as target or actor). */
  user?: Id;
  /** Cases this moderator opened. */
  by?: Id;
  /** Cases with a pair in this room. */
  room?: Id;
  /** Cases with a pair of this outcome. */
  outcome?: string;
  /** Opened at or after (ms since the epoch). */
  from?: number;
  /** Opened before (ms since the epoch). */
  to?: number;
  /** Start at this case number and go down (default: the newest). */
  before?: number;
}

export interface CaseSearchPage {
  items: CaseSummary[];
  /** Where the next page (or, when the walk hit its bound, the rest of the search) starts; absent: no more. */
  next?: number;
  /** Whether the walk stopped at its bound before it found a whole page. */
  bounded: boolean;
  /** Cases and records read. */
  examined: { cases: number; records: number };
}

export async function searchCases(
  deps: { store: Store; connectors: Connectors },
  query: CaseQuery,
): Promise<CaseSearchPage> {
  const { store, connectors } = deps;
  const label = (id: Id, kind: 'user' | 'room') => connectors.label(id, kind);
  const top = Math.min(query.before ?? Number.POSITIVE_INFINITY, await store.lastCaseId(query.workspace));
  const items: CaseSummary[] = [];
  const examined = { cases: 0, records: 0 };
  for (let id = top; id >= 1; id--) {
    if (items.length === SEARCH_PAGE) return { items, next: id, bounded: false, examined };
    if (examined.cases >= SEARCH_CASES || examined.records >= SEARCH_RECORDS)
      return { items, next: id, bounded: true, examined };
    examined.cases++;
    const rows = await store.readAudit({ workspace: query.workspace, caseId: id });
    examined.records += rows.length;
    let events: CaseEvent[] | undefined;
    if (rows.length === 0) {
      events = await store.readCaseEvents(query.workspace, id);
      if (events.length === 0) continue; // a number given out with nothing written under it
    }
    const opened = events?.find((e) => e.kind === 'opened');
    const first = rows.at(-1); // newest first: the last row is the case's first record
    const at = first?.at ?? opened?.at ?? 0;
    if (query.from !== undefined && at < query.from) return { items, bounded: false, examined };
    if (!matches(query, rows, at, first?.actor ?? opened?.by)) continue;
    events ??= await store.readCaseEvents(query.workspace, id);
    const story = caseStory(id, rows, events) as CaseStory;
    items.push(summarize(story, story.undone.at(-1)?.restoreCase, label));
  }
  return { items, bounded: false, examined };
}

function matches(query: CaseQuery, rows: readonly AuditRecord[], at: number, by: Id | undefined): boolean {
  if (query.to !== undefined && at >= query.to) return false;
  if (query.by !== undefined && by !== query.by) return false;
  if (query.user !== undefined && !rows.some((r) => r.target === query.user || r.actor === query.user))
    return false;
  if (query.room !== undefined && !rows.some((r) => r.room === query.room)) return false;
  if (query.outcome !== undefined && !rows.some((r) => r.outcome === query.outcome)) return false;
  return true;
}

/**
 * A user or room as someone typed it in a search: a platform id (`slack:T1/U123`, `console:bob`) of a system
 * kickbot serves is taken as it is; anything else is resolved as the workspace's platform resolves what a moderator
 * types in a command (`@bob`, `<@U123>`, `#general`, and on platforms that look names up, a display name).
 */
export async function resolveRef(
  connectors: Connectors,
  workspace: Id,
  ref: string,
  kind: 'user' | 'room',
): Promise<{ ok: true; value: Id } | { ok: false; message: string }> {
  const system = platformOf(ref);
  if (/^[a-z][a-z0-9-]*:\S/.test(ref) && (connectors.serves(system) || connectors.hasDirectory(system)))
    return { ok: true, value: ref };
  const directory = connectors.directory(platformOf(workspace));
  const scope = { workspace };
  if (kind === 'room') return directory.resolveRoom(ref, scope);
  const users = await directory.resolveUsers(ref, scope);
  if (!users.ok) return users;
  const [one] = users.value;
  return one === undefined ? { ok: false, message: `nobody is called ${ref}` } : { ok: true, value: one };
}
