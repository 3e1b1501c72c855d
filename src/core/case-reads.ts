import { type CaseQuery, type CaseSearchPage, resolveRef, searchCases } from './case-search.js';
import { type CaseStory, readStory } from './cases/story.js';
import type { Connectors } from './connectors.js';
import type { Id } from './ids.js';
import type { Clock } from './ports/clock-logger.js';
import type { Store } from './ports/store.js';
import { readRunning } from './running.js';

/**
 * What the admin page reads of cases, outside any command (no invocation, no room to check a moderator in: the
 * page is for whoever holds the admin token). Changes still go through `Core.handle`.
 */
export interface CaseReads {
  /** Every workspace that has had a case (read again at most every WORKSPACES_MS). */
  workspaces(): Promise<Id[]>;
  /** An id as its platform writes it. */
  label(id: Id, kind: 'user' | 'room'): string;
  /** A user or room as typed in a search (see `resolveRef`). */
  resolve(
    workspace: Id,
    ref: string,
    kind: 'user' | 'room',
  ): Promise<{ ok: true; value: Id } | { ok: false; message: string }>;
  search(query: CaseQuery): Promise<CaseSearchPage>;
  /** One case whole; undefined when nothing was written under its number. */
  story(workspace: Id, caseId: number): Promise<CaseStory | undefined>;
  /** The cases still running among the last `recent` of each workspace, newest first. */
  running(recent: number): Promise<{ workspace: Id; caseId: number }[]>;
  progress(workspace: Id, caseId: number): Promise<BatchProgress>;
}

/** How far a case's pairs have come: `settled` of `total` (when the run said how many), by outcome. */
export interface BatchProgress {
  running: boolean;
  settled: number;
  total?: number;
  counts: Record<string, number>;
}

/** How long the list of workspaces is kept (on Redis it is a SCAN of the keyspace). */
const WORKSPACES_MS = 30_000;

export function caseReads(deps: { store: Store; connectors: Connectors; clock: Clock }): CaseReads {
  const { store, connectors, clock } = deps;
  let known: { at: number; list: Promise<Id[]> } | undefined;
  const workspaces = (): Promise<Id[]> => {
    if (!known || clock.now() - known.at >= WORKSPACES_MS) {
      const list = store.workspaces();
      known = { at: clock.now(), list };
      list.catch(() => {
        known = undefined; // a failed read is not kept
      });
    }
    return known.list;
  };
  return {
    workspaces,
    label: (id, kind) => connectors.label(id, kind),
    resolve: (workspace, ref, kind) => resolveRef(connectors, workspace, ref, kind),
    search: (query) => searchCases(deps, query),
    story: (workspace, caseId) => readStory(store, workspace, caseId),
    async running(recent) {
      const out: { workspace: Id; caseId: number }[] = [];
      for (const workspace of [...(await workspaces())].sort()) {
        const top = await store.lastCaseId(workspace);
        const ids = Array.from({ length: Math.min(recent, top) }, (_, i) => top - i);
        const marks = await Promise.all(ids.map((id) => readRunning(store, workspace, id)));
        ids.forEach((caseId, i) => {
          if (marks[i]) out.push({ workspace, caseId });
        });
      }
      return out;
    },
    async progress(workspace, caseId) {
      const [mark, rows] = await Promise.all([
        readRunning(store, workspace, caseId),
        store.readAudit({ workspace, caseId }),
      ]);
      const counts: Record<string, number> = {};
      for (const r of rows) counts[r.outcome] = (counts[r.outcome] ?? 0) + 1;
      const total = mark?.total;
      return {
        running: mark !== undefined,
        settled: rows.length,
        ...(total !== undefined ? { total: Math.max(total, rows.length) } : {}),
        counts,
      };
    },
  };
}
