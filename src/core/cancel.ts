import { changeRefusal } from './cases/access.js';
import type { CoreDeps } from './deps.js';
import type { Invocation } from './invocation.js';
import type { Reply } from './reply.js';
import { isRunning } from './running.js';

/**
 * `/kickbot cancel <N>`: the case's moderator or an admin stops a running batch. The cancel is an event on the case
 * in the store, so every process working the case sees it: pairs not yet started end `cancelled`, pairs in flight
 * finish (execute.ts), and the running command's reply counts them.
 */
export async function cancelCase(deps: CoreDeps, inv: Invocation, caseId: number): Promise<Reply> {
  const { store } = deps;
  const [events, records] = await Promise.all([
    store.readCaseEvents(inv.workspace, caseId),
    store.readAudit({ workspace: inv.workspace, caseId, limit: 1 }),
  ]);
  const opened = events.find((e) => e.kind === 'opened');
  if (!opened && records.length === 0) return { kind: 'usage', message: `there is no case ${caseId}` };
  // Every record of a case has the one actor who ran it.
  const moderator = opened?.by ?? records[0]?.actor;
  const refused = await changeRefusal(deps, inv, { caseId, by: moderator }, 'cancel');
  if (refused) return refused;
  if (!(await isRunning(store, inv.workspace, caseId))) {
    return { kind: 'info', message: `Case ${caseId} has finished; nothing to cancel.` };
  }
  await store.appendCaseEvent(
    inv.workspace,
    caseId,
    { kind: 'cancel', at: deps.clock.now(), by: inv.actor },
    `${inv.id}#${caseId}#cancel`,
  );
  return {
    kind: 'info',
    message: `Cancelling case ${caseId}: pairs not yet started will end cancelled; pairs in flight finish.`,
  };
}
