import type { RemoveResult } from '../../core/index.js';
import { type SeedSystem, statusOutcome } from '../seed/statuses.js';

/**
 * What the answer to BetterForms' `POST /message/removeuser` (anchors §2.4) means for each user of one channel.
 * Pure, so that the connector only sends and groups; `requests.ts` builds what is sent.
 */

/** One channel's answer: each user's result, and whether anybody may have been removed by it. */
export interface ChannelAnswer {
  /** False when the answer says nothing changed, so that the whole call may be sent again. */
  changed: boolean;
  resultFor(user: string): RemoveResult;
}

export const BETTERFORMS: SeedSystem = {
  id: 'betterforms',
  name: 'BetterForms',
  credential: 'API key',
  forbidden: 'credentials',
  room: 'channel',
};

const same = (result: RemoveResult, changed = false): ChannelAnswer => ({ changed, resultFor: () => result });

/**
 * Reads the answer to a request carrying one channel.
 *
 * 2xx `{users: [...]}`: the doc shows the list without saying what it holds; kickbot reads it as the users that
 * were removed, so a listed user is `removed` and an unlisted one `not_member`. With one channel per request
 * that reading is exact per (channel, user). 201 is the documented status; any 2xx with the list reads the same.
 * A 2xx without the list cannot say who left, so each user is `failed` (and the call counts as changed: it is
 * not safe to send again as if nothing happened).
 *
 * Other statuses as `statuses.ts` reads them. The doc names no error statuses at all: kickbot takes a 403 as a
 * refused key (as a 401), and a 404 as "no such channel" (BetterForms channels exist while someone is joined, so
 * nobody is in it either), the core's `room-not-found` denial.
 */
export function readAnswer(status: number, body: unknown, channel: string): ChannelAnswer {
  if (status >= 200 && status < 300) {
    const users = (body as { users?: unknown } | undefined)?.users;
    if (!Array.isArray(users))
      return same(
        {
          outcome: 'failed',
          code: 'betterforms-bad-answer',
          hint: `BetterForms answered ${status} without the list of removed users: check channel ${channel} by hand`,
        },
        true,
      );
    const removed = new Set(users.filter((u): u is string => typeof u === 'string'));
    return {
      changed: removed.size > 0,
      resultFor: (user) => (removed.has(user) ? { outcome: 'removed' } : { outcome: 'not_member' }),
    };
  }
  if (status === 400)
    return same({
      outcome: 'failed',
      code: 'bad-request',
      hint: "BetterForms rejected kickbot's removeuser request (400)",
    });
  return same(statusOutcome(BETTERFORMS, status, { room: channel }));
}
