import type { CoreDeps } from './deps.js';
import type { Id } from './ids.js';
import type { RoomRole } from './permissions.js';
import type { UndoData } from './ports/facts.js';

/** A removal someone made in a platform's own UI, as a front learnt it (Discord audit log, Slack events). */
export interface HandRemoval {
  /** The platform's id of what it told (Discord audit log entry id, Slack `event_id`): one case per id. */
  eventId: string;
  platform: string;
  workspace: Id;
  /** Who did it, where the platform says so (Discord does; Slack does not). */
  actor?: Id;
  target: Id;
  room: Id;
  /** The room roles the target lost, for an undo. */
  roles?: RoomRole[];
  /** What the platform needs to undo it exactly (a Discord overwrite as it was). */
  undo?: UndoData;
  reason?: string;
  /** How kickbot learnt it: `discord-audit-log`, `slack-events`. */
  via: string;
  at: number;
}

/** Someone joined a room (or got access back): a front tells the core, which alerts on a recent removal. */
export interface RoomJoin {
  eventId: string;
  platform: string;
  workspace: Id;
  room: Id;
  user: Id;
  /** Who let them back in, where the platform says so. */
  actor?: Id;
  at: number;
}

/** Opens a by-hand case and tells the mod-log; kickbot's own removals are not counted twice. The case number, or undefined. */
export async function byHand(_deps: CoreDeps, _removal: HandRemoval): Promise<number | undefined> {
  return undefined;
}

/** Tells the mod-log when someone kickbot removed from this room within the rejoin window is back. */
export async function joined(_deps: CoreDeps, _join: RoomJoin): Promise<void> {}
