import type { Invocation } from '../invocation.js';
import type { Clock } from '../ports/clock-logger.js';
import type { CaseEvent, Store } from '../ports/store.js';

/** The longest command text a case keeps (the reason has its own limit). */
const MAX_COMMAND = 600;

/** The command as the moderator gave it: the text typed, or the options and ids as a line. */
export function commandText(inv: Invocation): string {
  const input = inv.input;
  let rest = '';
  if ('text' in input) rest = input.text;
  else if ('options' in input)
    rest = Object.entries(input.options)
      .map(([k, v]) => (k === 'subcommand' ? String(v) : `${k}:${String(v)}`))
      .join(' ');
  else if ('refs' in input)
    rest = [
      ...(input.refs.area ? [input.refs.area] : []),
      ...input.refs.users,
      ...input.refs.rooms,
      ...(input.refs.reason ? [input.refs.reason] : []),
    ].join(' ');
  const line = `/${inv.command} ${rest}`.trim();
  return line.length > MAX_COMMAND ? `${line.slice(0, MAX_COMMAND - 1)}…` : line;
}

/** Writes a case's `opened` event (once per invocation and case, so a resent run writes it once). */
export async function openCase(
  deps: { store: Store; clock: Clock },
  inv: Invocation,
  caseId: number,
  extra: Partial<Pick<Extract<CaseEvent, { kind: 'opened' }>, 'until' | 'byHand' | 'command'>> = {},
): Promise<void> {
  const event: CaseEvent = {
    kind: 'opened',
    at: deps.clock.now(),
    by: inv.actor,
    platform: inv.platform,
    channel: inv.channel,
    command: commandText(inv),
    ...extra,
  };
  await deps.store.appendCaseEvent(inv.workspace, caseId, event, `${inv.id}#${caseId}#opened`);
}
