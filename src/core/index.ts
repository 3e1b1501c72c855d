/**
 * The core's public surface: what the fronts, the commands, the jobs, the runtime and the benchmarks use. Nothing
 * outside `src/core/` imports a core file but this one (test/boundary.test.ts checks it).
 *
 * - assembling a core and its one entry point: createCore, Core, CoreOptions, Handled;
 * - what a front hands in and gets back: Invocation, Reply, Progress, outcomes, ids;
 * - commands as data (commands/*.ts) and the text grammar they share: CommandDefinition, Request, tokens;
 * - the ports (Directory, Remover, Store, Clock, Logger) and the registry of directories and removers;
 * - the errors: usage errors and refusals the user sees, and system errors;
 * - bulk jobs (src/jobs runs them on BullMQ), and the plan on its own (bench/plan.bench.ts).
 */

export type { HandRemoval, RoomJoin } from './by-hand.js';
export type { BatchProgress, CaseReads } from './case-reads.js';
export {
  type CaseQuery,
  type CaseSearchPage,
  SEARCH_CASES,
  SEARCH_PAGE,
  SEARCH_RECORDS,
} from './case-search.js';
export { OUTCOME_WORDS } from './cases/format.js';
export { commandText } from './cases/open.js';
export { sinceProblem, sinceTime } from './cases/since.js';
export {
  type CaseStory,
  caseStory,
  describeCommand,
  type Entry as CaseStoryEntry,
  readStory,
  timerData,
} from './cases/story.js';
export { caseView } from './cases/view.js';
export {
  type CommandDefinition,
  defineCommand,
  type OptionSpec,
  type OptionValues,
  type RemovalBatch,
  type RemovalFlags,
  type RemovalRequest,
  type Request,
} from './command.js';
export { ADMIN_ACTOR, Connectors, SCIM_ACTOR, UNKNOWN_ACTOR } from './connectors.js';
export * from './controls.js';
export { type Core, type CoreOptions, createCore, DEFAULT_REJOIN_ALERT_MS } from './create-core.js';
export type { RateLimit } from './deps.js';
export * from './errors.js';
export type { Handled } from './handle.js';
export { Identities, type IdentityLinks } from './identities.js';
export * from './ids.js';
export * from './invocation.js';
export type { PlannedPair } from './judge-pairs.js';
export { type Locks, whileRenewing, withLock } from './locks.js';
export { type PairMarker, readPairMarker, setPairMarker } from './markers.js';
export * from './outcomes.js';
export * from './permissions.js';
export * from './ports/clock-logger.js';
export type { Directory } from './ports/directory.js';
export * from './ports/facts.js';
export * from './ports/metrics.js';
export type { Remover } from './ports/remover.js';
export * from './ports/store.js';
export type { TimedRestore, Timers } from './ports/timers.js';
export { type Progress, progressOf } from './progress.js';
export type { BulkJob, BulkOutcome, BulkRunner } from './remove/bulk.js';
export type { Execution, JobSlice } from './remove/execute.js';
export { DEFAULT_LIMITS, type Limits } from './remove/limits.js';
export { type PlanDeps, planRemoval } from './remove/plan.js';
export type * from './reply.js';
export * from './systems.js';
export * from './tokens.js';
