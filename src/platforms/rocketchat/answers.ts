import { ConnectorError, type RemoveResult, type RestoreResult } from '../../core/index.js';
import type { JsonResponse } from '../seed/http.js';
import { type SeedSystem, statusError, statusOutcome } from '../seed/statuses.js';

/**
 * What Rocket.Chat answers when a call did not succeed: 401 `{status:'error', message}` for refused credentials,
 * 400 `{success:false, error:'<message> [<errorType>]', errorType, details}` for a Meteor error, and
 * 400 `{success:false, error:'Invalid user'}` (no errorType) for `API.v1.failure('…')`. 5xx, 429 and no answer at
 * all never get here: `JsonHttp` throws them as retryable errors.
 */
export interface RcFailure {
  status: number;
  errorType?: string;
  /** Rocket.Chat's own message, for a hint; never anything kickbot sent. */
  error?: string;
}

/** The failure in an answer, or undefined for a success (2xx without `success: false`). */
export function failureOf(res: JsonResponse): RcFailure | undefined {
  const body = (res.body ?? {}) as { success?: unknown; errorType?: unknown; error?: unknown };
  if (res.status >= 200 && res.status < 300 && body.success !== false) return undefined;
  return {
    status: res.status,
    ...(typeof body.errorType === 'string' ? { errorType: body.errorType } : {}),
    ...(typeof body.error === 'string' ? { error: body.error.slice(0, 200) } : {}),
  };
}

/** `error-room-not-found` for an unknown room or one kickbot's account cannot access (Rocket.Chat says the same). */
export function roomGone(f: RcFailure): boolean {
  return f.errorType === 'error-room-not-found' || f.errorType === 'error-invalid-room';
}

/** What kickbot was doing, to name the permission it lacked. */
export type Step = 'kick-p' | 'kick-c' | 'leave' | 'invite-p' | 'invite-c' | 'role';

const NOT_ALLOWED: Record<Step, string> = {
  'kick-p': 'may not remove users here (remove-user / kick-user-from-any-p-room)',
  'kick-c': 'may not remove users here (remove-user / kick-user-from-any-c-room)',
  leave: 'may not leave this room (leave-p / leave-c)',
  'invite-p': 'may not add users here (add-user-to-joined-room / add-user-to-any-p-room)',
  'invite-c': 'may not add users here (add-user-to-joined-room / add-user-to-any-c-room)',
  role: 'may not give room roles here (set-owner / set-moderator)',
};

const LAST_OWNER: Record<'self' | 'other', string> = {
  self: "kickbot's Rocket.Chat account is the room's last owner: make someone else owner before it leaves",
  other: "the user is the room's last owner: make someone else owner first",
};

/**
 * Rocket.Chat's statuses (`statuses.ts`): a 401 is refused credentials; a 403 or a 404 alone says nothing, the
 * body's `errorType` does.
 */
export const ROCKETCHAT: SeedSystem = {
  id: 'rocketchat',
  name: 'Rocket.Chat',
  credential: 'credentials (X-User-Id / X-Auth-Token)',
  forbidden: 'status',
};

/** `rocketchat-<errorType or status>`, kept to letters, digits and dashes. */
function otherCode(f: RcFailure): string {
  const raw = f.errorType ?? String(f.status);
  return `rocketchat-${raw.toLowerCase().replace(/[^a-z0-9-]+/g, '-')}`;
}

/** Rocket.Chat's refusal of a kick or a leave as an outcome (DESIGN §4). */
export function removeOutcome(f: RcFailure, step: Step): RemoveResult {
  if (f.status === 401) return statusOutcome(ROCKETCHAT, f.status);
  switch (f.errorType) {
    case 'error-user-not-in-room':
      return { outcome: 'not_member' };
    case 'error-not-allowed':
      return {
        outcome: 'denied',
        code: 'not-allowed',
        hint: `the Rocket.Chat account kickbot uses ${NOT_ALLOWED[step]}`,
      };
    case 'error-room-not-found':
    case 'error-invalid-room':
      return { outcome: 'denied', code: 'room-not-found' };
    case 'error-you-are-last-owner':
      return { outcome: 'denied', code: 'last-owner', hint: LAST_OWNER[step === 'leave' ? 'self' : 'other'] };
    case 'error-app-prevented':
      return { outcome: 'denied', code: 'app-prevented', hint: 'a Rocket.Chat app refused the removal' };
    case 'error-invalid-user':
      return { outcome: 'failed', code: 'invalid-user', hint: 'Rocket.Chat does not know this user' };
    default:
      if (f.error === 'Invalid user')
        return { outcome: 'failed', code: 'invalid-user', hint: 'Rocket.Chat does not know this user' };
      return { outcome: 'failed', code: otherCode(f), ...(f.error ? { hint: f.error } : {}) };
  }
}

/** The same table for a re-add: a restore has no `denied` nor `not_member`, so those become `failed`. */
export function restoreOutcome(f: RcFailure, step: Step): Extract<RestoreResult, { code: string }> {
  const r = removeOutcome(f, step);
  if (r.outcome === 'not_member')
    return { outcome: 'failed', code: 'not-member', hint: 'the user is not in the room' };
  if (r.outcome === 'removed') return { outcome: 'failed', code: otherCode(f) };
  return {
    outcome: r.outcome === 'unsupported' ? 'unsupported' : 'failed',
    code: r.code,
    ...(r.hint ? { hint: r.hint } : {}),
  };
}

/** A lookup that failed for another reason than a missing room: thrown, it is not an outcome. */
export function lookupError(f: RcFailure, what: string): ConnectorError {
  if (f.status === 401)
    return statusError(
      statusOutcome(ROCKETCHAT, f.status),
      `Rocket.Chat refused kickbot's credentials (${what})`,
    );
  return new ConnectorError(otherCode(f), {
    message: `Rocket.Chat answered ${f.status} ${f.errorType ?? f.error ?? ''} (${what})`.trim(),
    ...(f.error ? { hint: f.error } : {}),
  });
}
