import {
  ConnectorError,
  type Id,
  type Logger,
  localOf,
  type Membership,
  type Metrics,
  type RemovalTarget,
  type RemoveResult,
  type Remover,
  type RestoreResult,
  type RoomInfo,
  type RoomRole,
} from '../../core/index.js';
import { JsonHttp, type JsonRequest, type JsonResponse } from '../seed/http.js';
import { failedBy } from '../seed/statuses.js';
import { badAnswer, type DocSpaceGroup, groupOf, refusal, refusalError } from './answers.js';
import { isUuid } from './ids.js';

export interface DocSpaceOptions {
  /** The portal (`https://example.onlyoffice.com`); the paths start at `/api/2.0`. */
  url: string;
  /** An API key allowed to edit groups; sent as the bare `Authorization` header, as DocSpace's own samples do. */
  apiKey: string;
  logger: Logger;
  /** Where its API calls, failures and rate-limit waits are recorded. */
  metrics?: Metrics;
  timeoutMs?: number;
}

type Lookup = { ok: true; group: DocSpaceGroup; members: string[] } | { ok: false; status: number };

/** Fits both result types: a removal's and an undo's. */
type Failure = { outcome: 'failed'; code: string; hint?: string };

/** An id that is no UUID names nobody in DocSpace; saying so beats a silent `not_member` for a config typo. */
function notUuid(user: string): Failure {
  return { outcome: 'failed', code: 'user-not-found', hint: `${user} is not a DocSpace user id (a UUID)` };
}

/**
 * ONLYOFFICE DocSpace groups (`docspace:<group uuid>` rooms, `docspace:<user uuid>` users), through
 * `DELETE /api/2.0/group/{id}/members` with the body `{members:[…]}` and its sibling PUT to undo.
 *
 * DocSpace skips ids that are not members without a word and answers the group as it is afterwards, so the
 * outcome of each target comes from comparing the group before (a GET) with the group the DELETE answers:
 * there is no other way to tell `removed` from `not_member`, or to notice a member DocSpace kept.
 */
export class DocSpaceConnector implements Remover {
  readonly system = 'docspace';
  readonly batch = { size: 1000, remove: (targets: readonly RemovalTarget[]) => this.#removeMany(targets) };
  readonly #http: JsonHttp;
  readonly #apiKey: string;
  readonly #logger: Logger;

  constructor(options: DocSpaceOptions) {
    this.#http = new JsonHttp(options.url, 'docspace', {
      metrics: options.metrics,
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      secrets: [{ value: options.apiKey, as: '[api key]' }],
    });
    this.#apiKey = options.apiKey;
    this.#logger = options.logger.child({ connector: 'docspace' });
  }

  async room(id: Id): Promise<RoomInfo | undefined> {
    const group = localOf(id);
    const found = await this.#lookup(group);
    if (!found.ok) {
      if (found.status === 404) return undefined;
      throw refusalError(found.status, group);
    }
    const { name } = found.group;
    return { id, name, type: 'group', owners: 0, label: `DocSpace group ${name}` };
  }

  /** Group members hold no roles in DocSpace: membership is all there is. */
  async members(room: Id, users: readonly Id[]): Promise<Map<Id, Membership>> {
    const group = localOf(room);
    const found = await this.#lookup(group);
    if (!found.ok) {
      if (found.status === 404) return new Map();
      throw refusalError(found.status, group);
    }
    const members = new Set(found.members);
    return new Map(
      users.filter((u) => members.has(localOf(u).toLowerCase())).map((u) => [u, { roles: [] }] as const),
    );
  }

  async remove(target: RemovalTarget): Promise<RemoveResult> {
    const [result] = await this.#removeMany([target]);
    return result as RemoveResult;
  }

  /**
   * One GET and at most one DELETE per group, groups one after the other; results in the order of `targets`.
   * Once a group has changed, a later group's error no longer throws: the core would retry the whole call, and
   * the retry would read the users already removed as `not_member`. That group and the ones after it fail with
   * the error's code instead.
   */
  async #removeMany(targets: readonly RemovalTarget[]): Promise<RemoveResult[]> {
    const byGroup = new Map<string, { group: string; indexes: number[] }>();
    for (const [i, t] of targets.entries()) {
      const group = localOf(t.room);
      const key = group.toLowerCase();
      const entry = byGroup.get(key) ?? { group, indexes: [] };
      entry.indexes.push(i);
      byGroup.set(key, entry);
    }
    const results: RemoveResult[] = [];
    let changed = false;
    let broken: ConnectorError | undefined;
    for (const { group, indexes } of byGroup.values()) {
      const users = indexes.map((i) => localOf((targets[i] as RemovalTarget).user));
      const stop = broken;
      let answer: { results: RemoveResult[]; changed: boolean };
      if (stop) answer = { results: users.map(() => failedBy(stop)), changed: false };
      else {
        try {
          answer = await this.#removeFromGroup(group, users);
        } catch (error) {
          if (!changed || !(error instanceof ConnectorError)) throw error;
          broken = error;
          this.#logger.warn({ group, code: error.code }, 'docspace: error after a change; not retrying');
          answer = { results: users.map(() => failedBy(error)), changed: false };
        }
      }
      changed ||= answer.changed;
      for (const [k, i] of indexes.entries()) results[i] = answer.results[k] as RemoveResult;
    }
    return results;
  }

  /**
   * The body lists only the targets the group had before, so that the request removes exactly what the results
   * report (someone who joined between the GET and the DELETE stays); with none of them in it, nothing is sent.
   */
  async #removeFromGroup(
    group: string,
    users: readonly string[],
  ): Promise<{ results: RemoveResult[]; changed: boolean }> {
    const before = await this.#lookup(group);
    if (!before.ok) {
      const r = refusal(before.status, group);
      return { results: users.map(() => r), changed: false };
    }
    const had = new Set(before.members);
    const wanted = users.map((u) => u.toLowerCase());
    const members = [...new Set(wanted.filter((u) => had.has(u)))];
    const early = (u: string): RemoveResult | undefined => {
      if (!isUuid(u)) return notUuid(u);
      if (!had.has(u.toLowerCase())) return { outcome: 'not_member' };
      return undefined;
    };
    if (members.length === 0) return { results: users.map((u) => early(u) as RemoveResult), changed: false };

    const res = await this.#call({
      method: 'DELETE',
      path: `${groupPath(group)}/members`,
      route: '/api/2.0/group/:id/members',
      body: { members },
    });
    let after: string[] | undefined;
    let failure: RemoveResult | undefined;
    if (res.status !== 200) failure = refusal(res.status, group);
    else {
      after = groupOf(res.body)?.members;
      if (!after) {
        // Some portals answer `response: true`: the group as it is now tells what happened.
        // The DELETE went through, so an error here is this group's result, not something to retry.
        try {
          const now = await this.#lookup(group);
          if (now.ok) after = now.members;
          else failure = refusal(now.status, group);
        } catch (error) {
          if (!(error instanceof ConnectorError)) throw error;
          failure = failedBy(error);
        }
      }
    }
    this.#logger.debug({ group, members: members.length, status: res.status }, 'docspace: removal answered');
    const left = new Set(after ?? []);
    const results = users.map((u): RemoveResult => {
      const known = early(u);
      if (known) return known;
      if (failure) return failure;
      if (!left.has(u.toLowerCase())) return { outcome: 'removed' };
      this.#logger.warn({ group, user: u }, 'docspace: still a member after the removal');
      return { outcome: 'failed', code: 'not-removed', hint: 'DocSpace kept the user in the group' };
    });
    return { results, changed: res.status === 200 };
  }

  /** `PUT /api/2.0/group/{id}/members` ("add group members"), unless the user is in the group already. Group
   * members hold no roles, so there are none to give back. */
  async restore(target: RemovalTarget, _roles?: readonly RoomRole[]): Promise<RestoreResult> {
    const group = localOf(target.room);
    const user = localOf(target.user);
    if (!isUuid(user)) return notUuid(user);
    const before = await this.#lookup(group);
    if (!before.ok) return restoreRefusal(before.status, group);
    if (before.members.includes(user.toLowerCase())) return { outcome: 'already_member' };
    const res = await this.#call({
      method: 'PUT',
      path: `${groupPath(group)}/members`,
      route: '/api/2.0/group/:id/members',
      body: { members: [user] },
    });
    if (res.status !== 200) return restoreRefusal(res.status, group);
    const after = groupOf(res.body)?.members;
    if (after && !after.includes(user.toLowerCase())) {
      return {
        outcome: 'failed',
        code: 'not-restored',
        hint: 'DocSpace did not add the user back to the group',
      };
    }
    return { outcome: 'restored' };
  }

  /**
   * The group with its members. `includeMembers=true` as in DocSpace's "get a group with members" sample: the
   * member list is what every method here reads.
   */
  async #lookup(group: string): Promise<Lookup> {
    const res = await this.#call({
      method: 'GET',
      path: groupPath(group),
      route: '/api/2.0/group/:id',
      query: { includeMembers: 'true' },
    });
    if (res.status !== 200) return { ok: false, status: res.status };
    const found = groupOf(res.body);
    if (!found?.members) throw badAnswer(`GET group ${group} without the group and its members`);
    return { ok: true, group: found, members: found.members };
  }

  #call(req: Omit<JsonRequest, 'headers'>): Promise<JsonResponse> {
    return this.#http.request({ ...req, headers: { authorization: this.#apiKey } });
  }
}

function groupPath(group: string): string {
  return `/api/2.0/group/${encodeURIComponent(group)}`;
}

/** Undo has no `denied`: a refusal is a failure there. */
function restoreRefusal(status: number, group: string): RestoreResult {
  const { code, hint } = refusal(status, group);
  return { outcome: 'failed', code, hint };
}
