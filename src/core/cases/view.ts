import type { CoreDeps } from '../deps.js';
import { UsageError } from '../errors.js';
import type { Id } from '../ids.js';
import type { Invocation } from '../invocation.js';
import type { AuditRecord } from '../ports/store.js';
import type { CaseEntry, CasePair, CaseView, Reply } from '../reply.js';
import { readRefusal } from './access.js';
import { fmt, iso, OUTCOME_WORDS, whenText } from './format.js';
import { type CaseStory, describeCommand, type Entry, readStory, timerData } from './story.js';

/** Pairs named per outcome; the others are counted. */
export const PAIRS_PER_OUTCOME = 20;
/** Direct messages named; the others are counted. */
const DMS_LISTED = 20;

/** `/kickbot case <N>`: one case, whole, for whoever may read the room's cases. */
export async function showCase(deps: CoreDeps, inv: Invocation, caseId: number): Promise<Reply> {
  const refused = await readRefusal(deps, inv);
  if (refused) return refused;
  const story = await readStory(deps.store, inv.workspace, caseId);
  if (!story) throw new UsageError(`there is no case ${caseId}`);
  const view = caseView(story, (id, kind) => deps.connectors.label(id, kind));
  return { kind: 'info', message: caseText(view), case: view };
}

export function caseView(story: CaseStory, label: (id: Id, kind: 'user' | 'room') => string): CaseView {
  const user = (id: Id) => label(id, 'user');
  const entry = (e: Entry): CaseEntry => ({ at: iso(e.at), by: user(e.by), text: e.text });
  const byOutcome = new Map<string, AuditRecord[]>();
  for (const r of story.records) byOutcome.set(r.outcome, [...(byOutcome.get(r.outcome) ?? []), r]);
  const order = Object.keys(OUTCOME_WORDS);
  const outcomes = [...byOutcome]
    .sort(([a], [b]) => rank(order, a) - rank(order, b))
    .map(([outcome, rows]) => ({
      outcome,
      count: rows.length,
      pairs: rows.slice(0, PAIRS_PER_OUTCOME).map(
        (r): CasePair => ({
          user: user(r.target),
          room: label(r.room, 'room'),
          ...(r.area !== undefined ? { area: r.area } : {}),
          ...(r.code ? { code: r.code } : {}),
        }),
      ),
      more: Math.max(0, rows.length - PAIRS_PER_OUTCOME),
    }));
  const t = story.timer;
  return {
    case: story.caseId,
    at: iso(story.at),
    by: story.by === undefined ? 'unknown' : user(story.by),
    ...(story.byHand ? { byHand: story.byHand } : {}),
    command: story.command ?? describeCommand([...story.records].reverse(), label),
    ...(story.action ? { action: story.action } : {}),
    ...(story.undoOf !== undefined ? { undoOf: story.undoOf } : {}),
    ...(story.reason ? { reason: story.reason } : {}),
    reasonHistory: story.reasonHistory.map(entry),
    notes: story.notes.map(entry),
    pairs: story.records.length,
    counts: Object.fromEntries(outcomes.map((o) => [o.outcome, o.count])),
    outcomes,
    undoneBy: story.undone.map((u) => u.restoreCase),
    ...(story.until !== undefined ? { until: iso(story.until) } : {}),
    ...(t ? { timer: timerData(t) } : {}),
    dms: story.dms.map((d) => ({
      user: user(d.user),
      ok: d.ok,
      ...(d.code ? { code: d.code } : {}),
      at: iso(d.at),
    })),
    ...(story.cancel ? { cancelled: { by: user(story.cancel.by), at: iso(story.cancel.at) } } : {}),
  };
}

const rank = (order: string[], outcome: string) => {
  const i = order.indexOf(outcome);
  return i < 0 ? order.length : i;
};

const when = (isoTime: string) => whenText(Date.parse(isoTime));

/**
 * The case as the moderator reads it:
 * ```
 * Case 12 · 2026-11-22 12:00 UTC · mo
 * Command: /kick @bob @carol spam
 * Reason: flooding
 * Reason history:
 *   2026-11-22 12:00 UTC · mo: spam
 *   2026-11-22 13:00 UTC · ada: flooding
 * Notes:
 *   2026-11-22 12:30 UTC · mo: warned twice before
 * Removed 2: bob in #general, carol in #general
 * Undone by case 13
 * ```
 */
export function caseText(v: CaseView): string {
  const hand = v.byHand
    ? ` · made by hand (${v.byHand.via}${v.byHand.detail ? `: ${v.byHand.detail}` : ''})`
    : '';
  const lines = [`Case ${v.case} · ${when(v.at)} · ${v.by}${hand}`, `Command: ${v.command}`];
  if (v.undoOf !== undefined) lines.push(`Undo of case ${v.undoOf}`);
  lines.push(`Reason: ${v.reason ?? '(none given)'}`);
  const dated = (e: CaseEntry) => `  ${when(e.at)} · ${e.by}: ${e.text}`;
  if (v.reasonHistory.length > 1) lines.push('Reason history:', ...v.reasonHistory.map(dated));
  if (v.notes.length > 0) lines.push('Notes:', ...v.notes.map(dated));
  if (v.outcomes.length === 0) lines.push('No pairs recorded yet.');
  for (const o of v.outcomes) {
    const word = OUTCOME_WORDS[o.outcome] ?? o.outcome;
    const names = o.pairs.map((p) => {
      const about = [...(p.area !== undefined ? [`area ${p.area}`] : []), ...(p.code ? [p.code] : [])];
      return `${p.user} in ${p.room}${about.length > 0 ? ` (${about.join(', ')})` : ''}`;
    });
    const more = o.more > 0 ? ` and ${fmt(o.more)} more` : '';
    lines.push(`${word.charAt(0).toUpperCase()}${word.slice(1)} ${fmt(o.count)}: ${names.join(', ')}${more}`);
  }
  if (v.until !== undefined) {
    const t = v.timer;
    const state =
      t?.state === 'restored'
        ? ` · restored${t.restoreCase !== undefined ? ` in case ${t.restoreCase}` : ''}`
        : t?.state === 'cancelled'
          ? ' · timer cancelled'
          : t?.state === 'set' && !t.durable
            ? ' · timer kept in one process (lost if it stops)'
            : '';
    lines.push(`Until ${when(v.until)}${state}`);
  }
  if (v.undoneBy.length > 0) lines.push(`Undone by ${v.undoneBy.map((c) => `case ${c}`).join(', ')}`);
  if (v.dms.length > 0) {
    const dms = v.dms
      .slice(0, DMS_LISTED)
      .map((d) => `${d.user} ${d.ok ? 'sent' : `failed${d.code ? ` (${d.code})` : ''}`}`);
    const more = v.dms.length > DMS_LISTED ? ` and ${fmt(v.dms.length - DMS_LISTED)} more` : '';
    lines.push(`DMs: ${dms.join(', ')}${more}`);
  }
  if (v.cancelled) lines.push(`Cancelled by ${v.cancelled.by} at ${when(v.cancelled.at)}`);
  return lines.join('\n');
}
