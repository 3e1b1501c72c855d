import { onRedis } from '../store/redis-errors.js';
import type { RedisClient } from '../store/redis-target.js';
import type { OffboardingRef } from './actions.js';
import { type ScimScripts, withScimScripts } from './redis-scim-scripts.js';
import {
  type ReplaceResult,
  type ScimQuery,
  type ScimStore,
  type ScimUserData,
  type StoredScimUser,
  type Transition,
  userData,
} from './ScimStore.js';
import { indexHint, matcher } from './scim-filter.js';

/** Users read per round trip when a filter has no index to go by. */
const SCAN_PAGE = 200;

/**
 * The SCIM users on Redis, shared by every replica: a hash per user, a hash from lower-case userName to id, a set
 * of ids per externalId, and a sorted set of ids in creation order. Keys are `<prefix>:scim:{scim}:…`: the hash
 * tag puts them all in one Redis Cluster slot, so each change is one Lua script over keys of that slot.
 */
export class RedisScimStore implements ScimStore {
  readonly #client: RedisClient & ScimScripts;
  readonly #p: string;

  constructor(client: RedisClient, options: { prefix?: string } = {}) {
    this.#client = withScimScripts(client);
    this.#p = `${options.prefix ?? 'kickbot'}:scim:{scim}`;
  }

  #user = (id: string) => `${this.#p}:user:${id}`;
  #byUserName = () => `${this.#p}:by-username`;
  #byExternalId = (ext: string) => `${this.#p}:by-externalid:${ext}`;
  #order = () => `${this.#p}:order`;

  #run<T>(call: () => Promise<T>): Promise<T> {
    return onRedis(this.#client, call);
  }

  async create(id: string, data: ScimUserData, at: string): Promise<StoredScimUser | 'taken'> {
    const ext = data.externalId ?? '';
    const got = await this.#run(() =>
      this.#client.kickbotScimCreate(
        this.#user(id),
        this.#byUserName(),
        this.#order(),
        `${this.#p}:seq`,
        this.#byExternalId(ext),
        id,
        data.userName.toLowerCase(),
        ext,
        JSON.stringify(payload(data)),
        data.active ? '1' : '0',
        at,
      ),
    );
    if (got === 'taken') return 'taken';
    return { ...userData(data), id, created: at, lastModified: at, version: 1 };
  }

  async get(id: string): Promise<StoredScimUser | undefined> {
    return fromHash(id, await this.#run(() => this.#client.hgetall(this.#user(id))));
  }

  async list(query: ScimQuery): Promise<{ total: number; users: StoredScimUser[] }> {
    const from = Math.max(query.startIndex, 1) - 1;
    const hint = indexHint(query.filter);
    if (!query.filter) {
      const [total, ids] = await this.#run(async () => [
        await this.#client.zcard(this.#order()),
        query.count > 0
          ? await this.#client.zrange(this.#order(), String(from), String(from + query.count - 1))
          : [],
      ]);
      return { total: total as number, users: await this.#many(ids as string[]) };
    }
    const match = matcher(query.filter);
    const window: StoredScimUser[] = [];
    let total = 0;
    const take = (users: StoredScimUser[]) => {
      for (const user of users.filter(match)) {
        if (total >= from && window.length < query.count) window.push(user);
        total += 1;
      }
    };
    if (hint) {
      take(await this.#many(await this.#indexed(hint)));
      return { total, users: window };
    }
    for (let start = 0; ; start += SCAN_PAGE) {
      const ids = await this.#run(() =>
        this.#client.zrange(this.#order(), String(start), String(start + SCAN_PAGE - 1)),
      );
      take(await this.#many(ids));
      if (ids.length < SCAN_PAGE) return { total, users: window };
    }
  }

  /** The ids an index gives, in creation order. */
  async #indexed(hint: { userName: string } | { externalId: string }): Promise<string[]> {
    if ('userName' in hint) {
      const id = await this.#run(() => this.#client.hget(this.#byUserName(), hint.userName.toLowerCase()));
      return id === null ? [] : [id];
    }
    const ids = await this.#run(() => this.#client.smembers(this.#byExternalId(hint.externalId)));
    if (ids.length < 2) return ids;
    const scores = await this.#run(() => this.#client.zmscore(this.#order(), ...ids));
    return ids
      .map((id, i) => ({ id, score: Number(scores[i] ?? Number.POSITIVE_INFINITY) }))
      .sort((a, b) => a.score - b.score)
      .map((e) => e.id);
  }

  /** The users of these ids, in that order; one deleted meanwhile is left out. */
  async #many(ids: string[]): Promise<StoredScimUser[]> {
    if (ids.length === 0) return [];
    const pipeline = this.#client.pipeline();
    for (const id of ids) pipeline.hgetall(this.#user(id));
    const replies = (await this.#run(() => pipeline.exec())) ?? [];
    return ids.flatMap((id, i) => {
      const [error, hash] = replies[i] ?? [];
      if (error) throw error;
      const user = fromHash(id, hash as Record<string, string>);
      return user ? [user] : [];
    });
  }

  async replace(id: string, data: ScimUserData, ifVersion: number, at: string): Promise<ReplaceResult> {
    const before = await this.#run(() => this.#client.hmget(this.#user(id), 'version', 'ext'));
    if (before[0] === null) return 'gone';
    if (Number(before[0]) !== ifVersion) return 'conflict';
    const oldExt = before[1] ?? '';
    const ext = data.externalId ?? '';
    const [state, transition, undo, ...fields] = await this.#run(() =>
      this.#client.kickbotScimReplace(
        this.#user(id),
        this.#byUserName(),
        this.#byExternalId(ext),
        this.#byExternalId(oldExt),
        id,
        String(ifVersion),
        data.userName.toLowerCase(),
        ext,
        JSON.stringify(payload(data)),
        data.active ? '1' : '0',
        at,
        oldExt,
      ),
    );
    if (state !== 'ok') return state as 'gone' | 'conflict' | 'taken';
    const hash: Record<string, string> = {};
    for (let i = 0; i + 1 < fields.length; i += 2) hash[fields[i] as string] = fields[i + 1] as string;
    const user = fromHash(id, hash);
    if (!user) return 'gone';
    return {
      user,
      transition: (transition || undefined) as Transition,
      ...(undo ? { undo: JSON.parse(undo) as OffboardingRef } : {}),
    };
  }

  async delete(id: string, ifVersion: number): Promise<'deleted' | 'gone' | 'conflict'> {
    const ext = await this.#run(() => this.#client.hget(this.#user(id), 'ext'));
    if (ext === null) return 'gone';
    return this.#run(() =>
      this.#client.kickbotScimDelete(
        this.#user(id),
        this.#byUserName(),
        this.#byExternalId(ext),
        this.#order(),
        id,
        String(ifVersion),
        ext,
      ),
    );
  }

  setOffboarding(
    id: string,
    ref: OffboardingRef,
    deactivatedIn: number,
  ): Promise<'stored' | 'reactivated' | 'gone'> {
    return this.#run(() =>
      this.#client.kickbotScimSetOffboarding(this.#user(id), JSON.stringify(ref), String(deactivatedIn)),
    );
  }
}

/** What the `data` field holds: everything but `active`, which has a field of its own for the scripts. */
function payload(data: ScimUserData): Omit<ScimUserData, 'active'> {
  const { active: _active, ...rest } = userData(data);
  return rest;
}

function fromHash(id: string, hash: Record<string, string> | undefined): StoredScimUser | undefined {
  if (!hash?.data || hash.version === undefined) return undefined;
  const data = JSON.parse(hash.data) as Omit<ScimUserData, 'active'>;
  return {
    ...data,
    active: hash.active === '1',
    id,
    created: hash.created ?? '',
    lastModified: hash.modified ?? '',
    version: Number(hash.version),
    ...(hash.deactivatedIn ? { deactivatedIn: Number(hash.deactivatedIn) } : {}),
    ...(hash.offboarding ? { offboarding: JSON.parse(hash.offboarding) as OffboardingRef } : {}),
  };
}
