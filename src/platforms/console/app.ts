import { commands } from '../../../commands/index.js';
import { type Core, type CoreOptions, createCore } from '../../core/core.js';
import type { Id } from '../../core/ids.js';
import { DEFAULT_GRANTS, withOverrides } from '../../core/permissions.js';
import type { Clock, Logger, Store } from '../../core/ports.js';
import { MemoryStore } from '../../store/MemoryStore.js';
import { ConsoleConnector } from './ConsoleConnector.js';
import { loadWorkspaceFile, type WorkspaceData } from './workspace-file.js';
import { MemoryWorkspace, type WorkspaceState } from './workspace-state.js';

export interface ConsoleApp {
  core: Core;
  connector: ConsoleConnector;
  data: WorkspaceData & { name: string };
  state: WorkspaceState;
  store: Store;
  file: string;
}

export interface ConsoleAppOptions {
  workspaceFile: string;
  /** The file's content, already parsed (tests); `workspaceFile` then only names it in messages. */
  workspaceData?: WorkspaceData & { name: string };
  store?: Store;
  /** Where memberships live (default: this process's memory). */
  state?: (data: WorkspaceData & { name: string }) => WorkspaceState;
  /** Settings passed to the core (bulk runner, thresholds, rate limit). */
  core?: Partial<Omit<CoreOptions, 'connectors' | 'store' | 'commands'>>;
  logger?: Logger;
  clock?: Clock;
  onNotice?: (room: Id, text: string) => void;
}

/** The console platform wired to a core: a workspace file, its state, a store. */
export function createConsoleApp(options: ConsoleAppOptions): ConsoleApp {
  const data = options.workspaceData ?? loadWorkspaceFile(options.workspaceFile);
  const state = options.state ? options.state(data) : new MemoryWorkspace(data);
  const store = options.store ?? new MemoryStore(options.clock ? { clock: options.clock } : {});
  const connector = new ConsoleConnector({
    data,
    state,
    ...(options.onNotice ? { onNotice: options.onNotice } : {}),
  });
  const core = createCore({
    connectors: [connector],
    store,
    commands,
    grants: withOverrides(DEFAULT_GRANTS, data.permissions),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...options.core,
  });
  return { core, connector, data, state, store, file: options.workspaceFile };
}
