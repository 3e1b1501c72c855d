/**
 * Two error families (STYLE §7): what the user did wrong (`UsageError`, rendered as a usage reply) and
 * what broke (everything else, logged and rendered as an apology with a reference id). Refusals of the
 * permission rules are values, not errors.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(
    message: string,
    readonly usage?: string,
  ) {
    super(message);
  }
}

/** Thrown by a connector when a platform call failed; `retryable` errors are retried with backoff. */
export class ConnectorError extends Error {
  override readonly name = 'ConnectorError';
  readonly code: string;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly hint: string | undefined;
  constructor(
    code: string,
    opts: { message?: string; retryable?: boolean; retryAfterMs?: number; hint?: string } = {},
  ) {
    super(opts.message ?? code);
    this.code = code;
    this.retryable = opts.retryable ?? false;
    this.retryAfterMs = opts.retryAfterMs;
    this.hint = opts.hint;
  }
}

export function isRetryable(error: unknown): error is ConnectorError {
  return error instanceof ConnectorError && error.retryable;
}

/** The state store (Redis) cannot be reached: nothing may be removed, because nothing could be recorded. */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
}
