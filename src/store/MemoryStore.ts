import { randomUUID } from 'node:crypto';
import {
  type AuditQuery,
  type AuditRecord,
  type CaseEvent,
  type Claim,
  type Clock,
  type MarkerWrite,
  type PairClaim,
  type PairMark,
  type PairResult,
  type Pending,
  type RateResult,
  type Reply,
  type SettleOptions,
  type Store,
  systemClock,
} from '../core/index.js';
import { MemoryInvocations } from './memory-invocations.js';
import { MemoryLedger } from './memory-ledger.js';

const MARKS_TTL_MS = 2 * 24 * 60 * 60_000;
const ONCE_TTL_MS = 2 * 24 * 60 * 60_000;

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
  readonly #invocations: MemoryInvocations;
  readonly #locks = new Map<string, Expiring<string>>();
  readonly #ledger = new MemoryLedger();
  readonly #pending = new Map<string, Expiring<Pending>>();
  readonly #config = new Map<string, unknown>();
  readonly #marks = new Map<string, Map<number, PairResult | 'pending'>>();
  readonly #rates = new Map<string, Expiring<number>>();
  readonly #once = new Map<string, Expiring<true>>();
  readonly #paces = new Map<string, Expiring<number>>();
  readonly #marksExpire = new Map<string, number>();
  readonly #markers = new Map<string, Expiring<string>>();
  #writes = 0;

  constructor(options: { clock?: Clock } = {}) {
    this.#clock = options.clock ?? systemClock;
    this.#invocations = new MemoryInvocations(this.#clock);
  }

  #live<T>(map: Map<string, Expiring<T>>, key: string): Expiring<T> | undefined {
    const entry = map.get(key);
    if (entry && entry.expiresAt <= this.#clock.now()) {
      map.delete(key);
      return undefined;
    }
    return entry;
  }

  async claimInvocation(id: string, ttlMs: number, fingerprint = ''): Promise<Claim> {
    return this.#invocations.claim(id, ttlMs, fingerprint);
  }

  async completeInvocation(id: string, reply: Reply, ttlMs: number): Promise<void> {
    this.#sweep();
    this.#invocations.complete(id, reply, ttlMs);
  }

  async releaseInvocation(id: string): Promise<void> {
    this.#invocations.release(id);
  }

  awaitInvocation(id: string, timeoutMs: number): Promise<Reply | undefined> {
    return this.#invocations.await(id, timeoutMs);
  }

  async acquireLock(key: string, ttlMs: number): Promise<string | undefined> {
    if (this.#live(this.#locks, key)) return undefined;
    const token = randomUUID();
    this.#locks.set(key, { value: token, expiresAt: this.#clock.now() + ttlMs });
    return token;
  }

  async claimPair(key: string, ttlMs: number, mark: PairMark, marker?: MarkerWrite): Promise<PairClaim> {
    const marks = this.#jobMarks(mark.job);
    const previous = marks.get(mark.index);
    if (previous !== undefined && previous !== 'pending') return { settled: structuredClone(previous) };
    const token = await this.acquireLock(key, ttlMs);
    if (!token) return previous === 'pending' ? { busy: true, inFlight: true } : { busy: true };
    marks.set(mark.index, 'pending');
    if (marker) this.#writeMarker(marker);
    return { token, recovering: previous === 'pending' };
  }

  async extendLock(key: string, token: string, ttlMs: number): Promise<boolean> {
    const entry = this.#live(this.#locks, key);
    if (entry?.value !== token) return false;
    entry.expiresAt = this.#clock.now() + ttlMs;
    return true;
  }

  #jobMarks(job: string): Map<number, PairResult | 'pending'> {
    let marks = this.#marks.get(job);
    if (!marks) {
      marks = new Map();
      this.#marks.set(job, marks);
      this.#sweep();
    }
    this.#marksExpire.set(job, this.#clock.now() + MARKS_TTL_MS);
    return marks;
  }

  /** Now and then, drops what has expired, so that a long-running process does not keep it for ever. */
  #sweep(): void {
    if (++this.#writes % 256 !== 0) return;
    const now = this.#clock.now();
    this.#invocations.sweep(now);
    for (const map of [this.#locks, this.#pending, this.#rates, this.#once, this.#markers] as Map<
      string,
      Expiring<unknown>
    >[]) {
      for (const [key, entry] of map) if (entry.expiresAt <= now) map.delete(key);
    }
    for (const [job, expiresAt] of this.#marksExpire) {
      if (expiresAt > now) continue;
      this.#marksExpire.delete(job);
      this.#marks.delete(job);
    }
  }

  async settlePair(record: AuditRecord, opts: SettleOptions): Promise<number> {
    if (opts.lock) await this.releaseLock(opts.lock.key, opts.lock.token);
    const marks = opts.mark ? this.#jobMarks(opts.mark.job) : undefined;
    const previous = opts.mark ? marks?.get(opts.mark.index) : undefined;
    if (previous === undefined || previous === 'pending') {
      this.#ledger.append([record]);
      if (opts.mark) marks?.set(opts.mark.index, structuredClone(opts.mark.result));
      if (opts.marker) this.#writeMarker(opts.marker);
    }
    if (!marks) return 0;
    let settled = 0;
    for (const m of marks.values()) if (m !== 'pending') settled++;
    return settled;
  }

  async settledCount(job: string): Promise<number> {
    let settled = 0;
    for (const m of this.#marks.get(job)?.values() ?? []) if (m !== 'pending') settled++;
    return settled;
  }

  async forgetJob(job: string): Promise<void> {
    this.#marks.delete(job);
    this.#marksExpire.delete(job);
  }

  async readMarks(job: string): Promise<Map<number, PairResult | 'pending'>> {
    return structuredClone(this.#marks.get(job) ?? new Map());
  }

  async consumeRate(
    key: string,
    amount: number,
    limit: number,
    windowMs: number,
    dryRun = false,
  ): Promise<RateResult> {
    const now = this.#clock.now();
    const entry = this.#live(this.#rates, key) ?? { value: 0, expiresAt: now + windowMs };
    if (entry.value + amount > limit) {
      return { ok: false, used: entry.value, retryAfterMs: entry.expiresAt - now };
    }
    if (!dryRun) this.#rates.set(key, { value: entry.value + amount, expiresAt: entry.expiresAt });
    return { ok: true, used: dryRun ? entry.value : entry.value + amount };
  }

  async paceSlot(key: string, intervalMs: number): Promise<number> {
    const now = this.#clock.now();
    const start = Math.max(now, this.#live(this.#paces, key)?.value ?? 0);
    this.#paces.set(key, { value: start + intervalMs, expiresAt: start + intervalMs });
    return start - now;
  }

  async ping(): Promise<boolean> {
    return true;
  }

  async releaseLock(key: string, token: string): Promise<boolean> {
    if (this.#live(this.#locks, key)?.value !== token) return false;
    this.#locks.delete(key);
    return true;
  }

  async nextCaseId(workspace: string): Promise<number> {
    return this.#ledger.nextCaseId(workspace);
  }

  async lastCaseId(workspace: string): Promise<number> {
    return this.#ledger.lastCaseId(workspace);
  }

  async workspaces(): Promise<string[]> {
    return this.#ledger.workspaces();
  }

  /** Whether this `once` key is new (then it is remembered): a write resent under it adds nothing. */
  #firstTime(once: string): boolean {
    if (this.#live(this.#once, once)) return false;
    this.#once.set(once, { value: true, expiresAt: this.#clock.now() + ONCE_TTL_MS });
    this.#sweep();
    return true;
  }

  async appendCaseEvent(workspace: string, caseId: number, event: CaseEvent, once?: string): Promise<void> {
    if (once === undefined || this.#firstTime(once)) this.#ledger.appendEvent(workspace, caseId, event);
  }

  async readCaseEvents(workspace: string, caseId: number): Promise<CaseEvent[]> {
    return this.#ledger.readEvents(workspace, caseId);
  }

  #writeMarker(marker: MarkerWrite): void {
    if (marker.value === undefined || marker.ttlMs <= 0) this.#markers.delete(marker.key);
    else this.#markers.set(marker.key, { value: marker.value, expiresAt: this.#clock.now() + marker.ttlMs });
  }

  async setMarker(key: string, value: string, ttlMs: number): Promise<void> {
    this.#sweep();
    this.#markers.set(key, { value, expiresAt: this.#clock.now() + ttlMs });
  }

  async getMarker(key: string): Promise<string | undefined> {
    return this.#live(this.#markers, key)?.value;
  }

  async deleteMarker(key: string): Promise<void> {
    this.#markers.delete(key);
  }

  async appendAudit(records: readonly AuditRecord[], once: string): Promise<void> {
    if (this.#firstTime(once)) this.#ledger.append(records);
  }

  async readAudit(query: AuditQuery): Promise<AuditRecord[]> {
    return this.#ledger.read(query);
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
