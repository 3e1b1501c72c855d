import type { OffboardingRef } from './actions.js';
import {
  type ReplaceResult,
  type ScimQuery,
  type ScimStore,
  type ScimUserData,
  type StoredScimUser,
  transitionOf,
  userData,
} from './ScimStore.js';
import { indexHint, matcher } from './scim-filter.js';

const copy = <T>(value: T): T => structuredClone(value);

/** The SCIM users of one process (no REDIS_URL). Each method runs to its end without yielding, so it is atomic. */
export class MemoryScimStore implements ScimStore {
  /** By id, in creation order. */
  readonly #users = new Map<string, StoredScimUser>();
  /** Lower-case userName → id. */
  readonly #byUserName = new Map<string, string>();

  async create(id: string, data: ScimUserData, at: string): Promise<StoredScimUser | 'taken'> {
    const key = data.userName.toLowerCase();
    if (this.#byUserName.has(key)) return 'taken';
    const user: StoredScimUser = { ...copy(userData(data)), id, created: at, lastModified: at, version: 1 };
    this.#users.set(id, user);
    this.#byUserName.set(key, id);
    return copy(user);
  }

  async get(id: string): Promise<StoredScimUser | undefined> {
    const user = this.#users.get(id);
    return user && copy(user);
  }

  async list(query: ScimQuery): Promise<{ total: number; users: StoredScimUser[] }> {
    const hint = indexHint(query.filter);
    let candidates: Iterable<StoredScimUser> = this.#users.values();
    if (hint && 'userName' in hint) {
      const id = this.#byUserName.get(hint.userName.toLowerCase());
      const user = id === undefined ? undefined : this.#users.get(id);
      candidates = user ? [user] : [];
    }
    const match = query.filter ? matcher(query.filter) : () => true;
    const all = [...candidates].filter(match);
    const from = Math.max(query.startIndex, 1) - 1;
    return { total: all.length, users: all.slice(from, from + query.count).map(copy) };
  }

  async replace(id: string, data: ScimUserData, ifVersion: number, at: string): Promise<ReplaceResult> {
    const before = this.#users.get(id);
    if (!before) return 'gone';
    if (before.version !== ifVersion) return 'conflict';
    const key = data.userName.toLowerCase();
    const holder = this.#byUserName.get(key);
    if (holder !== undefined && holder !== id) return 'taken';
    const { transition, version } = transitionOf(before, data);
    const user: StoredScimUser = {
      ...copy(userData(data)),
      id,
      created: before.created,
      lastModified: at,
      version,
    };
    if (transition === 'deactivated') user.deactivatedIn = version;
    else if (before.deactivatedIn !== undefined && transition !== 'reactivated') {
      user.deactivatedIn = before.deactivatedIn;
    }
    if (transition === undefined && before.offboarding) user.offboarding = before.offboarding;
    this.#byUserName.delete(before.userName.toLowerCase());
    this.#byUserName.set(key, id);
    this.#users.set(id, user);
    const undo = transition === 'reactivated' ? before.offboarding : undefined;
    return { user: copy(user), transition, ...(undo ? { undo: copy(undo) } : {}) };
  }

  async delete(id: string, ifVersion: number): Promise<'deleted' | 'gone' | 'conflict'> {
    const before = this.#users.get(id);
    if (!before) return 'gone';
    if (before.version !== ifVersion) return 'conflict';
    this.#users.delete(id);
    this.#byUserName.delete(before.userName.toLowerCase());
    return 'deleted';
  }

  async setOffboarding(
    id: string,
    ref: OffboardingRef,
    deactivatedIn: number,
  ): Promise<'stored' | 'reactivated' | 'gone'> {
    const user = this.#users.get(id);
    if (!user) return 'gone';
    if (user.active || user.deactivatedIn !== deactivatedIn) return 'reactivated';
    user.offboarding = copy(ref);
    return 'stored';
  }
}
