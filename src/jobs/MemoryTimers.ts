import { type Id, type Logger, silentLogger, type TimedRestore, type Timers } from '../core/index.js';

/** The longest delay `setTimeout` takes (2^31 - 1 ms, about 24.8 days); a longer wait is chained. */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export interface MemoryTimersOptions {
  /** What a due timer calls (`core.fireTimer`). */
  fire: (timer: TimedRestore) => Promise<unknown>;
  /** The time now (ms since the epoch); vitest's fake timers move `Date.now`, the default. */
  now?: () => number;
  logger?: Logger;
}

/**
 * Timed removals in this process (no Redis): a `setTimeout` per case, chained for waits past 2^31 - 1 ms, never
 * keeping the process alive. Lost when the process stops: the banner and the reply say so (`durable: false`).
 */
export class MemoryTimers implements Timers {
  readonly durable = false;
  readonly #pending = new Map<string, ReturnType<typeof setTimeout>>();
  readonly #fire: MemoryTimersOptions['fire'];
  readonly #now: () => number;
  readonly #logger: Logger;

  constructor(options: MemoryTimersOptions) {
    this.#fire = options.fire;
    this.#now = options.now ?? Date.now;
    this.#logger = options.logger ?? silentLogger;
  }

  async schedule(timer: TimedRestore): Promise<void> {
    this.#arm(timer);
  }

  async cancel(workspace: Id, caseId: number): Promise<void> {
    const key = keyOf(workspace, caseId);
    clearTimeout(this.#pending.get(key));
    this.#pending.delete(key);
  }

  /** How many timers wait. */
  get size(): number {
    return this.#pending.size;
  }

  /** Drops every timer (the process is stopping). */
  close(): void {
    for (const handle of this.#pending.values()) clearTimeout(handle);
    this.#pending.clear();
  }

  #arm(timer: TimedRestore): void {
    const key = keyOf(timer.workspace, timer.caseId);
    clearTimeout(this.#pending.get(key));
    const wait = Math.max(0, timer.until - this.#now());
    const handle = setTimeout(
      () => {
        if (wait > MAX_TIMEOUT_MS) return this.#arm(timer); // not yet: wait the rest
        this.#pending.delete(key);
        this.#fire(timer).catch((error: unknown) =>
          this.#logger.error(
            { err: error, workspace: timer.workspace, caseId: timer.caseId },
            'timed restore failed; it will not be tried again in this process',
          ),
        );
      },
      Math.min(wait, MAX_TIMEOUT_MS),
    );
    handle.unref?.();
    this.#pending.set(key, handle);
  }
}

const keyOf = (workspace: Id, caseId: number) => `${workspace}\n${caseId}`;
