import { Command, CommanderError, Option } from 'commander';
import { UsageError } from '../core/errors.js';
import { createConsoleApp } from '../platforms/console/app.js';
import { runRepl } from '../platforms/console/repl.js';
import { ConsoleSession } from '../platforms/console/session.js';
import { createLogger } from './logger.js';
import { demoWorkspace } from './paths.js';
import { runOnce } from './run.js';

const STORE_LABEL = 'memory store (state lasts as long as this process)';

async function startConsole(opts: { workspace: string; as?: string; in?: string }): Promise<number> {
  const app = createConsoleApp({
    workspaceFile: opts.workspace,
    logger: createLogger(),
    onNotice: (_room, text) => process.stdout.write(`${text}\n`),
  });
  const session = new ConsoleSession(app, { as: opts.as, in: opts.in });
  await runRepl({ app, session, input: process.stdin, output: process.stdout, storeLabel: STORE_LABEL });
  return 0;
}

function program(setCode: (code: number) => void): Command {
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

  cli
    .command('console')
    .description('interactive console on a workspace file; `:as bob` switches user')
    .addOption(workspace())
    .option('--as <user>', 'act as this user (default: the first moderator)')
    .option('--in <room>', 'start in this room')
    .action(async (opts) => setCode(await startConsole(opts)));

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
    .argument('<command...>', 'the command line, after --, e.g. -- "/kick @bob spam"')
    .action(async (words: string[], opts) => setCode(await runOnce(opts, words)));

  cli
    .command('serve')
    .description(
      'start every platform whose credentials are set; none set = the console on the demo workspace',
    )
    .addOption(workspace())
    .action(async (opts) => {
      process.stdout.write(
        'No platform credentials are set (SLACK_BOT_TOKEN, DISCORD_TOKEN): starting the console.\n',
      );
      setCode(await startConsole(opts));
    });
  return cli;
}

/** The CLI entry point: the one place that turns errors into exit codes. */
export async function main(argv: readonly string[]): Promise<number> {
  let code = 0;
  try {
    await program((c) => {
      code = c;
    }).parseAsync([...argv], { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? 0 : 2;
    }
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
