import { openCase } from '../cases/open.js';
import type { RemovalFlags, RemovalRequest } from '../command.js';
import type { CoreDeps } from '../deps.js';
import { type DmPerson, dmText, dmWanted, tellPeople } from '../dm.js';
import { UsageError } from '../errors.js';
import type { Id } from '../ids.js';
import type { Invocation } from '../invocation.js';
import type { Plan, PlannedPair } from '../judge-pairs.js';
import { announce } from '../notices.js';
import { areaResults, type PairResult, statusOf, summaryLine, tally } from '../outcomes.js';
import type { Progress } from '../progress.js';
import type { RefusedReply, Reply, ResultReply } from '../reply.js';
import { markFinished, markRunning } from '../running.js';
import { endTimer, setTimer } from '../timed.js';
import type { BulkJob, BulkOutcome } from './bulk.js';
import { confirmPrompt } from './confirm.js';
import { executeJob } from './execute.js';
import { planLeave, planRemoval } from './plan.js';
import { countSettled, pairResult, record } from './records.js';

export interface RunOptions {
  onProgress?: (progress: Progress) => void;
}

/** `/kick` and `/remove-area`: plan, ask for confirmation when the batch is big, then run. */
export async function remove(
  deps: CoreDeps,
  inv: Invocation,
  request: RemovalRequest,
  opts: RunOptions,
): Promise<Reply> {
  requireReason(
    deps,
    inv,
    request.batches.every((b) => b.reason !== undefined),
  );
  if (request.forMs !== undefined && !deps.timers) {
    throw new UsageError(deps.noTimers ?? 'this kickbot keeps no timers, so --for cannot be used here');
  }
  const plan = await planRemoval(deps, inv, request);
  const removals = plan.pairs.filter((p) => p.verdict.ok).length;
  if (removals > deps.confirmThreshold && !request.yes && !inv.confirmed) {
    // A prompt never promises what the limit would refuse: checked here, counted when the batch runs.
    return (await rateCheck(deps, inv, removals, true)) ?? confirmPrompt(deps, inv, plan, removals);
  }
  return runPlan(deps, inv, plan, 'remove', opts, request);
}

const REASON_EXAMPLES: Record<string, string> = {
  kick: '/kick @bob spam',
  'remove-area': '/remove-area payments @bob spam',
  offboard: '/offboard @bob spam',
};

/** The config's `requireReason`: a removal without a reason is a usage error that says where the rule comes from. */
export function requireReason(deps: Pick<CoreDeps, 'requireReason'>, inv: Invocation, given: boolean): void {
  if (!deps.requireReason || given) return;
  const example = REASON_EXAMPLES[inv.command] ?? `/${inv.command} @bob spam`;
  throw new UsageError(`a reason is required here (requireReason in kickbot's config): ${example}`);
}

/** `/leave [#room]`. */
export async function leave(
  deps: CoreDeps,
  inv: Invocation,
  roomRef: string | undefined,
  opts: RunOptions,
): Promise<Reply> {
  return runPlan(deps, inv, await planLeave(deps, inv, roomRef), 'leave', opts);
}

/**
 * Runs a plan: counts it against the moderator's rate limit, opens a case, records the refusals, removes the
 * allowed pairs here or as a bulk job, tells the rooms, and answers the moderator.
 */
async function runPlan(
  deps: CoreDeps,
  inv: Invocation,
  plan: Plan,
  action: 'remove' | 'leave',
  opts: RunOptions,
  flags: RemovalFlags = {},
): Promise<Reply> {
  const allowed = plan.pairs.filter((p) => p.verdict.ok);
  if (action === 'remove') {
    const limited = await rateCheck(deps, inv, allowed.length, false);
    if (limited) return limited;
  }
  const caseId = await deps.store.nextCaseId(inv.workspace);
  // A timed removal: the pairs come back this long after the case opened (only when there is something to remove).
  const until = flags.forMs !== undefined && allowed.length > 0 ? deps.clock.now() + flags.forMs : undefined;
  await openCase(deps, inv, caseId, until !== undefined ? { until } : {});
  // Running from now (not only once a worker takes its first slice), so that a cancel right away is heard.
  if (allowed.length > 0)
    await markRunning(deps.store, inv.workspace, caseId, plan.pairs.length).catch(() => {});
  const refusals = await recordRefusals(deps, inv, plan, caseId, action);
  // Set before the removals: a timer set after them would be lost with a process that stops in between.
  let timerNote = until !== undefined ? await setTimer(deps, inv.workspace, caseId, until) : undefined;
  const dmNote =
    action === 'remove' && dmWanted(flags.dm, deps.dmByDefault)
      ? await tellRemoved(deps, inv, plan, allowed, caseId, until)
      : undefined;

  const reasons: Record<string, string> = {};
  for (const p of allowed) if (p.reason && !((p.area ?? '') in reasons)) reasons[p.area ?? ''] = p.reason;
  const job: BulkJob = {
    id: `${inv.id}#${caseId}`,
    invocation: inv,
    caseId,
    action,
    pairs: allowed,
    labels: plan.labels,
    reasons,
  };
  const executed: BulkOutcome =
    allowed.length > deps.bulkThreshold
      ? await deps.bulk.run(job, opts.onProgress)
      : { results: await executeJob(deps, job, opts.onProgress), announced: false };
  await markFinished(deps.store, inv.workspace, caseId).catch(() => {}); // it expires anyway
  if (!executed.announced) {
    await announce(deps, {
      action,
      caseId,
      actor: inv.actor,
      results: executed.results,
      reasonOf: (r) => reasons[r.area ?? ''],
      labels: plan.labels,
    });
  }

  const timed = until !== undefined && executed.results.some((r) => r.outcome === 'removed');
  if (until !== undefined && !timed) {
    await endTimer(deps, inv.workspace, caseId, 'cancelled');
    timerNote = 'Nobody was removed, so the timer is cancelled.';
  }

  const byPair = new Map(allowed.map((p, i) => [p, executed.results[i] as PairResult]));
  const reply = resultReply(
    plan,
    plan.pairs.map((p) => byPair.get(p) ?? (refusals.get(p) as PairResult)),
    action,
    caseId,
  );
  const withUntil = timed ? { ...reply, until } : reply;
  const note = [reply.note, timerNote, dmNote].filter(Boolean).join('\n');
  return note ? { ...withUntil, note } : withUntil;
}

/** One direct message per person about to be removed (their rooms, the reason), before anything is removed. */
async function tellRemoved(
  deps: CoreDeps,
  inv: Invocation,
  plan: Plan,
  allowed: readonly PlannedPair[],
  caseId: number,
  until: number | undefined,
): Promise<string | undefined> {
  const people = new Map<Id, DmPerson & { rooms: Id[] }>();
  for (const p of allowed) {
    const person = people.get(p.user) ?? { user: p.user, rooms: [], reason: p.reason };
    person.rooms.push(p.room); // the plan holds each (room, user) pair once
    people.set(p.user, person);
  }
  const label = (id: Id, kind: 'user' | 'room') => plan.labels[id] ?? deps.connectors.label(id, kind);
  const by = label(inv.actor, 'user');
  return tellPeople(
    deps,
    inv,
    caseId,
    [...people.values()],
    (person) => dmText(person, by, caseId, until, (room) => label(room, 'room')),
    (user) => label(user, 'user'),
  );
}

/**
 * The per-moderator rate limit: a clear refusal, and nothing counted, when a run would pass it. `dryRun` only
 * checks (a confirmation prompt); a run checks and counts in one step.
 */
async function rateCheck(
  deps: CoreDeps,
  inv: Invocation,
  removals: number,
  dryRun: boolean,
): Promise<RefusedReply | undefined> {
  if (removals === 0) return undefined;
  const { removals: limit, windowMs } = deps.rateLimit;
  const rate = await deps.store.consumeRate(
    `${inv.workspace}|${inv.actor}`,
    removals,
    limit,
    windowMs,
    dryRun,
  );
  if (rate.ok) return undefined;
  const minutes = Math.ceil(rate.retryAfterMs / 60_000);
  return {
    kind: 'refused',
    code: 'rate-limited',
    message:
      `You may remove at most ${limit.toLocaleString('en')} users per ${Math.round(windowMs / 60_000)} minutes; ` +
      `you have removed ${rate.used.toLocaleString('en')} and this would remove ${removals.toLocaleString('en')} more. ` +
      `Try again in ${minutes} minute${minutes === 1 ? '' : 's'}, or remove fewer.`,
  };
}

/** The pairs the rules refused, in the audit log under the case before anything runs (once, if resent). */
async function recordRefusals(
  deps: CoreDeps,
  inv: Invocation,
  plan: Plan,
  caseId: number,
  action: 'remove' | 'leave',
): Promise<Map<PlannedPair, PairResult>> {
  const refusals = new Map<PlannedPair, PairResult>();
  for (const pair of plan.pairs) {
    if (pair.verdict.ok) continue;
    const { outcome, code, hint } = pair.verdict;
    refusals.set(pair, pairResult(pair, { outcome, ...(code ? { code } : {}), ...(hint ? { hint } : {}) }));
  }
  const at = deps.clock.now();
  if (refusals.size > 0) {
    await deps.store.appendAudit(
      [...refusals].map(([pair, r]) => record({ invocation: inv, caseId, action }, pair, r, at)),
      `${inv.id}#${caseId}#refusals`,
    );
    for (const r of refusals.values()) countSettled(deps.metrics, r);
  }
  return refusals;
}

function resultReply(
  plan: Plan,
  results: PairResult[],
  action: 'remove' | 'leave',
  caseId: number,
): ResultReply {
  const counts = tally(results);
  const areas = areaResults(results);
  const untried = results.filter((r) => r.code === 'store-unavailable').length;
  return {
    kind: 'result',
    action,
    caseId,
    status: statusOf(counts),
    results,
    ...(areas.length > 0 ? { areas } : {}),
    summary: summaryLine(counts),
    labels: plan.labels,
    ...(untried > 0
      ? {
          note: `kickbot lost its state store (Redis) during the run; ${untried} removals were not tried. Run the command again when it is back.`,
        }
      : {}),
  };
}
