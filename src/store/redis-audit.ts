import type { z } from 'zod';
import type { AuditQuery, AuditRecord, CaseEvent, Id } from '../core/index.js';
import type { KeyLayout } from './keys.js';
import { scanKeys } from './redis-client.js';
import { onRedis } from './redis-errors.js';
import type { StoreScripts } from './redis-scripts.js';
import type { RedisClient } from './redis-target.js';
import { AuditRecordSchema, CaseEventSchema } from './schemas.js';

const ONCE_TTL_MS = 2 * 24 * 60 * 60_000;
const SCAN_CHUNK = 500;

/**
 * The audit log in Redis (DESIGN §6): every record on one stream (`XADD`), and each case's records on a list of
 * their own, so that one case reads without a scan; beside them, each case's events (notes, reasons, timer,
 * cancel) on a list. An append happens once per `once` key (one Lua script).
 */
export class RedisAudit {
  readonly #client: RedisClient & StoreScripts;
  readonly #k: KeyLayout;

  constructor(client: RedisClient & StoreScripts, keys: KeyLayout) {
    this.#client = client;
    this.#k = keys;
  }

  #run<T>(call: () => Promise<T>): Promise<T> {
    return onRedis(this.#client, call);
  }

  async append(records: readonly AuditRecord[], once: string): Promise<void> {
    if (records.length === 0) return;
    const keys = [
      this.#k.ledger('once', once),
      this.#k.ledger('audit'),
      ...records.map((r) => this.#k.ledger('case', r.workspace, r.caseId)),
    ];
    await this.#run(() =>
      this.#client.kickbotAppendOnce(
        keys.length,
        ...keys,
        ONCE_TTL_MS,
        ...records.map((r) => JSON.stringify(r)),
      ),
    );
  }

  /** Every workspace that has had a case (a SCAN of the case counters, on every master of a cluster). */
  async workspaces(): Promise<Id[]> {
    const prefix = this.#k.spread('case-counter', '');
    const keys = await this.#run(() => scanKeys(this.#client, `${prefix}*`));
    return [...new Set(keys.map((k) => k.slice(prefix.length)))];
  }

  async appendEvent(workspace: Id, caseId: number, event: CaseEvent, once?: string): Promise<void> {
    await this.#run(() =>
      this.#client.kickbotEventOnce(
        this.#k.ledger('once', once ?? '-'),
        this.#k.ledger('case-events', workspace, caseId),
        once === undefined ? '' : ONCE_TTL_MS,
        JSON.stringify(event),
      ),
    );
  }

  async readEvents(workspace: Id, caseId: number): Promise<CaseEvent[]> {
    const rows = await this.#run(() =>
      this.#client.lrange(this.#k.ledger('case-events', workspace, caseId), 0, -1),
    );
    return rows.map((json) => parse(CaseEventSchema, json) as CaseEvent);
  }

  async read(query: AuditQuery): Promise<AuditRecord[]> {
    const limit = query.limit ?? Number.POSITIVE_INFINITY;
    const wanted = (r: AuditRecord) =>
      (query.workspace === undefined || r.workspace === query.workspace) &&
      (query.caseId === undefined || r.caseId === query.caseId) &&
      (query.user === undefined || r.target === query.user || r.actor === query.user);
    if (query.caseId !== undefined && query.workspace !== undefined) {
      const rows = await this.#run(() =>
        this.#client.lrange(this.#k.ledger('case', query.workspace as string, query.caseId as number), 0, -1),
      );
      return rows
        .map((json) => parse(AuditRecordSchema, json) as AuditRecord)
        .reverse()
        .filter(wanted)
        .slice(0, limit);
    }
    const out: AuditRecord[] = [];
    let end = '+';
    for (;;) {
      const entries = await this.#run(() =>
        this.#client.xrevrange(this.#k.ledger('audit'), end, '-', 'COUNT', SCAN_CHUNK),
      );
      for (const [, fields] of entries) {
        const r = parse(AuditRecordSchema, fields[1] ?? '') as AuditRecord;
        if (wanted(r)) out.push(r);
        if (out.length >= limit) return out;
      }
      const last = entries.at(-1);
      if (!last || entries.length < SCAN_CHUNK) return out;
      end = `(${last[0]}`;
    }
  }
}

function parse<T>(schema: z.ZodType<T>, raw: string): T {
  return schema.parse(JSON.parse(raw));
}
