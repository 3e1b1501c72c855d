import { randomUUID } from 'node:crypto';
import type { BulkJob, BulkOutcome } from './bulk.js';
import type { RemovalRequest } from './command.js';
import type { CoreDeps } from './deps.js';
import { executePlan, type Progress, pairResult, record } from './execute.js';
import type { Invocation } from './invocation.js';
import { announce } from './notices.js';
import { areaResults, type PairResult, statusOf, summaryLine, tally } from './outcomes.js';
import { type Plan, type PlannedPair, planLeave, planRemoval } from './plan.js';
import type { ConfirmReply, PlanGroup, RefusedReply, Reply, ResultReply } from './reply.js';

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
  const plan = await planRemoval(deps, inv, request);
  const removals = plan.pairs.filter((p) => p.verdict.ok).length;
  const limited = await rateCheck(deps, inv, removals, true);
  if (limited) return limited;
  if (removals > deps.confirmThreshold && !request.yes && !inv.confirmed) {
    return confirmPrompt(deps, inv, plan, removals);
  }
  return runPlan(deps, inv, plan, 'remove', opts);
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

/** The per-moderator rate limit: a clear refusal, and nothing counted, when a run would pass it. */
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

async function runPlan(
  deps: CoreDeps,
  inv: Invocation,
  plan: Plan,
  action: 'remove' | 'leave',
  opts: RunOptions,
): Promise<Reply> {
  const allowed = plan.pairs.filter((p) => p.verdict.ok);
  if (action === 'remove') {
    const limited = await rateCheck(deps, inv, allowed.length, false);
    if (limited) return limited;
  }
  const caseId = await deps.store.nextCaseId(inv.workspace);
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
  }

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
      : {
          // Inline runs are marked per pair like bulk jobs, so that a write resent after a lost reply is a no-op.
          results: await executePlan(deps, {
            ...job,
            job: { id: job.id, offset: 0, total: allowed.length, marks: new Map() },
            ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
          }),
          announced: false,
        };
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

  const byPair = new Map(allowed.map((p, i) => [p, executed.results[i] as PairResult]));
  const results = plan.pairs.map((p) => byPair.get(p) ?? (refusals.get(p) as PairResult));
  const counts = tally(results);
  const areas = areaResults(results);
  const untried = results.filter((r) => r.code === 'store-unavailable').length;
  const reply: ResultReply = {
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
  return reply;
}

async function confirmPrompt(
  deps: CoreDeps,
  inv: Invocation,
  plan: Plan,
  removals: number,
): Promise<ConfirmReply> {
  const confirmId = randomUUID();
  const expiresAt = deps.clock.now() + deps.confirmTtlMs;
  await deps.store.savePending(confirmId, { invocation: inv, expiresAt }, deps.confirmTtlMs);
  const absentPairs = plan.pairs.filter((p) => !p.verdict.ok && p.verdict.outcome === 'not_member');
  const notMember = absentPairs.length;
  const refused = plan.pairs.flatMap((p) =>
    p.verdict.ok || p.verdict.outcome === 'not_member'
      ? []
      : [
          {
            user: p.user,
            room: p.room,
            outcome: p.verdict.outcome,
            ...(p.verdict.code ? { code: p.verdict.code } : {}),
            ...(p.verdict.hint ? { hint: p.verdict.hint } : {}),
          },
        ],
  );
  const parts = [`This would remove ${removals.toLocaleString('en')} (room, user) pairs`];
  if (notMember > 0) parts.push(`${notMember.toLocaleString('en')} already absent`);
  if (refused.length > 0) parts.push(`${refused.length.toLocaleString('en')} refused`);
  return {
    kind: 'confirm',
    confirmId,
    expiresAt,
    removals,
    notMember,
    refused,
    removing: byRoom(plan.pairs.filter((p) => p.verdict.ok)),
    absent: byRoom(absentPairs),
    message: `${parts.join('; ')}. Batches over ${deps.confirmThreshold} need a confirmation.`,
    labels: plan.labels,
  };
}

/** Names shown per room in a confirmation prompt; the others are counted. */
export const PLAN_NAMES = 20;

/** Pairs grouped by room, in the order the rooms first appear, each with its first {@link PLAN_NAMES} users. */
function byRoom(pairs: readonly PlannedPair[]): PlanGroup[] {
  const groups = new Map<string, PlanGroup>();
  for (const p of pairs) {
    let group = groups.get(p.room);
    if (!group) {
      group = { room: p.room, users: [], more: 0 };
      groups.set(p.room, group);
    }
    if (group.users.length < PLAN_NAMES) group.users.push(p.user);
    else group.more++;
  }
  return [...groups.values()];
}
