import { Command, CommanderError, Option } from 'commander';
import type { Env } from './env.js';
import { demoWorkspace, kickbotVersion } from './paths.js';
import type { ConsoleFlags } from './serve.js';

// Each command loads what it needs when it runs: `kickbot --help` loads no platform SDK, no Redis client, no
// config or command schemas, not even the core (bench/start.bench.ts; test/cli/start.test.ts checks it).
const serve = () => import('./serve.js');
const usageError = async (message: string) => new (await import('../core/index.js')).UsageError(message);

function program(env: () => Promise<Env>, setCode: (code: number) => void): Command {
  const cli = new Command('kickbot')
    .description(
      'A moderation bot: /kick, /remove-area, /leave and /kickbot on Slack, Discord and a local console.',
    )
    .version(kickbotVersion(), '-V, --version', "print kickbot's version")
    .showHelpAfterError()
    .exitOverride();
  const workspace = () =>
    new Option('--workspace <file>', 'console workspace file (YAML)').default(
      demoWorkspace(),
      'the demo workspace',
    );
  const configFile = () =>
    new Option('--config <file>', "kickbot's config file (YAML; default: KICKBOT_CONFIG)");
  const noWorker = () => new Option('--no-worker', 'do not work bulk jobs in this process (with REDIS_URL)');

  cli
    .command('console')
    .description('interactive console on a workspace file; `:as bob` switches user')
    .addOption(workspace())
    .addOption(configFile())
    .option('--as <user>', 'act as this user (default: the first moderator)')
    .option('--in <room>', 'start in this room')
    .addOption(noWorker())
    .action(async (opts: ConsoleFlags) =>
      setCode(await (await serve()).startConsole(await env(), opts, false)),
    );

  cli
    .command('run')
    .description('run one command and exit: 0 ok, 3 something refused or failed, 2 usage, 1 internal error')
    .requiredOption('--as <user>', 'the acting user')
    .option('--in <room>', 'the room the command is typed in')
    .addOption(workspace())
    .addOption(configFile())
    .option('--json', 'print one JSON object on stdout')
    .option(
      '--key <key>',
      'invocation id: the same command again returns the first result and does nothing; another command under a used key exits 2',
    )
    .option('--yes', 'confirm a batch over the confirmation threshold')
    .addOption(noWorker())
    .argument('<command...>', 'the command line, after --, e.g. -- "/kick @bob spam"')
    .action(async (words: string[], opts) => {
      const { runOnce } = await import('./run.js');
      setCode(await runOnce(await env(), opts, words));
    });

  cli
    .command('serve')
    .description(
      'start every platform whose credentials are set (and the HTTP API, SCIM, the Okta hook when their keys are set); none set = the console',
    )
    .addOption(workspace())
    .addOption(configFile())
    .addOption(noWorker())
    .action(async (opts: ConsoleFlags) => {
      const e = await env();
      const { configuredPlatforms } = await import('../platforms/index.js');
      const { startConsole, startPlatforms } = await serve();
      const headless =
        e.KICKBOT_API_KEY || e.KICKBOT_SCIM_TOKEN || e.KICKBOT_OKTA_HOOK_SECRET || e.KICKBOT_ADMIN_TOKEN;
      if (configuredPlatforms(e).length > 0 || headless) return setCode(await startPlatforms(e, opts));
      process.stdout.write(
        'No platform credentials are set (SLACK_BOT_TOKEN, DISCORD_TOKEN): starting the console.\n',
      );
      setCode(await startConsole(e, opts, true));
    });

  cli
    .command('worker')
    .description(
      'work bulk jobs and fire timed restores from Redis (REDIS_URL) until stopped; serve and run also do, in-process',
    )
    .addOption(workspace())
    .addOption(configFile())
    .action(async (opts: { workspace: string; config?: string }) =>
      setCode(await (await serve()).startWorker(await env(), opts)),
    );

  cli
    .command('audit')
    .description('print the audit log kept in Redis (REDIS_URL), oldest first')
    .option('--json', 'one JSON record per line')
    .option('--limit <n>', 'only the newest n records', (v) => Number.parseInt(v, 10))
    .action(async (opts: { json?: boolean; limit?: number }) => {
      const { printAudit } = await import('./audit.js');
      setCode(await printAudit(await env(), opts));
    });

  const cases = cli.command('cases').description('the case ledger kept in Redis (REDIS_URL)');
  cases
    .command('export')
    .description(
      'stream every case with its pairs, oldest first: one JSON object per line, or CSV (one row per pair)',
    )
    .addOption(new Option('--format <format>', 'json or csv').default('json'))
    .option('--since <when>', 'only cases since a time back (30m, 12h, 7d, 2w) or a date (2026-11-01, UTC)')
    .action(async (opts: { format: string; since?: string }) => {
      const { exportCases } = await import('./cases-export.js');
      setCode(await exportCases(await env(), opts));
    });

  cli
    .command('manifest')
    .description(
      'print the Slack app manifest or the Discord command payload, generated from the command list',
    )
    .argument('<platform>', 'slack | discord')
    .option('--url <url>', "kickbot's public base URL (HTTP mode); Slack posts to <url>/slack/events")
    .option('--socket', 'Socket Mode: no public URL (set SLACK_APP_TOKEN)')
    .option('--prefix <prefix>', 'register /<prefix>kick … (set SLACK_COMMAND_PREFIX to the same)')
    .action(async (platform: string, opts: { url?: string; socket?: boolean; prefix?: string }) => {
      const { commands } = await import('../../commands/index.js');
      if (platform === 'discord') {
        const { discordCommandsJson } = await import('../platforms/discord/manifest.js');
        process.stdout.write(discordCommandsJson(commands));
        return setCode(0);
      }
      if (platform !== 'slack')
        throw await usageError(`kickbot manifest knows slack and discord (got "${platform}")`);
      (await import('./manifest-flags.js')).checkSlackManifestFlags(opts);
      const { slackManifestYaml } = await import('../platforms/slack/manifest.js');
      process.stdout.write(
        slackManifestYaml(commands, {
          ...(opts.url ? { url: opts.url } : {}),
          ...(opts.socket ? { socketMode: true } : {}),
          ...(opts.prefix ? { prefix: opts.prefix } : {}),
        }),
      );
      setCode(0);
    });
  cli
    .command('register')
    .description('push the command definitions to Discord (DISCORD_TOKEN); --guild for one server, at once')
    .argument('<platform>', 'discord')
    .option('--guild <id>', 'register in this server only (instant; global commands can take a while)')
    .action(async (platform: string, opts: { guild?: string }) => {
      if (platform !== 'discord')
        throw await usageError(`kickbot register knows discord (got "${platform}")`);
      const { registerDiscord } = await import('./discord.js'); // @discordjs/rest loads only here
      setCode(await registerDiscord(await env(), opts.guild));
    });

  cli
    .command('invite-url')
    .description('print the OAuth2 URL that adds kickbot to a Discord server, with the permissions it needs')
    .argument('<platform>', 'discord')
    .action(async (platform: string) => {
      if (platform !== 'discord')
        throw await usageError(`kickbot invite-url knows discord (got "${platform}")`);
      const { discordApplicationId } = await import('./discord.js');
      const { inviteUrl } = await import('../platforms/discord/manifest.js');
      process.stdout.write(`${inviteUrl(await discordApplicationId(await env()))}\n`);
      setCode(0);
    });
  return cli;
}

/** The CLI entry point: the one place that turns errors into exit codes. */
export async function main(argv: readonly string[]): Promise<number> {
  let code = 0;
  try {
    await program(
      async () => (await import('./env.js')).readEnv(),
      (c) => {
        code = c;
      },
    ).parseAsync([...argv], { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    const { UsageError } = await import('../core/index.js');
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
