import type { Id } from '../ids.js';

/** A timed removal's restore: when the time is up, the case's pairs come back (`Core.fireTimer`). */
export interface TimedRestore {
  workspace: Id;
  caseId: number;
  /** When (ms since the epoch). */
  until: number;
}

/**
 * Where timed removals wait: BullMQ delayed jobs on Redis (they survive restarts and any replica fires them), or an
 * in-process timer (lost when the process stops; the banner and the reply say so). The implementation calls
 * `Core.fireTimer` when one is due; firing twice is harmless (the restore runs once per case).
 */
export interface Timers {
  /** Whether a timer outlives this process. */
  readonly durable: boolean;
  schedule(timer: TimedRestore): Promise<void>;
  /** Drops a case's timer (an undo came first); nothing when there is none. */
  cancel(workspace: Id, caseId: number): Promise<void>;
}
