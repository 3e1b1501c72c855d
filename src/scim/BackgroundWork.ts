/**
 * Work that runs after the answer was sent (offboarding takes minutes, an identity provider waits seconds). Each
 * task's failure is its own to log; `settled()` lets tests and shutdown wait for what was started.
 */
export class BackgroundWork {
  readonly #running = new Set<Promise<void>>();

  /** Starts `task` now; a rejection is swallowed here (the task logs its own failures). */
  run(task: () => Promise<void>): void {
    const promise = Promise.resolve()
      .then(task)
      .catch(() => {})
      .finally(() => this.#running.delete(promise));
    this.#running.add(promise);
  }

  /** Resolves once every task started so far, and every task those started, is done. */
  async settled(): Promise<void> {
    while (this.#running.size > 0) await Promise.all([...this.#running]);
  }
}
