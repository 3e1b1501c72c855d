import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { commands } from '../../commands/index.js';
import {
  type Core,
  type CoreOptions,
  createCore,
  DEFAULT_GRANTS,
  type Id,
  type Invocation,
  type Store,
  withOverrides,
} from '../../src/core/index.js';
import { ConsoleConnector } from '../../src/platforms/console/ConsoleConnector.js';
import { ConsoleSession } from '../../src/platforms/console/session.js';
import type { WorkspaceData } from '../../src/platforms/console/workspace-file.js';
import type { WorkspaceState } from '../../src/platforms/console/workspace-state.js';
import { ScriptedConnector } from './kit.js';

/** What bulk-job tests share: a big console workspace, a core on it, a bounded wait, a worker process. */

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export const userIds = (users: number) =>
  Array.from({ length: users }, (_, i) => `u${String(i).padStart(3, '0')}`);
export const roomIds = (rooms: number) =>
  Array.from({ length: rooms }, (_, i) => `r${String(i).padStart(2, '0')}`);

/**
 * A workspace of `users` plain users, each a member of all `rooms` rooms, with a moderator `mo` (in every room)
 * and the bot. `rate` = the console's removals per second (a slow platform, on purpose).
 */
export function bulkWorkspace(opts: { name: string; users: number; rooms: number; rate?: number }): string {
  const users = userIds(opts.users);
  const members = ['mo', 'kickbot', ...users].join(', ');
  return [
    `name: ${opts.name}`,
    'bot: kickbot',
    ...(opts.rate !== undefined ? [`rate: ${opts.rate}`] : []),
    'users:',
    '  - { id: mo, roles: [moderator] }',
    '  - { id: kickbot, roles: [bot] }',
    ...users.map((u) => `  - { id: ${u} }`),
    'rooms:',
    ...roomIds(opts.rooms).map((r) => `  - { id: ${r}, members: [${members}] }`),
    '',
  ].join('\n');
}

/** `/kick @u000 … #r00 … spam --yes`: every user of `bulkWorkspace` out of every room. */
export function kickAll(users: number, rooms: number): string {
  const mentions = userIds(users).map((u) => `@${u}`);
  const channels = roomIds(rooms).map((r) => `#${r}`);
  return `/kick ${[...mentions, ...channels].join(' ')} spam --yes`;
}

export interface TestCore {
  core: Core;
  /** The console connector with a count of its removal calls (`removals`). */
  connector: ScriptedConnector;
  notices: { room: Id; text: string }[];
  /** An invocation of `line` by `as` in `room`. */
  inv(as: string, room: string, line: string): Invocation;
}

/** A core on a console workspace whose memberships live in `state` (memory, or Redis to share them). */
export function consoleCore(
  data: WorkspaceData & { name: string },
  state: WorkspaceState,
  store: Store,
  options: Partial<Omit<CoreOptions, 'directories' | 'removers' | 'store' | 'commands'>> = {},
): TestCore {
  const notices: { room: Id; text: string }[] = [];
  const inner = new ConsoleConnector({ data, state, onNotice: (room, text) => notices.push({ room, text }) });
  const connector = new ScriptedConnector(inner);
  const core = createCore({
    directories: [connector],
    removers: [connector],
    store,
    commands,
    grants: withOverrides(DEFAULT_GRANTS, data.permissions),
    ...options,
  });
  const app = { connector: inner, data, file: `${data.name}.yaml` };
  return {
    core,
    connector,
    notices,
    inv: (as, room, line) => new ConsoleSession(app, { as, in: room }).invocation(line),
  };
}

export interface WorkerProcess {
  child: ChildProcess;
  /** Everything the process wrote on stderr so far (logs, the banner). */
  stderr(): string;
  /** Resolves once the process has exited, with its code or the signal that ended it. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** A process environment without the caller's kickbot, Redis or logging settings. */
export function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (/^(LOG_LEVEL|NODE_OPTIONS|SLACK_|DISCORD_|REDIS_|KICKBOT_)/.test(key)) delete env[key];
  }
  return { ...env, ...extra };
}

/**
 * `node bin/kickbot.js worker --workspace <file>` (the compiled `dist/`), resolved once it says it is waiting for
 * bulk jobs. Rejects if it exits, or does not say so within `timeoutMs`.
 */
export async function startWorkerProcess(
  workspaceFile: string,
  env: Record<string, string>,
  timeoutMs = 10_000,
): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ['bin/kickbot.js', 'worker', '--workspace', workspaceFile], {
    cwd: ROOT,
    env: cleanEnv(env),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the worker did not start within ${timeoutMs} ms; stderr: ${stderr}`));
    }, timeoutMs);
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      if (stderr.includes('waiting for bulk jobs')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`the worker exited (${code ?? signal}) before it started; stderr: ${stderr}`));
    });
  });
  return { child, stderr: () => stderr, exited };
}

/** Ends a worker process (if it still runs) with `signal` and waits for it to be gone. */
export async function stopWorkerProcess(
  worker: WorkerProcess | undefined,
  signal: NodeJS.Signals = 'SIGTERM',
) {
  if (!worker) return;
  if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill(signal);
  return worker.exited;
}
