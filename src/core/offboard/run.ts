import { randomUUID } from 'node:crypto';
import { openCase } from '../cases/open.js';
import type { Request } from '../command.js';
import { dmText, dmWanted, tellPeople } from '../dm.js';
import { UsageError } from '../errors.js';
import type { Id } from '../ids.js';
import type { Invocation } from '../invocation.js';
import type { PlannedPair } from '../judge-pairs.js';
import { type PairResult, statusOf, summaryLine, type Tally, tally } from '../outcomes.js';
import { holds } from '../permissions.js';
import { type Progress, progressOf } from '../progress.js';
import type { BulkJob } from '../remove/bulk.js';
import { executeJob } from '../remove/execute.js';
import { checkResolved } from '../remove/limits.js';
import { countSettled, pairResult, record } from '../remove/records.js';
import { type RunOptions, requireReason } from '../remove/run.js';
import type { ConfirmReply, Reply, ResultReply } from '../reply.js';
import { markFinished, markRunning } from '../running.js';
import { add, Listed } from './listed.js';
import { offboardNotice } from './notice.js';
import { SystemTally } from './systems.js';
import { type OffboardDeps, walkOffboarding } from './walk.js';

type OffboardRequest = Extract<Request, { kind: 'offboard' }>;

/** Refused pairs listed in an offboarding's confirmation prompt; the systems' counts cover the rest. */
const PROMPT_REFUSALS = 50;
/**
 * Pairs an offboarding's answer lists, problems first: someone in 20,000 rooms gets the counts per system and
 * these, never 20,000 results held for the answer (and for its replays). The case holds every pair.
 */
export const LISTED_RESULTS = 1_000;

/**
 * `/offboard`: the users out of everything kickbot reaches. The plan comes first (per system: rooms, who is
 * protected, what cannot be undone) unless confirmed; then one case, page by page through every system, and one
 * line per system in the answer.
 */
export async function offboard(
  deps: OffboardDeps,
  inv: Invocation,
  request: OffboardRequest,
  opts: RunOptions,
): Promise<Reply> {
  requireReason(deps, inv, request.reason !== undefined);
  const actor = (await deps.connectors.users([inv.actor])).get(inv.actor);
  if (
    !actor ||
    (!holds(deps.grants, 'offboard-user', actor.roles) && !actor.grants?.includes('offboard-user'))
  ) {
    return {
      kind: 'refused',
      code: 'not-allowed',
      message:
        'Offboarding needs the offboard-user permission (admins by default; on Discord also Kick Members).',
    };
  }
  const users = await resolveUsers(deps, inv, request.users);
  if (!request.yes && !inv.confirmed) return prompt(deps, inv, users, request.reason);
  return run(deps, inv, users, request.reason, opts, dmWanted(request.dm, deps.dmByDefault));
}

/** The users as the moderator named them, each known to the platform; a usage error names the others. */
async function resolveUsers(deps: OffboardDeps, inv: Invocation, refs: readonly string[]): Promise<Id[]> {
  const home = deps.connectors.directory(inv.platform);
  const problems: string[] = [];
  const ids = new Set<Id>();
  for (const ref of refs) {
    const resolved = await home.resolveUsers(ref, { workspace: inv.workspace });
    if (!resolved.ok) problems.push(resolved.message);
    else for (const id of resolved.value) ids.add(id);
  }
  if (problems.length > 0) throw new UsageError(problems.join('; '));
  checkResolved(deps.limits, { users: ids.size, rooms: 0, removals: 0 });
  const known = await home.users([...ids]);
  const missing = [...ids].filter((id) => !known.has(id)).map((id) => deps.connectors.label(id, 'user'));
  if (missing.length > 0) {
    throw new UsageError(`unknown user${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
  }
  return [...ids];
}

/** The plan, as a prompt: every system walked and judged, nothing done. */
async function prompt(
  deps: OffboardDeps,
  inv: Invocation,
  users: readonly Id[],
  reason: string | undefined,
): Promise<ConfirmReply> {
  const systems = new SystemTally(deps);
  const labels: Record<Id, string> = {};
  const refused: ConfirmReply['refused'] = [];
  for (const user of users) {
    await walkOffboarding(deps, inv, user, reason, {
      page: async ({ system, plan, noUndo }) => {
        Object.assign(labels, plan.labels);
        systems.planned(system, plan.pairs, noUndo);
        for (const p of plan.pairs) {
          if (p.verdict.ok || p.verdict.outcome === 'not_member' || refused.length >= PROMPT_REFUSALS)
            continue;
          const { outcome, code, hint } = p.verdict;
          refused.push({
            user: p.user,
            room: p.room,
            outcome,
            ...(code ? { code } : {}),
            ...(hint ? { hint } : {}),
          });
        }
      },
      unlinked: async ({ system }) => systems.unlinked(system),
      nothing: async (system) => systems.nothing(system),
    });
  }
  for (const user of users) labels[user] ??= deps.connectors.label(user, 'user');
  const plans = systems.plans();
  const removals = plans.reduce((n, s) => n + s.removals, 0);
  const rooms = plans.reduce((n, s) => n + s.rooms, 0);
  const confirmId = randomUUID();
  const expiresAt = deps.clock.now() + deps.confirmTtlMs;
  await deps.store.savePending(confirmId, { invocation: inv, expiresAt }, deps.confirmTtlMs);
  const who = users.map((u) => labels[u] ?? u).join(', ');
  const fmt = (n: number) => n.toLocaleString('en');
  return {
    kind: 'confirm',
    confirmId,
    expiresAt,
    removals,
    notMember: systems.notMember,
    refused,
    removing: [],
    absent: [],
    message:
      `Offboarding ${who} would remove ${fmt(removals)} of ${fmt(rooms)} room memberships in ` +
      `${plural(plans.filter((s) => s.rooms > 0).length, 'system')}. An offboarding always asks first; nothing is done until you confirm.`,
    labels,
    systems: plans,
  };
}

/** The offboarding itself: one case, every system page by page, one notice, one line per system. */
async function run(
  deps: OffboardDeps,
  inv: Invocation,
  users: readonly Id[],
  reason: string | undefined,
  opts: RunOptions,
  dm: boolean,
): Promise<ResultReply> {
  const caseId = await deps.store.nextCaseId(inv.workspace);
  await openCase(deps, inv, caseId);
  await markRunning(deps.store, inv.workspace, caseId).catch(() => {}); // until its last page: cancel reads it
  const label = (id: Id) => deps.connectors.label(id, 'user');
  // Before anything is removed: they may lose the room a message would have come through.
  const dmNote = dm
    ? await tellPeople(
        deps,
        inv,
        caseId,
        users.map((user) => ({ user, rooms: [], reason })),
        (person) => dmText(person, label(inv.actor), caseId, undefined, label),
        label,
      )
    : undefined;
  const of = { invocation: inv, caseId, action: 'offboard' as const };
  const systems = new SystemTally(deps);
  const listed = new Listed(LISTED_RESULTS);
  const total: Tally = { removed: 0, notMember: 0, denied: 0, unsupported: 0, failed: 0, cancelled: 0 };
  const started = deps.clock.now();
  let done = 0;
  let seen = 0;
  const progress = (extra: number) => {
    if (!opts.onProgress) return;
    const p = progressOf(done + extra, Math.max(seen, done + extra), 0, deps.clock.now() - started);
    opts.onProgress({ ...p, caseId });
  };
  for (const [u, user] of users.entries()) {
    await walkOffboarding(deps, inv, user, reason, {
      page: async ({ system, page, plan, noUndo }) => {
        const tag = `${inv.id}#${caseId}#${u}#${system}#${page}`;
        const allowed = plan.pairs.filter((p) => p.verdict.ok);
        seen += allowed.length;
        const refusals = plan.pairs.filter((p) => !p.verdict.ok).map((p) => refusal(p));
        if (refusals.length > 0) {
          const at = deps.clock.now();
          await deps.store.appendAudit(
            refusals.map(([p, r]) => record(of, p, r, at)),
            `${tag}#refusals`,
          );
          for (const [, r] of refusals) countSettled(deps.metrics, r);
        }
        const job: BulkJob = {
          id: tag,
          ...of,
          pairs: allowed,
          labels: plan.labels,
          reasons: reason ? { '': reason } : {},
        };
        const onProgress = (p: Progress) => progress(p.done);
        const executed =
          allowed.length > deps.bulkThreshold
            ? (await deps.bulk.run(job, onProgress)).results
            : await executeJob(deps, job, onProgress);
        done += allowed.length;
        const byPair = new Map(allowed.map((p, i) => [p, executed[i] as PairResult]));
        const refused = new Map(refusals);
        const page_ = plan.pairs.map((p) => byPair.get(p) ?? (refused.get(p) as PairResult));
        systems.ran(system, page_, noUndo);
        add(total, tally(page_));
        listed.add(page_, plan.labels);
      },
      unlinked: async ({ system }) => {
        const result = systems.unlinkedResult(system, user);
        const pair: PlannedPair = {
          room: result.room,
          user,
          verdict: { ok: false, outcome: 'unsupported' },
          roles: [],
        };
        await deps.store.appendAudit(
          [record(of, pair, result, deps.clock.now())],
          `${inv.id}#${caseId}#${u}#${system}#unlinked`,
        );
        countSettled(deps.metrics, result);
        add(total, tally([result]));
        listed.add([result], { [result.room]: `every ${systems.name(system)} room` });
      },
      nothing: async (system) => systems.nothing(system),
    });
  }
  await markFinished(deps.store, inv.workspace, caseId).catch(() => {});
  const labels = listed.labels;
  for (const user of users) labels[user] ??= deps.connectors.label(user, 'user');
  labels[inv.actor] ??= deps.connectors.label(inv.actor, 'user');
  const summary = summaryLine(total);
  const names = users.map((u) => labels[u] ?? u).join(', ');
  const by = labels[inv.actor];
  await offboardNotice(
    deps,
    inv,
    caseId,
    `${names} ${users.length === 1 ? 'was' : 'were'} offboarded by ${by}${reason ? ` (reason: ${reason})` : ''} · case ${caseId} · ${summary}`,
  );
  return {
    kind: 'result',
    action: 'offboard',
    caseId,
    status: statusOf(total),
    results: listed.results,
    summary,
    labels,
    systems: systems.results(),
    ...(listed.left > 0 ? { more: listed.left } : {}),
    ...(listed.left > 0 || dmNote
      ? {
          note: [
            listed.left > 0
              ? `${listed.left.toLocaleString('en')} more pairs are not listed here (the summary counts them all); case ${caseId} holds every one (kickbot audit).`
              : undefined,
            dmNote,
          ]
            .filter(Boolean)
            .join('\n'),
        }
      : {}),
  };
}

function refusal(p: PlannedPair): [PlannedPair, PairResult] {
  if (p.verdict.ok) throw new Error('not a refusal');
  const { outcome, code, hint } = p.verdict;
  return [p, pairResult(p, { outcome, ...(code ? { code } : {}), ...(hint ? { hint } : {}) })];
}

const plural = (n: number, what: string) => `${n.toLocaleString('en')} ${what}${n === 1 ? '' : 's'}`;
