import { isRetryable } from './errors.js';
import type { Clock } from './ports/clock-logger.js';
import type { Metrics } from './ports/metrics.js';

export interface RetrySettings {
  /** Retries of a call the connector marked retryable. */
  retries: number;
  /** First backoff; doubles on each retry unless the platform said how long to wait. */
  backoffMs: number;
}

/**
 * Runs a platform call, trying again (with backoff) while it fails with a retryable error. A wait the platform
 * asked for (a 429's Retry-After) is counted as rate-limit time of `system`.
 */
export async function withRetry<T>(
  deps: { clock: Clock; settings: RetrySettings; metrics: Metrics },
  system: string,
  call: () => Promise<T>,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!isRetryable(error) || attempt >= deps.settings.retries) throw error;
      if (error.retryAfterMs !== undefined) deps.metrics.rateLimitWait(system, error.retryAfterMs / 1000);
      await deps.clock.sleep(error.retryAfterMs ?? deps.settings.backoffMs * 2 ** attempt);
    }
  }
}
