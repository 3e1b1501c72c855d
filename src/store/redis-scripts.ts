import type { RedisClient } from './redis-target.js';

/** The Lua steps of the Redis store: each is one atomic round trip. */

/**
 * KEYS: lock, marks, marker · ARGV: token, ttlMs, index, marksTtlMs, marker value ('' = none), marker ttlMs
 * → {'settled', result} | {'busy', 'pending' when an attempt of this job holds the pair} | {'recovering'} | {'ok'}
 * A pending mark whose lock is free was left by an attempt that died (a live attempt keeps its lock renewed).
 */
export const CLAIM = `
local mark = redis.call('HGET', KEYS[2], ARGV[3])
if mark and mark ~= 'pending' then return {'settled', mark} end
if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return {'busy', mark or ''} end
local recovering = mark == 'pending'
redis.call('HSET', KEYS[2], ARGV[3], 'pending')
redis.call('PEXPIRE', KEYS[2], ARGV[4])
if ARGV[5] ~= '' then redis.call('SET', KEYS[3], ARGV[5], 'PX', ARGV[6]) end
if recovering then return {'recovering'} end
return {'ok'}`;

/** KEYS: lock · ARGV: token, ttlMs → 1 extended, 0 not held with this token */
export const EXTEND = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;

/** KEYS: lock · ARGV: token */
export const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * KEYS: audit stream, case list, lock, marks, marks-done counter, marker
 * ARGV: record JSON, token ('' = no lock), index ('' = no mark), result JSON, marksTtlMs,
 *       marker op ('' = none, 'del', 'set'), marker value, marker ttlMs
 */
export const SETTLE = `
if ARGV[2] ~= '' and redis.call('GET', KEYS[3]) == ARGV[2] then redis.call('DEL', KEYS[3]) end
local prev = false
if ARGV[3] ~= '' then prev = redis.call('HGET', KEYS[4], ARGV[3]) end
if prev and prev ~= 'pending' then return tonumber(redis.call('GET', KEYS[5]) or '0') end
redis.call('XADD', KEYS[1], '*', 'r', ARGV[1])
redis.call('RPUSH', KEYS[2], ARGV[1])
if ARGV[6] == 'del' then redis.call('DEL', KEYS[6]) end
if ARGV[6] == 'set' then redis.call('SET', KEYS[6], ARGV[7], 'PX', ARGV[8]) end
if ARGV[3] == '' then return 0 end
redis.call('HSET', KEYS[4], ARGV[3], ARGV[4])
redis.call('PEXPIRE', KEYS[4], ARGV[5])
local done = redis.call('INCR', KEYS[5])
redis.call('PEXPIRE', KEYS[5], ARGV[5])
return done`;

/** KEYS: counter · ARGV: amount, limit, windowMs, dryRun ('1' | '0') → {ok, used, retryAfterMs} */
export const RATE = `
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
local amount = tonumber(ARGV[1])
if used + amount > tonumber(ARGV[2]) then
  local ttl = redis.call('PTTL', KEYS[1])
  if ttl < 0 then ttl = tonumber(ARGV[3]) end
  return {0, used, ttl}
end
if ARGV[4] == '1' then return {1, used, 0} end
local n = redis.call('INCRBY', KEYS[1], amount)
if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
return {1, n, 0}`;

/**
 * KEYS: once, audit stream, then one case list per record · ARGV: onceTtlMs, then the records' JSON.
 * Appends the records unless this `once` key was seen: a write resent after a lost reply adds nothing.
 */
export const APPEND_ONCE = `
if not redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[1]) then return 0 end
for i = 2, #ARGV do
  redis.call('XADD', KEYS[2], '*', 'r', ARGV[i])
  redis.call('RPUSH', KEYS[i + 1], ARGV[i])
end
return 1`;

/** KEYS: once, case events · ARGV: onceTtlMs ('' = no once key), event JSON → 1 appended, 0 seen before */
export const EVENT_ONCE = `
if ARGV[1] ~= '' and not redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[1]) then return 0 end
redis.call('RPUSH', KEYS[2], ARGV[2])
return 1`;

/**
 * KEYS: pace · ARGV: intervalMs → ms to wait. The next free slot is kept in the key; Redis' own clock (TIME) is
 * the one clock every process shares.
 */
export const PACE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local start = math.max(now, tonumber(redis.call('GET', KEYS[1]) or '0'))
local interval = tonumber(ARGV[1])
redis.call('SET', KEYS[1], start + interval, 'PX', start - now + interval)
return start - now`;

/**
 * KEYS: invocation · ARGV: reply JSON, ttlMs. Marks the invocation done with its reply, keeping the fingerprint
 * its claim wrote (so a later claim for another request still sees the mismatch).
 */
export const COMPLETE = `
local prev = redis.call('GET', KEYS[1])
local fp = ''
if prev then
  local ok, state = pcall(cjson.decode, prev)
  if ok and type(state) == 'table' and type(state.fp) == 'string' then fp = state.fp end
end
redis.call('SET', KEYS[1], '{"state":"done","fp":' .. cjson.encode(fp) .. ',"reply":' .. ARGV[1] .. '}', 'PX', ARGV[2])
return 1`;

/**
 * KEYS: epoch · ARGV: the epoch this process knows ('' = none yet), a new one → {state, epoch}. kickbot writes the
 * epoch at start; when it is gone, Redis came back empty: 'lost' (a different one: another process wrote it since).
 */
export const EPOCH = `
local epoch = redis.call('GET', KEYS[1])
local state = 'same'
if not epoch then
  if ARGV[1] == '' then state = 'new' else state = 'lost' end
  if ARGV[1] == '' then epoch = ARGV[2] else epoch = ARGV[1] end
  redis.call('SET', KEYS[1], epoch)
elseif ARGV[1] ~= '' and epoch ~= ARGV[1] then state = 'lost' end
return {state, epoch}`;

/**
 * KEYS: case counter · ARGV: floor → the next case number, above `floor` (the highest this process has seen), so
 * that a counter lost with Redis's data is never reused. One key: Redis Cluster places it anywhere.
 */
export const NEXT_CASE = `
local n = redis.call('INCR', KEYS[1])
local floor = tonumber(ARGV[1])
if n <= floor then
  n = floor + 1
  redis.call('SET', KEYS[1], n)
end
return n`;

/** KEYS: case counter · ARGV: floor → sets the counter to the floor if it is below it (after Redis lost its data). */
export const RAISE = `
local n = tonumber(redis.call('GET', KEYS[1]) or '0')
if n < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], ARGV[1]) end
return n`;

/** The scripts as client methods (ioredis `defineCommand`: EVALSHA, with EVAL when Redis lacks the script). */
export type StoreScripts = {
  kickbotClaim(
    lock: string,
    marks: string,
    marker: string,
    token: string,
    ttl: number,
    index: number,
    marksTtl: number,
    markerValue: string,
    markerTtl: number,
  ): Promise<string[]>;
  kickbotExtend(lock: string, token: string, ttl: number): Promise<number>;
  kickbotRelease(lock: string, token: string): Promise<number>;
  kickbotPace(key: string, intervalMs: number): Promise<number>;
  kickbotComplete(invocation: string, reply: string, ttl: number): Promise<number>;
  kickbotEpoch(epoch: string, known: string, fresh: string): Promise<[string, string]>;
  kickbotRaise(counter: string, floor: number): Promise<number>;
  kickbotNextCase(counter: string, floor: number): Promise<number>;
  kickbotAppendOnce(numKeys: number, ...args: (string | number)[]): Promise<number>;
  kickbotSettle(...args: (string | number)[]): Promise<number>;
  kickbotEventOnce(once: string, events: string, onceTtl: number | '', event: string): Promise<number>;
  kickbotRate(
    key: string,
    amount: number,
    limit: number,
    windowMs: number,
    dryRun: string,
  ): Promise<number[]>;
};

/** Defines the store's scripts on a client (an injected one too: the names are kickbot's own). */
export function withStoreScripts<C extends RedisClient>(client: C): C & StoreScripts {
  client.defineCommand('kickbotClaim', { numberOfKeys: 3, lua: CLAIM });
  client.defineCommand('kickbotRelease', { numberOfKeys: 1, lua: RELEASE });
  client.defineCommand('kickbotExtend', { numberOfKeys: 1, lua: EXTEND });
  client.defineCommand('kickbotSettle', { numberOfKeys: 6, lua: SETTLE });
  client.defineCommand('kickbotRate', { numberOfKeys: 1, lua: RATE });
  client.defineCommand('kickbotAppendOnce', { lua: APPEND_ONCE });
  client.defineCommand('kickbotPace', { numberOfKeys: 1, lua: PACE });
  client.defineCommand('kickbotEventOnce', { numberOfKeys: 2, lua: EVENT_ONCE });
  client.defineCommand('kickbotComplete', { numberOfKeys: 1, lua: COMPLETE });
  client.defineCommand('kickbotEpoch', { numberOfKeys: 1, lua: EPOCH });
  client.defineCommand('kickbotRaise', { numberOfKeys: 1, lua: RAISE });
  client.defineCommand('kickbotNextCase', { numberOfKeys: 1, lua: NEXT_CASE });
  return client as C & StoreScripts;
}
