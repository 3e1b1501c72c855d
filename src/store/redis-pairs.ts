import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type {
  AuditRecord,
  MarkerWrite,
  PairClaim,
  PairMark,
  PairResult,
  SettleOptions,
} from '../core/index.js';
import type { KeyLayout } from './keys.js';
import { onRedis } from './redis-errors.js';
import type { StoreScripts } from './redis-scripts.js';
import type { RedisClient } from './redis-target.js';
import { PairResultSchema } from './schemas.js';

const MARKS_TTL_MS = 2 * 24 * 60 * 60_000;

/**
 * The pairs of a bulk job in Redis: claiming one (its lock, its in-flight mark, kickbot's marker) and settling it
 * (its audit record, its result, the lock released, the marker), each one Lua script; and what a resumed job reads.
 */
export class RedisPairs {
  readonly #client: RedisClient & StoreScripts;
  readonly #k: KeyLayout;

  constructor(client: RedisClient & StoreScripts, keys: KeyLayout) {
    this.#client = client;
    this.#k = keys;
  }

  #run<T>(call: () => Promise<T>): Promise<T> {
    return onRedis(this.#client, call);
  }

  async claim(key: string, ttlMs: number, mark: PairMark, marker?: MarkerWrite): Promise<PairClaim> {
    const token = randomUUID();
    const [state, result] = await this.#run(() =>
      this.#client.kickbotClaim(
        this.#k.ledger('lock', key),
        this.#k.ledger('marks', mark.job),
        this.#k.ledger('marker', marker?.key ?? '-'),
        token,
        ttlMs,
        mark.index,
        MARKS_TTL_MS,
        marker?.value ?? '',
        Math.max(1, Math.round(marker?.ttlMs ?? 1)),
      ),
    );
    if (state === 'settled') return { settled: parse(PairResultSchema, result ?? '') as PairResult };
    if (state === 'busy') return result === 'pending' ? { busy: true, inFlight: true } : { busy: true };
    return { token, recovering: state === 'recovering' };
  }

  async settle(record: AuditRecord, opts: SettleOptions): Promise<number> {
    const job = opts.mark?.job ?? '-';
    const { marker } = opts;
    const op = !marker ? '' : marker.value === undefined || marker.ttlMs <= 0 ? 'del' : 'set';
    return this.#run(() =>
      this.#client.kickbotSettle(
        this.#k.ledger('audit'),
        this.#k.ledger('case', record.workspace, record.caseId),
        this.#k.ledger('lock', opts.lock?.key ?? '-'),
        this.#k.ledger('marks', job),
        this.#k.ledger('marks-done', job),
        this.#k.ledger('marker', marker?.key ?? '-'),
        JSON.stringify(record),
        opts.lock?.token ?? '',
        opts.mark ? String(opts.mark.index) : '',
        opts.mark ? JSON.stringify(opts.mark.result) : '',
        MARKS_TTL_MS,
        op,
        marker?.value ?? '',
        Math.max(1, Math.round(marker?.ttlMs ?? 1)),
      ),
    );
  }

  async forget(job: string): Promise<void> {
    await this.#run(() => this.#client.del(this.#k.ledger('marks', job)));
    await this.#run(() => this.#client.del(this.#k.ledger('marks-done', job)));
  }

  async settledCount(job: string): Promise<number> {
    return Number(await this.#run(() => this.#client.get(this.#k.ledger('marks-done', job)))) || 0;
  }

  async readMarks(job: string): Promise<Map<number, PairResult | 'pending'>> {
    const raw = await this.#run(() => this.#client.hgetall(this.#k.ledger('marks', job)));
    return new Map(
      Object.entries(raw).map(([index, value]) => [
        Number(index),
        value === 'pending' ? 'pending' : (parse(PairResultSchema, value) as PairResult),
      ]),
    );
  }
}

function parse<T>(schema: z.ZodType<T>, raw: string): T {
  return schema.parse(JSON.parse(raw));
}
