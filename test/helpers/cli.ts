import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The real CLI (`bin/kickbot.js`, which runs the compiled `dist/`) as a shell or a script starts it. */

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = join(ROOT, 'bin', 'kickbot.js');
export const COMPILED = join(ROOT, 'dist', 'src', 'cli', 'main.js');

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** No log level, no platform credentials, no Redis, no loaders; `serve` listens on any free port. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (/^(LOG_LEVEL|NODE_OPTIONS|SLACK_|DISCORD_|REDIS_|KICKBOT_|PORT$|HOST$)/.test(key)) delete env[key];
  }
  return { ...env, PORT: '0', ...extra };
}

export function spawnKickbot(args: readonly string[], env: Record<string, string> = {}) {
  return spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: cleanEnv(env) });
}

/** Runs `kickbot …` with `input` on stdin (then closed) and resolves when the process has exited. */
export function kickbot(
  args: readonly string[],
  opts: { env?: Record<string, string>; input?: string } = {},
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawnKickbot(args, opts.env);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.on('error', () => {}); // the CLI may exit before reading its input
    child.stdin.end(opts.input ?? '');
  });
}

/** A long-running kickbot (`serve`), once its stdout has said what `ready` looks for. */
export interface Started {
  child: ChildProcessWithoutNullStreams;
  /** What `ready` matched. */
  match: RegExpExecArray;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

const running = new Set<ChildProcessWithoutNullStreams>();

/** Starts `kickbot …` and resolves once its stdout matches `ready`; rejects if it exits first. */
export function startKickbot(
  args: readonly string[],
  env: Record<string, string>,
  ready: RegExp,
): Promise<Started> {
  const child = spawnKickbot(args, env);
  running.add(child);
  child.on('exit', () => running.delete(child));
  let out = '';
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const match = ready.exec(out);
      if (match) {
        resolve({
          child,
          match,
          async stop() {
            child.kill('SIGTERM');
            const [code] = (await once(child, 'exit')) as [number | null];
            return code;
          },
        });
      }
    });
    child.on('exit', (code) => reject(new Error(`kickbot ${args.join(' ')} exited (${code}): ${out}`)));
  });
}

/** Kills whatever `startKickbot` started and is still running (for afterEach). */
export async function killStarted(): Promise<void> {
  await Promise.all(
    [...running].map(async (child) => {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }),
  );
}
