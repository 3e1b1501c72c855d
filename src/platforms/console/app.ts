import { commands } from '../../../commands/index.js';
import type { AreaConfig } from '../../config/config-file.js';
import {
  type Clock,
  type Core,
  type CoreOptions,
  createCore,
  DEFAULT_GRANTS,
  type Id,
  type Logger,
  type Store,
  withOverrides,
} from '../../core/index.js';
import { MemoryStore } from '../../store/MemoryStore.js';
import { ConsoleConnector } from './ConsoleConnector.js';
import { loadWorkspaceFile, type WorkspaceData } from './workspace-file.js';
import { MemoryWorkspace, type WorkspaceState } from './workspace-state.js';

/** The console platform: a workspace file, where its memberships live, and its connector (directory and remover). */
export interface ConsolePlatform {
  connector: ConsoleConnector;
  data: WorkspaceData & { name: string };
  state: WorkspaceState;
  file: string;
}

/** The console platform wired to a core (what the REPL and `kickbot run` work with). */
export interface ConsoleApp extends ConsolePlatform {
  core: Core;
  store: Store;
}

export interface ConsolePlatformOptions {
  workspaceFile: string;
  /** The file's content, already parsed (tests); `workspaceFile` then only names it in messages. */
  workspaceData?: WorkspaceData & { name: string };
  /** Where memberships live (default: this process's memory). */
  state?: (data: WorkspaceData & { name: string }) => WorkspaceState;
  onNotice?: (room: Id, text: string) => void;
  /** The config file's areas: one with the same id as a workspace area is merged into it (rooms, managers). */
  configAreas?: readonly AreaConfig[];
}

/** The workspace's areas with the config file's merged in: same id → rooms and managers joined; new ids added. */
export function withConfigAreas<T extends WorkspaceData>(
  data: T,
  configAreas: readonly AreaConfig[] = [],
): T {
  if (configAreas.length === 0) return data;
  const areas = data.areas.map((a) => ({ ...a }));
  for (const extra of configAreas) {
    const managers = extra.managers?.console ?? [];
    const same = areas.find((a) => a.id === extra.id);
    if (same) {
      same.rooms = [...new Set([...same.rooms, ...extra.rooms])];
      same.managers = [...new Set([...same.managers, ...managers])];
    } else {
      areas.push({ id: extra.id, ...(extra.name ? { name: extra.name } : {}), rooms: extra.rooms, managers });
    }
  }
  return { ...data, areas };
}

export function createConsolePlatform(options: ConsolePlatformOptions): ConsolePlatform {
  const data = withConfigAreas(
    options.workspaceData ?? loadWorkspaceFile(options.workspaceFile),
    options.configAreas,
  );
  const state = options.state ? options.state(data) : new MemoryWorkspace(data);
  const connector = new ConsoleConnector({
    data,
    state,
    ...(options.onNotice ? { onNotice: options.onNotice } : {}),
  });
  return { connector, data, state, file: options.workspaceFile };
}

export interface ConsoleAppOptions extends ConsolePlatformOptions {
  store?: Store;
  /** Settings passed to the core (bulk runner, thresholds, rate limit). */
  core?: Partial<Omit<CoreOptions, 'directories' | 'removers' | 'store' | 'commands'>>;
  logger?: Logger;
  clock?: Clock;
}

/** The console platform alone on a core of its own (tests, and the shape the REPL expects). */
export function createConsoleApp(options: ConsoleAppOptions): ConsoleApp {
  const platform = createConsolePlatform(options);
  const store = options.store ?? new MemoryStore(options.clock ? { clock: options.clock } : {});
  const core = createCore({
    directories: [platform.connector],
    removers: [platform.connector],
    store,
    commands,
    grants: withOverrides(DEFAULT_GRANTS, platform.data.permissions),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...options.core,
  });
  return { ...platform, core, store };
}
