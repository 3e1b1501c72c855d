/** Values kept for a while, and loaded once however many callers ask at the same time. */
export class TtlCache<T> {
  readonly #entries = new Map<string, { value: Promise<T>; expiresAt: number }>();

  constructor(
    readonly ttlMs: number,
    readonly now: () => number = Date.now,
  ) {}

  get(key: string, load: () => Promise<T>): Promise<T> {
    const entry = this.#entries.get(key);
    if (entry && entry.expiresAt > this.now()) return entry.value;
    const value = load();
    this.#entries.set(key, { value, expiresAt: this.now() + this.ttlMs });
    value.catch(() => this.#entries.delete(key)); // a failed load is not kept
    if (this.#entries.size > 10_000) this.#sweep();
    return value;
  }

  /** The live value of `key`, without loading it. */
  peek(key: string): Promise<T> | undefined {
    const entry = this.#entries.get(key);
    return entry && entry.expiresAt > this.now() ? entry.value : undefined;
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }

  #sweep(): void {
    const now = this.now();
    for (const [key, entry] of this.#entries) if (entry.expiresAt <= now) this.#entries.delete(key);
  }
}
