import type { Id } from '../ids.js';
import type { PairResult, Tally } from '../outcomes.js';

/** What an offboarding's answer carries of its pairs: every one counted, a bounded number listed. */

/** Adds one tally into another. */
export const add = (into: Tally, t: Tally) => {
  for (const k of Object.keys(t) as (keyof Tally)[]) into[k] += t[k];
};

/**
 * The pairs an answer lists, at most `max`, in the order they ran; once full, a problem takes the place of the
 * latest pair that went well, so that every problem is listed before any success. Their labels; how many were left out.
 */
export class Listed {
  readonly #results: PairResult[] = [];
  #fine = 0;
  readonly labels: Record<Id, string> = {};
  left = 0;

  constructor(readonly max: number) {}

  add(results: readonly PairResult[], labels: Readonly<Record<Id, string>>): void {
    for (const r of results) {
      const problem = r.outcome !== 'removed' && r.outcome !== 'not_member';
      if (this.#results.length >= this.max) {
        this.left++;
        if (!problem || this.#fine === 0) continue;
        const at = this.#results.findLastIndex((x) => x.outcome === 'removed' || x.outcome === 'not_member');
        this.#results.splice(at, 1);
        this.#fine--;
      }
      this.#results.push(r);
      if (!problem) this.#fine++;
      for (const id of [r.room, r.user]) if (labels[id] !== undefined) this.labels[id] ??= labels[id];
    }
  }

  get results(): PairResult[] {
    return this.#results;
  }
}
