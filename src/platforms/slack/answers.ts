import { ErrorCode } from '@slack/web-api';
import { ConnectorError, type RemoveResult, type RestoreResult } from '../../core/index.js';
import { timedOut } from './web-client.js';

/** The Slack error string of a failed Web API call (`{ok:false, error}`), if it was one. */
export function slackError(error: unknown): string | undefined {
  const e = error as { code?: string; data?: { error?: string } };
  return e?.code === ErrorCode.PlatformError ? e.data?.error : undefined;
}

const HINTS: Record<string, string> = {
  restricted_action:
    "the workspace's settings do not let kickbot remove people: a Slack admin can allow it under Settings & " +
    'permissions › Permissions › Channel Management ("People who can remove members from channels")',
  missing_scope: "the app lacks a scope it needs: reinstall it from kickbot's manifest (manifest/slack.yaml)",
  not_authed: 'Slack did not accept the bot token: check SLACK_BOT_TOKEN',
  invalid_auth: 'Slack did not accept the bot token: check SLACK_BOT_TOKEN',
  token_revoked: 'the bot token was revoked: reinstall the app and update SLACK_BOT_TOKEN',
  account_inactive: 'the bot token belongs to a deactivated app or user: check SLACK_BOT_TOKEN',
  token_expired: 'the bot token has expired: check SLACK_BOT_TOKEN',
  cant_kick_from_general: "nobody can be removed from the workspace's #general channel",
  method_not_supported_for_channel_type: 'people cannot be removed from a direct message',
  not_supported: 'Slack cannot remove this user from this channel',
  is_archived: 'the channel is archived',
  cant_kick_self: 'use /leave to leave a channel yourself',
  no_users_provided: 'a Slack user group cannot be left empty; disable the group instead',
};

const hint = (code: string) => (HINTS[code] ? { hint: HINTS[code] } : {});

/** A Retry-After up to this long is waited out (by the core, for that removal only); a longer one ends the pair. */
export const RETRY_AFTER_MAX_MS = 30_000;

/** `failed rate-limited`, saying when Slack will take the call again. */
export function rateLimited(retryAfterMs: number, now = Date.now()): ConnectorError {
  const at = new Date(now + retryAfterMs).toISOString().slice(11, 16);
  const minutes = Math.ceil(retryAfterMs / 60_000);
  return new ConnectorError('rate-limited', {
    message: `Slack asked kickbot to wait ${Math.round(retryAfterMs / 1000)} s`,
    hint: `Slack is rate-limiting kickbot: try again after ${at} UTC (in about ${minutes} min)`,
  });
}

/** Network failures, timeouts, 5xx and short rate limits are worth another try; the core retries with backoff. */
export function retryable(error: unknown): ConnectorError | undefined {
  const e = error as { code?: string; retryAfter?: number; message?: string };
  if (e?.code === ErrorCode.RateLimitedError) {
    const retryAfterMs = (e.retryAfter ?? 1) * 1000;
    if (retryAfterMs > RETRY_AFTER_MAX_MS) return rateLimited(retryAfterMs);
    return new ConnectorError('ratelimited', { retryable: true, retryAfterMs });
  }
  if (e?.code === ErrorCode.RequestError && timedOut(error)) {
    return new ConnectorError('timeout', { retryable: true, message: 'Slack did not answer in time' });
  }
  if (e?.code === ErrorCode.RequestError || e?.code === ErrorCode.HTTPError) {
    return new ConnectorError('slack-unreachable', {
      retryable: true,
      message: e.message ?? 'Slack unreachable',
    });
  }
  return undefined;
}

/** Slack refusing the token itself: nothing works until SLACK_BOT_TOKEN is fixed, and trying again cannot help. */
const REFUSED_TOKEN = new Set([
  'not_authed',
  'invalid_auth',
  'token_revoked',
  'token_expired',
  'account_inactive',
]);

/**
 * What a failed lookup (users, channels, members, groups) throws: a retryable error for network trouble and rate
 * limits, `unauthorized` with the token hint when Slack refuses the token, the error itself otherwise.
 */
export function lookupError(error: unknown): unknown {
  const again = retryable(error);
  if (again) return again;
  const code = slackError(error);
  if (code && REFUSED_TOKEN.has(code)) {
    return new ConnectorError('unauthorized', {
      message: `Slack refused the bot token (${code})`,
      hint: HINTS[code] ?? HINTS.invalid_auth,
    });
  }
  return error;
}

/** `conversations.kick` / `usergroups.users.update` errors as outcomes (DESIGN §4). */
export function removeOutcome(error: unknown): RemoveResult {
  const again = retryable(error);
  if (again?.code === 'rate-limited') return { outcome: 'failed', code: again.code, hint: again.hint ?? '' };
  if (again) throw again;
  const code = slackError(error);
  if (!code) throw error;
  switch (code) {
    case 'not_in_channel':
      return { outcome: 'not_member' };
    case 'cant_kick_from_general':
    case 'method_not_supported_for_channel_type':
    case 'not_supported':
    case 'is_archived':
    case 'no_users_provided':
      return { outcome: 'unsupported', code, ...hint(code) };
    case 'cant_kick_self':
      return { outcome: 'denied', code: 'self', ...hint(code) };
    case 'channel_not_found':
    case 'user_not_found':
    case 'no_such_subteam':
      return { outcome: 'denied', code: 'room-not-found' };
    default:
      return { outcome: 'failed', code, ...hint(code) };
  }
}

/** `conversations.invite` errors as undo outcomes. */
export function restoreOutcome(error: unknown): RestoreResult {
  const again = retryable(error);
  if (again?.code === 'rate-limited') return { outcome: 'failed', code: again.code, hint: again.hint ?? '' };
  if (again) throw again;
  const code = slackError(error);
  if (!code) throw error;
  if (code === 'already_in_channel') return { outcome: 'already_member' };
  if (code === 'method_not_supported_for_channel_type' || code === 'is_archived') {
    return { outcome: 'unsupported', code, ...hint(code) };
  }
  return { outcome: 'failed', code, ...hint(code) };
}
