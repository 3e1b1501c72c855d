import type { FakeAnswer, FakeRequest } from '../seed/JsonFake.js';
import { SeedFake } from '../seed/SeedFake.js';

/**
 * A Rocket.Chat REST API on loopback, with the server's own rules (anchors §1): `remove-user` in the room's scope
 * (global roles ∪ the caller's subscription roles), the kick bypasses, the access check that answers
 * `error-room-not-found`, `error-user-not-in-room`, the last-owner rule, Meteor error bodies
 * (`{success:false, error:'<message> [<type>]', errorType, details:{method}}`), strict request bodies
 * (`invalid-params`) and a 401 for any other credentials than the one caller account's. Only the endpoints kickbot
 * uses are served; anything else is a 404.
 */

export interface FakeRcUser {
  id: string;
  username: string;
  /** Global roles: `user`, `admin`, `bot`… */
  roles: string[];
}

export interface FakeRcRoom {
  id: string;
  name: string;
  fname?: string;
  /** `p` private group, `c` public channel, `d` direct message, `l` livechat… */
  t: string;
  /** The subscriptions: user id → room roles (`owner`, `moderator`, `leader`). */
  subs: Map<string, string[]>;
}

export interface FakeRocketChatOptions {
  /** The account whose `X-User-Id` / `X-Auth-Token` the fake accepts. */
  caller: FakeRcUser;
  token: string;
  /** Largest page `*.members` answers (`API_Upper_Count_Limit`, 100 by default). */
  pageLimit?: number;
}

/** Default role → permission assignments (anchors §1.2). */
const PERMISSIONS: Record<string, readonly string[]> = {
  'remove-user': ['admin', 'owner', 'moderator'],
  'kick-user-from-any-c-room': ['admin'],
  'kick-user-from-any-p-room': [],
  'add-user-to-joined-room': ['admin', 'owner', 'moderator'],
  'add-user-to-any-c-room': ['admin'],
  'add-user-to-any-p-room': [],
  'leave-c': ['admin', 'user', 'bot', 'app'],
  'leave-p': ['admin', 'user', 'bot', 'app'],
  'set-owner': ['admin', 'owner'],
  'set-moderator': ['admin', 'owner'],
  'view-c-room': ['admin', 'user', 'bot', 'app'],
  'view-joined-room': ['admin', 'user', 'bot', 'app'],
};

/** A 400 with Rocket.Chat's Meteor error body; also for `failNext`. */
export function rcError(errorType: string, message: string, method?: string): FakeAnswer {
  const details = method ? { details: { method } } : {};
  return { status: 400, body: { success: false, error: `${message} [${errorType}]`, errorType, ...details } };
}

/** Thrown by a handler: its answer is sent. */
class Refusal extends Error {
  constructor(readonly answer: FakeAnswer) {
    super('refusal');
  }
}
const refuse = (errorType: string, message: string, method?: string): never => {
  throw new Refusal(rcError(errorType, message, method));
};
const invalidParams = (error: string): never => {
  throw new Refusal({ status: 400, body: { success: false, errorType: 'invalid-params', error } });
};
const NOT_FOUND = 'The required "roomId" or "roomName" param provided does not match any';

/** The body holds exactly these string properties. */
function strictBody<K extends string>(body: unknown, keys: readonly K[]): Record<K, string> {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return invalidParams('must be object');
  for (const k of Object.keys(body))
    if (!(keys as readonly string[]).includes(k)) invalidParams('must NOT have additional properties');
  for (const k of keys) {
    const v = (body as Record<string, unknown>)[k];
    if (v === undefined) invalidParams(`must have required property '${k}'`);
    if (typeof v !== 'string') invalidParams(`/${k} must be string`);
  }
  return body as Record<K, string>;
}

function strictQuery(query: URLSearchParams, required: readonly string[], optional: readonly string[] = []) {
  for (const k of query.keys())
    if (![...required, ...optional].includes(k)) invalidParams('must NOT have additional properties');
  for (const k of required) if (!query.get(k)) invalidParams(`must have required property '${k}'`);
}

export class FakeRocketChat extends SeedFake {
  readonly users = new Map<string, FakeRcUser>();
  readonly rooms = new Map<string, FakeRcRoom>();
  readonly #caller: string;
  readonly #token: string;
  readonly #pageLimit: number;
  #revoked = false;

  private constructor(opts: FakeRocketChatOptions) {
    super();
    this.#caller = opts.caller.id;
    this.#token = opts.token;
    this.#pageLimit = opts.pageLimit ?? 100;
    this.addUser(opts.caller);
    this.#routes();
  }

  static async start(opts: FakeRocketChatOptions): Promise<FakeRocketChat> {
    const fake = new FakeRocketChat(opts);
    await fake.http.listen();
    return fake;
  }

  failNext(route: string, answer: FakeAnswer): void {
    this.http.failNext(route, answer);
  }

  addUser(user: FakeRcUser): void {
    this.users.set(user.id, user);
  }

  /** `members`: user id → room roles. */
  addRoom(room: {
    id: string;
    name: string;
    fname?: string;
    t: string;
    members: Record<string, string[]>;
  }): void {
    const { members, ...rest } = room;
    this.rooms.set(room.id, { ...rest, subs: new Map(Object.entries(members)) });
  }

  isMember(roomId: string, userId: string): boolean {
    return this.rooms.get(roomId)?.subs.has(userId) ?? false;
  }

  roomRoles(roomId: string, userId: string): string[] | undefined {
    return this.rooms.get(roomId)?.subs.get(userId);
  }

  /** The caller's token stops working (logged out, or the personal access token deleted). */
  revoke(): void {
    this.#revoked = true;
  }

  #has(uid: string, permission: string, room?: FakeRcRoom): boolean {
    const roles = [...(this.users.get(uid)?.roles ?? []), ...(room?.subs.get(uid) ?? [])];
    return roles.some((r) => PERMISSIONS[permission]?.includes(r));
  }

  #canAccess(room: FakeRcRoom, uid: string): boolean {
    if (room.t === 'c' && this.#has(uid, 'view-c-room')) return true;
    return room.subs.has(uid) && this.#has(uid, 'view-joined-room');
  }

  /** `getRoomFromParams` / `findChannelByIdOrName`: the room, of that type. */
  #room(id: string, t: 'p' | 'c'): FakeRcRoom {
    const room = this.rooms.get(id);
    if (room?.t !== t)
      return refuse('error-room-not-found', `${NOT_FOUND} ${t === 'p' ? 'group' : 'channel'}`);
    return room;
  }

  /** `findPrivateGroupByIdOrName`: the group, which the caller must be able to access. */
  #group(id: string): FakeRcRoom {
    const room = this.#room(id, 'p');
    if (!this.#canAccess(room, this.#caller)) refuse('error-room-not-found', `${NOT_FOUND} group`);
    return room;
  }

  #user(id: string): FakeRcUser {
    const user = this.users.get(id);
    if (!user)
      return refuse(
        'error-invalid-user',
        'The required "userId" or "username" param provided does not match any users',
      );
    return user;
  }

  #json(room: FakeRcRoom) {
    const owner = [...room.subs].find(([, roles]) => roles.includes('owner'))?.[0] ?? this.#caller;
    return {
      _id: room.id,
      name: room.name,
      ...(room.fname ? { fname: room.fname } : {}),
      t: room.t,
      msgs: 0,
      usersCount: room.subs.size,
      u: { _id: owner, username: this.users.get(owner)?.username },
      ts: '2026-01-05T09:00:00.000Z',
      ro: false,
      sysMes: true,
      _updatedAt: '2026-01-05T09:00:00.000Z',
    };
  }

  #lastOwner(room: FakeRcRoom, uid: string): boolean {
    const owners = [...room.subs.values()].filter((roles) => roles.includes('owner')).length;
    return (room.subs.get(uid)?.includes('owner') ?? false) && owners === 1;
  }

  /** `removeUserFromRoomMethod(caller, {rid, username})`, rules 1–11 of anchors §1.3. */
  #removeUserFromRoom(room: FakeRcRoom, target: FakeRcUser): void {
    const M = 'removeUserFromRoom';
    if (!this.#has(this.#caller, 'remove-user', room)) refuse('error-not-allowed', 'Not allowed', M);
    if (room.t === 'd') refuse('error-not-allowed', 'Not allowed', M);
    const bypass = this.#has(
      this.#caller,
      room.t === 'c' ? 'kick-user-from-any-c-room' : 'kick-user-from-any-p-room',
    );
    if (!bypass && !this.#canAccess(room, this.#caller))
      refuse('error-room-not-found', `${NOT_FOUND} group`, M);
    if (!bypass && !room.subs.has(target.id)) refuse('error-user-not-in-room', 'User is not in this room', M);
    if (this.#lastOwner(room, target.id))
      refuse(
        'error-you-are-last-owner',
        'You are the last owner. Please set new owner before leaving the room.',
        M,
      );
    room.subs.delete(target.id);
  }

  #kick(t: 'p' | 'c', req: FakeRequest) {
    const { roomId, userId } = strictBody(req.body, ['roomId', 'userId']);
    const room = this.#room(roomId, t);
    this.#removeUserFromRoom(room, this.#user(userId));
    return t === 'p' ? { success: true } : { channel: this.#json(room), success: true };
  }

  /** `leaveRoomMethod`: the caller leaves. */
  #leave(req: FakeRequest) {
    const { roomId } = strictBody(req.body, ['roomId']);
    const room = this.rooms.get(roomId) ?? refuse('error-room-not-found', `${NOT_FOUND} channel`);
    const M = 'leaveRoom';
    if (room.t === 'd') refuse('error-not-allowed', 'Not allowed', M);
    if (!this.#has(this.#caller, room.t === 'c' ? 'leave-c' : 'leave-p'))
      refuse('error-not-allowed', 'Not allowed', M);
    if (!room.subs.has(this.#caller)) refuse('error-user-not-in-room', 'You are not in this room', M);
    if (this.#lastOwner(room, this.#caller))
      refuse(
        'error-you-are-last-owner',
        'You are the last owner. Please set new owner before leaving the room.',
        M,
      );
    room.subs.delete(this.#caller);
    return { success: true };
  }

  #members(t: 'p' | 'c', req: FakeRequest) {
    strictQuery(req.query, ['roomId'], ['count', 'offset']);
    const roomId = req.query.get('roomId') as string;
    const room = t === 'p' ? this.#group(roomId) : this.#room(roomId, 'c');
    const count = Math.min(Number(req.query.get('count') ?? 50), this.#pageLimit);
    const offset = Number(req.query.get('offset') ?? 0);
    const all = [...room.subs.keys()]
      .map((id) => this.users.get(id))
      .filter((u): u is FakeRcUser => u !== undefined)
      .sort((a, b) => a.username.localeCompare(b.username));
    const members = all
      .slice(offset, offset + count)
      .map((u) => ({ _id: u.id, username: u.username, name: u.username, status: 'offline' }));
    return { members, count: members.length, offset, total: all.length, success: true };
  }

  #roles(t: 'p' | 'c', req: FakeRequest) {
    strictQuery(req.query, ['roomId']);
    const roomId = req.query.get('roomId') as string;
    const room = t === 'p' ? this.#group(roomId) : this.#room(roomId, 'c');
    const roles = [...room.subs]
      .filter(([, r]) => r.some((role) => ['owner', 'moderator', 'leader'].includes(role)))
      .map(([uid, r]) => ({
        _id: `sub-${room.id}-${uid}`,
        rid: room.id,
        u: { _id: uid, username: this.users.get(uid)?.username },
        roles: r,
      }));
    return { roles, success: true };
  }

  /** `addUsersToRoomMethod`: a member with `add-user-to-joined-room`, or the any-room permission. */
  #invite(t: 'p' | 'c', req: FakeRequest) {
    const { roomId, userId } = strictBody(req.body, ['roomId', 'userId']);
    const room = this.#room(roomId, t);
    const user = this.#user(userId);
    const joined = room.subs.has(this.#caller) && this.#has(this.#caller, 'add-user-to-joined-room', room);
    if (!joined && !this.#has(this.#caller, `add-user-to-any-${t}-room`))
      refuse('error-not-allowed', 'Not allowed', 'addUsersToRoom');
    if (!room.subs.has(user.id)) room.subs.set(user.id, []);
    return { [t === 'p' ? 'group' : 'channel']: this.#json(room), success: true };
  }

  /** `addRoomOwner` / `addRoomModerator`. */
  #addRole(t: 'p' | 'c', role: 'owner' | 'moderator', req: FakeRequest) {
    const { roomId, userId } = strictBody(req.body, ['roomId', 'userId']);
    const room = t === 'p' ? this.#group(roomId) : this.#room(roomId, 'c');
    const user = this.#user(userId);
    const method = role === 'owner' ? 'addRoomOwner' : 'addRoomModerator';
    if (!this.#has(this.#caller, `set-${role}`, room)) refuse('error-not-allowed', 'Not allowed', method);
    const roles =
      room.subs.get(user.id) ?? refuse('error-user-not-in-room', 'User is not in this room', method);
    if (roles.includes(role))
      refuse(
        `error-user-already-${role}`,
        `User is already ${role === 'owner' ? 'an owner' : 'a moderator'}`,
        method,
      );
    roles.push(role);
    return { success: true };
  }

  #info(req: FakeRequest) {
    strictQuery(req.query, ['roomId']);
    const room =
      this.rooms.get(req.query.get('roomId') as string) ??
      refuse('error-room-not-found', `${NOT_FOUND} channel`);
    if (!this.#canAccess(room, this.#caller))
      throw new Refusal({
        status: 400,
        body: { success: false, error: 'not-allowed', errorType: 'Not Allowed' },
      });
    return { room: this.#json(room), success: true };
  }

  #routes(): void {
    const on = (method: 'GET' | 'POST', name: string, handle: (req: FakeRequest) => object) => {
      this.http.route(method, `/api/v1/${name}`, (req) => {
        const ok =
          !this.#revoked &&
          req.headers['x-auth-token'] === this.#token &&
          req.headers['x-user-id'] === this.#caller;
        if (!ok)
          return { status: 401, body: { status: 'error', message: 'You must be logged in to do this.' } };
        try {
          return { status: 200, body: handle(req) };
        } catch (error) {
          if (error instanceof Refusal) return error.answer;
          throw error;
        }
      });
    };
    on('GET', 'rooms.info', (req) => this.#info(req));
    on('POST', 'rooms.leave', (req) => this.#leave(req));
    for (const [api, t] of [
      ['groups', 'p'],
      ['channels', 'c'],
    ] as const) {
      on('POST', `${api}.kick`, (req) => this.#kick(t, req));
      on('GET', `${api}.members`, (req) => this.#members(t, req));
      on('GET', `${api}.roles`, (req) => this.#roles(t, req));
      on('POST', `${api}.invite`, (req) => this.#invite(t, req));
      on('POST', `${api}.addOwner`, (req) => this.#addRole(t, 'owner', req));
      on('POST', `${api}.addModerator`, (req) => this.#addRole(t, 'moderator', req));
    }
  }
}
