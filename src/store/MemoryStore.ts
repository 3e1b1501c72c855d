import { randomUUID } from 'node:crypto';
import type { AuditQuery, AuditRecord, Claim, Clock, Pending, Store } from '../core/ports.js';
import { systemClock } from '../core/ports.js';
import type { Reply } from '../core/reply.js';

interface Expiring<T> {
  value: T;
  expiresAt: number;
}

/**
 * The store for one process: everything lives in maps and is gone when the process ends. Several replicas
 * need the Redis store. Values are copied in and out, as a real store would, so callers never share objects.
 */
export class MemoryStore implements Store {
  readonly #clock: Clock;
  readonly #invocations = new Map<string, Expiring<Reply | null>>();
  readonly #locks = new Map<string, Expiring<string>>();
  readonly #cases = new Map<string, number>();
  readonly #audit: AuditRecord[] = [];
  readonly #pending = new Map<string, Expiring<Pending>>();
  readonly #config = new Map<string, unknown>();

  constructor(options: { clock?: Clock } = {}) {
    this.#clock = options.clock ?? systemClock;
  }

  #live<T>(map: Map<string, Expiring<T>>, key: string): Expiring<T> | undefined {
    const entry = map.get(key);
    if (entry && entry.expiresAt <= this.#clock.now()) {
      map.delete(key);
      return undefined;
    }
    return entry;
  }

  async claimInvocation(id: string, ttlMs: number): Promise<Claim> {
    const entry = this.#live(this.#invocations, id);
    if (entry)
      return entry.value === null
        ? { state: 'running' }
        : { state: 'done', reply: structuredClone(entry.value) };
    this.#invocations.set(id, { value: null, expiresAt: this.#clock.now() + ttlMs });
    return { state: 'new' };
  }

  async completeInvocation(id: string, reply: Reply, ttlMs: number): Promise<void> {
    this.#invocations.set(id, { value: structuredClone(reply), expiresAt: this.#clock.now() + ttlMs });
  }

  async releaseInvocation(id: string): Promise<void> {
    this.#invocations.delete(id);
  }

  async acquireLock(key: string, ttlMs: number): Promise<string | undefined> {
    if (this.#live(this.#locks, key)) return undefined;
    const token = randomUUID();
    this.#locks.set(key, { value: token, expiresAt: this.#clock.now() + ttlMs });
    return token;
  }

  async releaseLock(key: string, token: string): Promise<boolean> {
    if (this.#live(this.#locks, key)?.value !== token) return false;
    this.#locks.delete(key);
    return true;
  }

  async nextCaseId(workspace: string): Promise<number> {
    const next = (this.#cases.get(workspace) ?? 0) + 1;
    this.#cases.set(workspace, next);
    return next;
  }

  async appendAudit(records: readonly AuditRecord[]): Promise<void> {
    for (const r of records) this.#audit.push(structuredClone(r));
  }

  async readAudit(query: AuditQuery): Promise<AuditRecord[]> {
    const out: AuditRecord[] = [];
    const limit = query.limit ?? Number.POSITIVE_INFINITY;
    for (let i = this.#audit.length - 1; i >= 0 && out.length < limit; i--) {
      const r = this.#audit[i] as AuditRecord;
      if (r.workspace !== query.workspace) continue;
      if (query.caseId !== undefined && r.caseId !== query.caseId) continue;
      if (query.user !== undefined && r.target !== query.user && r.actor !== query.user) continue;
      out.push(structuredClone(r));
    }
    return out;
  }

  async savePending(id: string, pending: Pending, ttlMs: number): Promise<void> {
    this.#pending.set(id, { value: structuredClone(pending), expiresAt: this.#clock.now() + ttlMs });
  }

  async peekPending(id: string): Promise<Pending | undefined> {
    const entry = this.#live(this.#pending, id);
    return entry ? structuredClone(entry.value) : undefined;
  }

  async takePending(id: string): Promise<Pending | undefined> {
    const entry = this.#live(this.#pending, id);
    this.#pending.delete(id);
    return entry?.value;
  }

  async getConfig(key: string): Promise<unknown> {
    return structuredClone(this.#config.get(key));
  }

  async setConfig(key: string, value: unknown): Promise<void> {
    this.#config.set(key, structuredClone(value));
  }

  async close(): Promise<void> {}
}
