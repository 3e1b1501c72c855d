import type { RoomRole } from '../../core/index.js';
import { keyLayout } from '../../store/keys.js';
import { onRedis } from '../../store/redis-errors.js';
import type { RedisClient } from '../../store/redis-target.js';
import type { WorkspaceData } from './workspace-file.js';
import { type ConsoleRoom, initialRooms, type WorkspaceState } from './workspace-state.js';

/**
 * KEYS: seeded flag, then each room's members and owners · ARGV: rooms JSON [{members: [[user, roles csv]], owners}]
 * in the order of KEYS. Every key is passed in KEYS (none is built in Lua), so Redis Cluster knows its slot.
 */
const SEED = `
if redis.call('SET', KEYS[1], '1', 'NX') == false then return 0 end
for i, room in ipairs(cjson.decode(ARGV[1])) do
  for _, m in ipairs(room.members) do redis.call('HSET', KEYS[2 * i], m[1], m[2]) end
  redis.call('SET', KEYS[2 * i + 1], room.owners)
end
return 1`;

/** KEYS: members, owners · ARGV: user → the roles csv it had, or false */
const REMOVE = `
local roles = redis.call('HGET', KEYS[1], ARGV[1])
if not roles then return false end
redis.call('HDEL', KEYS[1], ARGV[1])
if string.find(',' .. roles .. ',', ',owner,', 1, true) then redis.call('DECR', KEYS[2]) end
return roles`;

/** KEYS: members, owners · ARGV: user, roles csv → 1 added, 0 already a member */
const ADD = `
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
if string.find(',' .. ARGV[2] .. ',', ',owner,', 1, true) then redis.call('INCR', KEYS[2]) end
return 1`;

type Scripts = {
  kickbotConsoleSeed(numKeys: number, ...args: string[]): Promise<number>;
  kickbotConsoleRemove(members: string, owners: string, user: string): Promise<string | null>;
  kickbotConsoleAdd(members: string, owners: string, user: string, roles: string): Promise<number>;
};

const csv = (roles: readonly RoomRole[]) => roles.join(',');
const roles = (value: string): RoomRole[] => (value ? (value.split(',') as RoomRole[]) : []);

/**
 * The console workspace's memberships in Redis, so that several `kickbot run` processes (and workers) share one
 * workspace. Seeded from the workspace file, atomically, by whichever process comes first; later edits of the
 * file's memberships do not reach a seeded workspace (its rooms, users and areas are read from the file).
 */
export class RedisWorkspace implements WorkspaceState {
  readonly #client: RedisClient & Scripts;
  readonly #p: string;
  readonly #rooms: Map<string, ConsoleRoom>;
  readonly #seed: string;
  readonly #seedKeys: string[];
  #seeded: Promise<unknown> | undefined;

  constructor(
    client: RedisClient,
    data: WorkspaceData & { name: string },
    options: { prefix?: string } = {},
  ) {
    this.#client = client as RedisClient & Scripts;
    // One hash tag per workspace (keys.ts): its keys share a cluster slot, workspaces spread.
    this.#p = keyLayout(options.prefix).console(data.name);
    client.defineCommand('kickbotConsoleSeed', { lua: SEED });
    client.defineCommand('kickbotConsoleRemove', { numberOfKeys: 2, lua: REMOVE });
    client.defineCommand('kickbotConsoleAdd', { numberOfKeys: 2, lua: ADD });
    const initial = initialRooms(data);
    this.#rooms = new Map(initial.map(({ room }) => [room.id, room]));
    const seed = initial.map(({ members }) => ({
      members: [...members].map(([user, r]) => [user, csv(r)]),
      owners: [...members.values()].filter((r) => r.includes('owner')).length,
    }));
    this.#seed = JSON.stringify(seed);
    this.#seedKeys = [
      `${this.#p}:seeded`,
      ...initial.flatMap(({ room }) => [this.#members(room.id), this.#owners(room.id)]),
    ];
  }

  /** Seeds once per process (atomically once per workspace); a failed try (Redis away) is tried again later. */
  #ready(): Promise<unknown> {
    this.#seeded ??= this.#client
      .kickbotConsoleSeed(this.#seedKeys.length, ...this.#seedKeys, this.#seed)
      .catch((error) => {
        this.#seeded = undefined;
        throw error;
      });
    return this.#seeded;
  }

  #members(room: string) {
    return `${this.#p}:members:${room}`;
  }

  #owners(room: string) {
    return `${this.#p}:owners:${room}`;
  }

  /** A call on Redis once the workspace is seeded; a lost connection is `StoreUnavailableError`. */
  #call<T>(call: () => Promise<T>): Promise<T> {
    return onRedis(this.#client, async () => {
      await this.#ready();
      return call();
    });
  }

  async room(id: string) {
    const room = this.#rooms.get(id);
    if (!room) return undefined;
    const owners = await this.#call(() => this.#client.get(this.#owners(id)));
    return { ...room, owners: Number(owners ?? 0) };
  }

  async rooms() {
    return [...this.#rooms.values()].map((r) => ({ ...r }));
  }

  async members(room: string, users: readonly string[]) {
    const out = new Map<string, RoomRole[]>();
    if (!this.#rooms.has(room) || users.length === 0) return out;
    const values = await this.#call(() => this.#client.hmget(this.#members(room), ...users));
    values.forEach((value, i) => {
      if (value !== null) out.set(users[i] as string, roles(value));
    });
    return out;
  }

  async allMembers(room: string) {
    const all = await this.#call(() => this.#client.hgetall(this.#members(room)));
    return new Map(Object.entries(all).map(([user, value]) => [user, roles(value)]));
  }

  async removeMember(room: string, user: string) {
    const had = await this.#call(() =>
      this.#client.kickbotConsoleRemove(this.#members(room), this.#owners(room), user),
    );
    return had === null ? undefined : roles(had);
  }

  async addMember(room: string, user: string, r: readonly RoomRole[]) {
    if (!this.#rooms.has(room)) return false;
    const added = await this.#call(() =>
      this.#client.kickbotConsoleAdd(this.#members(room), this.#owners(room), user, csv(r)),
    );
    return added === 1;
  }
}
