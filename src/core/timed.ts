import type { CoreDeps } from './deps.js';
import type { TimedRestore } from './ports/timers.js';
import type { Reply } from './reply.js';

/** A timed removal's time is up: its pairs come back, recorded like an undo (once per case). */
export async function fireTimer(_deps: CoreDeps, timer: TimedRestore): Promise<Reply> {
  return { kind: 'info', message: `timer of case ${timer.caseId}: not built yet` };
}
