import type { Id } from '../ids.js';
import type { RoomRole } from '../permissions.js';
import type {
  HeldRoom,
  Membership,
  RemovalTarget,
  RemoveResult,
  RestoreResult,
  RoomInfo,
  UndoData,
} from './facts.js';

/**
 * What every system kickbot removes people from can do: room facts and the removal itself. What only some
 * systems can do is an optional member, present when the system can do it (capabilities by presence).
 */
export interface Remover {
  /** The id prefix of the system's ids (`slack`, `rocketchat`). */
  readonly system: string;
  /** The platform's removal rate limit, shared by every replica and worker (per workspace). */
  readonly ratePerSecond?: number;
  /** The room's facts; undefined when the system does not know it. */
  room(id: Id): Promise<RoomInfo | undefined>;
  remove(target: RemovalTarget): Promise<RemoveResult>;
  /**
   * Present when the system can say beforehand who is in a room: the memberships of those of `users` who are in
   * `room`. Without it every target is tried and the platform's answer decides (`presence: 'assumed'`).
   */
  members?(room: Id, users: readonly Id[]): Promise<Map<Id, Membership>>;
  /** Present when the system's API removes many pairs in one call: up to `size` targets, one result each. */
  readonly batch?: {
    readonly size: number;
    remove(targets: readonly RemovalTarget[]): Promise<RemoveResult[]>;
  };
  /** Present when the system can re-add a removed user (`/kickbot undo`). */
  restore?(target: RemovalTarget, roles: readonly RoomRole[], undo?: UndoData): Promise<RestoreResult>;
  /**
   * Present when the system can list the rooms one user is in (offboarding): page after page, so that a user in
   * 20,000 rooms is never all in memory, each room with its facts (no second lookup per room). Groups the user is
   * in (Slack user groups, console area groups, the Discord server itself) are rooms here too.
   */
  memberships?(user: Id): AsyncIterable<readonly HeldRoom[]>;
}
