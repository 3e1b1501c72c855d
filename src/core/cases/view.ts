import type { CoreDeps } from '../deps.js';
import type { Invocation } from '../invocation.js';
import type { Reply } from '../reply.js';

/** `/kickbot case <N>`: one case, whole. */
export async function showCase(_deps: CoreDeps, _inv: Invocation, caseId: number): Promise<Reply> {
  return { kind: 'info', message: `case ${caseId}: not built yet` };
}
