import type { Id } from '../ids.js';
import type { Invocation } from '../invocation.js';
import type { PlannedPair } from '../judge-pairs.js';
import type { PairResult } from '../outcomes.js';
import type { Progress } from '../progress.js';

/** Bulk jobs: a batch above the bulk threshold runs through a BulkRunner (BullMQ workers, or in-process). */

export interface BulkJob {
  /** Unique per run of an invocation; a redelivery of the same job id does not run it twice. */
  id: string;
  invocation: Invocation;
  caseId: number;
  action: 'remove' | 'leave' | 'offboard';
  /** The allowed pairs, in plan order. */
  pairs: readonly PlannedPair[];
  labels: Record<Id, string>;
  /** The reason of each area's batch ('' = a batch without an area). */
  reasons: Record<string, string>;
}

export interface BulkOutcome {
  results: PairResult[];
  /** The runner already posted the room confirmations (a worker does, so that they survive the front end). */
  announced: boolean;
}

export interface BulkRunner {
  run(job: BulkJob, onProgress?: (progress: Progress) => void): Promise<BulkOutcome>;
}
