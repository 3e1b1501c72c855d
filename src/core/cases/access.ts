import type { CoreDeps } from '../deps.js';
import type { Invocation } from '../invocation.js';
import { judgePairs } from '../judge-pairs.js';
import type { RefusedReply } from '../reply.js';
import { RULES } from '../rules.js';
import type { CaseStory } from './story.js';

/** Who may read cases, and who may change one (spec: the case's moderator or an admin). */

/** Reading cases (the list, one case) is for whoever may remove users in the room it is typed in. */
export async function readRefusal(deps: CoreDeps, inv: Invocation): Promise<RefusedReply | undefined> {
  const gate = await judgePairs(deps, inv, [{ room: inv.channel, user: inv.actor }], () => RULES.restore);
  if (gate.pairs[0]?.verdict.ok) return undefined;
  return {
    kind: 'refused',
    code: 'not-allowed',
    message: 'Only moderators of this room can read its cases.',
  };
}

/** Changing a case (a note, a new reason, a cancel) is for its moderator or an admin; anyone else gets `not-yours`. */
export async function changeRefusal(
  deps: CoreDeps,
  inv: Invocation,
  story: Pick<CaseStory, 'caseId' | 'by'>,
  verb: 'change' | 'cancel' = 'change',
): Promise<RefusedReply | undefined> {
  if (story.by === inv.actor) return undefined;
  const me = (await deps.connectors.users([inv.actor])).get(inv.actor);
  if (me?.roles.includes('admin')) return undefined;
  const who = story.by === undefined ? 'its moderator' : deps.connectors.label(story.by, 'user');
  return {
    kind: 'refused',
    code: 'not-yours',
    message: `Only the moderator of case ${story.caseId} (${who}) or an admin can ${verb} it.`,
  };
}
