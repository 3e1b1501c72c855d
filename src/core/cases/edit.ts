import type { CoreDeps } from '../deps.js';
import { UsageError } from '../errors.js';
import type { Invocation } from '../invocation.js';
import type { Reply } from '../reply.js';
import { changeRefusal } from './access.js';
import { readStory } from './story.js';

/**
 * `/kickbot note <N> <text>` and `/kickbot reason <N> <text>`: only the case's moderator or an admin. A note is
 * added beside the reason; a new reason is appended, so the ones before stay in the case's history.
 */
export async function editCase(
  deps: CoreDeps,
  inv: Invocation,
  request: { kind: 'note' | 'reason'; caseId: number; text: string },
): Promise<Reply> {
  const { kind, caseId, text } = request;
  const story = await readStory(deps.store, inv.workspace, caseId);
  if (!story) throw new UsageError(`there is no case ${caseId}`);
  const refused = await changeRefusal(deps, inv, story);
  if (refused) return refused;
  await deps.store.appendCaseEvent(
    inv.workspace,
    caseId,
    { kind, at: deps.clock.now(), by: inv.actor, text },
    `${inv.id}#${kind}`,
  );
  if (kind === 'note') return { kind: 'info', message: `Note added to case ${caseId}.` };
  const before = story.reason ? ` (was: ${story.reason})` : '';
  return { kind: 'info', message: `Case ${caseId}'s reason is now: ${text}${before}` };
}
