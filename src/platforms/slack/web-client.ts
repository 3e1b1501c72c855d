import { setTimeout as delay } from 'node:timers/promises';
import { ErrorCode, type WebAPICallResult, WebClient } from '@slack/web-api';
import { type Logger, type Metrics, noMetrics, secondsSince, statusClass } from '../../core/index.js';
import { SLACK } from './ids.js';
import { slackLogger } from './logger.js';

export interface SlackWebClientOptions {
  logger: Logger;
  /** The Web API's base URL (tests point it at a fake). */
  apiUrl?: string;
  /** Every Web API call gives up after this long (SLACK_API_TIMEOUT); the core retries a removal, then `failed timeout`. */
  timeoutMs: number;
  /** Where every call's time, failure and rate-limit wait is recorded. */
  metrics?: Metrics;
}

/** Whether a failed call timed out (axios behind the WebClient: ECONNABORTED / ETIMEDOUT). */
export function timedOut(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown; original?: { code?: unknown } } | null;
  const code = e?.original?.code ?? e?.code;
  return (
    code === 'ECONNABORTED' ||
    code === 'ETIMEDOUT' ||
    (typeof e?.message === 'string' && /timeout of \d+ms exceeded/.test(e.message))
  );
}

/** Calls whose 429 the core waits out (paced by the store's rate slot): the client hands it back at once. */
const CORE_PACED = new Set(['conversations.kick', 'conversations.invite', 'usergroups.users.update']);
/** A lookup rate-limited for at most this long waits (that call alone) and is tried again, up to 3 times. */
const LOOKUP_WAIT_MAX_MS = 10_000;

/**
 * The WebClient with rate-limited lookups (`users.info`, `conversations.members`…) tried again after a short
 * Retry-After, each call on its own: nothing else waits, unlike @slack/web-api's default, which pauses every
 * call of the client. Removals are handed back at once: the core waits for them, paced by the store.
 */
class PatientWebClient extends WebClient {
  readonly #metrics: Metrics;

  constructor(token: string, options: ConstructorParameters<typeof WebClient>[1], metrics: Metrics) {
    super(token, options);
    this.#metrics = metrics;
  }

  override async apiCall(method: string, options?: Record<string, unknown>): Promise<WebAPICallResult> {
    for (let attempt = 0; ; attempt++) {
      const start = performance.now();
      try {
        const result = await super.apiCall(method, options);
        this.#metrics.call(SLACK, method, secondsSince(start));
        return result;
      } catch (error) {
        this.#metrics.call(SLACK, method, secondsSince(start));
        this.#metrics.error(SLACK, errorCode(error));
        const e = error as { code?: unknown; retryAfter?: unknown };
        const waitMs = typeof e.retryAfter === 'number' ? e.retryAfter * 1000 : 1_000;
        const patient =
          e.code === ErrorCode.RateLimitedError &&
          !CORE_PACED.has(method) &&
          attempt < 3 &&
          waitMs <= LOOKUP_WAIT_MAX_MS;
        if (!patient) throw error;
        this.#metrics.rateLimitWait(SLACK, waitMs / 1000);
        await delay(waitMs);
      }
    }
  }
}

/**
 * kickbot's Web API client. A slow or rate-limited call never holds up the others: each call has a timeout, and
 * a 429 is handed back at once (`rejectRateLimitedCalls`) instead of pausing the client's whole queue for the
 * Retry-After (what @slack/web-api does by default): kickbot's core waits for that one removal, paced by the
 * store's rate slot, while other methods and other commands go on. Network errors and 5xx are tried again a
 * couple of times here; a timed-out call is not (the core owns that retry, so a stuck method costs one timeout
 * per attempt, not several).
 */
export function slackWebClient(token: string, opts: SlackWebClientOptions): WebClient {
  const retryConfig = {
    retries: 2,
    factor: 2,
    minTimeout: 500,
    maxTimeout: 2_000,
    // p-retry (behind the WebClient) stops retrying when this throws.
    onFailedAttempt: (error: unknown) => {
      if (timedOut(error)) throw error;
    },
  };
  return new PatientWebClient(
    token,
    {
      logger: slackLogger(opts.logger),
      timeout: opts.timeoutMs,
      rejectRateLimitedCalls: true,
      // The original axios error holds the request body (a message's text): nothing to carry into a log.
      attachOriginalToWebAPIRequestError: false,
      retryConfig,
      ...(opts.apiUrl ? { slackApiUrl: opts.apiUrl } : {}),
    },
    opts.metrics ?? noMetrics,
  );
}

/**
 * A failed call's error code for the metrics: kickbot's own codes for a rate limit, a timeout and no answer, the
 * status class of an HTTP error, and Slack's error string otherwise (the metrics keep only the ones kickbot names).
 */
function errorCode(error: unknown): string {
  const e = error as { code?: unknown; statusCode?: unknown; data?: { error?: unknown } } | null;
  switch (e?.code) {
    case ErrorCode.RateLimitedError:
      return 'ratelimited';
    case ErrorCode.RequestError:
      return timedOut(error) ? 'timeout' : 'slack-unreachable';
    case ErrorCode.HTTPError:
      return typeof e.statusCode === 'number' ? statusClass(e.statusCode) : 'slack-unreachable';
    case ErrorCode.PlatformError:
      return typeof e.data?.error === 'string' ? e.data.error : 'other';
    default:
      return timedOut(error) ? 'timeout' : 'other';
  }
}
