import { openCase } from './cases/open.js';
import type { CoreDeps } from './deps.js';
import { ConnectorError, UsageError } from './errors.js';
import { platformOf } from './ids.js';
import type { Invocation } from './invocation.js';
import { judgePairs, type Wanted } from './judge-pairs.js';
import { clearPairMarker, OWN_ACTION_MS, setPairMarker } from './markers.js';
import { announce } from './notices.js';
import { offboardNotice } from './offboard/notice.js';
import { systemName } from './offboard/walk.js';
import type { PairResult, RestoreOutcome } from './outcomes.js';
import type { AreaInfo, RestoreResult } from './ports/facts.js';
import type { AuditRecord } from './ports/store.js';
import type { Reply, SystemResult } from './reply.js';
import { withRetry } from './retry.js';
import { RULES } from './rules.js';
import { endTimer, isTimerOf, pendingTimer } from './timed.js';

/** `/kickbot undo <case>`: re-adds what the case removed, pair by pair, where the actor may remove. */
export async function undo(deps: CoreDeps, inv: Invocation, caseId: number): Promise<Reply> {
  const records = await deps.store.readAudit({ workspace: inv.workspace, caseId });
  if (records.length === 0) throw new UsageError(`there is no case ${caseId}`);
  // The log reads newest first; undo in the order the removals happened.
  const removed = records.filter((r) => r.action !== 'restore' && r.outcome === 'removed').reverse();
  if (removed.length === 0) {
    const what = records.some((r) => r.action === 'restore') ? 'is itself an undo' : 'removed nobody';
    return { kind: 'info', message: `Case ${caseId} ${what}; there is nothing to undo.` };
  }
  const home = deps.connectors.directory(inv.platform);
  const areas = new Map<string, AreaInfo | undefined>();
  const wanted: Wanted[] = [];
  for (const r of removed) {
    if (r.area !== undefined && !areas.has(r.area))
      areas.set(r.area, await home.area(r.area, { workspace: inv.workspace }));
    const area = r.area === undefined ? undefined : areas.get(r.area);
    wanted.push({ room: r.room, user: r.target, ...(area ? { area } : {}) });
  }
  // An offboarding's undo needs what the offboarding needed (`offboard-user`), in every room it reached.
  const offboarding = removed.some((r) => r.action === 'offboard');
  const plan = await judgePairs(deps, inv, wanted, (w) =>
    offboarding ? RULES.restoreOffboard : w.area ? RULES.restoreArea : RULES.restore,
  );
  const newCase = await deps.store.nextCaseId(inv.workspace);
  await openCase(deps, inv, newCase);
  await deps.store.appendCaseEvent(
    inv.workspace,
    caseId,
    { kind: 'undone', at: deps.clock.now(), by: inv.actor, restoreCase: newCase },
    `${inv.id}#${newCase}#undone`,
  );
  // An undo before a timed removal's time: the timer has nothing left to do (the timer's own undo ends it itself).
  if (!isTimerOf(inv, caseId) && (await pendingTimer(deps, inv.workspace, caseId))) {
    await endTimer(deps, inv.workspace, caseId, 'cancelled');
  }
  const results: PairResult<RestoreOutcome>[] = [];
  for (const [i, pair] of plan.pairs.entries()) {
    const original = removed[i] as AuditRecord;
    const result: PairResult<RestoreOutcome> = pair.verdict.ok
      ? { room: pair.room, user: pair.user, ...(await restoreOne(deps, inv, newCase, original)) }
      : {
          room: pair.room,
          user: pair.user,
          // `failed`: the room's system could not be asked (its hint names it); any other refusal is a denial.
          outcome: pair.verdict.outcome === 'failed' ? 'failed' : 'denied',
          ...(pair.verdict.code ? { code: pair.verdict.code } : {}),
          ...(pair.verdict.outcome === 'failed' && pair.verdict.hint ? { hint: pair.verdict.hint } : {}),
        };
    if (original.area !== undefined) result.area = original.area;
    await deps.store.appendAudit(
      [
        {
          caseId: newCase,
          workspace: inv.workspace,
          action: 'restore',
          actor: inv.actor,
          target: pair.user,
          room: pair.room,
          ...(original.area !== undefined ? { area: original.area } : {}),
          outcome: result.outcome,
          ...(result.code ? { code: result.code } : {}),
          undoOf: caseId,
          invocation: inv.id,
          at: deps.clock.now(),
        },
      ],
      `${inv.id}#${newCase}#${i}`,
    );
    results.push(result);
  }
  const counts = restoreCounts(results);
  if (offboarding) {
    const users = [...new Set(results.map((r) => r.user))].map((u) => plan.labels[u] ?? u);
    const by = plan.labels[inv.actor] ?? deps.connectors.label(inv.actor, 'user');
    const text = `${users.join(', ')} ${users.length === 1 ? 'was' : 'were'} re-added by ${by} where kickbot can (undo of offboarding case ${caseId}) · case ${newCase} · ${restoreLine(counts)}`;
    await offboardNotice(deps, inv, newCase, text);
  } else {
    await announce(deps, {
      action: 'restore',
      caseId: newCase,
      actor: inv.actor,
      results,
      reasonOf: () => undefined,
      labels: plan.labels,
      undoOf: caseId,
    });
  }
  const bad = counts.denied + counts.unsupported + counts.failed;
  return {
    kind: 'result',
    action: 'restore',
    caseId: newCase,
    status: bad === 0 ? 'ok' : counts.restored > 0 ? 'partial' : 'error',
    results,
    summary: restoreLine(counts),
    labels: plan.labels,
    ...(offboarding ? { systems: perSystem(deps, results) } : {}),
  };
}

type RestoreCounts = Record<RestoreOutcome, number>;

function restoreCounts(results: readonly PairResult<RestoreOutcome>[]): RestoreCounts {
  const counts: RestoreCounts = { restored: 0, already_member: 0, denied: 0, unsupported: 0, failed: 0 };
  for (const r of results) counts[r.outcome]++;
  return counts;
}

const restoreLine = (c: RestoreCounts) =>
  `Restored ${c.restored} | Already a member ${c.already_member} | Denied ${c.denied} | Failed ${c.failed + c.unsupported}`;

/** An offboarding's undo, one line per system: what came back, and why the rest did not (Discord: an invite). */
function perSystem(deps: CoreDeps, results: readonly PairResult<RestoreOutcome>[]): SystemResult[] {
  const bySystem = new Map<string, PairResult<RestoreOutcome>[]>();
  for (const r of results) {
    const system = platformOf(r.room);
    bySystem.set(system, [...(bySystem.get(system) ?? []), r]);
  }
  return [...bySystem].map(([system, rows]) => {
    const counts = restoreCounts(rows);
    const hint = rows.find((r) => r.outcome === 'unsupported' && r.hint)?.hint;
    return {
      system,
      name: systemName(deps, system),
      summary: restoreLine(counts),
      counts,
      undo: counts.unsupported === 0,
      ...(hint ? { hint } : {}),
    };
  });
}

async function restoreOne(
  deps: CoreDeps,
  inv: Invocation,
  caseId: number,
  original: AuditRecord,
): Promise<RestoreResult> {
  const remover = deps.connectors.remover(original.room);
  if (!remover.restore) {
    return {
      outcome: 'unsupported',
      code: 'no-undo',
      hint: `${systemName(deps, remover.system)} cannot re-add people`,
    };
  }
  const restore = remover.restore.bind(remover);
  if (!deps.connectors.linked(original.room, original.target)) {
    return {
      outcome: 'unsupported',
      code: 'no-identity',
      hint: `no ${systemName(deps, remover.system)} account is linked`,
    };
  }
  const target = deps.connectors.targetIn({
    room: original.room,
    user: original.target,
    actor: inv.actor,
    caseId,
  });
  // While kickbot re-adds them, their join is its own: no rejoin alert for it (a marker is a hint, never fatal).
  const marker = { caseId, at: deps.clock.now(), state: 'restoring' as const };
  await setPairMarker(deps.store, original.room, original.target, marker, OWN_ACTION_MS).catch(() => {});
  try {
    return await withRetry(deps, remover.system, () => restore(target, original.roles ?? [], original.undo));
  } catch (error) {
    if (error instanceof ConnectorError) return { outcome: 'failed', code: error.code };
    deps.logger.error({ err: error, room: original.room, user: original.target }, 'restore failed');
    return { outcome: 'failed', code: 'internal-error' };
  } finally {
    await clearPairMarker(deps.store, original.room, original.target).catch(() => {});
  }
}
