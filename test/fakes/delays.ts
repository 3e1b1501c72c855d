/** What the fakes of Slack and Discord share: delays a close cuts short, and a queue of one-shot failures. */

/** Sleeps that `wakeAll` ends at once, so that closing a fake never leaves a request hanging. */
export class Delays {
  readonly #pending = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();

  sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const entry = {
        timer: setTimeout(() => {
          this.#pending.delete(entry);
          resolve();
        }, ms),
        resolve,
      };
      this.#pending.add(entry);
    });
  }

  wakeAll(): void {
    for (const entry of this.#pending) {
      clearTimeout(entry.timer);
      entry.resolve();
    }
    this.#pending.clear();
  }
}

/** Takes the first queued injection that matches, using up one of its `times`. */
export function takeInjection<T extends { times: number }>(
  queue: T[],
  matches: (injection: T) => boolean,
): T | undefined {
  const i = queue.findIndex(matches);
  if (i < 0) return undefined;
  const injection = queue[i] as T;
  injection.times--;
  if (injection.times <= 0) queue.splice(i, 1);
  return injection;
}
