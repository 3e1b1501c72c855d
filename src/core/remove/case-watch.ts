import { StoreUnavailableError } from '../errors.js';
import type { Id } from '../ids.js';
import type { Clock } from '../ports/clock-logger.js';
import type { Store } from '../ports/store.js';
import { markFinished, RUNNING_RENEW_MS, renewRunning } from '../running.js';

/** How long a run trusts what it last read about a cancel before it reads the case again. */
const CANCEL_CHECK_MS = 250;

/**
 * What a run of a case's pairs tells other processes and hears from them, beside the pairs themselves: that the
 * case is running (running.ts: what `/kickbot cancel` reads), and whether a cancel came. Both are hints kept in
 * the store; neither is ever a record, so a store that fails here costs the hint, not the run.
 */
export class CaseWatch {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #workspace: Id;
  readonly #caseId: number;
  #runningAt = Number.NEGATIVE_INFINITY;
  #cancelSeen = false;
  #cancelReadAt = Number.NEGATIVE_INFINITY;
  #cancelRead: Promise<boolean> | undefined;

  constructor(deps: { store: Store; clock: Clock }, workspace: Id, caseId: number) {
    this.#store = deps.store;
    this.#clock = deps.clock;
    this.#workspace = workspace;
    this.#caseId = caseId;
  }

  /** The case reads as running while this run has pairs to start: renewed now and then. */
  async running(): Promise<void> {
    if (this.#clock.now() - this.#runningAt < RUNNING_RENEW_MS) return;
    this.#runningAt = this.#clock.now();
    await renewRunning(this.#store, this.#workspace, this.#caseId).catch(() => {});
  }

  /** The whole job is settled: nothing left to cancel. */
  async finished(): Promise<void> {
    await markFinished(this.#store, this.#workspace, this.#caseId).catch(() => {});
  }

  /**
   * Whether `/kickbot cancel` stopped the case (read at most every CANCEL_CHECK_MS; once seen, for good). Callers
   * while a read is out wait for that read, so that no pair starts on the answer from before it.
   */
  cancelled(): Promise<boolean> {
    if (this.#cancelSeen) return Promise.resolve(true);
    if (this.#cancelRead) return this.#cancelRead;
    if (this.#clock.now() - this.#cancelReadAt < CANCEL_CHECK_MS) return Promise.resolve(false);
    this.#cancelReadAt = this.#clock.now();
    this.#cancelRead = this.#store
      .readCaseEvents(this.#workspace, this.#caseId)
      .then(
        (events) => {
          this.#cancelSeen ||= events.some((e) => e.kind === 'cancel');
          return this.#cancelSeen;
        },
        (error: unknown) => {
          if (!(error instanceof StoreUnavailableError)) throw error;
          return this.#cancelSeen;
        },
      )
      .finally(() => {
        this.#cancelRead = undefined;
      });
    return this.#cancelRead;
  }
}
