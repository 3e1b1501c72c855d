import { ConnectorError, type Metrics, noMetrics, secondsSince, statusClass } from '../../core/index.js';
import { type Secret, SecretScrubber } from './secrets.js';
import { retryableStatus } from './statuses.js';

export type { Secret } from './secrets.js';

/** One JSON request to a seed system's API. */
export interface JsonRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Appended to the base URL (`/api/v1/groups.kick`). */
  path: string;
  /** The path as a template when it holds ids (`/api/2.0/group/:id/members`), for the metrics; default: `path`. */
  route?: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  /** Sent as JSON, on DELETE too (DocSpace and Mudbase read a body there). */
  body?: unknown;
}

export interface JsonResponse {
  status: number;
  /** The parsed body; undefined when it is empty or not JSON. */
  body: unknown;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * JSON over `fetch` for the connectors of the seed systems. What is worth another try is thrown as a retryable
 * `ConnectorError` (no answer, a timeout, and 429 and 5xx as `statuses.ts` says); every other status is returned
 * for the connector to read. Credentials travel in headers or bodies only, no message here repeats them, and an
 * answer that does has them replaced before the connector sees it.
 */
export class JsonHttp {
  readonly #base: string;
  readonly #system: string;
  readonly #timeoutMs: number;
  readonly #scrub: SecretScrubber;
  readonly #metrics: Metrics;

  constructor(
    base: string,
    system: string,
    opts: { timeoutMs?: number; secrets?: readonly Secret[]; metrics?: Metrics } = {},
  ) {
    this.#base = base.replace(/\/+$/, '');
    this.#system = system;
    this.#timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#scrub = new SecretScrubber(opts.secrets ?? []);
    this.#metrics = opts.metrics ?? noMetrics;
  }

  async request(req: JsonRequest): Promise<JsonResponse> {
    const url = new URL(this.#base + req.path);
    for (const [k, v] of Object.entries(req.query ?? {})) url.searchParams.set(k, v);
    let res: Response;
    const operation = `${req.method} ${req.route ?? req.path}`;
    const start = performance.now();
    try {
      res = await fetch(url, {
        method: req.method,
        headers: {
          accept: 'application/json',
          ...(req.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...req.headers,
        },
        ...(req.body === undefined ? {} : { body: JSON.stringify(req.body) }),
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (error) {
      const timedOut = (error as Error).name === 'TimeoutError';
      this.#metrics.call(this.#system, operation, secondsSince(start));
      this.#metrics.error(this.#system, timedOut ? 'timeout' : `${this.#system}-unreachable`);
      throw new ConnectorError(`${this.#system}-unreachable`, {
        retryable: true,
        message: `${this.#system} ${timedOut ? 'did not answer in time' : 'could not be reached'} (${req.method} ${req.path})`,
        hint: `kickbot could not reach ${this.#system}`,
      });
    }
    const text = await res.text().catch(() => '');
    this.#metrics.call(this.#system, operation, secondsSince(start));
    if (res.status >= 400)
      this.#metrics.error(this.#system, res.status === 429 ? 'ratelimited' : statusClass(res.status));
    let body: unknown;
    try {
      body = text ? this.#scrub.value(JSON.parse(text)) : undefined;
    } catch {
      body = undefined;
    }
    const retry = retryableStatus(
      this.#system,
      res.status,
      res.headers.get('retry-after'),
      `${req.method} ${req.path}`,
    );
    if (retry) throw retry;
    return { status: res.status, body };
  }
}
