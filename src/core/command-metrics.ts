import type { CommandDefinition } from './command.js';
import type { Handled } from './handle.js';
import type { Invocation } from './invocation.js';
import type { CommandResult, Metrics } from './ports/metrics.js';
import type { RunOptions } from './remove/run.js';

type Handle = (inv: Invocation, opts?: RunOptions) => Promise<Handled>;

/** The answer to a confirmation prompt is counted under this name (the command it confirms is not known here). */
const ANSWER = 'answer';

/** How a reply ended, for `kickbot_commands_total`: a result's status, or the kind of reply. */
export function resultOf(reply: Handled): CommandResult {
  if (reply.redelivered) return 'redelivered';
  if (reply.kind !== 'result') return reply.kind;
  return reply.status === 'error' ? 'failed' : reply.status;
}

/**
 * The core's entry point as the fronts call it, counting each command a moderator ran: by its name in the
 * command table (or `answer`, or `other`), and how it ended. What the core runs itself (a timer's restore) is not.
 */
export function countedHandle(
  handle: Handle,
  metrics: Metrics,
  commands: readonly CommandDefinition[],
): Handle {
  const names = new Set([ANSWER, ...commands.map((c) => c.name)]);
  return async (inv, opts) => {
    const reply = await handle(inv, opts);
    metrics.command(inv.platform, names.has(inv.command) ? inv.command : 'other', resultOf(reply));
    return reply;
  };
}
