import type { RemovalBatch } from '../command.js';
import { UsageError } from '../errors.js';

/** How much one command may ask for: the configured limits (config `limits`), checked here and nowhere else. */
export interface Limits {
  /** Users in one command (after user groups are expanded). */
  users: number;
  /** Rooms named in one command. */
  rooms: number;
  /** (room, user) pairs in one command, confirmed. */
  removals: number;
}

export const DEFAULT_LIMITS: Limits = { users: 1_000, rooms: 100, removals: 10_000 };

const fmt = (n: number) => n.toLocaleString('en');
const tooMany = (what: keyof Limits, n: number, limit: number) =>
  `too many ${what}: ${fmt(n)} (limit ${fmt(limit)})`;

/**
 * What each batch asks for as written, before anything is looked up, so that a list past the limits costs no
 * lookup: users and rooms first (every one over is named), then users × rooms of a batch without an area.
 */
export function checkAsked(limits: Limits, batches: readonly RemovalBatch[]): void {
  const problems = new Set<string>();
  for (const b of batches) {
    if (b.users.length > limits.users) problems.add(tooMany('users', b.users.length, limits.users));
    if (b.rooms.length > limits.rooms) problems.add(tooMany('rooms', b.rooms.length, limits.rooms));
  }
  if (problems.size === 0) {
    for (const b of batches) {
      const pairs = b.users.length * Math.max(b.rooms.length, 1);
      if (b.area === undefined && pairs > limits.removals)
        problems.add(tooMany('removals', pairs, limits.removals));
    }
  }
  if (problems.size > 0) throw new UsageError([...problems].join('; '));
}

/** What the command came to once user groups and areas are expanded: distinct users, rooms named, pairs. */
export function checkResolved(
  limits: Limits,
  asked: { users: number; rooms: number; removals: number },
): void {
  for (const what of ['users', 'rooms', 'removals'] as const) {
    if (asked[what] > limits[what]) throw new UsageError(tooMany(what, asked[what], limits[what]));
  }
}
