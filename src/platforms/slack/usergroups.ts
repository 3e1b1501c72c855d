import { setTimeout as delay } from 'node:timers/promises';
import type { WebClient } from '@slack/web-api';
import pLimit, { type LimitFunction } from 'p-limit';
import {
  ConnectorError,
  type Locks,
  type RemoveResult,
  StoreUnavailableError,
  withLock,
} from '../../core/index.js';
import { removeOutcome } from './answers.js';
import type { SlackLookups } from './SlackLookups.js';

/** The store's named locks, as the Slack connector takes them. */
export type GroupLocks = Locks;

export interface GroupLockTimes {
  /** A held lock lives this long unless renewed (every third of it, while the change runs). */
  ttlMs: number;
  /** How long a change waits for another replica's change of the same group. */
  waitMs: number;
}

const DEFAULT_TIMES: GroupLockTimes = { ttlMs: 15_000, waitMs: 30_000 };

/**
 * `usergroups.users.update` replaces a user group's whole list, so a change is a read-modify-write: one at a time
 * per group, in this process (a queue) and across replicas (a lock in the store, held from the read to the
 * write). Without it two replicas removing different people at once could each write back the other's person.
 */
export class UsergroupEditor {
  readonly #local = new Map<string, LimitFunction>();

  constructor(
    private readonly client: WebClient,
    private readonly dir: SlackLookups,
    private readonly locks?: GroupLocks,
    private readonly times: GroupLockTimes = DEFAULT_TIMES,
  ) {}

  change(team: string, usergroup: string, user: string, change: 'add' | 'remove'): Promise<RemoveResult> {
    let limit = this.#local.get(usergroup);
    if (!limit) {
      limit = pLimit(1);
      this.#local.set(usergroup, limit);
    }
    const write = () => this.#readModifyWrite(usergroup, user, change);
    return limit(() =>
      this.locks ? holding(this.locks, `slack-usergroup:${team}/${usergroup}`, this.times, write) : write(),
    );
  }

  async #readModifyWrite(usergroup: string, user: string, change: 'add' | 'remove'): Promise<RemoveResult> {
    try {
      const members = await this.dir.groupMembers(usergroup);
      if (!members) return { outcome: 'denied', code: 'room-not-found' };
      const has = members.includes(user);
      if (change === 'remove' ? !has : has) return { outcome: 'not_member' }; // nothing to change
      const users = change === 'remove' ? members.filter((u) => u !== user) : [...members, user];
      await this.client.usergroups.users.update({ usergroup, users: users.join(',') });
      return { outcome: 'removed' };
    } catch (error) {
      return removeOutcome(error);
    }
  }
}

/** Runs `work` holding the store lock `key` (shared by every replica); a lock kept elsewhere too long is `group-busy`. */
async function holding<T>(
  locks: Locks,
  key: string,
  times: GroupLockTimes,
  work: () => Promise<T>,
): Promise<T> {
  let done: T | 'busy';
  try {
    done = await withLock(locks, key, { ...times, sleep: delay, now: Date.now }, work);
  } catch (error) {
    if (!(error instanceof StoreUnavailableError)) throw error;
    throw new ConnectorError('store-unavailable', {
      retryable: true,
      message: 'the state store is unreachable',
    });
  }
  if (done === 'busy') {
    throw new ConnectorError('group-busy', {
      retryable: true,
      message: 'another change of this user group is still running',
    });
  }
  return done;
}
