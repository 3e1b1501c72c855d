/**
 * The core's public surface: what the fronts, the commands, the jobs, the runtime and the benchmarks use. Nothing
 * outside `src/core/` imports a core file but this one (test/boundary.test.ts checks it).
 */

// Commands, as data (commands/*.ts), and the text grammar they share.
export {
  type CommandDefinition,
  defineCommand,
  type OptionSpec,
  type OptionValues,
  type RemovalBatch,
  type RemovalRequest,
  type Request,
} from './command.js';
export { Connectors } from './connectors.js';
export * from './controls.js';
// Assembling a core, and its one entry point.
export { type Core, type CoreOptions, createCore } from './create-core.js';
export type { RateLimit } from './deps.js';
// The errors: refusals and usage errors the user sees, and system errors.
export * from './errors.js';
export type { Handled } from './handle.js';
export { Identities, type IdentityLinks } from './identities.js';
export * from './ids.js';
// What a front hands in and gets back.
export * from './invocation.js';
export type { PlannedPair } from './judge-pairs.js';
export { type Locks, whileRenewing, withLock } from './locks.js';
export * from './outcomes.js';
export * from './permissions.js';
export type { Directory } from './ports/directory.js';
export type { Remover } from './ports/remover.js';
// The ports: what a system, a store, a clock and a logger provide.
export * from './ports.js';
export { type Progress, progressOf } from './progress.js';
// Bulk jobs (src/jobs runs them on BullMQ).
export type { BulkJob, BulkOutcome, BulkRunner } from './remove/bulk.js';
export type { Execution, JobSlice } from './remove/execute.js';
// The plan on its own (bench/plan.bench.ts).
export { DEFAULT_LIMITS, type Limits } from './remove/limits.js';
export { type PlanDeps, planRemoval } from './remove/plan.js';
export type * from './reply.js';
export * from './systems.js';
export * from './tokens.js';
