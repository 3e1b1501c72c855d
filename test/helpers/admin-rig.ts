import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import type { AdminPage } from '../../src/admin/app.js';
import { caseAssets, createCasePages } from '../../src/admin/case-pages.js';
import { adminRoutesOf } from '../../src/admin/index.js';
import { STREAM_DEFAULTS, type StreamSettings } from '../../src/admin/progress-stream.js';
import { shellAssets, shellPages } from '../../src/admin/shell-pages.js';
import { type Env, readEnv } from '../../src/cli/env.js';
import { consoleApp, createRuntime, type Runtime } from '../../src/cli/runtime.js';
import { type Config, EMPTY_CONFIG } from '../../src/config/config-file.js';
import type { Handled, Logger } from '../../src/core/index.js';
import { type HttpServer, startHttpServer } from '../../src/http/server.js';
import { ConsoleSession } from '../../src/platforms/console/session.js';
import { SMALL_WORKSPACE } from './console.js';
import { captureLogger } from './log-capture.js';
import { redisUrl, testPrefix } from './redis.js';

/**
 * The admin page as `kickbot serve` runs it: a runtime from createRuntime on a console workspace (memory store, or
 * the test Redis under a fresh prefix) or the test's own (gated-runtime.ts: a fake clock, removals held at a gate),
 * the admin routes on a real HTTP server on a loopback port, every log line kept, and ways in: a fetch client with
 * a cookie jar, a browser page signed in through the form.
 */

/** A token no deployment has (at least 16 characters, like KICKBOT_ADMIN_TOKEN). */
export const ADMIN_TOKEN = 'test-admin-token-5f1c2e9a7b';

export interface AdminRigOptions {
  /** The console workspace (YAML; default: SMALL_WORKSPACE, workspace `console:small`). */
  workspace?: string;
  config?: Config;
  /** Where the config's `{ env: VAR }` secrets are read (default: none). */
  rawEnv?: NodeJS.ProcessEnv;
  /** The store in Redis (BullMQ queues too) instead of memory: the test Redis, or the one at this URL. */
  redis?: boolean | string;
  /** Work bulk jobs and timers in this process (with redis). */
  worker?: boolean;
  /** KICKBOT_PUBLIC_URL. */
  publicUrl?: string;
  /** More environment variables (DISCORD_APPLICATION_ID…). */
  env?: Record<string, string>;
  /** Pages of the test's own, mounted beside the admin page's. */
  extraPages?: AdminPage[];
  /** The admin token (default ADMIN_TOKEN). */
  token?: string;
  /** The admin page's clock (ms since the epoch). */
  now?: () => number;
  /** A runtime of the test's own (e.g. gatedRuntime's) instead of createRuntime's; the rig closes it. */
  runtime?: Runtime;
  /** The live progress streams' bounds (the case pages made by createCasePages with these). */
  streams?: Partial<StreamSettings>;
}

export interface AdminRig {
  /** The HTTP server's base URL (`http://127.0.0.1:<port>`). */
  readonly url: string;
  readonly runtime: Runtime;
  /** Every log line (JSON) of the runtime and the admin page. */
  readonly logs: string[];
  /** Another replica: adminRoutes made again on its own HTTP server, on the same runtime's store. Its base URL. */
  replica(): Promise<string>;
  /** A fetch client with an empty cookie jar (on this replica, or another's URL). */
  client(base?: string): AdminClient;
  /** A client signed in through POST /admin/sign-in. */
  signIn(base?: string): Promise<AdminClient>;
  /** A console command (`/kick @bob spam`) through the runtime's core, as `kickbot run` sends it. */
  run(as: string, room: string, line: string): Promise<Handled>;
  /** A browser page signed in through the form (a new context of `browser`). */
  signInPage(browser: Browser, options?: BrowserContextOptions): Promise<Page>;
  close(): Promise<void>;
}

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

/** fetch against the admin page, keeping the cookies it sets; redirects are not followed (tests read them). */
export class AdminClient {
  readonly cookies = new Map<string, string>();

  constructor(readonly base: string) {}

  async request(path: string, init: RequestInit = {}): Promise<Answer> {
    const res = await this.fetch(path, init);
    return { status: res.status, headers: res.headers, text: await res.text() };
  }

  /** The same request with its body unread (an event stream). */
  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0 && !headers.has('cookie'))
      headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await fetch(`${this.base}${path}`, { ...init, headers, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at);
      if (/Max-Age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, pair.slice(at + 1));
    }
    return res;
  }

  get(path: string, headers: Record<string, string> = {}): Promise<Answer> {
    return this.request(path, { headers });
  }

  /** A form POST; `csrf: true` adds the session's CSRF token (read from a page first). */
  async post(
    path: string,
    fields: Record<string, string>,
    opts: { csrf?: boolean; headers?: Record<string, string> } = {},
  ): Promise<Answer> {
    const form = new URLSearchParams(fields);
    if (opts.csrf) form.set('csrf', await this.csrf());
    return this.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...opts.headers },
      body: form.toString(),
    });
  }

  /** The CSRF token of the session, as the overview's sign-out form carries it. */
  async csrf(): Promise<string> {
    const page = await this.get('/admin');
    const token = /name="csrf" value="([^"]+)"/.exec(page.text)?.[1];
    if (!token) throw new Error(`no CSRF token on /admin (status ${page.status}): not signed in?`);
    return token;
  }

  /** Signs in with `token` (default: the rig's): the answer of POST /admin/sign-in. */
  signIn(token = ADMIN_TOKEN, next?: string): Promise<Answer> {
    return this.post('/admin/sign-in', { token, ...(next !== undefined ? { next } : {}) });
  }
}

export async function startAdminRig(opts: AdminRigOptions = {}): Promise<AdminRig> {
  const logs: string[] = [];
  const logger = captureLogger(logs);
  const token = opts.token ?? ADMIN_TOKEN;
  const env = readEnv({
    KICKBOT_ADMIN_TOKEN: token,
    ...(opts.redis
      ? {
          REDIS_URL: typeof opts.redis === 'string' ? opts.redis : redisUrl(),
          KICKBOT_REDIS_PREFIX: testPrefix(),
        }
      : {}),
    ...(opts.publicUrl ? { KICKBOT_PUBLIC_URL: opts.publicUrl } : {}),
    ...opts.env,
  });
  const runtime = opts.runtime ?? (await consoleRuntime(opts, env, logger));
  const casePages = createCasePages({ ...STREAM_DEFAULTS, ...opts.streams });
  const servers: HttpServer[] = [];
  const serve = async () => {
    const deps = {
      runtime,
      env,
      token,
      logger: logger.child({ front: 'admin' }),
      ...(opts.publicUrl ? { publicUrl: opts.publicUrl } : {}),
      ...(opts.now ? { now: opts.now } : {}),
    };
    const pages = [...shellPages, ...casePages, ...(opts.extraPages ?? [])];
    const routes = adminRoutesOf(deps, pages, { ...shellAssets, ...caseAssets });
    const server = await startHttpServer({ port: 0, host: '127.0.0.1', routes, logger });
    servers.push(server);
    return server.url;
  };
  const url = await serve();
  const app = consoleApp(runtime);
  return {
    url,
    runtime,
    logs,
    replica: serve,
    client: (base = url) => new AdminClient(base),
    async signIn(base = url) {
      const client = new AdminClient(base);
      const answer = await client.signIn(token);
      if (answer.status !== 303) throw new Error(`sign-in answered ${answer.status}`);
      return client;
    },
    run: (as, room, line) => runtime.core.handle(new ConsoleSession(app, { as, in: room }).invocation(line)),
    async signInPage(browser, options = {}) {
      const context = await browser.newContext(options);
      const page = await context.newPage();
      await page.goto(`${url}/admin/sign-in`);
      await page.getByLabel('Admin token').fill(token);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(`${url}/admin`);
      return page;
    },
    async close() {
      for (const server of servers) await server.close();
      await runtime.close();
    },
  };
}

/** What `kickbot serve` makes on the rig's workspace (written to a file, as serve reads it). */
function consoleRuntime(opts: AdminRigOptions, env: Env, logger: Logger): Promise<Runtime> {
  const dir = mkdtempSync(join(tmpdir(), 'kickbot-admin-'));
  const workspaceFile = join(dir, 'workspace.yaml');
  writeFileSync(workspaceFile, opts.workspace ?? SMALL_WORKSPACE);
  return createRuntime({
    env,
    config: opts.config ?? EMPTY_CONFIG,
    logger,
    worker: opts.worker ?? false,
    platforms: true,
    console: { workspaceFile },
    rawEnv: opts.rawEnv ?? {},
  });
}
