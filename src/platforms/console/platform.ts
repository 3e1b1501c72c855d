import { type Core, makeId, type Store } from '../../core/index.js';
import type { Front, Platform } from '../front.js';
import { type ConsoleApp, type ConsolePlatform, createConsolePlatform } from './app.js';
import { CONSOLE } from './ConsoleConnector.js';
import { RedisWorkspace } from './RedisWorkspace.js';

/** The console's front: no route and nothing to connect; the REPL and `kickbot run` drive it (`consoleApp`). */
export interface ConsoleFront extends Front {
  readonly platform: ConsolePlatform;
}

/** The console on a workspace file, when the process asks for it (`console`, `run`, `serve` with no platform). */
export const consolePlatform: Platform = {
  name: CONSOLE,
  configured: () => false,
  wanted: (request) => request.console !== undefined,
  async create({ console, config, redis }) {
    if (!console) throw new Error('the console platform needs a workspace file');
    const platform = createConsolePlatform({
      workspaceFile: console.workspaceFile,
      ...(redis ? { state: (data) => new RedisWorkspace(redis.client, data, { prefix: redis.prefix }) } : {}),
      ...(console.onNotice ? { onNotice: console.onNotice } : {}),
      configAreas: config.areas,
    });
    const front: ConsoleFront = {
      name: CONSOLE,
      platform,
      routes: {},
      workspace: makeId(CONSOLE, platform.data.name),
      start: async () => {},
      stop: async () => {},
      banner: () => `console workspace "${platform.data.name}" (no REPL)`,
    };
    return {
      directory: platform.connector,
      remover: platform.connector,
      ...(platform.data.permissions ? { permissions: platform.data.permissions } : {}),
      front: () => front,
    };
  },
};

/** The console platform of a runtime on its core: what the REPL and `kickbot run` work with. */
export function consoleApp(runtime: { fronts: readonly Front[]; core: Core; store: Store }): ConsoleApp {
  const front = runtime.fronts.find((f): f is ConsoleFront => f.name === CONSOLE && 'platform' in f);
  if (!front) throw new Error('this runtime has no console platform');
  return { ...front.platform, core: runtime.core, store: runtime.store };
}
