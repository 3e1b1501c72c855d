/**
 * What of an error may go into a log line. HTTP client errors (axios behind Bolt's `respond`, @slack/web-api,
 * @discordjs/rest) carry the request: its URL (a Slack `response_url`, a Discord webhook URL with the
 * interaction token: capabilities) and its body (the message text). A logger that serialises the whole error
 * writes them out; this keeps the name, the code, the HTTP status and the platform's error code only.
 */
export interface SafeError {
  name?: string;
  code?: string | number;
  status?: number;
  /** The platform's own error string (Slack `invalid_auth`, `ratelimited`…). */
  error?: string;
  /** Only for errors that carry no request (a programming error), with anything URL-like cut out. */
  message?: string;
}

type Loose = {
  name?: unknown;
  code?: unknown;
  status?: unknown;
  statusCode?: unknown;
  message?: unknown;
  response?: { status?: unknown };
  data?: { error?: unknown };
  config?: unknown;
  url?: unknown;
  request?: unknown;
  requestBody?: unknown;
};

const WORD = /^[\w.:-]{1,80}$/;

/** Anything URL-like becomes its scheme and host: the path of a capability URL is the secret. */
export function withoutUrls(text: string): string {
  return text.replace(/\b(https?|wss?):\/\/([^/\s?#]+)[^\s"'<>]*/gi, '$1://$2/…');
}

export function safeError(error: unknown): SafeError {
  if (error === null || typeof error !== 'object') return { name: typeof error };
  const e = error as Loose;
  const out: SafeError = {};
  if (typeof e.name === 'string' && WORD.test(e.name)) out.name = e.name;
  if ((typeof e.code === 'string' && WORD.test(e.code)) || typeof e.code === 'number') out.code = e.code;
  const status = [e.status, e.statusCode, e.response?.status].find((s) => typeof s === 'number');
  if (typeof status === 'number') out.status = status;
  if (typeof e.data?.error === 'string' && WORD.test(e.data.error)) out.error = e.data.error;
  const carriesRequest =
    status !== undefined ||
    [e.config, e.url, e.request, e.requestBody, e.response].some((x) => x !== undefined);
  if (!carriesRequest && typeof e.message === 'string') out.message = withoutUrls(e.message).slice(0, 200);
  return out;
}

/**
 * An error that leaves the platform code for the core's logger, reduced to what may be logged. A failed post
 * (a room confirmation) would otherwise carry the message text in its request body.
 */
export class PlatformCallError extends Error {
  override readonly name = 'PlatformCallError';
  readonly code: string | number | undefined;
  readonly status: number | undefined;

  constructor(error: unknown) {
    const safe = safeError(error);
    const what = [safe.name, safe.code, safe.status && `HTTP ${safe.status}`, safe.error].filter(Boolean);
    super(what.join(' ') || 'platform call failed');
    this.code = safe.code;
    this.status = safe.status;
  }
}
