import { randomUUID } from 'node:crypto';
import type { RedisOptions } from 'ioredis';
import type { z } from 'zod';
import type {
  AuditQuery,
  AuditRecord,
  CaseEvent,
  Claim,
  Id,
  MarkerWrite,
  PairClaim,
  PairMark,
  PairResult,
  Pending,
  RateResult,
  Reply,
  SettleOptions,
  Store,
} from '../core/index.js';
import { type KeyLayout, keyLayout } from './keys.js';
import { RedisAudit } from './redis-audit.js';
import { CaseNumbers, type EpochState } from './redis-cases.js';
import { createRedisClient } from './redis-client.js';
import { onRedis, whenReady } from './redis-errors.js';
import { RedisInvocations } from './redis-invocations.js';
import { RedisPairs } from './redis-pairs.js';
import { type StoreScripts, withStoreScripts } from './redis-scripts.js';
import type { RedisClient, RedisTarget } from './redis-target.js';
import { PendingSchema } from './schemas.js';

export interface RedisStoreOptions {
  /** Key prefix (default `kickbot`); the layout is in `keys.ts`. */
  prefix?: string;
  /** Called once each time Redis is found to have come back empty, with the highest case number seen before. */
  onDataLost?: (highestCase: number) => void;
}

/**
 * The store for several replicas, on one Redis or a Redis Cluster through ioredis. Built on its own client
 * (`connect`, `fromUrl`: it owns and quits it) or around an injected one (which it never quits). Every multi-step
 * change is one Lua script over keys of one cluster slot (keys.ts).
 */
export class RedisStore implements Store {
  readonly #client: RedisClient & StoreScripts;
  readonly #owns: boolean;
  readonly #k: KeyLayout;
  readonly #cases: CaseNumbers;
  readonly #invocations: RedisInvocations;
  readonly #audit: RedisAudit;
  readonly #pairs: RedisPairs;

  constructor(client: RedisClient, options: RedisStoreOptions & { owns?: boolean } = {}) {
    this.#client = withStoreScripts(client);
    this.#owns = options.owns ?? false;
    this.#k = keyLayout(options.prefix);
    const k = this.#k;
    this.#cases = new CaseNumbers(
      this.#client,
      { epoch: k.spread('epoch'), counter: (workspace) => k.spread('case-counter', workspace) },
      options.onDataLost ?? (() => {}),
    );
    this.#invocations = new RedisInvocations(this.#client, (id) => k.spread('invocation', id));
    this.#audit = new RedisAudit(this.#client, k);
    this.#pairs = new RedisPairs(this.#client, k);
  }

  /** A store on its own client (one server or a cluster); it quits that client on `close()`. */
  static connect(
    target: RedisTarget,
    options: RedisStoreOptions & { client?: RedisOptions } = {},
  ): RedisStore {
    // Connection errors surface as StoreUnavailableError on each call; the client keeps reconnecting.
    const client = createRedisClient(target, 'store', options.client);
    return new RedisStore(client, { ...options, owns: true });
  }

  /** A store on its own client for `url`; it quits that client on `close()`. */
  static fromUrl(url: string, options: RedisStoreOptions & { client?: RedisOptions } = {}): RedisStore {
    return RedisStore.connect({ url }, options);
  }

  get client(): RedisClient {
    return this.#client;
  }

  /** The key layout (prefix, tags) of this store. */
  get keys(): KeyLayout {
    return this.#k;
  }

  /** Resolves true once the client is connected, false if it is not within `timeoutMs`. */
  ready(timeoutMs = 1_000): Promise<boolean> {
    return whenReady(this.#client, timeoutMs);
  }

  #run<T>(call: () => Promise<T>): Promise<T> {
    return onRedis(this.#client, call);
  }

  claimInvocation(id: string, ttlMs: number, fingerprint = ''): Promise<Claim> {
    return this.#invocations.claim(id, ttlMs, fingerprint);
  }

  completeInvocation(id: string, reply: Reply, ttlMs: number): Promise<void> {
    return this.#invocations.complete(id, reply, ttlMs);
  }

  releaseInvocation(id: string): Promise<void> {
    return this.#invocations.release(id);
  }

  awaitInvocation(id: string, timeoutMs: number): Promise<Reply | undefined> {
    return this.#invocations.await(id, timeoutMs);
  }

  async acquireLock(key: string, ttlMs: number): Promise<string | undefined> {
    const token = randomUUID();
    const got = await this.#run(() =>
      this.#client.set(this.#k.ledger('lock', key), token, 'PX', ttlMs, 'NX'),
    );
    return got === 'OK' ? token : undefined;
  }

  claimPair(key: string, ttlMs: number, mark: PairMark, marker?: MarkerWrite): Promise<PairClaim> {
    return this.#pairs.claim(key, ttlMs, mark, marker);
  }

  async extendLock(key: string, token: string, ttlMs: number): Promise<boolean> {
    return (
      (await this.#run(() => this.#client.kickbotExtend(this.#k.ledger('lock', key), token, ttlMs))) === 1
    );
  }

  async releaseLock(key: string, token: string): Promise<boolean> {
    return (await this.#run(() => this.#client.kickbotRelease(this.#k.ledger('lock', key), token))) === 1;
  }

  settlePair(record: AuditRecord, opts: SettleOptions): Promise<number> {
    this.#cases.saw(record.workspace, record.caseId);
    return this.#pairs.settle(record, opts);
  }

  forgetJob(job: string): Promise<void> {
    return this.#pairs.forget(job);
  }

  settledCount(job: string): Promise<number> {
    return this.#pairs.settledCount(job);
  }

  readMarks(job: string): Promise<Map<number, PairResult | 'pending'>> {
    return this.#pairs.readMarks(job);
  }

  async nextCaseId(workspace: string): Promise<number> {
    return this.#run(() => this.#cases.next(workspace));
  }

  /** Writes kickbot's epoch key, or checks it is there still (start, reconnect): `lost` = Redis came back empty. */
  checkEpoch(): Promise<EpochState> {
    return this.#run(() => this.#cases.check());
  }

  async lastCaseId(workspace: string): Promise<number> {
    return Number(await this.#run(() => this.#client.get(this.#k.spread('case-counter', workspace)))) || 0;
  }

  workspaces(): Promise<Id[]> {
    return this.#audit.workspaces();
  }

  appendCaseEvent(workspace: Id, caseId: number, event: CaseEvent, once?: string): Promise<void> {
    return this.#audit.appendEvent(workspace, caseId, event, once);
  }

  readCaseEvents(workspace: Id, caseId: number): Promise<CaseEvent[]> {
    return this.#audit.readEvents(workspace, caseId);
  }

  async setMarker(key: string, value: string, ttlMs: number): Promise<void> {
    await this.#run(() => this.#client.set(this.#k.ledger('marker', key), value, 'PX', Math.max(1, ttlMs)));
  }

  async getMarker(key: string): Promise<string | undefined> {
    return (await this.#run(() => this.#client.get(this.#k.ledger('marker', key)))) ?? undefined;
  }

  async deleteMarker(key: string): Promise<void> {
    await this.#run(() => this.#client.del(this.#k.ledger('marker', key)));
  }

  async appendAudit(records: readonly AuditRecord[], once: string): Promise<void> {
    for (const r of records) this.#cases.saw(r.workspace, r.caseId);
    await this.#audit.append(records, once);
  }

  readAudit(query: AuditQuery): Promise<AuditRecord[]> {
    return this.#audit.read(query);
  }

  async savePending(id: string, pending: Pending, ttlMs: number): Promise<void> {
    await this.#run(() =>
      this.#client.set(this.#k.spread('pending', id), JSON.stringify(pending), 'PX', ttlMs),
    );
  }

  async peekPending(id: string): Promise<Pending | undefined> {
    const raw = await this.#run(() => this.#client.get(this.#k.spread('pending', id)));
    return raw === null ? undefined : parse(PendingSchema, raw);
  }

  async takePending(id: string): Promise<Pending | undefined> {
    const raw = await this.#run(() => this.#client.getdel(this.#k.spread('pending', id)));
    return raw === null ? undefined : parse(PendingSchema, raw);
  }

  async consumeRate(
    key: string,
    amount: number,
    limit: number,
    windowMs: number,
    dryRun = false,
  ): Promise<RateResult> {
    const [ok, used, retryAfterMs] = await this.#run(() =>
      this.#client.kickbotRate(this.#k.spread('rate', key), amount, limit, windowMs, dryRun ? '1' : '0'),
    );
    return ok === 1
      ? { ok: true, used: used ?? 0 }
      : { ok: false, used: used ?? 0, retryAfterMs: retryAfterMs ?? windowMs };
  }

  async paceSlot(key: string, intervalMs: number): Promise<number> {
    return this.#run(() =>
      this.#client.kickbotPace(this.#k.spread('pace', key), Math.max(1, Math.round(intervalMs))),
    );
  }

  async getConfig(key: string): Promise<unknown> {
    const raw = await this.#run(() => this.#client.hget(this.#k.spread('config'), key));
    return raw === null ? undefined : JSON.parse(raw);
  }

  async setConfig(key: string, value: unknown): Promise<void> {
    await this.#run(() => this.#client.hset(this.#k.spread('config'), key, JSON.stringify(value)));
  }

  async ping(): Promise<boolean> {
    try {
      return (await this.#run(() => this.#client.ping())) === 'PONG';
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    if (!this.#owns) return;
    try {
      await this.#client.quit();
    } catch {
      this.#client.disconnect();
    }
  }
}

function parse<T>(schema: z.ZodType<T>, raw: string): T {
  return schema.parse(JSON.parse(raw));
}
