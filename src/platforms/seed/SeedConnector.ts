import {
  type AreaInfo,
  type Capabilities,
  type Connector,
  type Id,
  localOf,
  type Membership,
  makeId,
  type RemovalTarget,
  type RemoveResult,
  type Resolved,
  type RestoreResult,
  type RoomInfo,
  type RoomRole,
  type UndoData,
  type UserInfo,
} from '../../core/index.js';

/**
 * What every connector of a seed system (Rocket.Chat, DocSpace, Mudbase, feedback.house, BetterForms) shares.
 * They are reached, never typed in: through an area's targets and `#<system>:<id>` rooms, with the people's ids
 * from the identity links. So they resolve nothing, post no notices, and answer for users with what the
 * platform the command came from knows. Ids are `<system>:<id as the system writes it>`.
 */
export abstract class SeedConnector implements Connector {
  abstract readonly platform: string;
  abstract readonly capabilities: Capabilities;

  abstract getRoom(id: Id): Promise<RoomInfo | undefined>;
  abstract remove(target: RemovalTarget): Promise<RemoveResult>;

  async bot(): Promise<Id | undefined> {
    return undefined;
  }

  async resolveUsers(ref: string): Promise<Resolved<Id[]>> {
    return {
      ok: false,
      message: `${ref}: ${this.platform} users are named through the identities in the config`,
    };
  }

  async resolveRoom(ref: string): Promise<Resolved<Id>> {
    return { ok: false, message: `${ref}: name a ${this.platform} room as #${this.platform}:<id>` };
  }

  async getArea(): Promise<AreaInfo | undefined> {
    return undefined;
  }

  async listAreas(): Promise<string[]> {
    return [];
  }

  /** Only asked when a command comes from this system, which does not happen: the plain facts. */
  async getUsers(ids: readonly Id[]): Promise<Map<Id, UserInfo>> {
    return new Map(ids.map((id) => [id, { id, name: localOf(id), roles: ['user'] }]));
  }

  /** Systems that can list members override this (and say so in `capabilities.membership`). */
  async getMembers(_room: Id, _users: readonly Id[]): Promise<Map<Id, Membership>> {
    return new Map();
  }

  async restore(
    _target: RemovalTarget,
    _roles: readonly RoomRole[],
    _undo?: UndoData,
  ): Promise<RestoreResult> {
    return { outcome: 'unsupported', code: 'no-undo', hint: `${this.platform} cannot re-add users` };
  }

  /** Confirmations go to the room the command was typed in; these systems get none. */
  async postNotice(): Promise<void> {}

  label(id: Id, kind: 'user' | 'room'): string {
    return kind === 'room' ? `#${id}` : id;
  }

  /** `<system>:<local>`. */
  protected id(local: string): Id {
    return makeId(this.platform, local);
  }
}
