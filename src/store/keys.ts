/**
 * Every Redis key kickbot writes, in one place, and the hash tags that keep each multi-key step in one Redis
 * Cluster slot (a Lua script or MULTI may only touch keys of one slot). `p` is the deployment's prefix
 * (KICKBOT_REDIS_PREFIX, default `kickbot`); it is inside every tag, so two deployments on one cluster share
 * neither names nor slots.
 *
 * | keys                                             | tag            | written together by                     |
 * |--------------------------------------------------|----------------|-----------------------------------------|
 * | `p:{p}:audit` (stream), `p:{p}:case:<ws>:<n>`,    | `{p}` (ledger) | CLAIM (lock, marks, marker), SETTLE      |
 * | `p:{p}:case-events:<ws>:<n>`, `p:{p}:lock:<k>`,   |                | (audit, case, lock, marks, marks-done,   |
 * | `p:{p}:marks:<job>`, `p:{p}:marks-done:<job>`,    |                | marker), APPEND_ONCE (once, audit,       |
 * | `p:{p}:marker:<k>`, `p:{p}:once:<k>`              |                | cases), EVENT_ONCE (once, case-events)   |
 * | `p:invocation:<id>`, `p:pending:<id>`,            | none: spread   | one key per command (SET NX GET,         |
 * | `p:rate:<k>`, `p:pace:<k>`, `p:config`,           |                | COMPLETE, RATE, PACE, EPOCH, NEXT_CASE,  |
 * | `p:epoch`, `p:case-counter:<ws>`,                 |                | RAISE; epoch and counter are two calls)  |
 * | `p:batch:<b>`, `p:batch-announced:<b>`            |                | (the bulk runner: SET NX, GET, EXISTS)   |
 * | `p:{p:jobs}:bulk:…`, `p:{p:jobs}:timers:…`        | `{p:jobs}`     | BullMQ's own scripts (its prefix)        |
 * | `p:console:{p:<name>}:seeded`, `…:members:<room>`,| `{p:<name>}`   | the console workspace's SEED, REMOVE,    |
 * | `…:owners:<room>`                                 | per workspace  | ADD                                      |
 * | `p:scim:{scim}:…`                                 | `{scim}`       | the SCIM store's scripts                 |
 * | `p:layout`, `p:migrate-lock`                      | none: spread   | the old layout's move (redis-migrate.ts) |
 *
 * The ledger's keys share one slot, so one deployment's ledger writes go to one master: Cluster spreads the
 * rest (invocations, confirmations, counters, queues) and gives failover, not more ledger writes per second.
 * `test/store/key-slots.test.ts` checks every script and multi-key command against this table.
 */

/** The kinds of key written together with the audit stream: they carry the ledger's tag. */
export const LEDGER_KINDS = [
  'audit',
  'case',
  'case-events',
  'lock',
  'marks',
  'marks-done',
  'marker',
  'once',
] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];

type Part = string | number;

/** The key builder of one deployment's prefix. */
export interface KeyLayout {
  readonly prefix: string;
  /** A key of the ledger (one slot): `p:{p}:<kind>:…`. */
  ledger(kind: LedgerKind, ...parts: Part[]): string;
  /** A key on its own (any slot): `p:<kind>:…`. */
  spread(kind: string, ...parts: Part[]): string;
  /** BullMQ's prefix: every queue's keys in one slot of their own. */
  readonly bull: string;
  /** The prefix of a console workspace's keys (one slot per workspace). */
  console(workspace: string): string;
}

/** The layout of `prefix`; a prefix with a brace would move the tags, so it is refused. */
export function keyLayout(prefix = 'kickbot'): KeyLayout {
  if (/[{}]/.test(prefix)) throw new Error(`the Redis key prefix may not contain "{" or "}": ${prefix}`);
  const join = (...parts: Part[]) => parts.join(':');
  return {
    prefix,
    ledger: (kind, ...parts) => join(prefix, `{${prefix}}`, kind, ...parts),
    spread: (kind, ...parts) => join(prefix, kind, ...parts),
    bull: `${prefix}:{${prefix}:jobs}`,
    console: (workspace) => `${prefix}:console:{${prefix}:${workspace}}`,
  };
}

/** The layout before hash tags (kickbot ≤ issue 12), for the one-time migration: `p:<kind>:…` for every kind. */
export const oldLayout = (prefix: string) => ({
  ledger: (kind: LedgerKind) => `${prefix}:${kind}`,
  bull: prefix,
  console: (workspace: string) => `${prefix}:console:${workspace}`,
});
