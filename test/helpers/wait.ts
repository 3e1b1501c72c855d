/**
 * Waiting in tests, always against a deadline and never for a fixed time: `waitFor` polls a probe (a process,
 * a store), `whenChanged` re-checks on an emitter's `change` event (the fakes emit one whenever they record).
 */
import { setTimeout as delay } from 'node:timers/promises';

/** Polls `probe` until it returns something other than undefined; fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  opts: { timeoutMs?: number; everyMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() >= deadline) throw new Error(`timed out waiting for ${what}`);
    await delay(opts.everyMs ?? 20);
  }
}

/** Anything that says `change` when what `check` reads may have changed. */
export interface Changes {
  on(event: 'change', listener: () => void): unknown;
  off(event: 'change', listener: () => void): unknown;
}

/**
 * Resolves with the first truthy value of `check`, re-checked on every `change` of `source`; after `timeoutMs`
 * fails with `<label>: no <what> within <timeoutMs> ms`.
 */
export function whenChanged<T>(
  source: Changes,
  check: () => T | undefined | null | false,
  opts: { timeoutMs: number; what: string; label: string },
): Promise<T> {
  const first = check();
  if (first) return Promise.resolve(first);
  return new Promise<T>((resolve, reject) => {
    const onChange = () => {
      const value = check();
      if (!value) return;
      clearTimeout(timer);
      source.off('change', onChange);
      resolve(value);
    };
    const timer = setTimeout(() => {
      source.off('change', onChange);
      reject(new Error(`${opts.label}: no ${opts.what} within ${opts.timeoutMs} ms`));
    }, opts.timeoutMs);
    source.on('change', onChange);
  });
}
