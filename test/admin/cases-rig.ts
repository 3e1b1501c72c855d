import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { commands } from '../../commands/index.js';
import type { AdminAsset, AdminDeps, AdminPage, AdminView } from '../../src/admin/app.js';
import { ADMIN_HEADERS } from '../../src/admin/app.js';
import { caseAssets, createCasePages } from '../../src/admin/case-pages.js';
import type { StreamSettings } from '../../src/admin/progress-stream.js';
import { STREAM_DEFAULTS } from '../../src/admin/progress-stream.js';
import { shellAssets } from '../../src/admin/shell-pages.js';
import { readEnv } from '../../src/cli/env.js';
import type { Runtime } from '../../src/cli/runtime.js';
import type { Config } from '../../src/config/config-file.js';
import {
  type Clock,
  type Core,
  createCore,
  DEFAULT_GRANTS,
  type Id,
  type RemovalTarget,
  type RemoveResult,
  silentLogger,
  withOverrides,
} from '../../src/core/index.js';
import { ConsoleConnector } from '../../src/platforms/console/ConsoleConnector.js';
import { ConsoleSession } from '../../src/platforms/console/session.js';
import { parseWorkspace } from '../../src/platforms/console/workspace-file.js';
import { MemoryWorkspace } from '../../src/platforms/console/workspace-state.js';
import { MemoryStore } from '../../src/store/MemoryStore.js';
import { ScriptedConnector } from '../helpers/kit.js';

/**
 * The case pages on a real HTTP server before the admin shell's routing is merged: a small dispatcher that does
 * what the shell will (match a pattern, decode its params, 405 for a method a page does not take, read a POST's
 * form and check its `csrf` field against the session's, here always "t", serve the shell's and these pages'
 * assets), in front of a core on a
 * console workspace and a memory store. After the merge these tests move to the real `adminRoutes` and sign-in.
 */

export const CSRF = 't';
/** The largest form body the rig reads (the shell bounds its own). */
const MAX_FORM = 16_384;

/** A console connector whose removals wait for the test to let them through (`release(n)`), when gated. */
export class GatedConnector extends ScriptedConnector {
  gated = false;
  #permits = 0;
  #waiting: (() => void)[] = [];
  /** Removals waiting at the gate. */
  get waiting(): number {
    return this.#waiting.length;
  }

  release(n: number): void {
    this.#permits += n;
    while (this.#permits > 0 && this.#waiting.length > 0) {
      this.#permits--;
      this.#waiting.shift()?.();
    }
  }

  override async remove(target: RemovalTarget): Promise<RemoveResult> {
    if (this.gated) {
      if (this.#permits > 0) this.#permits--;
      else await new Promise<void>((resolve) => this.#waiting.push(resolve));
    }
    return super.remove(target);
  }
}

export interface CasesRig {
  url: string;
  core: Core;
  store: MemoryStore;
  state: MemoryWorkspace;
  connector: GatedConnector;
  workspace: Id;
  /** Runs `line` as `as` in `room` on the console workspace (a real command through the core). */
  run(as: string, room: string, line: string): ReturnType<Core['handle']>;
  /** A GET or a form POST (the CSRF field added unless given). */
  get(path: string): Promise<Response>;
  post(path: string, fields?: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

export async function startCasesRig(
  yaml: string,
  opts: { clock?: Clock; streams?: Partial<StreamSettings>; bulkThreshold?: number } = {},
): Promise<CasesRig> {
  const data = parseWorkspace(yaml, 'rig.yaml');
  const state = new MemoryWorkspace(data);
  const store = new MemoryStore(opts.clock ? { clock: opts.clock } : {});
  const inner = new ConsoleConnector({ data, state, onNotice: () => {} });
  const connector = new GatedConnector(inner);
  const core = createCore({
    directories: [connector],
    removers: [connector],
    store,
    commands,
    grants: withOverrides(DEFAULT_GRANTS, data.permissions),
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.bulkThreshold !== undefined ? { bulkThreshold: opts.bulkThreshold } : {}),
  });
  const runtime = {
    core,
    store,
    fronts: [],
    config: {} as Config,
    storeLabel: 'memory store',
    health: async () => ({ ok: true, store: 'memory', worker: false, platforms: ['console'] }),
    close: async () => {},
  } as unknown as Runtime;
  const deps: AdminDeps = { runtime, env: readEnv({}), token: 'a'.repeat(32), logger: silentLogger };
  const pages = createCasePages({ ...STREAM_DEFAULTS, ...opts.streams });
  const server = createServer((req, res) => {
    dispatch(deps, pages, { ...shellAssets, ...caseAssets }, req, res).catch((error: unknown) => {
      res.writeHead(500).end(String(error));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const app = { connector: inner, data, file: 'rig.yaml' };
  return {
    url,
    core,
    store,
    state,
    connector,
    workspace: `console:${data.name}`,
    run: (as, room, line) => core.handle(new ConsoleSession(app, { as, in: room }).invocation(line)),
    get: (path) => fetch(`${url}${path}`, { redirect: 'manual' }),
    post: (path, fields = {}) =>
      fetch(`${url}${path}`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ csrf: CSRF, ...fields }).toString(),
      }),
    close: () => closeServer(server),
  };
}

async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** `/admin/cases/:ws/:id` against a path: the decoded params, or undefined when it does not match. */
function match(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, part] of want.entries()) {
    const seg = got[i] as string;
    if (part.startsWith(':')) params[part.slice(1)] = decodeURIComponent(seg);
    else if (part !== seg) return undefined;
  }
  return params;
}

async function dispatch(
  deps: AdminDeps,
  pages: AdminPage[],
  assets: Record<string, AdminAsset>,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://rig');
  const asset = url.pathname.startsWith('/admin/assets/') ? assets[url.pathname.slice(14)] : undefined;
  if (asset) {
    res.writeHead(200, { ...ADMIN_HEADERS, 'content-type': `${asset.type}; charset=utf-8` }).end(asset.body);
    return;
  }
  for (const page of pages) {
    let params: Record<string, string> | undefined;
    try {
      params = match(page.pattern, url.pathname);
    } catch {
      res.writeHead(400).end('bad escape in the path');
      return;
    }
    if (!params) continue;
    const handler = req.method === 'GET' ? page.GET : req.method === 'POST' ? page.POST : undefined;
    if (!handler) {
      res
        .writeHead(405, { allow: [page.GET && 'GET', page.POST && 'POST'].filter(Boolean).join(', ') })
        .end();
      return;
    }
    let form = new URLSearchParams();
    if (req.method === 'POST') {
      let body = '';
      for await (const chunk of req) {
        body += String(chunk);
        if (body.length > MAX_FORM) {
          res.writeHead(413).end();
          return;
        }
      }
      form = new URLSearchParams(body);
      if (form.get('csrf') !== CSRF) {
        res.writeHead(403).end('bad csrf');
        return;
      }
    }
    const view: AdminView = { deps, req, res, url, params, csrf: CSRF, form };
    await handler(view);
    return;
  }
  res.writeHead(404).end('no such page');
}
