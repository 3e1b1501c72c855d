import type { CoreDeps } from './deps.js';
import { UsageError } from './errors.js';
import type { Id } from './ids.js';
import type { Invocation } from './invocation.js';
import { judgePairs } from './judge-pairs.js';
import type { AuditRecord } from './ports/store.js';
import type { CaseSummary, Reply } from './reply.js';
import { RULES } from './rules.js';

/** Cases per page of `/kickbot cases`. */
export const CASES_PER_PAGE = 10;

const fmt = (n: number) => n.toLocaleString('en');
const WORDS: Record<string, string> = {
  removed: 'removed',
  restored: 're-added',
  not_member: 'not a member',
  already_member: 'already a member',
  denied: 'denied',
  unsupported: 'unsupported',
  failed: 'failed',
  cancelled: 'cancelled',
};

/**
 * `/kickbot cases [@user] [page N]`: one line per case, newest first, for whoever may remove users in the current
 * room. Cases are read one at a time from the newest down (never a fixed number of audit records, which a single
 * big case fills), so every case on the page is whole and counted right.
 */
export async function listCases(
  deps: CoreDeps,
  inv: Invocation,
  userRef: string | undefined,
  page = 1,
): Promise<Reply> {
  const gate = await judgePairs(deps, inv, [{ room: inv.channel, user: inv.actor }], () => RULES.restore);
  if (!gate.pairs[0]?.verdict.ok) {
    return {
      kind: 'refused',
      code: 'not-allowed',
      message: 'Only moderators of this room can read its cases.',
    };
  }
  let user: Id | undefined;
  if (userRef !== undefined) {
    const resolved = await deps.connectors
      .directory(inv.platform)
      .resolveUsers(userRef, { workspace: inv.workspace });
    if (!resolved.ok) throw new UsageError(resolved.message);
    user = resolved.value[0];
  }
  const ids = await caseIds(deps, inv.workspace, user);
  const skip = (page - 1) * CASES_PER_PAGE;
  const summaries: CaseSummary[] = [];
  const undoneBy = new Map<number, number>();
  let more = false;
  let seen = 0;
  for (const id of ids) {
    const rows = await deps.store.readAudit({ workspace: inv.workspace, caseId: id });
    if (rows.length === 0) continue;
    const first = rows.at(-1) as AuditRecord; // newest first: the last row is the case's first record
    if (first.action === 'restore' && first.undoOf !== undefined && !undoneBy.has(first.undoOf))
      undoneBy.set(first.undoOf, id);
    seen++;
    if (seen <= skip) continue;
    if (summaries.length === CASES_PER_PAGE) {
      more = true;
      break;
    }
    summaries.push(summarize(id, rows, undoneBy.get(id), (x, kind) => deps.connectors.label(x, kind)));
  }
  const label = (id: Id) => deps.connectors.label(id, 'user');
  const about = user ? ` involving ${label(user)}` : '';
  if (summaries.length === 0) {
    const message =
      page > 1
        ? `There is no page ${page} of cases${about}.`
        : user
          ? `No cases involve ${label(user)}.`
          : 'No cases yet.';
    return { kind: 'info', message, cases: { page, more: false, items: [] } };
  }
  const next = more ? [`More: /kickbot cases${user ? ` ${userRef}` : ''} page ${page + 1}`] : [];
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

function summarize(
  id: number,
  rows: readonly AuditRecord[],
  undoneBy: number | undefined,
  label: (id: Id, kind: 'user' | 'room') => string,
): CaseSummary {
  const first = rows.at(-1) as AuditRecord;
  const counts: Record<string, number> = {};
  for (const outcome of Object.keys(WORDS)) {
    const n = rows.filter((r) => r.outcome === outcome).length;
    if (n > 0) counts[outcome] = n;
  }
  const targets = [...new Set(rows.map((r) => r.target))];
  const rooms = [...new Set(rows.map((r) => r.room))];
  const areas = [...new Set(rows.flatMap((r) => (r.area === undefined ? [] : [r.area])))];
  const some = (ids: Id[], kind: 'user' | 'room', noun: string) =>
    ids.length <= 3 ? ids.map((x) => label(x, kind)).join(', ') : `${fmt(ids.length)} ${noun}`;
  const who = some(targets, 'user', 'users');
  const where = some(rooms, 'room', 'rooms');
  const command =
    first.action === 'restore'
      ? `/kickbot undo ${first.undoOf}`
      : first.action === 'leave'
        ? `/leave ${where}`
        : areas.length > 0
          ? `/remove-area ${areas.join(', ')} ${who}`
          : `/kick ${who} from ${where}`;
  return {
    case: id,
    at: new Date(first.at).toISOString(),
    by: label(first.actor, 'user'),
    command,
    pairs: rows.length,
    counts,
    ...(first.reason ? { reason: first.reason } : {}),
    undone: undoneBy !== undefined,
    ...(undoneBy !== undefined ? { undoneBy } : {}),
  };
}

/** `case 12 · 2026-12-06 03:50 UTC · mo · /kick bob from #general · removed 1 · undone by case 13 · reason: spam` */
export function caseLine(c: CaseSummary): string {
  const when = `${c.at.slice(0, 16).replace('T', ' ')} UTC`;
  const counts = Object.entries(c.counts)
    .map(([outcome, n]) => `${WORDS[outcome] ?? outcome} ${fmt(n)}`)
    .join(', ');
  const undone = c.undoneBy !== undefined ? ` · undone by case ${c.undoneBy}` : '';
  const reason = c.reason
    ? ` · reason: ${c.reason.length > 80 ? `${c.reason.slice(0, 79)}…` : c.reason}`
    : '';
  return `case ${c.case} · ${when} · ${c.by} · ${c.command} · ${counts}${undone}${reason}`;
}
