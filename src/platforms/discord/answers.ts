import { DiscordAPIError, HTTPError, RateLimitError } from '@discordjs/rest';
import { ConnectorError, type RemoveResult, type RestoreResult } from '../../core/index.js';

/** Network failures, 5xx after @discordjs/rest's own retries, rate-limit rejections: worth another try later. */
export function retryable(error: unknown): ConnectorError | undefined {
  if (error instanceof RateLimitError) {
    return new ConnectorError('ratelimited', { retryable: true, retryAfterMs: error.retryAfter });
  }
  if (error instanceof HTTPError || networkError(error)) {
    return new ConnectorError('discord-unreachable', { retryable: true, message: (error as Error).message });
  }
  if (error instanceof DiscordAPIError && error.status >= 500) {
    return new ConnectorError('discord-unreachable', { retryable: true, message: error.message });
  }
  return undefined;
}

const NETWORK_CODES =
  /^(UND_ERR_|ECONNREFUSED$|ECONNRESET$|EPIPE$|ETIMEDOUT$|ENOTFOUND$|EAI_AGAIN$|EHOSTUNREACH$)/;

/** A request that never got an answer (refused, reset, timed out), by its code or its cause's. */
function networkError(error: unknown): boolean {
  for (
    let e = error as { code?: unknown; cause?: unknown; message?: unknown } | undefined, depth = 0;
    e && depth < 4;
    e = e.cause as typeof e, depth++
  ) {
    if (typeof e.code === 'string' && NETWORK_CODES.test(e.code)) return true;
    if (typeof e.message === 'string' && /fetch failed|other side closed|socket hang up/i.test(e.message))
      return true;
  }
  return false;
}

/** Which permission a removal step needs, to name it when Discord says 50013. */
export type Step = 'overwrite' | 'thread' | 'role' | 'kick' | 'disconnect' | 'message';
const NEEDS: Record<Step, string> = {
  overwrite: 'Manage Permissions (Manage Roles) in the channel, and View Channel / Connect itself',
  thread: 'Manage Threads',
  role: "Manage Roles, with kickbot's own role above the area's role",
  kick: "Kick Members, with kickbot's own role above the member's highest role (Server Settings › Roles)",
  disconnect: 'Move Members',
  message: 'Send Messages',
};

export const missingPermission = (step: Step) => `kickbot lacks ${NEEDS[step]}`;

/** Discord's JSON error codes as outcomes (DESIGN §4). */
export function removeOutcome(error: unknown, step: Step): RemoveResult {
  const again = retryable(error);
  if (again) throw again;
  if (!(error instanceof DiscordAPIError)) throw error;
  switch (Number(error.code)) {
    case 10007: // Unknown Member
    case 10008:
      return { outcome: 'not_member' };
    case 10003: // Unknown Channel
    case 10011: // Unknown Role
    case 10004:
      return { outcome: 'denied', code: 'room-not-found' };
    case 50083: // thread archived
      return {
        outcome: 'unsupported',
        code: 'archived-thread',
        hint: 'the thread is archived; unarchive it first',
      };
    case 50024:
      return {
        outcome: 'unsupported',
        code: 'channel-type',
        hint: 'Discord cannot do this in this kind of channel',
      };
    case 50013:
      return { outcome: 'failed', code: 'missing-permissions', hint: missingPermission(step) };
    case 50001:
      return { outcome: 'failed', code: 'missing-access', hint: 'kickbot cannot see the channel' };
    default:
      return { outcome: 'failed', code: `discord-${error.code}`, hint: error.message };
  }
}

export function restoreOutcome(error: unknown, step: Step): RestoreResult {
  const result = removeOutcome(error, step);
  if (!('code' in result)) return { outcome: 'failed', code: 'not-restorable' };
  const outcome = result.outcome === 'unsupported' ? 'unsupported' : 'failed';
  return { outcome, code: result.code, ...(result.hint ? { hint: result.hint } : {}) };
}

/** Discord refused the token: a 401 from REST, or discord.js's own TokenInvalid. */
export function tokenRefused(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (error instanceof DiscordAPIError && error.status === 401) || code === 'TokenInvalid';
}

/**
 * Why a direct message did not go: Discord's 50007 ("Cannot send messages to this user": the person closed DMs
 * from server members, or blocked the bot) is `dm-closed`; another refusal is `discord-<code>`.
 */
export function dmError(error: unknown): ConnectorError {
  if (error instanceof DiscordAPIError) {
    if (error.code === 50007) return new ConnectorError('dm-closed');
    if (error.status < 500) return new ConnectorError(`discord-${error.code}`, { message: error.message });
  }
  return retryable(error) ?? new ConnectorError('discord-unreachable');
}
