import { loadConfig } from '../config/config-file.js';
import { UsageError } from '../core/index.js';
import { ConsoleSession } from '../platforms/console/session.js';
import { exitCode, toRunJson } from '../render/json.js';
import { progressReporter } from '../render/progress.js';
import { renderText } from '../render/text.js';
import type { Env } from './env.js';
import { createLogger } from './logger.js';
import { consoleApp, createRuntime } from './runtime.js';

export interface RunFlags {
  as: string;
  in?: string;
  workspace: string;
  json?: boolean;
  key?: string;
  yes?: boolean;
  /** commander's `--no-worker`: false when given. */
  worker: boolean;
  config?: string;
}

/** `kickbot run`: one command, its output, and the exit code of DESIGN §8. */
export async function runOnce(env: Env, flags: RunFlags, words: readonly string[]): Promise<number> {
  try {
    return await runChecked(env, flags, words);
  } catch (error) {
    // With --json, stdout always holds one JSON object, also when the flags or the workspace are wrong.
    if (flags.json && error instanceof UsageError) {
      process.stdout.write(`${JSON.stringify({ status: 'error', results: [], message: error.message })}\n`);
    }
    throw error;
  }
}

async function runChecked(env: Env, flags: RunFlags, words: readonly string[]): Promise<number> {
  const line = words.join(' ').trim();
  if (!line.startsWith('/')) {
    throw new UsageError(
      `give the command after "--", e.g. kickbot run --as mo -- "/kick @bob spam" (got "${line}")`,
    );
  }
  const out = (text: string) => process.stdout.write(`${text}\n`);
  const err = (text: string) => process.stderr.write(`${text}\n`);
  const runtime = await createRuntime({
    env,
    config: loadConfig(flags.config ?? env.KICKBOT_CONFIG),
    logger: createLogger(),
    worker: flags.worker,
    // This process exits at once: without Redis a timer would die with it (a --for is a usage error then).
    timersWithoutRedis: 'none',
    console: { workspaceFile: flags.workspace, onNotice: (_room, text) => (flags.json ? err : out)(text) },
  });
  try {
    const app = consoleApp(runtime);
    const session = new ConsoleSession(app, { as: flags.as, in: flags.in });
    const invocation = session.invocation(line, {
      ...(flags.key !== undefined ? { key: flags.key } : {}),
      ...(flags.yes ? { confirmed: true } : {}),
    });
    const progress = progressReporter(process.stderr, 10);
    const reply = await app.core.handle(invocation, progress);
    progress.stop();
    const code = exitCode(reply);
    const text =
      reply.kind === 'confirm'
        ? `${renderText(reply)}\nNothing was done. Run again with --yes${flags.key !== undefined ? ' and a new --key (this one is bound to this run)' : ''} to confirm.`
        : renderText(reply);
    if (flags.json) {
      out(
        JSON.stringify({
          ...toRunJson(reply, 'console'),
          ...(reply.kind === 'confirm' ? { message: text } : {}),
        }),
      );
      if (code === 2) err(text);
    } else if (code === 2) {
      err(text);
    } else {
      out(text);
    }
    return code;
  } finally {
    await runtime.close();
  }
}
