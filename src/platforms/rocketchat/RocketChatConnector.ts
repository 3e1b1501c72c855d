import {
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
import { JsonHttp } from '../seed/http.js';
import { TtlCache } from '../ttl-cache.js';
import {
  failureOf,
  lookupError,
  type RcFailure,
  removeOutcome,
  restoreOutcome,
  roomGone,
  type Step,
} from './answers.js';

export interface RocketChatOptions {
  /** The server, `https://chat.example.com`. */
  url: string;
  /** The account kickbot acts as (its `X-User-Id`), and that account's personal access token. */
  userId: string;
  token: string;
  /** The config's area targets: a `type` spares asking Rocket.Chat which API a room needs. */
  targets?: readonly { room: string; type?: 'private' | 'public' }[];
  logger: Logger;
  /** Where its API calls, failures and rate-limit waits are recorded. */
  metrics?: Metrics;
  timeoutMs?: number;
}

/** A private group (`t: 'p'`) is reached through `groups.*`, a public channel (`t: 'c'`) through `channels.*`. */
type Kind = 'private' | 'public';
const API: Record<Kind, 'groups' | 'channels'> = { private: 'groups', public: 'channels' };
const KIND_OF: Record<string, Kind> = { p: 'private', c: 'public' };

/** What a room is to kickbot: a group or channel, another type (`t`), or why Rocket.Chat would not say. */
type Typed = { kind: Kind } | { t: string } | { failure: RcFailure };

type Answer = { ok: true; body: unknown } | { ok: false; failure: RcFailure };

interface RcRoom {
  t?: string;
  name?: string;
  fname?: string;
}

/** How long a room's type is trusted: an owner can turn a private group into a public channel. */
const TYPE_TTL_MS = 60_000;
/** Members per page: Rocket.Chat's default upper count limit (`API_Upper_Count_Limit`). */
const PAGE = 100;

const isRoomRole = (role: unknown): role is RoomRole => role === 'owner' || role === 'moderator';

function otherRoomHint(t: string | undefined): string {
  return t === 'd'
    ? 'nobody can be removed from a Rocket.Chat direct message'
    : `kickbot removes people from Rocket.Chat channels and private groups only (this room's type is '${t ?? '?'}')`;
}

function configuredHint(kind: Kind): string {
  const what = kind === 'private' ? 'private group' : 'public channel';
  return `Rocket.Chat knows no such ${what} that kickbot's account can access: check the target's type in the config, and that the account is in the room`;
}

/**
 * Rocket.Chat over its REST API (anchors §1): `groups.kick` / `channels.kick` for others, `rooms.leave` for
 * kickbot's own account (the token is that account's, so it can only leave), `*.invite` and `*.addOwner` /
 * `*.addModerator` to undo. Rocket.Chat decides who may kick (`remove-user` in the room's scope); kickbot maps
 * its answers to outcomes. One caveat of Rocket.Chat's own rules: an account holding `kick-user-from-any-c-room`
 * (admins) gets a success for kicking a non-member from a public channel, so such a removal is only as exact as
 * the membership lookup the core makes before it (`members`).
 */
export class RocketChatConnector implements Remover {
  readonly system = 'rocketchat';

  readonly #http: JsonHttp;
  readonly #headers: Record<string, string>;
  readonly #userId: string;
  readonly #configured: Map<string, Kind>;
  readonly #types = new TtlCache<Typed>(TYPE_TTL_MS);
  readonly #log: Logger;

  constructor(opts: RocketChatOptions) {
    this.#http = new JsonHttp(opts.url, 'rocketchat', {
      metrics: opts.metrics,
      ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
      secrets: [{ value: opts.token, as: '…' }],
    });
    this.#headers = { 'X-Auth-Token': opts.token, 'X-User-Id': opts.userId };
    this.#userId = opts.userId;
    this.#configured = new Map(
      (opts.targets ?? []).flatMap((t) => (t.type ? [[t.room, t.type] as const] : [])),
    );
    this.#log = opts.logger.child({ connector: 'rocketchat' });
  }

  async room(id: Id): Promise<RoomInfo | undefined> {
    const rid = localOf(id);
    const info = await this.#info(rid);
    if ('failure' in info) {
      if (roomGone(info.failure)) return undefined;
      throw lookupError(info.failure, 'rooms.info');
    }
    const name = info.room.fname || info.room.name || rid;
    const base = { id, name, label: `Rocket.Chat #${name}` };
    const kind = KIND_OF[info.room.t ?? ''];
    if (kind) {
      const roles = await this.#roomRoles(rid, kind);
      if (!(roles instanceof Map)) throw lookupError(roles, `${API[kind]}.roles`);
      const owners = [...roles.values()].filter((r) => r.includes('owner')).length;
      return { ...base, type: kind, owners };
    }
    if (info.room.t === 'd') return { ...base, type: 'direct', owners: 0 };
    return {
      ...base,
      type: 'private',
      owners: 0,
      unsupported: { code: 'room-type', hint: otherRoomHint(info.room.t) },
    };
  }

  async members(room: Id, users: readonly Id[]): Promise<Map<Id, Membership>> {
    const out = new Map<Id, Membership>();
    if (users.length === 0) return out;
    const rid = localOf(room);
    const typed = await this.#typeOf(rid);
    if ('failure' in typed) {
      if (roomGone(typed.failure)) return out;
      throw lookupError(typed.failure, 'rooms.info');
    }
    if (!('kind' in typed)) return out; // a direct message: nobody kickbot could remove
    const found = await this.#memberIds(rid, typed.kind, new Set(users.map(localOf)));
    if (!(found instanceof Set)) {
      if (roomGone(found)) return out;
      throw lookupError(found, `${API[typed.kind]}.members`);
    }
    if (found.size === 0) return out;
    const roles = await this.#roomRoles(rid, typed.kind);
    if (!(roles instanceof Map)) throw lookupError(roles, `${API[typed.kind]}.roles`);
    for (const user of users) {
      const local = localOf(user);
      if (found.has(local)) out.set(user, { roles: roles.get(local) ?? [] });
    }
    return out;
  }

  async remove(target: RemovalTarget): Promise<RemoveResult> {
    const rid = localOf(target.room);
    const uid = localOf(target.user);
    if (uid === this.#userId) {
      const left = await this.#call('POST', '/api/v1/rooms.leave', { body: { roomId: rid } });
      return left.ok ? { outcome: 'removed' } : removeOutcome(left.failure, 'leave');
    }
    const typed = await this.#typeOf(rid);
    if ('failure' in typed) return removeOutcome(typed.failure, 'kick-p');
    if (!('kind' in typed))
      return { outcome: 'unsupported', code: 'room-type', hint: otherRoomHint(typed.t) };
    let kind = typed.kind;
    let kicked = await this.#kick(kind, rid, uid);
    if (!kicked.ok && roomGone(kicked.failure)) {
      const configured = this.#configured.get(rid);
      if (configured) return { outcome: 'denied', code: 'room-not-found', hint: configuredHint(configured) };
      // An owner may have turned the group into a channel (or back) since its type was asked: ask again.
      this.#types.delete(rid);
      const again = await this.#typeOf(rid);
      if ('kind' in again && again.kind !== kind) {
        kind = again.kind;
        kicked = await this.#kick(kind, rid, uid);
      }
    }
    if (kicked.ok) return { outcome: 'removed' };
    return removeOutcome(kicked.failure, kind === 'private' ? 'kick-p' : 'kick-c');
  }

  #kick(kind: Kind, rid: string, uid: string): Promise<Answer> {
    return this.#call('POST', `/api/v1/${API[kind]}.kick`, { body: { roomId: rid, userId: uid } });
  }

  /** Re-adds the user, then gives back the room roles they lost; a member already is left alone. */
  async restore(target: RemovalTarget, roles: readonly RoomRole[]): Promise<RestoreResult> {
    const rid = localOf(target.room);
    const uid = localOf(target.user);
    const typed = await this.#typeOf(rid);
    if ('failure' in typed) return restoreOutcome(typed.failure, 'invite-p');
    if (!('kind' in typed))
      return { outcome: 'unsupported', code: 'room-type', hint: otherRoomHint(typed.t) };
    const api = API[typed.kind];
    const step: Step = typed.kind === 'private' ? 'invite-p' : 'invite-c';
    const present = await this.#memberIds(rid, typed.kind, new Set([uid]));
    if (!(present instanceof Set)) return restoreOutcome(present, step);
    if (present.size > 0) return { outcome: 'already_member' };
    const invited = await this.#call('POST', `/api/v1/${api}.invite`, { body: { roomId: rid, userId: uid } });
    if (!invited.ok) return restoreOutcome(invited.failure, step);
    for (const role of new Set(roles)) {
      const path = `/api/v1/${api}.${role === 'owner' ? 'addOwner' : 'addModerator'}`;
      const given = await this.#call('POST', path, { body: { roomId: rid, userId: uid } });
      if (given.ok || given.failure.errorType === `error-user-already-${role}`) continue;
      const why = restoreOutcome(given.failure, 'role');
      return {
        outcome: 'failed',
        code: 'role-not-restored',
        hint: `re-added to the room, but not made ${role} again: ${why.hint ?? why.code}`,
      };
    }
    return { outcome: 'restored' };
  }

  /** The room's type: from the config's target, else from `rooms.info` (kept a minute; failures are not kept). */
  async #typeOf(rid: string): Promise<Typed> {
    const configured = this.#configured.get(rid);
    if (configured) return { kind: configured };
    const typed = await this.#types.get(rid, async () => {
      const info = await this.#info(rid);
      if ('failure' in info) return info;
      const kind = KIND_OF[info.room.t ?? ''];
      return kind ? { kind } : { t: info.room.t ?? '' };
    });
    if ('failure' in typed) this.#types.delete(rid);
    return typed;
  }

  /**
   * `rooms.info`. Rocket.Chat answers `{error: 'not-allowed'}` for a room kickbot's account cannot access; its
   * kicks say `error-room-not-found` then, and so does kickbot.
   */
  async #info(rid: string): Promise<{ room: RcRoom } | { failure: RcFailure }> {
    const res = await this.#call('GET', '/api/v1/rooms.info', { query: { roomId: rid } });
    if (res.ok) return { room: (res.body as { room?: RcRoom } | undefined)?.room ?? {} };
    const f = res.failure;
    return { failure: f.error === 'not-allowed' ? { ...f, errorType: 'error-room-not-found' } : f };
  }

  /** Which of `wanted` are in the room, page by page (`count` / `offset` until `total`), stopping once all are found. */
  async #memberIds(rid: string, kind: Kind, wanted: ReadonlySet<string>): Promise<Set<string> | RcFailure> {
    const found = new Set<string>();
    let offset = 0;
    while (found.size < wanted.size) {
      const res = await this.#call('GET', `/api/v1/${API[kind]}.members`, {
        query: { roomId: rid, count: String(PAGE), offset: String(offset) },
      });
      if (!res.ok) return res.failure;
      const body = (res.body ?? {}) as { members?: unknown; total?: unknown };
      const page = Array.isArray(body.members) ? (body.members as { _id?: unknown }[]) : [];
      for (const m of page) if (typeof m._id === 'string' && wanted.has(m._id)) found.add(m._id);
      offset += page.length;
      const total = typeof body.total === 'number' ? body.total : undefined;
      if (page.length === 0 || (total === undefined ? page.length < PAGE : offset >= total)) break;
    }
    return found;
  }

  /** Each user's room roles that kickbot knows (`owner`, `moderator`; `leader` and others are left out). */
  async #roomRoles(rid: string, kind: Kind): Promise<Map<string, RoomRole[]> | RcFailure> {
    const res = await this.#call('GET', `/api/v1/${API[kind]}.roles`, { query: { roomId: rid } });
    if (!res.ok) return res.failure;
    const entries = (res.body as { roles?: unknown } | undefined)?.roles;
    const out = new Map<string, RoomRole[]>();
    for (const entry of Array.isArray(entries)
      ? (entries as { u?: { _id?: unknown }; roles?: unknown }[])
      : []) {
      const uid = entry.u?._id;
      const roles = Array.isArray(entry.roles) ? entry.roles.filter(isRoomRole) : [];
      if (typeof uid === 'string' && roles.length > 0) out.set(uid, [...(out.get(uid) ?? []), ...roles]);
    }
    return out;
  }

  async #call(
    method: 'GET' | 'POST',
    path: string,
    opts: { query?: Record<string, string>; body?: unknown },
  ): Promise<Answer> {
    const res = await this.#http.request({ method, path, headers: this.#headers, ...opts });
    const failure = failureOf(res);
    if (!failure) return { ok: true, body: res.body };
    this.#log.debug({ path, status: failure.status, errorType: failure.errorType }, 'Rocket.Chat refused');
    return { ok: false, failure };
  }
}
