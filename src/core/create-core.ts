import { byHand, type HandRemoval, joined, type RoomJoin } from './by-hand.js';
import { type CaseReads, caseReads } from './case-reads.js';
import type { CommandDefinition } from './command.js';
import { countedHandle } from './command-metrics.js';
import { Connectors } from './connectors.js';
import type { CoreDeps, RateLimit } from './deps.js';
import { createHandle, type Handled } from './handle.js';
import { Identities, type IdentityLinks } from './identities.js';
import type { Id } from './ids.js';
import type { Invocation } from './invocation.js';
import { announce } from './notices.js';
import type { PairResult } from './outcomes.js';
import { DEFAULT_GRANTS, type Grants } from './permissions.js';
import { type Clock, type Logger, silentLogger, systemClock } from './ports/clock-logger.js';
import type { Directory } from './ports/directory.js';
import { type Metrics, noMetrics } from './ports/metrics.js';
import type { Remover } from './ports/remover.js';
import type { Store } from './ports/store.js';
import type { TimedRestore, Timers } from './ports/timers.js';
import type { BulkJob, BulkRunner } from './remove/bulk.js';
import {
  DEFAULT_EXECUTE,
  type ExecuteSettings,
  type Execution,
  executeJob,
  executePlan,
} from './remove/execute.js';
import { DEFAULT_LIMITS, type Limits } from './remove/limits.js';
import type { RunOptions } from './remove/run.js';
import type { Reply } from './reply.js';
import type { Systems } from './systems.js';
import { fireTimer } from './timed.js';

export interface CoreOptions {
  /** The systems people type commands in (Slack, Discord, the console). */
  directories: readonly Directory[];
  /** Every system kickbot removes people from. */
  removers: readonly Remover[];
  store: Store;
  commands: readonly CommandDefinition[];
  clock?: Clock;
  logger?: Logger;
  /** What the core counts (commands, settled pairs, rate-limit waits); default: nothing. */
  metrics?: Metrics;
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
  /** The rooms the config names for a system that cannot list one person's rooms (offboarding). */
  offboardTargets?: (system: string) => readonly Id[];
  /** Where timed removals (`--for`) wait; without it a `--for` is a usage error that says `noTimers`. */
  timers?: Timers;
  noTimers?: string;
  /** The config's `requireReason` (default false). */
  requireReason?: boolean;
  /** The config's `notify.dm` (default false). */
  dmByDefault?: boolean;
  /** How long after a removal a rejoin is told to the mod-log (default 30 days; 0: never). */
  rejoinAlertMs?: number;
}

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
  /** How a moderator types this id in a command on its platform (a front that builds refs from ids uses it). */
  mention(id: Id, kind: 'user' | 'room'): string;
  /** The person with this email address on a platform people type in (identity links, then the platforms). */
  personByEmail(email: string): Promise<Id | undefined>;
  /** Runs a slice of a bulk job (what a worker does with a job it took). */
  executeSlice(slice: Execution): Promise<PairResult[]>;
  /** A timed removal's time is up (what a timer calls): its pairs come back, once per case. */
  fireTimer(timer: TimedRestore): Promise<Reply>;
  /** A removal made by hand in a platform's UI (a front's event): a by-hand case, told to the mod-log. */
  byHand(removal: HandRemoval): Promise<number | undefined>;
  /** Someone joined a room: the mod-log hears of it when kickbot removed them from it lately. */
  joined(join: RoomJoin): Promise<void>;
  /** Posts the room confirmations of a finished bulk job. */
  announce(job: Omit<BulkJob, 'pairs' | 'id'>, results: readonly PairResult[]): Promise<void>;
  /** Cases read without a command (the admin page): search, one case, running batches and their progress. */
  readonly cases: CaseReads;
}

export const DEFAULT_REJOIN_ALERT_MS = 30 * 24 * 60 * 60_000;

/** A core: the options' defaults filled in, the use cases wired to the ports. */
export function createCore(options: CoreOptions): Core {
  const deps: CoreDeps = {
    connectors: new Connectors(
      { directories: options.directories, removers: options.removers },
      new Identities(options.identities),
    ),
    ...(options.areaTargets ? { areaTargets: options.areaTargets } : {}),
    ...(options.systems ? { systems: options.systems } : {}),
    ...(options.offboardTargets ? { offboardTargets: options.offboardTargets } : {}),
    ...(options.timers ? { timers: options.timers } : {}),
    ...(options.noTimers ? { noTimers: options.noTimers } : {}),
    requireReason: options.requireReason ?? false,
    dmByDefault: options.dmByDefault ?? false,
    rejoinAlertMs: options.rejoinAlertMs ?? DEFAULT_REJOIN_ALERT_MS,
    store: options.store,
    clock: options.clock ?? systemClock,
    logger: options.logger ?? silentLogger,
    metrics: options.metrics ?? noMetrics,
    grants: options.grants ?? DEFAULT_GRANTS,
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    settings: { ...DEFAULT_EXECUTE, ...options.execute },
    confirmThreshold: options.confirmThreshold ?? 10,
    confirmTtlMs: options.confirmTtlMs ?? 5 * 60_000,
    bulkThreshold: options.bulkThreshold ?? 50,
    rateLimit: options.rateLimit ?? { removals: 10_000, windowMs: 10 * 60_000 },
    // The default runs bulk jobs here, exactly as a small batch runs (marked per pair, same progress reports).
    bulk: options.bulk ?? {
      run: async (job, onProgress) => ({
        results: await executeJob(deps, job, onProgress),
        announced: false,
      }),
    },
  };
  const dedupeTtlMs = options.dedupeTtlMs ?? 24 * 60 * 60_000;
  const handle = createHandle(deps, {
    commands: options.commands,
    dedupeTtlMs,
    dedupeWaitMs: options.dedupeWaitMs ?? 60_000,
  });

  return {
    commands: options.commands,
    handle: countedHandle(handle, deps.metrics, options.commands),
    bindKey: async (id, fingerprint) =>
      (await deps.store.claimInvocation(id, dedupeTtlMs, fingerprint)).state !== 'mismatch',
    userExists: (user) => deps.connectors.userExists(user),
    mention: (id, kind) => deps.connectors.mention(id, kind),
    personByEmail: (email) => deps.connectors.personByEmail(email),
    executeSlice: (slice) => executePlan(deps, slice),
    fireTimer: (timer) => fireTimer(deps, handle, timer),
    byHand: (removal) => byHand(deps, removal),
    cases: caseReads(deps),
    joined: (join) => joined(deps, join),
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
