import type { RoomRole, RoomType } from '../../core/index.js';
import type { WorkspaceData } from './workspace-file.js';

/** A room of the console workspace. An area's own group is a room too, with the id `group/<area>`. */
export interface ConsoleRoom {
  id: string;
  name: string;
  type: RoomType;
  undeletable: boolean;
}

export const groupRoomId = (area: string) => `group/${area}`;

/**
 * Who is in which room, with which room roles: the part of a workspace that commands change. The memory
 * version lives in one process; a shared version (Redis) lets several `kickbot run` processes see one workspace.
 */
export interface WorkspaceState {
  room(id: string): Promise<(ConsoleRoom & { owners: number }) | undefined>;
  rooms(): Promise<ConsoleRoom[]>;
  /** The room roles of those of `users` who are members. */
  members(room: string, users: readonly string[]): Promise<Map<string, RoomRole[]>>;
  allMembers(room: string): Promise<Map<string, RoomRole[]>>;
  /** Removes a member and their room roles; the roles they had, or undefined if they were not a member. */
  removeMember(room: string, user: string): Promise<RoomRole[] | undefined>;
  /** Adds a member with these roles; false if they already were one. */
  addMember(room: string, user: string, roles: readonly RoomRole[]): Promise<boolean>;
}

/** The rooms and memberships a workspace file starts with, area groups included. */
export function initialRooms(data: WorkspaceData): { room: ConsoleRoom; members: Map<string, RoomRole[]> }[] {
  const rooms = data.rooms.map((r) => {
    const members = new Map<string, RoomRole[]>();
    for (const id of r.members) {
      const roles: RoomRole[] = [];
      if (r.owners.includes(id)) roles.push('owner');
      if (r.moderators.includes(id)) roles.push('moderator');
      members.set(id, roles);
    }
    return { room: { id: r.id, name: r.name ?? r.id, type: r.type, undeletable: r.undeletable }, members };
  });
  const groups = data.areas.flatMap((a) =>
    a.members === undefined
      ? []
      : [
          {
            room: { id: groupRoomId(a.id), name: a.name ?? a.id, type: 'group' as const, undeletable: false },
            members: new Map(a.members.map((id) => [id, [] as RoomRole[]])),
          },
        ],
  );
  return [...rooms, ...groups];
}

export class MemoryWorkspace implements WorkspaceState {
  readonly #rooms = new Map<
    string,
    { room: ConsoleRoom; members: Map<string, RoomRole[]>; owners: number }
  >();

  constructor(data: WorkspaceData) {
    for (const { room, members } of initialRooms(data)) {
      const owners = [...members.values()].filter((roles) => roles.includes('owner')).length;
      this.#rooms.set(room.id, { room, members, owners });
    }
  }

  async room(id: string) {
    const entry = this.#rooms.get(id);
    return entry ? { ...entry.room, owners: entry.owners } : undefined;
  }

  async rooms() {
    return [...this.#rooms.values()].map((e) => ({ ...e.room }));
  }

  async members(room: string, users: readonly string[]) {
    const out = new Map<string, RoomRole[]>();
    const members = this.#rooms.get(room)?.members;
    if (!members) return out;
    for (const user of users) {
      const roles = members.get(user);
      if (roles) out.set(user, [...roles]);
    }
    return out;
  }

  async allMembers(room: string) {
    return new Map([...(this.#rooms.get(room)?.members ?? [])].map(([id, roles]) => [id, [...roles]]));
  }

  async removeMember(room: string, user: string) {
    const entry = this.#rooms.get(room);
    const roles = entry?.members.get(user);
    if (!entry || !roles) return undefined;
    entry.members.delete(user);
    if (roles.includes('owner')) entry.owners--;
    return roles;
  }

  async addMember(room: string, user: string, roles: readonly RoomRole[]) {
    const entry = this.#rooms.get(room);
    if (!entry || entry.members.has(user)) return false;
    entry.members.set(user, [...roles]);
    if (roles.includes('owner')) entry.owners++;
    return true;
  }
}
