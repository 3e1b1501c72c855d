import type { Claim, Clock, Reply } from '../core/index.js';

interface Entry {
  /** The reply, null while the invocation runs. */
  reply: Reply | null;
  /** What was asked (`Store.claimInvocation`). */
  fingerprint: string;
  expiresAt: number;
}

/** The memory store's invocation dedupe: claims, replies kept for redeliveries, and redeliveries waiting on them. */
export class MemoryInvocations {
  readonly #clock: Clock;
  readonly #entries = new Map<string, Entry>();
  readonly #waiters = new Map<string, Set<(reply: Reply | undefined) => void>>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  #live(id: string): Entry | undefined {
    const entry = this.#entries.get(id);
    if (entry && entry.expiresAt <= this.#clock.now()) {
      this.#entries.delete(id);
      return undefined;
    }
    return entry;
  }

  claim(id: string, ttlMs: number, fingerprint: string): Claim {
    const entry = this.#live(id);
    if (entry) {
      if (entry.fingerprint !== fingerprint) return { state: 'mismatch' };
      return entry.reply === null
        ? { state: 'running' }
        : { state: 'done', reply: structuredClone(entry.reply) };
    }
    this.#entries.set(id, { reply: null, fingerprint, expiresAt: this.#clock.now() + ttlMs });
    return { state: 'new' };
  }

  complete(id: string, reply: Reply, ttlMs: number): void {
    const fingerprint = this.#entries.get(id)?.fingerprint ?? '';
    this.#entries.set(id, {
      reply: structuredClone(reply),
      fingerprint,
      expiresAt: this.#clock.now() + ttlMs,
    });
    this.#wake(id, reply);
  }

  release(id: string): void {
    this.#entries.delete(id);
    this.#wake(id, undefined);
  }

  #wake(id: string, reply: Reply | undefined): void {
    for (const wake of this.#waiters.get(id) ?? [])
      wake(reply === undefined ? undefined : structuredClone(reply));
    this.#waiters.delete(id);
  }

  await(id: string, timeoutMs: number): Promise<Reply | undefined> {
    const entry = this.#live(id);
    if (!entry) return Promise.resolve(undefined);
    if (entry.reply !== null) return Promise.resolve(structuredClone(entry.reply));
    return new Promise((resolve) => {
      const waiters = this.#waiters.get(id) ?? new Set();
      const timer = setTimeout(() => {
        waiters.delete(wake);
        resolve(undefined);
      }, timeoutMs);
      timer.unref();
      const wake = (reply: Reply | undefined) => {
        clearTimeout(timer);
        resolve(reply);
      };
      waiters.add(wake);
      this.#waiters.set(id, waiters);
    });
  }

  /** Drops what has expired. */
  sweep(now: number): void {
    for (const [id, entry] of this.#entries) if (entry.expiresAt <= now) this.#entries.delete(id);
  }
}
