import { COMMAND_RESULTS, OUTCOMES } from '../core/index.js';

/**
 * The bounded sets every label value comes from. A value outside them is counted as `other`: label values never
 * come from input (a user, a room, a case, a platform's error text), so the number of series stays fixed.
 */

export const OTHER = 'other';

/** The platforms and seed systems kickbot runs on or removes from (`Front.name`, `Remover.system`). */
export const PLATFORMS: ReadonlySet<string> = new Set([
  'admin', // the admin page's own identity, when it acts through the core
  'console',
  'slack',
  'discord',
  'rocketchat',
  'docspace',
  'mudbase',
  'betterforms',
  'feedbackhouse',
]);

const OUTCOME_SET: ReadonlySet<string> = new Set(OUTCOMES);
const RESULT_SET: ReadonlySet<string> = new Set(COMMAND_RESULTS);

/**
 * Error codes worth a series of their own: kickbot's ConnectorError codes, and the platform errors its connectors
 * name (Slack's error strings that have a hint or an outcome). Anything else a platform says is `other`.
 */
const CODES: ReadonlySet<string> = new Set([
  'ratelimited',
  'rate-limited',
  'timeout',
  'unauthorized',
  'dm-closed',
  'group-busy',
  'store-unavailable',
  'user-not-found',
  'busy',
  'internal-error',
  'job-failed',
  // Slack
  'restricted_action',
  'missing_scope',
  'not_authed',
  'invalid_auth',
  'token_revoked',
  'account_inactive',
  'token_expired',
  'cant_kick_from_general',
  'method_not_supported_for_channel_type',
  'not_supported',
  'is_archived',
  'cant_kick_self',
  'no_users_provided',
  'not_in_channel',
  'already_in_channel',
  'channel_not_found',
  'user_not_found',
  'no_such_subteam',
  'messages_tab_disabled',
]);

/** `<system>-unreachable`, `<system>-unavailable`, `<system>-bad-answer`: a known system's trouble, or an HTTP class. */
const SYSTEM_CODE = /^([a-z]+)-(unreachable|unavailable|bad-answer)$/;
const STATUS_CLASS = /^[1-5]xx$/;

/** A method or route label: an API method name, a route template or `VERB /path` of kickbot's own calls. */
const METHOD = /^[A-Za-z0-9 ._:/@-]{1,80}$/;
/** Past this many distinct methods per platform, a new one is `other` (a safety net: kickbot calls a few dozen). */
const MAX_METHODS = 100;

const pick = (set: ReadonlySet<string>, value: string) => (set.has(value) ? value : OTHER);

export const platformLabel = (value: string): string => pick(PLATFORMS, value);
export const outcomeLabel = (value: string): string => pick(OUTCOME_SET, value);
export const resultLabel = (value: string): string => pick(RESULT_SET, value);

export function codeLabel(value: string): string {
  if (CODES.has(value) || STATUS_CLASS.test(value)) return value;
  const system = SYSTEM_CODE.exec(value)?.[1];
  return system !== undefined && PLATFORMS.has(system) ? value : OTHER;
}

/** Method labels seen so far, per platform; new ones past the cap are `other`. */
export class MethodLabels {
  readonly #seen = new Map<string, Set<string>>();

  label(platform: string, method: string): string {
    if (!METHOD.test(method)) return OTHER;
    let seen = this.#seen.get(platform);
    if (!seen) {
      seen = new Set();
      this.#seen.set(platform, seen);
    }
    if (seen.has(method)) return method;
    if (seen.size >= MAX_METHODS) return OTHER;
    seen.add(method);
    return method;
  }
}
