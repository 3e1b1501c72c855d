import type { CoreDeps } from './deps.js';
import { utc } from './dm.js';
import { StoreUnavailableError } from './errors.js';
import type { Id } from './ids.js';
import type { Invocation } from './invocation.js';
import type { TimedRestore } from './ports/timers.js';
import type { Reply } from './reply.js';

/**
 * Timed removals (`--for 2h`): the case's timer is set once the case is opened, and when it is due its pairs come
 * back through `/kickbot undo`, run as the case's moderator under one invocation id per case, so a timer that
 * fires twice (two replicas, a retried job) restores once. An undo before the time drops the timer.
 */

/** The invocation id of a case's timed restore: the same every time it fires. */
export const timerInvocationId = (workspace: Id, caseId: number) => `timer:${workspace}:${caseId}`;

/** Whether an invocation is this case's own timed restore (its undo ends the timer `restored`, not `cancelled`). */
export const isTimerOf = (inv: Invocation, caseId: number) =>
  inv.id === timerInvocationId(inv.workspace, caseId);

/** The one key of a timer's end: whichever of restored or cancelled comes first is the only one written. */
const endKey = (workspace: Id, caseId: number) => `${timerInvocationId(workspace, caseId)}#end`;

export const NOT_DURABLE =
  'this kickbot keeps timers in memory: it is lost if kickbot stops (set REDIS_URL to keep it)';

/** Schedules a case's restore and notes it on the case; answers the line the moderator reads about it. */
export async function setTimer(
  deps: CoreDeps,
  workspace: Id,
  caseId: number,
  until: number,
): Promise<string> {
  const timers = deps.timers;
  if (!timers) throw new Error('setTimer without timers'); // remove() refuses a --for first
  await timers.schedule({ workspace, caseId, until });
  await deps.store.appendCaseEvent(
    workspace,
    caseId,
    { kind: 'timer', at: deps.clock.now(), state: 'set', until, durable: timers.durable },
    `${timerInvocationId(workspace, caseId)}#set`,
  );
  const line = `Timed: until ${utc(until)}, then the people removed come back (or earlier: /kickbot undo ${caseId}).`;
  return timers.durable ? line : `${line} Note: ${NOT_DURABLE}.`;
}

/** Drops a case's timer (an undo came first, or nothing was removed) and notes it, once. */
export async function endTimer(
  deps: CoreDeps,
  workspace: Id,
  caseId: number,
  state: 'restored' | 'cancelled',
  restoreCase?: number,
): Promise<void> {
  if (state === 'cancelled') await deps.timers?.cancel(workspace, caseId);
  await deps.store.appendCaseEvent(
    workspace,
    caseId,
    {
      kind: 'timer',
      at: deps.clock.now(),
      state,
      ...(restoreCase !== undefined ? { restoreCase } : {}),
    },
    endKey(workspace, caseId),
  );
}

/** Whether a case has a timer that has not ended yet. */
export async function pendingTimer(deps: CoreDeps, workspace: Id, caseId: number): Promise<boolean> {
  const events = await deps.store.readCaseEvents(workspace, caseId);
  const timer = events.filter((e) => e.kind === 'timer');
  return timer.some((e) => e.state === 'set') && !timer.some((e) => e.state !== 'set');
}

/**
 * A timed removal's time is up: `/kickbot undo <case>` as the case's moderator, in the room the command was typed
 * in, recorded like any undo; then `timer restored` on the case. A case already undone gets `timer cancelled` only.
 * Throws when the store is away (the timer's queue tries again later).
 */
export async function fireTimer(
  deps: CoreDeps,
  handle: (inv: Invocation) => Promise<Reply>,
  timer: TimedRestore,
): Promise<Reply> {
  const { workspace, caseId } = timer;
  const events = await deps.store.readCaseEvents(workspace, caseId);
  const opened = events.find((e) => e.kind === 'opened');
  if (!opened) {
    deps.logger.warn({ workspace, caseId }, 'timer of a case kickbot does not know: nothing to restore');
    return { kind: 'info', message: `Case ${caseId} is unknown; its timer restores nothing.` };
  }
  const ended = events.find((e) => e.kind === 'timer' && e.state !== 'set');
  if (ended) return { kind: 'info', message: `The timer of case ${caseId} has already ended.` };
  if (events.some((e) => e.kind === 'undone')) {
    await endTimer(deps, workspace, caseId, 'cancelled');
    return { kind: 'info', message: `Case ${caseId} was undone before its time; its timer is cancelled.` };
  }
  const reply = await handle({
    id: timerInvocationId(workspace, caseId),
    platform: opened.platform,
    workspace,
    actor: opened.by,
    channel: opened.channel,
    command: 'kickbot',
    input: { text: `undo ${caseId}` },
    confirmed: true,
    receivedAt: deps.clock.now(),
  });
  if (reply.kind === 'result') {
    await endTimer(deps, workspace, caseId, 'restored', reply.caseId);
  } else if (reply.kind === 'info') {
    await endTimer(deps, workspace, caseId, 'cancelled'); // nothing to undo (nobody was removed)
  } else if (reply.kind === 'refused' && reply.code === 'store-unavailable') {
    throw new StoreUnavailableError(`timer of case ${caseId}: the store is away`);
  } else if (reply.kind === 'error') {
    throw new Error(`timer of case ${caseId}: the restore failed (reference ${reply.ref})`);
  } else {
    deps.logger.warn({ workspace, caseId, reply: reply.kind }, 'timed restore did not run');
  }
  return reply;
}
