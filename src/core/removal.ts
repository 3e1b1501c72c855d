import { randomUUID } from 'node:crypto';
import type { RemovalRequest } from './command.js';
import type { CoreDeps } from './deps.js';
import { executePlan, type Progress } from './execute.js';
import type { Invocation } from './invocation.js';
import { roomNotices } from './notices.js';
import { areaResults, statusOf, summaryLine, tally } from './outcomes.js';
import { type Plan, planLeave, planRemoval } from './plan.js';
import type { ConfirmReply, Reply, ResultReply } from './reply.js';

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

async function runPlan(
  deps: CoreDeps,
  inv: Invocation,
  plan: Plan,
  action: 'remove' | 'leave',
  opts: RunOptions,
): Promise<ResultReply> {
  const caseId = await deps.store.nextCaseId(inv.workspace);
  const results = await executePlan(deps, {
    invocation: inv,
    caseId,
    action,
    pairs: plan.pairs,
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
  });
  const reasons = new Map(plan.pairs.map((p) => [`${p.room}\n${p.user}`, p.reason]));
  for (const notice of roomNotices({
    action,
    caseId,
    actor: inv.actor,
    results,
    reasons,
    labels: plan.labels,
  })) {
    try {
      await deps.connectors.for(notice.room).postNotice(notice.room, notice.text);
    } catch (error) {
      deps.logger.warn({ err: error, room: notice.room, caseId }, 'room confirmation not posted');
    }
  }
  const counts = tally(results);
  const areas = areaResults(results);
  return {
    kind: 'result',
    action,
    caseId,
    status: statusOf(counts),
    results,
    ...(areas.length > 0 ? { areas } : {}),
    summary: summaryLine(counts),
    labels: plan.labels,
  };
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
  const notMember = plan.pairs.filter((p) => !p.verdict.ok && p.verdict.outcome === 'not_member').length;
  const refused = plan.pairs.flatMap((p) =>
    p.verdict.ok || p.verdict.outcome === 'not_member'
      ? []
      : [
          {
            user: p.user,
            room: p.room,
            outcome: p.verdict.outcome,
            ...(p.verdict.code ? { code: p.verdict.code } : {}),
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
    message: `${parts.join('; ')}. Batches over ${deps.confirmThreshold} need a confirmation.`,
    labels: plan.labels,
  };
}
