import { commands } from '../../commands/index.js';
import type { StreamSettings } from '../../src/admin/progress-stream.js';
import type { Runtime } from '../../src/cli/runtime.js';
import { EMPTY_CONFIG } from '../../src/config/config-file.js';
import {
  type Clock,
  createCore,
  DEFAULT_GRANTS,
  makeId,
  type RemovalTarget,
  type RemoveResult,
  withOverrides,
} from '../../src/core/index.js';
import { createPromMetrics } from '../../src/metrics/prometheus.js';
import { createConsolePlatform } from '../../src/platforms/console/app.js';
import type { ConsoleFront } from '../../src/platforms/console/platform.js';
import { parseWorkspace } from '../../src/platforms/console/workspace-file.js';
import type { WorkspaceState } from '../../src/platforms/console/workspace-state.js';
import { MemoryStore } from '../../src/store/MemoryStore.js';
import { type AdminClient, type AdminRig, type Answer, startAdminRig } from './admin-rig.js';
import { ScriptedConnector } from './kit.js';

/**
 * A runtime like createRuntime's on a console workspace and a memory store, with what createRuntime does not let a
 * test set: the core's and store's clock, the bulk threshold, and a gate on removals (a batch that stays running
 * until the test lets its pairs through). The admin rig serves the real admin routes on it (`runtime` option).
 */

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

export interface GatedRuntime {
  runtime: Runtime;
  connector: GatedConnector;
  /** The workspace's memberships. */
  state: WorkspaceState;
  store: MemoryStore;
  /** `console:<name>`. */
  workspace: string;
}

export function gatedRuntime(
  yaml: string,
  opts: { clock?: Clock; bulkThreshold?: number } = {},
): GatedRuntime {
  const platform = createConsolePlatform({
    workspaceFile: 'rig.yaml',
    workspaceData: parseWorkspace(yaml, 'rig.yaml'),
  });
  const connector = new GatedConnector(platform.connector);
  const store = new MemoryStore(opts.clock ? { clock: opts.clock } : {});
  const prom = createPromMetrics({ commands: commands.map((c) => c.name) });
  const core = createCore({
    directories: [connector],
    removers: [connector],
    store,
    commands,
    metrics: prom.metrics,
    grants: withOverrides(DEFAULT_GRANTS, platform.data.permissions),
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.bulkThreshold !== undefined ? { bulkThreshold: opts.bulkThreshold } : {}),
  });
  const workspace = makeId('console', platform.data.name);
  const front: ConsoleFront = {
    name: 'console',
    platform,
    routes: {},
    workspace,
    start: async () => {},
    stop: async () => {},
    banner: () => `console workspace "${platform.data.name}"`,
  };
  const runtime: Runtime = {
    core,
    store,
    fronts: [front],
    config: EMPTY_CONFIG,
    storeLabel: 'memory store',
    metrics: prom,
    health: async () => ({ ok: true, store: 'memory', worker: false, platforms: ['console'] }),
    close: async () => connector.release(Number.MAX_SAFE_INTEGER),
  };
  return { runtime, connector, state: platform.state, store, workspace };
}

/** The real admin page on a gated runtime, with a client signed in through POST /admin/sign-in. */
export interface GatedAdmin extends GatedRuntime {
  rig: AdminRig;
  client: AdminClient;
  /** A console command through the core (`/kick @bob spam`). */
  run: AdminRig['run'];
  get(path: string): Promise<Answer>;
  /** A form POST carrying the session's CSRF token. */
  post(path: string, fields?: Record<string, string>): Promise<Answer>;
  close(): Promise<void>;
}

export async function startGatedAdmin(
  yaml: string,
  opts: { clock?: Clock; bulkThreshold?: number; streams?: Partial<StreamSettings> } = {},
): Promise<GatedAdmin> {
  const gated = gatedRuntime(yaml, opts);
  const rig = await startAdminRig({
    runtime: gated.runtime,
    ...(opts.streams ? { streams: opts.streams } : {}),
  });
  const client = await rig.signIn();
  const csrf = await client.csrf();
  return {
    ...gated,
    rig,
    client,
    run: rig.run,
    get: (path) => client.get(path),
    post: (path, fields = {}) => client.post(path, { csrf, ...fields }),
    close: () => rig.close(),
  };
}
