import type { RedisClient } from '../store/redis-target.js';

/**
 * The Lua steps of the Redis SCIM store, each one atomic round trip. Every key carries the `{scim}` hash tag, so a
 * step's keys share one Redis Cluster slot. A user hash holds: data (JSON), active ('1' | '0'), un (lower-case
 * userName), ext (externalId or ''), created, modified, version, and when set deactivatedIn and offboarding (JSON).
 */

/** KEYS: user, by-userName, order, seq, by-externalId set · ARGV: id, un, ext, data, active, at → 'ok' | 'taken' */
const CREATE = `
if redis.call('HEXISTS', KEYS[2], ARGV[2]) == 1 then return 'taken' end
redis.call('HSET', KEYS[2], ARGV[2], ARGV[1])
if ARGV[3] ~= '' then redis.call('SADD', KEYS[5], ARGV[1]) end
redis.call('ZADD', KEYS[3], redis.call('INCR', KEYS[4]), ARGV[1])
redis.call('HSET', KEYS[1], 'data', ARGV[4], 'active', ARGV[5], 'un', ARGV[2], 'ext', ARGV[3],
  'created', ARGV[6], 'modified', ARGV[6], 'version', 1)
return 'ok'`;

/**
 * KEYS: user, by-userName, new externalId set, old externalId set
 * ARGV: id, ifVersion, un, ext, data, active, at, the ext read with ifVersion
 * → {'gone'} | {'conflict'} | {'taken'} | {'ok', transition, undo, field, value, …}
 */
const REPLACE = `
local cur = redis.call('HMGET', KEYS[1], 'version', 'un', 'ext', 'active', 'offboarding')
if not cur[1] then return {'gone'} end
if cur[1] ~= ARGV[2] or cur[3] ~= ARGV[8] then return {'conflict'} end
if cur[2] ~= ARGV[3] then
  local holder = redis.call('HGET', KEYS[2], ARGV[3])
  if holder and holder ~= ARGV[1] then return {'taken'} end
  redis.call('HDEL', KEYS[2], cur[2])
  redis.call('HSET', KEYS[2], ARGV[3], ARGV[1])
end
if cur[3] ~= ARGV[4] then
  if cur[3] ~= '' then redis.call('SREM', KEYS[4], ARGV[1]) end
  if ARGV[4] ~= '' then redis.call('SADD', KEYS[3], ARGV[1]) end
end
local version = tonumber(cur[1]) + 1
local transition, undo = '', ''
if cur[4] == '1' and ARGV[6] == '0' then
  transition = 'deactivated'
  redis.call('HSET', KEYS[1], 'deactivatedIn', version)
  redis.call('HDEL', KEYS[1], 'offboarding')
elseif cur[4] == '0' and ARGV[6] == '1' then
  transition = 'reactivated'
  undo = cur[5] or ''
  redis.call('HDEL', KEYS[1], 'deactivatedIn', 'offboarding')
end
redis.call('HSET', KEYS[1], 'data', ARGV[5], 'active', ARGV[6], 'un', ARGV[3], 'ext', ARGV[4],
  'modified', ARGV[7], 'version', version)
local out = {'ok', transition, undo}
for _, v in ipairs(redis.call('HGETALL', KEYS[1])) do table.insert(out, v) end
return out`;

/** KEYS: user, by-userName, externalId set, order · ARGV: id, ifVersion, the ext read with ifVersion */
const DELETE = `
local cur = redis.call('HMGET', KEYS[1], 'version', 'un', 'ext')
if not cur[1] then return 'gone' end
if cur[1] ~= ARGV[2] or cur[3] ~= ARGV[3] then return 'conflict' end
redis.call('HDEL', KEYS[2], cur[2])
if cur[3] ~= '' then redis.call('SREM', KEYS[3], ARGV[1]) end
redis.call('ZREM', KEYS[4], ARGV[1])
redis.call('DEL', KEYS[1])
return 'deleted'`;

/** KEYS: user · ARGV: offboarding JSON, deactivatedIn → 'stored' | 'reactivated' | 'gone' */
const SET_OFFBOARDING = `
local cur = redis.call('HMGET', KEYS[1], 'version', 'active', 'deactivatedIn')
if not cur[1] then return 'gone' end
if cur[2] == '1' or cur[3] ~= ARGV[2] then return 'reactivated' end
redis.call('HSET', KEYS[1], 'offboarding', ARGV[1])
return 'stored'`;

export type ScimScripts = {
  kickbotScimCreate(...args: string[]): Promise<'ok' | 'taken'>;
  kickbotScimReplace(...args: string[]): Promise<string[]>;
  kickbotScimDelete(...args: string[]): Promise<'deleted' | 'gone' | 'conflict'>;
  kickbotScimSetOffboarding(...args: string[]): Promise<'stored' | 'reactivated' | 'gone'>;
};

export function withScimScripts(client: RedisClient): RedisClient & ScimScripts {
  client.defineCommand('kickbotScimCreate', { numberOfKeys: 5, lua: CREATE });
  client.defineCommand('kickbotScimReplace', { numberOfKeys: 4, lua: REPLACE });
  client.defineCommand('kickbotScimDelete', { numberOfKeys: 4, lua: DELETE });
  client.defineCommand('kickbotScimSetOffboarding', { numberOfKeys: 1, lua: SET_OFFBOARDING });
  return client as RedisClient & ScimScripts;
}
