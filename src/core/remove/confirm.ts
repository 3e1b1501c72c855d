import { randomUUID } from 'node:crypto';
import type { Invocation } from '../invocation.js';
import type { Plan, PlannedPair } from '../judge-pairs.js';
import type { Clock } from '../ports/clock-logger.js';
import type { Store } from '../ports/store.js';
import type { ConfirmReply, PlanGroup } from '../reply.js';

export interface ConfirmDeps {
  store: Store;
  clock: Clock;
  /** A batch removing more than this many pairs needs a confirmation. */
  confirmThreshold: number;
  confirmTtlMs: number;
}

/** Names shown per room in a confirmation prompt; the others are counted. */
export const PLAN_NAMES = 20;

/**
 * A batch over the threshold: keeps the invocation as pending (its moderator answers yes or no) and shows the plan:
 * how many would be removed, who is already absent, who is refused and why.
 */
export async function confirmPrompt(
  deps: ConfirmDeps,
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
