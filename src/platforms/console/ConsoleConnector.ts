import { setTimeout as delay } from 'node:timers/promises';
import {
  type AreaInfo,
  ConnectorError,
  type Directory,
  type HeldRoom,
  type Id,
  localOf,
  type Membership,
  makeId,
  type RemovalTarget,
  type RemoveResult,
  type Remover,
  type Resolved,
  type RestoreResult,
  type RoomInfo,
  type RoomRole,
  type UserInfo,
} from '../../core/index.js';
import type { WorkspaceData } from './workspace-file.js';
import { groupRoomId, type WorkspaceState } from './workspace-state.js';

export const CONSOLE = 'console';
const id = (local: string): Id => makeId(CONSOLE, local);
/** Rooms looked at per page of `memberships`. */
const ROOMS_PER_PAGE = 100;

export interface ConsoleConnectorOptions {
  data: WorkspaceData;
  state: WorkspaceState;
  /** Where room confirmations go (the REPL prints them). */
  onNotice?: (room: Id, text: string) => void;
}

/**
 * The console platform, its directory and its remover in one: a workspace file for a server, no account anywhere.
 */
export class ConsoleConnector implements Directory, Remover {
  readonly platform = CONSOLE;
  readonly system = CONSOLE;
  readonly ratePerSecond?: number;
  readonly #botId: Id;
  readonly #data: WorkspaceData;
  readonly #state: WorkspaceState;
  readonly #users: Map<string, UserInfo>;
  /** Local user ids by lower-cased email. */
  readonly #emails: Map<string, string>;
  readonly #onNotice: (room: Id, text: string) => void;
  readonly #undeletable: Set<string>;

  constructor(options: ConsoleConnectorOptions) {
    this.#data = options.data;
    this.#state = options.state;
    this.#onNotice = options.onNotice ?? (() => {});
    this.#botId = id(options.data.bot);
    this.#undeletable = new Set(options.data.rooms.filter((r) => r.undeletable).map((r) => r.id));
    if (options.data.rate !== undefined) this.ratePerSecond = options.data.rate;
    this.#users = new Map(
      options.data.users.map((u) => [
        u.id,
        {
          id: id(u.id),
          name: u.name ?? u.id,
          roles: u.roles,
          ...(u.id === options.data.owner ? { owner: true } : {}),
          ...(u.roles.includes('bot') || u.id === options.data.bot ? { bot: true } : {}),
          ...(u.rank !== undefined ? { rank: u.rank } : {}),
        },
      ]),
    );
    this.#emails = new Map(
      options.data.users.flatMap((u) => (u.email ? [[u.email.toLowerCase(), u.id] as const] : [])),
    );
  }

  async bot(): Promise<Id> {
    return this.#botId;
  }

  /** The user a name or `@name` means: an exact id first, then a case-insensitive id or display name. */
  findUser(ref: string): UserInfo | undefined {
    const name = ref.replace(/^@/, '');
    const exact = this.#users.get(name);
    if (exact) return exact;
    const lower = name.toLowerCase();
    for (const [local, user] of this.#users) {
      if (local.toLowerCase() === lower || user.name.toLowerCase() === lower) return user;
    }
    return undefined;
  }

  /** `console:<key>` for a user of the workspace (the key is their id, exactly). */
  async personId(key: string): Promise<Id | undefined> {
    return this.#users.get(key)?.id;
  }

  /** The user whose `email:` this is, whatever its case. */
  async findByEmail(email: string): Promise<Id | undefined> {
    const local = this.#emails.get(email.trim().toLowerCase());
    return local === undefined ? undefined : id(local);
  }

  /** A direct message, printed where the notices go: `DM to bob: You are being removed from #general …`. */
  async dm(user: Id, text: string): Promise<void> {
    const local = localOf(user);
    if (!this.#users.has(local)) throw new ConnectorError('user-not-found');
    this.#onNotice(user, `DM to ${local}: ${text}`);
  }

  async resolveUsers(ref: string): Promise<Resolved<Id[]>> {
    const user = this.findUser(ref);
    return user ? { ok: true, value: [user.id] } : { ok: false, message: `unknown user ${ref}` };
  }

  /**
   * A room of the workspace. One that exists nowhere in it is a typo: a usage error naming it, which suggests only
   * public rooms (a private room is never named to someone who may not see it). A private room the moderator
   * cannot see still resolves, and rule 1 answers for it like for any platform.
   */
  async resolveRoom(ref: string): Promise<Resolved<Id>> {
    const name = ref.replace(/^#/, '');
    if (await this.#state.room(name)) return { ok: true, value: id(name) };
    const near = (await this.#state.rooms())
      .filter((r) => r.type === 'public' && closeTo(r.id, name))
      .map((r) => `#${r.id}`);
    const hint = near.length > 0 ? ` (did you mean ${near.join(' or ')}?)` : '';
    return { ok: false, message: `no room #${name} in this workspace${hint}` };
  }

  async area(name: string): Promise<AreaInfo | undefined> {
    const area =
      this.#data.areas.find((a) => a.id === name) ??
      this.#data.areas.find((a) => a.id.toLowerCase() === name.toLowerCase());
    if (!area) return undefined;
    const rooms = area.rooms.map(id);
    if (area.members !== undefined) rooms.push(id(groupRoomId(area.id)));
    return { id: area.id, name: area.name ?? area.id, rooms, managers: area.managers.map(id) };
  }

  async areas(): Promise<string[]> {
    return this.#data.areas.map((a) => a.id);
  }

  async users(ids: readonly Id[]): Promise<Map<Id, UserInfo>> {
    const out = new Map<Id, UserInfo>();
    for (const userId of ids) {
      const user = this.#users.get(localOf(userId));
      if (user) out.set(userId, user);
    }
    return out;
  }

  async room(roomId: Id): Promise<RoomInfo | undefined> {
    const room = await this.#state.room(localOf(roomId));
    return room && roomInfo(roomId, room);
  }

  async members(room: Id, users: readonly Id[]): Promise<Map<Id, Membership>> {
    const found = await this.#state.members(localOf(room), users.map(localOf));
    return new Map([...found].map(([user, roles]) => [id(user), { roles }]));
  }

  /** The rooms (area groups included) the user is in, from the workspace's state, a page per 100 rooms looked at. */
  async *memberships(user: Id): AsyncIterable<readonly HeldRoom[]> {
    const rooms = await this.#state.rooms();
    for (let at = 0; at < rooms.length; at += ROOMS_PER_PAGE) {
      const page: HeldRoom[] = [];
      for (const room of rooms.slice(at, at + ROOMS_PER_PAGE)) {
        const roles = (await this.#state.members(room.id, [localOf(user)])).get(localOf(user));
        const info = roles && (await this.#state.room(room.id));
        if (roles && info) page.push({ room: roomInfo(id(room.id), info), roles });
      }
      if (page.length > 0) yield page;
    }
  }

  async remove(target: RemovalTarget): Promise<RemoveResult> {
    if (this.#data.latency) await delay(this.#data.latency);
    if (this.#undeletable.has(localOf(target.room))) return { outcome: 'unsupported', code: 'undeletable' };
    const roles = await this.#state.removeMember(localOf(target.room), localOf(target.user));
    return { outcome: roles ? 'removed' : 'not_member' };
  }

  async restore(target: RemovalTarget, roles: readonly RoomRole[]): Promise<RestoreResult> {
    const added = await this.#state.addMember(localOf(target.room), localOf(target.user), roles);
    return { outcome: added ? 'restored' : 'already_member' };
  }

  label(target: Id, kind: 'user' | 'room'): string {
    const local = localOf(target);
    if (kind === 'user') return this.#users.get(local)?.name ?? local;
    return local.startsWith('group/') ? `${local.slice('group/'.length)} (group)` : `#${local}`;
  }

  /** `@bob`, `#general`: the workspace's own ids, as the console reads them. */
  mention(target: Id, kind: 'user' | 'room'): string {
    return `${kind === 'user' ? '@' : '#'}${localOf(target)}`;
  }

  async notice(room: Id, text: string): Promise<void> {
    this.#onNotice(room, text);
  }

  /** The console's mod-log is where it prints notices, as a line of its own: `[mod-log] …`. */
  async modLog(workspace: Id, text: string): Promise<boolean> {
    this.#onNotice(workspace, `[mod-log] ${text}`);
    return true;
  }
}

function roomInfo(
  roomId: Id,
  room: { name: string; type: RoomInfo['type']; owners: number; undeletable?: boolean },
): RoomInfo {
  return {
    id: roomId,
    name: room.name,
    type: room.type,
    owners: room.owners,
    ...(room.undeletable
      ? {
          unsupported: {
            code: 'undeletable',
            hint: `#${room.name} is undeletable: nobody can be removed from it`,
          },
        }
      : {}),
  };
}

/** Whether two names are at most two edits apart (case-insensitive): a likely typo. */
function closeTo(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (Math.abs(x.length - y.length) > 2) return false;
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const row = [i];
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      row.push(Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost));
    }
    prev = row;
  }
  return (prev[y.length] ?? 3) <= 2;
}
