import type { ExecuteDeps } from './execute.js';
import type { PlanDeps } from './plan.js';

/** Everything the use cases need, assembled once by `createCore`. */
export interface CoreDeps extends PlanDeps, ExecuteDeps {
  /** A batch removing more than this many pairs needs a confirmation. */
  confirmThreshold: number;
  confirmTtlMs: number;
}
