import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The shared skeleton of the seed systems' fakes (Rocket.Chat, DocSpace, Mudbase, feedback.house,
 * BetterForms): an HTTP server on 127.0.0.1 that routes by method and path pattern, parses JSON bodies (on
 * DELETE too), records every call, and lets a test make the next call to a route fail. Each fake adds its
 * routes and its state, and answers what its seed document says, rejecting anything else.
 */

export interface FakeRequest {
  method: string;
  path: string;
  /** `:name` segments of the route pattern. */
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  /** The raw body text ('' when none). */
  raw: string;
  /** The parsed JSON body; undefined when empty or not JSON. */
  body: unknown;
}

export interface FakeAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type FakeHandler = (req: FakeRequest) => FakeAnswer | Promise<FakeAnswer>;

export interface RecordedCall {
  method: string;
  path: string;
  /** The route pattern that matched (`/api/2.0/group/:id/members`), or '' when none did. */
  route: string;
  headers: IncomingMessage['headers'];
  body: unknown;
  raw: string;
  status: number;
}

interface Route {
  method: string;
  pattern: string;
  regex: RegExp;
  names: string[];
  handler: FakeHandler;
}

function compile(pattern: string): { regex: RegExp; names: string[] } {
  const names: string[] = [];
  const source = pattern
    .split('/')
    .map((seg) => {
      if (seg.startsWith(':')) {
        names.push(seg.slice(1));
        return '([^/]+)';
      }
      return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { regex: new RegExp(`^${source}$`), names };
}

export class JsonFake {
  readonly calls: RecordedCall[] = [];
  readonly #routes: Route[] = [];
  readonly #failures = new Map<string, FakeAnswer[]>();
  #server: Server | undefined;
  #url = '';

  /** The base URL, `http://127.0.0.1:<port>`. */
  get url(): string {
    return this.#url;
  }

  route(method: string, pattern: string, handler: FakeHandler): void {
    this.#routes.push({ method, pattern, ...compile(pattern), handler });
  }

  /** The next call to `METHOD /pattern` answers this instead (queued: call again for more). */
  failNext(route: string, answer: FakeAnswer): void {
    const list = this.#failures.get(route) ?? [];
    list.push(answer);
    this.#failures.set(route, list);
  }

  /** Calls that matched `METHOD /pattern`. */
  callsTo(route: string): RecordedCall[] {
    return this.calls.filter((c) => `${c.method} ${c.route}` === route);
  }

  async listen(): Promise<this> {
    const server = createServer((req, res) => {
      void this.#serve(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.#server = server;
    this.#url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async #serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = undefined;
    }
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = req.method ?? 'GET';
    let matched: Route | undefined;
    let params: Record<string, string> = {};
    for (const r of this.#routes) {
      if (r.method !== method) continue;
      const m = r.regex.exec(url.pathname);
      if (!m) continue;
      matched = r;
      params = Object.fromEntries(r.names.map((n, i) => [n, decodeURIComponent(m[i + 1] ?? '')]));
      break;
    }
    const key = matched ? `${method} ${matched.pattern}` : '';
    const failure = this.#failures.get(key)?.shift();
    let answer: FakeAnswer;
    if (failure) answer = failure;
    else if (!matched) answer = { status: 404, body: { error: `no route ${method} ${url.pathname}` } };
    else {
      try {
        answer = await matched.handler({
          method,
          path: url.pathname,
          params,
          query: url.searchParams,
          headers: req.headers,
          raw,
          body,
        });
      } catch (error) {
        answer = { status: 500, body: { error: (error as Error).message } };
      }
    }
    this.calls.push({
      method,
      path: url.pathname,
      route: matched?.pattern ?? '',
      headers: req.headers,
      body,
      raw,
      status: answer.status,
    });
    const text = answer.body === undefined ? '' : JSON.stringify(answer.body);
    res.writeHead(answer.status, {
      ...(text ? { 'content-type': 'application/json' } : {}),
      ...answer.headers,
    });
    res.end(text);
  }
}
