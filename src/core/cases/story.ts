import type { Id } from '../ids.js';
import type { AuditAction, AuditRecord, CaseEvent, Store } from '../ports/store.js';

/**
 * A case as its audit records and events tell it, folded once: who opened it and how, its reason now and before,
 * its notes, timer, undos, cancel and direct messages. `/kickbot case`, `/kickbot cases` and the export read this.
 */
export interface CaseStory {
  caseId: number;
  /** When it was opened: the `opened` event, else its first audit record. */
  at: number;
  /** Its moderator: the `opened` event's `by`, else the first record's actor (who may change the case). */
  by: Id | undefined;
  /** The command as typed (cases opened before events were kept have none). */
  command?: string;
  action?: AuditAction;
  /** A restore: the case it undid. */
  undoOf?: number;
  byHand?: { via: string; detail?: string };
  /** Where the command was typed. */
  channel?: Id;
  /** The reason now: the last `reason` event, else the command's. */
  reason?: string;
  /** The command's reason (when it had one), then each change, oldest first. */
  reasonHistory: Entry[];
  notes: Entry[];
  /** A timed removal: when the pairs come back. */
  until?: number;
  /** How its timer stands (the last `timer` event). */
  timer?: { state: 'set' | 'restored' | 'cancelled'; at: number; durable?: boolean; restoreCase?: number };
  /** Each undo of it, oldest first. */
  undone: { at: number; by: Id; restoreCase: number }[];
  cancel?: { at: number; by: Id };
  dms: { at: number; user: Id; ok: boolean; code?: string }[];
  /** Its audit records, oldest first. */
  records: AuditRecord[];
}

/** A case's timer as data (the case view, the export): times in ISO 8601. */
export function timerData(timer: NonNullable<CaseStory['timer']>) {
  return {
    state: timer.state,
    at: new Date(timer.at).toISOString(),
    ...(timer.durable !== undefined ? { durable: timer.durable } : {}),
    ...(timer.restoreCase !== undefined ? { restoreCase: timer.restoreCase } : {}),
  };
}

export interface Entry {
  at: number;
  by: Id;
  text: string;
}

/**
 * Folds a case's records (as `readAudit` gives them, newest first) and events (oldest first); undefined for a case
 * number nothing was ever written under.
 */
export function caseStory(
  caseId: number,
  newestFirst: readonly AuditRecord[],
  events: readonly CaseEvent[],
): CaseStory | undefined {
  if (newestFirst.length === 0 && events.length === 0) return undefined;
  const records = [...newestFirst].reverse();
  const first = records[0];
  const opened = events.find((e) => e.kind === 'opened');
  const story: CaseStory = {
    caseId,
    at: opened?.at ?? first?.at ?? events[0]?.at ?? 0,
    by: opened?.by ?? first?.actor,
    reasonHistory: [],
    notes: [],
    undone: [],
    dms: [],
    records,
  };
  if (opened) {
    story.command = opened.command;
    story.channel = opened.channel;
    if (opened.byHand) story.byHand = opened.byHand;
    if (opened.until !== undefined) story.until = opened.until;
  }
  if (first) {
    story.action = first.action;
    if (first.undoOf !== undefined) story.undoOf = first.undoOf;
  }
  const commandReason = records.find((r) => r.reason)?.reason;
  if (commandReason && story.by !== undefined)
    story.reasonHistory.push({ at: story.at, by: story.by, text: commandReason });
  for (const e of events) {
    if (e.kind === 'note') story.notes.push({ at: e.at, by: e.by, text: e.text });
    else if (e.kind === 'reason') story.reasonHistory.push({ at: e.at, by: e.by, text: e.text });
    else if (e.kind === 'undone') story.undone.push({ at: e.at, by: e.by, restoreCase: e.restoreCase });
    else if (e.kind === 'cancel') story.cancel ??= { at: e.at, by: e.by };
    else if (e.kind === 'dm')
      story.dms.push({ at: e.at, user: e.user, ok: e.ok, ...(e.code ? { code: e.code } : {}) });
    else if (e.kind === 'timer') {
      if (e.state === 'set') {
        story.until = e.until;
        story.timer = { state: 'set', at: e.at, durable: e.durable };
      } else {
        story.timer = {
          state: e.state,
          at: e.at,
          ...(e.restoreCase !== undefined ? { restoreCase: e.restoreCase } : {}),
        };
      }
    }
  }
  const last = story.reasonHistory.at(-1);
  const reason = last?.text ?? commandReason;
  if (reason) story.reason = reason;
  return story;
}

/** A case read whole from the store (records and events side by side); undefined when there is no such case. */
export async function readStory(store: Store, workspace: Id, caseId: number): Promise<CaseStory | undefined> {
  const [records, events] = await Promise.all([
    store.readAudit({ workspace, caseId }),
    store.readCaseEvents(workspace, caseId),
  ]);
  return caseStory(caseId, records, events);
}

/**
 * The case's command in a line, from its records (newest first, as `readAudit` gives them, which names people in
 * that order): `/kick bob from #general`, `/remove-area payments 12 users`, `/kickbot undo 3`.
 */
export function describeCommand(
  records: readonly AuditRecord[],
  label: (id: Id, kind: 'user' | 'room') => string,
): string {
  const first = records.at(-1);
  if (!first) return '';
  const fmt = (n: number) => n.toLocaleString('en');
  const targets = [...new Set(records.map((r) => r.target))];
  const rooms = [...new Set(records.map((r) => r.room))];
  const areas = [...new Set(records.flatMap((r) => (r.area === undefined ? [] : [r.area])))];
  const some = (ids: Id[], kind: 'user' | 'room', noun: string) =>
    ids.length <= 3 ? ids.map((x) => label(x, kind)).join(', ') : `${fmt(ids.length)} ${noun}`;
  const who = some(targets, 'user', 'users');
  const where = some(rooms, 'room', 'rooms');
  return first.action === 'restore'
    ? `/kickbot undo ${first.undoOf}`
    : first.action === 'leave'
      ? `/leave ${where}`
      : areas.length > 0
        ? `/remove-area ${areas.join(', ')} ${who}`
        : `/kick ${who} from ${where}`;
}
