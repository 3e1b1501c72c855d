/** How far a removal run has come: what the fronts show while a batch runs. */
export interface Progress {
  done: number;
  total: number;
  /** Removals per second so far. */
  rate: number;
  /** Estimated time left, once there is a rate to go by. */
  etaMs: number | undefined;
  /** The case being run, once it has one (a Cancel button names it). */
  caseId?: number;
}

/**
 * Progress from counts: `done` of `total` pairs, `doneAtStart` of them settled before this run began (a resumed
 * job), after `elapsedMs`. The in-process run and the BullMQ runner both report through this.
 */
export function progressOf(done: number, total: number, doneAtStart: number, elapsedMs: number): Progress {
  const rate = (Math.max(done - doneAtStart, 0) * 1000) / Math.max(elapsedMs, 1);
  const etaMs = done >= total ? 0 : rate > 0 ? ((total - done) / rate) * 1000 : undefined;
  return { done, total, rate, etaMs };
}
