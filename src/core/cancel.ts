import type { CoreDeps } from './deps.js';
import type { Invocation } from './invocation.js';
import type { Reply } from './reply.js';

/** `/kickbot cancel <N>`: the case's moderator or an admin stops a running batch (the cancel is in the store). */
export async function cancelCase(_deps: CoreDeps, _inv: Invocation, caseId: number): Promise<Reply> {
  return { kind: 'info', message: `cancel case ${caseId}: not built yet` };
}
