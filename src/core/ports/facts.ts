import type { Id } from '../ids.js';
import type { Outcome, RestoreOutcome } from '../outcomes.js';
import type { GlobalRole, Permission, RoomRole } from '../permissions.js';

/** What the directories and removers speak of: users, rooms, memberships, areas, removal targets and results. */

/** Where a lookup happens: the workspace the command came from (a Slack team, a Discord guild…). */
export interface Scope {
  workspace: Id;
}

export interface UserInfo {
  id: Id;
  name: string;
  roles: readonly GlobalRole[];
  /** The platform's owner (Slack primary owner, Discord guild owner): never removable. */
  owner?: boolean;
  bot?: boolean;
  /** Position of the highest role, where the platform ranks roles (Discord). */
  rank?: number;
  /** How the platform writes the user in a message (`<@U123>` on Slack); default: the name. */
  label?: string;
  /**
   * Permissions the platform itself gives this user, whatever kickbot's grants say (Discord: Kick Members holds
   * `offboard-user`, since there an offboarding is the server kick they may already do).
   */
  grants?: readonly Permission[];
}

export type RoomType = 'public' | 'private' | 'direct' | 'group';

export interface RoomInfo {
  id: Id;
  name: string;
  type: RoomType;
  /** How many owners the room has (rule 8). */
  owners: number;
  /** Set when the platform cannot remove anyone from this room (Slack #general): the outcome's code and hint. */
  unsupported?: { code: string; hint?: string };
  /** How the platform writes the room in a message (`<#C123>` on Slack); default: `#name`. */
  label?: string;
  /** Set when nobody can be re-added here (a Discord server): what to do instead, for an offboarding's plan. */
  noUndo?: string;
}

/** A room one user is in, as a system lists it for an offboarding: its facts and the user's roles there. */
export interface HeldRoom {
  room: RoomInfo;
  roles: readonly RoomRole[];
}

/** A user's membership of a room; absent = not a member. */
export interface Membership {
  roles: readonly RoomRole[];
  /**
   * `seen`: the user sees the room through a role (Discord Manage Threads) without being in it: their roles
   * count for removing others, but there is nothing to remove them from (rule 7).
   * `assumed`: the platform cannot tell beforehand (no membership lookup), so the pair is tried and the
   * platform's answer decides; an assumed membership never lets the actor see a private room (rule 1).
   */
  presence?: 'seen' | 'assumed';
}

export interface AreaInfo {
  id: string;
  name: string;
  /** Every room of the area, on any connector (prefixed ids), including the area's own group if it has one. */
  rooms: readonly Id[];
  managers: readonly Id[];
}

export type Resolved<T> = { ok: true; value: T } | { ok: false; message: string };

export interface RemovalTarget {
  room: Id;
  user: Id;
  actor: Id;
  reason?: string;
  caseId: number;
  /** The user leaves by themself (`/leave`). */
  self?: boolean;
}

/** What a removal call ended in. Unexpected errors are thrown (a `ConnectorError` when retryable). */
/** What a platform needs to undo a removal exactly (a Discord overwrite as it was); kept in the audit record. */
export type UndoData = Record<string, string>;

export type RemoveResult =
  | { outcome: Extract<Outcome, 'removed'>; undo?: UndoData }
  | { outcome: Extract<Outcome, 'not_member'> }
  | { outcome: Extract<Outcome, 'denied' | 'unsupported' | 'failed'>; code: string; hint?: string };

export type RestoreResult =
  | { outcome: Extract<RestoreOutcome, 'restored' | 'already_member'> }
  | { outcome: Extract<RestoreOutcome, 'unsupported' | 'failed'>; code: string; hint?: string };
