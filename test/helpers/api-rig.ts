import { afterEach, beforeEach } from 'vitest';
import { type Core, Identities } from '../../src/core/index.js';
import { type ApiOptions, apiRoute } from '../../src/http/api.js';
import { offboardingsRoute } from '../../src/http/offboardings.js';
import { type HttpServer, startHttpServer } from '../../src/http/server.js';
import { SMALL_WORKSPACE, type TestConsole, testConsole } from './console.js';

/** `POST /api/v1/removals` and `/api/v1/offboardings` on a fresh small console workspace per test, and a way to call them. */

export const API_KEY = 'test-api-key-0123456789';

export interface PostOptions {
  key?: string | null;
  idempotency?: string;
  method?: string;
  raw?: string;
}

export interface Answer {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

export interface ApiRig {
  readonly app: TestConsole;
  readonly url: string;
  post(body: unknown, opts?: PostOptions): Promise<Answer>;
  /** `POST /api/v1/offboardings`. */
  offboard(body: unknown, opts?: PostOptions): Promise<Answer>;
  member(room: string, user: string): Promise<boolean>;
  /** The same route in front of the core with some of it replaced (states a fake cannot reach quickly). */
  serveWith(change: Partial<Core>): Promise<{ url: string; offboardings: string; close(): Promise<void> }>;
}

function options(core: Core): ApiOptions {
  return {
    core,
    apiKey: API_KEY,
    identities: new Identities([{ console: 'bob', rocketchat: 'rc-bob' }]),
    platforms: new Map([['console', 'console:small']]),
  };
}

/** The API routes of a core on a free loopback port. */
export async function serve(core: Core): Promise<HttpServer> {
  return startHttpServer({
    port: 0,
    host: '127.0.0.1',
    routes: {
      '/api/v1/removals': apiRoute(options(core)),
      '/api/v1/offboardings': { POST: offboardingsRoute(options(core)) },
    },
  });
}

export async function postTo(url: string, body: unknown, opts: PostOptions = {}): Promise<Answer> {
  const res = await fetch(url, {
    method: opts.method ?? 'POST',
    headers: {
      'content-type': 'application/json',
      ...(opts.key === null ? {} : { authorization: `Bearer ${opts.key ?? API_KEY}` }),
      ...(opts.idempotency !== undefined ? { 'idempotency-key': opts.idempotency } : {}),
    },
    ...(opts.method === 'GET' ? {} : { body: opts.raw ?? JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, headers: res.headers };
}

/** Registers beforeEach/afterEach; the rig's fields are the current test's. */
export function useApiRig(): ApiRig {
  let app: TestConsole;
  let server: HttpServer;
  beforeEach(async () => {
    app = testConsole(SMALL_WORKSPACE);
    server = await serve(app.core);
  });
  afterEach(async () => {
    await server.close();
  });
  return {
    get app() {
      return app;
    },
    get url() {
      return `${server.url}/api/v1/removals`;
    },
    post: (body, opts) => postTo(`${server.url}/api/v1/removals`, body, opts),
    offboard: (body, opts) => postTo(`${server.url}/api/v1/offboardings`, body, opts),
    member: async (room, user) => (await app.state.members(room, [user])).has(user),
    async serveWith(change) {
      const own = await serve({ ...app.core, ...change });
      return {
        url: `${own.url}/api/v1/removals`,
        offboardings: `${own.url}/api/v1/offboardings`,
        close: () => own.close(),
      };
    },
  };
}
