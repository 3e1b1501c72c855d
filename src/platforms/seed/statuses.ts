import { ConnectorError } from '../../core/index.js';

/**
 * What an HTTP status means when a seed system (Rocket.Chat, DocSpace, Mudbase, feedback.house, BetterForms)
 * answers with it, in one place: 429 and 5xx are worth another try (`JsonHttp` throws them before a connector
 * reads anything), 401 is refused credentials, 403 and 404 mean what the system's `SeedSystem` says, and any other
 * status is a failure named after it. Each system reads in its answers only what its API says beyond the status
 * (Rocket.Chat's `errorType`, Mudbase's `message`, feedback.house's per-area errors).
 */

/** What a seed system's statuses mean, as data its `answers.ts` holds. */
export interface SeedSystem {
  /** The platform id, which starts the code of a status the system gives no meaning (`docspace-409`). */
  id: string;
  /** As people write it: `DocSpace`, `feedback.house`. */
  name: string;
  /** What kickbot signs in with, as a refused sign-in names it (never its value): `API key`, `JWT (…)`. */
  credential: string;
  /**
   * What a 403 means: `credentials`, the same as a 401; `status`, nothing beyond its number; or the system's own
   * refusal, its hint naming the room.
   */
  forbidden: 'credentials' | 'status' | Forbidden;
  /** What the system calls a room (`group`, `channel`) when a 404 alone says there is no such room. */
  room?: string;
}

export interface Forbidden {
  outcome: 'denied' | 'failed';
  code: string;
  hint(room: string): string;
}

/** Fits both result types, a removal's and an undo's, once an undo turns `denied` into `failed`. */
export interface StatusOutcome {
  outcome: 'denied' | 'failed';
  code: string;
  hint: string;
}

export interface StatusContext {
  /** The room the call was about, as the hint names it. */
  room?: string;
  /** The system's own words about a status it gives no meaning, added to the hint (kept short, no secrets). */
  said?: string;
}

/** A non-2xx status that `JsonHttp` returned (not 429 nor 5xx) as an outcome. */
export function statusOutcome(system: SeedSystem, status: number, ctx: StatusContext = {}): StatusOutcome {
  const { forbidden } = system;
  if (status === 401 || (status === 403 && forbidden === 'credentials')) {
    return {
      outcome: 'failed',
      code: 'unauthorized',
      hint: `${system.name} refused kickbot's ${system.credential}`,
    };
  }
  if (status === 403 && typeof forbidden === 'object') {
    return { outcome: forbidden.outcome, code: forbidden.code, hint: forbidden.hint(ctx.room ?? '') };
  }
  if (status === 404 && system.room) {
    return {
      outcome: 'denied',
      code: 'room-not-found',
      hint: `${system.name} has no ${system.room} ${ctx.room ?? ''}`,
    };
  }
  return {
    outcome: 'failed',
    code: `${system.id}-${status}`,
    hint: `${system.name} answered ${status}${ctx.said === undefined ? '' : `: ${ctx.said}`}`,
  };
}

/** The same outcome thrown, where a method has no result to carry it (a lookup). Not retryable. */
export function statusError(outcome: StatusOutcome, message: string): ConnectorError {
  return new ConnectorError(outcome.code, { message, hint: outcome.hint });
}

/**
 * 429 (with its Retry-After, in seconds) and 5xx as retryable errors, for `JsonHttp` to throw; undefined for any
 * other status. `system` is the platform id, `call` the request (`POST /path`): no credential is in either.
 */
export function retryableStatus(
  system: string,
  status: number,
  retryAfter: string | null,
  call: string,
): ConnectorError | undefined {
  if (status === 429) {
    const seconds = Number(retryAfter);
    return new ConnectorError('ratelimited', {
      retryable: true,
      ...(Number.isFinite(seconds) && seconds >= 0 ? { retryAfterMs: seconds * 1000 } : {}),
      message: `${system} rate limit (${call})`,
    });
  }
  if (status >= 500) {
    return new ConnectorError(`${system}-unavailable`, {
      retryable: true,
      message: `${system} answered ${status} (${call})`,
      hint: `${system} had an error (${status})`,
    });
  }
  return undefined;
}

/** A thrown error as the result of the targets it left unanswered (a batch that cannot be sent again). */
export function failedBy(error: ConnectorError): { outcome: 'failed'; code: string; hint?: string } {
  return { outcome: 'failed', code: error.code, ...(error.hint ? { hint: error.hint } : {}) };
}
