import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { type KeyLayout, keyLayout, LEDGER_KINDS, oldLayout } from './keys.js';
import { scanKeys } from './redis-client.js';
import { isCluster, type RedisClient } from './redis-target.js';

/**
 * The one-time move from the layout before hash tags (`kickbot:audit`, `kickbot:case:…`) to the one in keys.ts
 * (`kickbot:{kickbot}:audit`), on a single Redis (a cluster never held the old layout: its scripts would have
 * failed there). RENAME keeps each key's TTL. A key that exists under both names (an old replica kept writing
 * during a rolling upgrade) is merged: lists and the stream appended, hashes filled in, strings kept as new.
 */

/** KEYS: old, new → 0 nothing to move, 1 renamed, 2 merged into the existing new key. Single Redis only. */
const MOVE = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if redis.call('EXISTS', KEYS[2]) == 0 then redis.call('RENAME', KEYS[1], KEYS[2]) return 1 end
local t = redis.call('TYPE', KEYS[1])['ok']
if t == 'list' then
  for _, v in ipairs(redis.call('LRANGE', KEYS[1], 0, -1)) do redis.call('RPUSH', KEYS[2], v) end
elseif t == 'stream' then
  for _, e in ipairs(redis.call('XRANGE', KEYS[1], '-', '+')) do redis.call('XADD', KEYS[2], '*', unpack(e[2])) end
elseif t == 'hash' then
  local h = redis.call('HGETALL', KEYS[1])
  for i = 1, #h, 2 do redis.call('HSETNX', KEYS[2], h[i], h[i + 1]) end
end
redis.call('DEL', KEYS[1])
return 2`;

/** Set once the layout is the new one: later starts only check for an old replica's leftovers. */
const LAYOUT_VERSION = '2';

export interface KeyMigration {
  /** Ledger keys moved (renamed or merged). */
  ledger: number;
  /** Console workspace keys moved. */
  console: number;
}

/** Old name → new name of every key of the old layout that exists now (SCAN, never KEYS). */
async function oldKeys(client: RedisClient, k: KeyLayout): Promise<[string, string][]> {
  const old = oldLayout(k.prefix);
  const moves: [string, string][] = [];
  for (const kind of LEDGER_KINDS) {
    const from = old.ledger(kind);
    const found = await scanKeys(client, `${from}:*`);
    if (kind === 'audit' && (await client.exists(from)) === 1) moves.push([from, k.ledger('audit')]);
    for (const key of found) moves.push([key, `${k.ledger(kind)}:${key.slice(from.length + 1)}`]);
  }
  return moves;
}

/** The console workspaces' keys: `p:console:<name>:seeded|members:<room>|owners:<room>` (not the new `{…}` ones). */
async function oldConsoleKeys(client: RedisClient, k: KeyLayout): Promise<[string, string][]> {
  const base = `${k.prefix}:console:`;
  const moves: [string, string][] = [];
  const seeded = (await scanKeys(client, `${base}*:seeded`)).filter((key) => !key.startsWith(`${base}{`));
  for (const flag of seeded) {
    const name = flag.slice(base.length, -':seeded'.length);
    const from = oldLayout(k.prefix).console(name);
    const to = k.console(name);
    moves.push([flag, `${to}:seeded`]);
    for (const kind of ['members', 'owners']) {
      const found = await scanKeys(client, `${globEscape(from)}:${kind}:*`);
      for (const key of found) moves.push([key, `${to}${key.slice(from.length)}`]);
    }
  }
  return moves;
}

const globEscape = (s: string) => s.replace(/[*?[\]\\]/g, '\\$&');

async function move(client: RedisClient, moves: [string, string][]): Promise<number> {
  let moved = 0;
  for (const [from, to] of moves) moved += (await client.eval(MOVE, 2, from, to)) === 0 ? 0 : 1;
  return moved;
}

/** Whether an old layout may be there: never migrated, or an old replica's audit stream reappeared. */
export async function mayHaveOldLayout(client: RedisClient, prefix: string): Promise<boolean> {
  if (isCluster(client)) return false;
  const version = await client.get(keyLayout(prefix).spread('layout'));
  return version !== LAYOUT_VERSION || (await client.exists(oldLayout(prefix).ledger('audit'))) === 1;
}

/** Moves every old-layout key of `prefix` to its new name (call it under `withMigrationLock`). */
export async function migrateKeys(client: RedisClient, prefix: string): Promise<KeyMigration> {
  const k = keyLayout(prefix);
  const ledger = await move(client, await oldKeys(client, k));
  const console = await move(client, await oldConsoleKeys(client, k));
  await client.set(k.spread('layout'), LAYOUT_VERSION);
  return { ledger, console };
}

/**
 * Runs `step` while holding the migration lock, once among replicas starting together: a replica that finds the
 * lock taken waits for it to be released and then runs nothing (resolves undefined).
 */
export async function withMigrationLock<T>(
  client: RedisClient,
  prefix: string,
  step: () => Promise<T>,
  ttlMs = 5 * 60_000,
): Promise<T | undefined> {
  const lock = keyLayout(prefix).spread('migrate-lock');
  const token = randomUUID();
  if ((await client.set(lock, token, 'PX', ttlMs, 'NX')) !== 'OK') {
    while ((await client.exists(lock)) === 1) await delay(100);
    return undefined;
  }
  try {
    return await step();
  } finally {
    if ((await client.get(lock)) === token) await client.del(lock);
  }
}
