import type { Connectors } from './connectors.js';
import type { Id } from './ids.js';
import type { PairResult } from './outcomes.js';
import type { Logger } from './ports/clock-logger.js';

const MAX_NAMES = 5;

export function nameList(names: readonly string[]): string {
  if (names.length <= MAX_NAMES) {
    return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
  }
  return `${names.slice(0, MAX_NAMES).join(', ')} and ${names.length - MAX_NAMES} others`;
}

export interface NoticeInput {
  action: 'remove' | 'leave' | 'offboard' | 'restore';
  caseId: number;
  actor: Id;
  results: readonly PairResult<string>[];
  /** The reason given for a pair's batch (one per command, or one per area in `/remove-area`). */
  reasonOf: (result: PairResult<string>) => string | undefined;
  labels: Readonly<Record<Id, string>>;
  undoOf?: number;
}

/**
 * The confirmations a room sees, one per room (and reason):
 * `#general: bob was removed by mo (reason: spam) · case 12`.
 */
export function roomNotices(input: NoticeInput): { room: Id; text: string }[] {
  // An offboarding posts one notice for the whole run (offboard/run.ts), never one per room.
  if (input.action === 'offboard') return [];
  const done = input.action === 'restore' ? 'restored' : 'removed';
  const groups = new Map<string, { room: Id; reason: string | undefined; users: Id[] }>();
  for (const r of input.results) {
    if (r.outcome !== done) continue;
    const reason = input.reasonOf(r);
    const key = `${r.room}\n${reason ?? ''}`;
    const group = groups.get(key) ?? { room: r.room, reason, users: [] };
    group.users.push(r.user);
    groups.set(key, group);
  }
  const label = (id: Id) => input.labels[id] ?? id;
  return [...groups.values()].map(({ room, reason, users }) => {
    const names = nameList(users.map(label));
    const verb = users.length === 1 ? 'was' : 'were';
    let what: string;
    if (input.action === 'leave') what = `${names} left`;
    else if (input.action === 'restore')
      what = `${names} ${verb} re-added by ${label(input.actor)} (undo of case ${input.undoOf})`;
    else what = `${names} ${verb} removed by ${label(input.actor)}${reason ? ` (reason: ${reason})` : ''}`;
    return { room, text: `${label(room)}: ${what} · case ${input.caseId}` };
  });
}

/** Posts each room's confirmation; a notice that cannot be posted is logged, never fatal. */
export async function announce(
  deps: { connectors: Connectors; logger: Logger },
  input: NoticeInput,
): Promise<void> {
  for (const notice of roomNotices(input)) {
    try {
      await deps.connectors.notice(notice.room, notice.text);
    } catch (error) {
      deps.logger.warn(
        { err: error, room: notice.room, caseId: input.caseId },
        'room confirmation not posted',
      );
    }
  }
}
