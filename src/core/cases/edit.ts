import type { CoreDeps } from '../deps.js';
import type { Invocation } from '../invocation.js';
import type { Reply } from '../reply.js';

/** `/kickbot note <N> <text>` and `/kickbot reason <N> <text>`: only the case's moderator or an admin. */
export async function editCase(
  _deps: CoreDeps,
  _inv: Invocation,
  request: { kind: 'note' | 'reason'; caseId: number; text: string },
): Promise<Reply> {
  return { kind: 'info', message: `${request.kind} on case ${request.caseId}: not built yet` };
}
