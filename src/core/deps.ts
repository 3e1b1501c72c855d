import type { BulkRunner } from './bulk.js';
import type { ExecuteDeps } from './execute.js';
import type { PlanDeps } from './plan.js';

export interface RateLimit {
  /** Removals one moderator may make… */
  removals: number;
  /** …in this window. */
  windowMs: number;
}

/** Everything the use cases need, assembled once by `createCore`. */
export interface CoreDeps extends PlanDeps, ExecuteDeps {
  /** A batch removing more than this many pairs needs a confirmation. */
  confirmThreshold: number;
  confirmTtlMs: number;
  /** A batch removing more than this many pairs runs as a bulk job. */
  bulkThreshold: number;
  bulk: BulkRunner;
  rateLimit: RateLimit;
}
