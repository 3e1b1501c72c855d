import { randomUUID } from 'node:crypto';
import type { BulkJob, BulkRunner } from './bulk.js';
import { listCases } from './case-list.js';
import { undo } from './cases.js';
import type { CommandContext, CommandDefinition } from './command.js';
import { Connectors } from './connectors.js';
import type { CoreDeps, RateLimit } from './deps.js';
import { ConnectorError, StoreUnavailableError, UsageError } from './errors.js';
import {
  DEFAULT_EXECUTE,
  type ExecuteSettings,
  type Execution,
  executePlan,
  type Progress,
} from './execute.js';
import { Identities, type IdentityLinks } from './identities.js';
import type { Id } from './ids.js';
import type { Invocation } from './invocation.js';
import { announce } from './notices.js';
import type { PairResult } from './outcomes.js';
import { DEFAULT_GRANTS, type Grants } from './permissions.js';
import { DEFAULT_LIMITS, type Limits } from './plan.js';
import { type Clock, type Connector, type Logger, type Store, silentLogger, systemClock } from './ports.js';
import { leave, type RunOptions, remove } from './removal.js';
import type { Reply } from './reply.js';
import { describeTrouble, type Systems } from './systems.js';
import { checkText, tokenize } from './tokens.js';

const STORE_DOWN: Reply = {
  kind: 'refused',
  code: 'store-unavailable',
  message: 'kickbot cannot reach its state store (Redis), so nothing was done. Try again in a moment.',
};

/** An id a client chose (`Idempotency-Key`, `--key`) came back with another request: it is not run. */
export const KEY_REUSED: Reply = {
  kind: 'refused',
  code: 'key-reused',
  message:
    'This key was already used for a different request, so nothing was done. Use a new key for a new request.',
};

export interface CoreOptions {
  connectors: readonly Connector[];
  store: Store;
  commands: readonly CommandDefinition[];
  clock?: Clock;
  logger?: Logger;
  grants?: Grants;
  limits?: Partial<Limits>;
  execute?: Partial<ExecuteSettings>;
  /** Removals above this need a confirmation (default 10). */
  confirmThreshold?: number;
  confirmTtlMs?: number;
  /** How long a redelivered invocation id is remembered (default 24 h). */
  dedupeTtlMs?: number;
  /** How long a redelivery waits for the first delivery's result before answering "already running" (default 60 s). */
  dedupeWaitMs?: number;
  /** Batches removing more than this many pairs run as bulk jobs (default 50). */
  bulkThreshold?: number;
  /** Where bulk jobs run (default: in this process). */
  bulk?: BulkRunner;
  /** Removals per moderator per window (default 10,000 per 10 minutes). */
  rateLimit?: RateLimit;
  /** One person's ids across systems (config `identities`). */
  identities?: IdentityLinks;
  /** The rooms an area reaches in other systems (config `areas[].targets`), by area id. */
  areaTargets?: (area: string) => readonly Id[];
  /** Names and credential variables of the systems, for what a moderator reads when one fails. */
  systems?: Systems;
}

/**
 * A reply handed back for an invocation id seen before (a redelivery): the first run's reply, marked. Chat fronts
 * acknowledge a redelivery and post nothing (the first delivery answered); the CLI and the API print it.
 */
export type Handled = Reply & { redelivered?: true };

export interface Core {
  readonly commands: readonly CommandDefinition[];
  /**
   * Runs one invocation: a command, or an answer to a confirmation (only the moderator who asked may answer).
   * A redelivered id returns the first run's reply, marked `redelivered`, and does nothing again.
   */
  handle(invocation: Invocation, opts?: RunOptions): Promise<Handled>;
  /**
   * Binds a client's key to one request for the dedupe window: true for the first request and the same one
   * again, false for another request under a used key. A request made of several invocations binds first.
   */
  bindKey(id: string, fingerprint: string): Promise<boolean>;
  /** Whether the user's platform knows this user (a front that takes an actor's id checks it first). */
  userExists(user: Id): Promise<boolean>;
  /** Runs a slice of a bulk job (what a worker does with a job it took). */
  executeSlice(slice: Execution): Promise<PairResult[]>;
  /** Posts the room confirmations of a finished bulk job. */
  announce(job: Omit<BulkJob, 'pairs' | 'id'>, results: readonly PairResult[]): Promise<void>;
}

export function createCore(options: CoreOptions): Core {
  const deps: CoreDeps = {
    connectors: new Connectors(options.connectors, new Identities(options.identities)),
    ...(options.areaTargets ? { areaTargets: options.areaTargets } : {}),
    ...(options.systems ? { systems: options.systems } : {}),
    store: options.store,
    clock: options.clock ?? systemClock,
    logger: options.logger ?? silentLogger,
    grants: options.grants ?? DEFAULT_GRANTS,
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    settings: { ...DEFAULT_EXECUTE, ...options.execute },
    confirmThreshold: options.confirmThreshold ?? 10,
    confirmTtlMs: options.confirmTtlMs ?? 5 * 60_000,
    bulkThreshold: options.bulkThreshold ?? 50,
    rateLimit: options.rateLimit ?? { removals: 10_000, windowMs: 10 * 60_000 },
    // Replaced below once deps exist: the default runs bulk jobs here, with the same progress reports.
    bulk: options.bulk ?? {
      run: async (job, onProgress) => ({ results: await inline(job, onProgress), announced: false }),
    },
  };
  const inline = (job: BulkJob, onProgress?: (p: Progress) => void) =>
    executePlan(deps, { ...job, ...(onProgress ? { onProgress } : {}) });
  const dedupeWaitMs = options.dedupeWaitMs ?? 60_000;
  const dedupeTtlMs = options.dedupeTtlMs ?? 24 * 60 * 60_000;
  const commands = options.commands;
  const byName = new Map(commands.map((c) => [c.name, c]));

  async function dispatch(inv: Invocation, opts: RunOptions): Promise<Reply> {
    if ('answer' in inv.input) return answer(inv.input.answer, inv.actor, opts);
    const command = byName.get(inv.command);
    if (!command) {
      return {
        kind: 'usage',
        message: `unknown command /${inv.command}; kickbot knows ${commands.map((c) => `/${c.name}`).join(', ')}`,
      };
    }
    try {
      let raw: unknown;
      if ('text' in inv.input) {
        checkText(inv.input.text);
        raw = command.fromText(tokenize(inv.input.text), inv.input.text);
      } else if ('refs' in inv.input) {
        if (!command.fromRefs) throw new UsageError(`/${command.name} takes text, not ids`);
        raw = command.fromRefs(inv.input.refs);
      } else if (command.fromOptions) {
        raw = command.fromOptions(inv.input.options);
      } else {
        throw new UsageError(`/${command.name} takes text, not options`);
      }
      const parsed = command.args.safeParse(raw);
      if (!parsed.success) {
        const messages = [...new Set(parsed.error.issues.map((issue) => issue.message))];
        return { kind: 'usage', message: messages.join('; '), usage: command.usage };
      }
      return await command.run(parsed.data, context(inv, opts));
    } catch (error) {
      if (error instanceof UsageError)
        return { kind: 'usage', message: error.message, usage: error.usage ?? command.usage };
      throw error;
    }
  }

  function context(inv: Invocation, opts: RunOptions): CommandContext {
    return {
      invocation: inv,
      commands,
      remove: (request) => remove(deps, inv, request, opts),
      leave: (room) => leave(deps, inv, room, opts),
      undo: (caseId) => undo(deps, inv, caseId),
      cases: (user, page) => listCases(deps, inv, user, page),
    };
  }

  async function handle(inv: Invocation, opts: RunOptions = {}): Promise<Handled> {
    try {
      const claim = await deps.store.claimInvocation(inv.id, dedupeTtlMs, inv.fingerprint);
      if (claim.state === 'mismatch') return KEY_REUSED;
      if (claim.state === 'done') return { ...claim.reply, redelivered: true };
      if (claim.state === 'running') {
        const first: Reply = (await deps.store.awaitInvocation(inv.id, dedupeWaitMs)) ?? {
          kind: 'refused',
          code: 'already-running',
          message: 'This command is already running; its result goes to whoever sent it first.',
        };
        return { ...first, redelivered: true };
      }
    } catch (error) {
      if (error instanceof StoreUnavailableError) return STORE_DOWN;
      throw error;
    }
    try {
      const reply = await dispatch(inv, opts);
      await deps.store.completeInvocation(inv.id, reply, dedupeTtlMs).catch((error: unknown) => {
        deps.logger.warn({ err: error, invocation: inv.id }, 'result not kept for redeliveries');
      });
      return reply;
    } catch (error) {
      await deps.store.releaseInvocation(inv.id).catch(() => {});
      if (error instanceof StoreUnavailableError) return STORE_DOWN;
      if (error instanceof ConnectorError) {
        // Only the home platform's lookups get here (another system's trouble fails that system's pairs only).
        deps.logger.warn({ code: error.code, invocation: inv.id }, 'platform unavailable while planning');
        const trouble = describeTrouble(error, inv.platform, options.systems);
        return { kind: 'refused', code: error.code, message: `${trouble.hint}. Nothing was done.` };
      }
      const ref = randomUUID().slice(0, 8);
      deps.logger.error({ err: error, ref, invocation: inv.id, command: inv.command }, 'command failed');
      return {
        kind: 'error',
        ref,
        message: `Sorry, something went wrong (reference ${ref}); nothing more was done.`,
      };
    }
  }

  /** `yes` runs the pending invocation as confirmed; `no` drops it. Anyone but its moderator is refused. */
  async function answer(
    to: { confirmId: string; yes: boolean },
    actor: string,
    opts: RunOptions,
  ): Promise<Reply> {
    const pending = await deps.store.peekPending(to.confirmId);
    if (!pending || pending.expiresAt <= deps.clock.now()) {
      return {
        kind: 'refused',
        code: 'expired',
        message: 'This confirmation has expired or was already answered.',
      };
    }
    if (pending.invocation.actor !== actor) {
      return {
        kind: 'refused',
        code: 'not-yours',
        message: 'Only the moderator who asked can answer this confirmation.',
      };
    }
    const taken = await deps.store.takePending(to.confirmId);
    if (!taken)
      return { kind: 'refused', code: 'expired', message: 'This confirmation was already answered.' };
    if (!to.yes) return { kind: 'info', message: 'Cancelled; nobody was removed.' };
    const confirmed = { ...taken.invocation, id: `${taken.invocation.id}/confirmed`, confirmed: true };
    return handle(confirmed, opts);
  }

  return {
    commands,
    handle,
    bindKey: async (id, fingerprint) =>
      (await deps.store.claimInvocation(id, dedupeTtlMs, fingerprint)).state !== 'mismatch',
    userExists: (user) => deps.connectors.userExists(user),
    executeSlice: (slice) => executePlan(deps, slice),
    announce: (job, results) =>
      announce(deps, {
        action: job.action,
        caseId: job.caseId,
        actor: job.invocation.actor,
        results,
        reasonOf: (r) => job.reasons[r.area ?? ''],
        labels: job.labels,
      }),
  };
}
