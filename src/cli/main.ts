import { Command, CommanderError, Option } from 'commander';
import { UsageError } from '../core/errors.js';
import { healthRoute, startHttpServer } from '../http/server.js';
import { runRepl } from '../platforms/console/repl.js';
import { ConsoleSession } from '../platforms/console/session.js';
import { printAudit } from './audit.js';
import { type Env, readEnv } from './env.js';
import { createLogger } from './logger.js';
import { demoWorkspace } from './paths.js';
import { runOnce } from './run.js';
import { createRuntime } from './runtime.js';

interface ConsoleFlags {
  workspace: string;
  as?: string;
  in?: string;
  worker: boolean;
}

async function startConsole(env: Env, opts: ConsoleFlags, http: boolean): Promise<number> {
  const logger = createLogger();
  const runtime = await createRuntime({
    env,
    workspaceFile: opts.workspace,
    logger,
    worker: opts.worker,
    onNotice: (_room, text) => process.stdout.write(`${text}\n`),
  });
  const server = http
    ? await startHttpServer({
        port: env.PORT,
        host: env.HOST,
        routes: { '/healthz': healthRoute(runtime.health) },
      })
    : undefined;
  try {
    if (server) process.stdout.write(`HTTP on ${server.url} (/healthz)\n`);
    const session = new ConsoleSession(runtime.app, { as: opts.as, in: opts.in });
    await runRepl({
      app: runtime.app,
      session,
      input: process.stdin,
      output: process.stdout,
      storeLabel: runtime.storeLabel,
    });
    return 0;
  } finally {
    await server?.close();
    await runtime.close();
  }
}

async function startWorker(env: Env, opts: { workspace: string }): Promise<number> {
  if (!env.REDIS_URL) throw new UsageError('kickbot worker works bulk jobs from Redis: set REDIS_URL');
  const logger = createLogger(process.env.LOG_LEVEL ?? 'info');
  const runtime = await createRuntime({ env, workspaceFile: opts.workspace, logger, worker: true });
  logger.info({ store: runtime.storeLabel }, 'kickbot worker started');
  process.stderr.write(`kickbot worker · ${runtime.storeLabel} · waiting for bulk jobs (Ctrl-C stops)\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await runtime.close();
  return 0;
}

function program(env: () => Env, setCode: (code: number) => void): Command {
  const cli = new Command('kickbot')
    .description(
      'A moderation bot: /kick, /remove-area, /leave and /kickbot on Slack, Discord and a local console.',
    )
    .showHelpAfterError()
    .exitOverride();
  const workspace = () =>
    new Option('--workspace <file>', 'console workspace file (YAML)').default(
      demoWorkspace(),
      'the demo workspace',
    );
  const noWorker = () => new Option('--no-worker', 'do not work bulk jobs in this process (with REDIS_URL)');

  cli
    .command('console')
    .description('interactive console on a workspace file; `:as bob` switches user')
    .addOption(workspace())
    .option('--as <user>', 'act as this user (default: the first moderator)')
    .option('--in <room>', 'start in this room')
    .addOption(noWorker())
    .action(async (opts: ConsoleFlags) => setCode(await startConsole(env(), opts, false)));

  cli
    .command('run')
    .description('run one command and exit: 0 ok, 3 something refused or failed, 2 usage, 1 internal error')
    .requiredOption('--as <user>', 'the acting user')
    .option('--in <room>', 'the room the command is typed in')
    .addOption(workspace())
    .option('--json', 'print one JSON object on stdout')
    .option(
      '--key <key>',
      'invocation id: a second run with the same key returns the first result and does nothing',
    )
    .option('--yes', 'confirm a batch over the confirmation threshold')
    .addOption(noWorker())
    .argument('<command...>', 'the command line, after --, e.g. -- "/kick @bob spam"')
    .action(async (words: string[], opts) => setCode(await runOnce(env(), opts, words)));

  cli
    .command('serve')
    .description(
      'start every platform whose credentials are set; none set = the console on the demo workspace',
    )
    .addOption(workspace())
    .addOption(noWorker())
    .action(async (opts: ConsoleFlags) => {
      process.stdout.write(
        'No platform credentials are set (SLACK_BOT_TOKEN, DISCORD_TOKEN): starting the console.\n',
      );
      setCode(await startConsole(env(), opts, true));
    });

  cli
    .command('worker')
    .description('work bulk jobs from Redis (REDIS_URL) until stopped; serve and run also do, in-process')
    .addOption(workspace())
    .action(async (opts: { workspace: string }) => setCode(await startWorker(env(), opts)));

  cli
    .command('audit')
    .description('print the audit log kept in Redis (REDIS_URL), oldest first')
    .option('--json', 'one JSON record per line')
    .option('--limit <n>', 'only the newest n records', (v) => Number.parseInt(v, 10))
    .action(async (opts: { json?: boolean; limit?: number }) => setCode(await printAudit(env(), opts)));
  return cli;
}

/** The CLI entry point: the one place that turns errors into exit codes. */
export async function main(argv: readonly string[]): Promise<number> {
  let code = 0;
  try {
    await program(
      () => readEnv(),
      (c) => {
        code = c;
      },
    ).parseAsync([...argv], { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof UsageError) {
      process.stderr.write(`kickbot: ${error.message}\n`);
      return 2;
    }
    process.stderr.write(
      `kickbot: internal error: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return 1;
  }
}
