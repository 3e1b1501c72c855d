import type { Id } from './ids.js';
import type { Timers } from './ports/timers.js';
import type { BulkRunner } from './remove/bulk.js';
import type { ConfirmDeps } from './remove/confirm.js';
import type { ExecuteDeps } from './remove/execute.js';
import type { PlanDeps } from './remove/plan.js';

export interface RateLimit {
  /** Removals one moderator may make… */
  removals: number;
  /** …in this window. */
  windowMs: number;
}

/** Everything the use cases need, assembled once by `createCore`. */
export interface CoreDeps extends PlanDeps, ExecuteDeps, ConfirmDeps {
  /** A batch removing more than this many pairs runs as a bulk job. */
  bulkThreshold: number;
  bulk: BulkRunner;
  rateLimit: RateLimit;
  /** The rooms the config names for a system that cannot list one person's rooms (offboarding). */
  offboardTargets?: (system: string) => readonly Id[];
  /** Where timed removals wait; undefined: this process cannot keep one (`kickbot run` without Redis). */
  timers?: Timers;
  /** Why `timers` is missing, for the usage error a `--for` gets. */
  noTimers?: string;
  /** The config's `requireReason`: a removal without a reason is a usage error. */
  requireReason: boolean;
  /** The config's `notify.dm`: tell the removed person unless the command says `--no-dm`. */
  dmByDefault: boolean;
}
