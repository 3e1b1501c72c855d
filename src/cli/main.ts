import { Command, CommanderError, Option } from 'commander';
import { commands } from '../../commands/index.js';
import { loadConfig } from '../config/config-file.js';
import { UsageError } from '../core/errors.js';
import { Identities } from '../core/identities.js';
import { makeId } from '../core/ids.js';
import type { Logger } from '../core/ports.js';
import { apiRoute } from '../http/api.js';
import { healthRoute, type Route, startHttpServer } from '../http/server.js';
import { runRepl } from '../platforms/console/repl.js';
import { ConsoleSession } from '../platforms/console/session.js';
import { discordCommandsJson, inviteUrl } from '../platforms/discord/manifest.js';
import { slackManifestYaml } from '../platforms/slack/manifest.js';
import { printAudit } from './audit.js';
import { checkDiscordToken, discordApplicationId, registerDiscord, tokenRefused } from './discord.js';
import { type Env, readEnv } from './env.js';
import { createLogger } from './logger.js';
import { checkSlackManifestFlags, kickbotVersion } from './manifest-flags.js';
import { demoWorkspace } from './paths.js';
import { runOnce } from './run.js';
import { consoleApp, createRuntime, discordConfigured, type Runtime, slackConfigured } from './runtime.js';

interface ConsoleFlags {
  workspace: string;
  config?: string;
  as?: string;
  in?: string;
  worker: boolean;
}

const config = (env: Env, flags: { config?: string }) => loadConfig(flags.config ?? env.KICKBOT_CONFIG);

async function startConsole(env: Env, opts: ConsoleFlags, http: boolean): Promise<number> {
  const logger = createLogger();
  const runtime = await createRuntime({
    env,
    config: config(env, opts),
    logger,
    worker: opts.worker,
    console: { workspaceFile: opts.workspace, onNotice: (_room, text) => process.stdout.write(`${text}\n`) },
  });
  const routes = http ? httpRoutes(env, runtime) : {};
  const server = http ? await consoleHttp(env, routes, logger) : undefined;
  try {
    if (server) process.stdout.write(`HTTP on ${server.url} (${Object.keys(routes).join(', ')})\n`);
    const app = consoleApp(runtime);
    const session = new ConsoleSession(app, { as: opts.as, in: opts.in });
    await runRepl({
      app,
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

/** The console's HTTP port (`serve` with no platform): a port in use turns /healthz off, not the console. */
async function consoleHttp(env: Env, routes: Record<string, Route>, logger: Logger) {
  try {
    return await startHttpServer({ port: env.PORT, host: env.HOST, routes, logger });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    process.stdout.write(
      `/healthz is off: PORT ${env.PORT} is in use (set PORT to a free port to serve it).\n`,
    );
    return undefined;
  }
}

/** What `kickbot serve` answers on its one HTTP port, and to which methods (anything else is a 405). */
function httpRoutes(env: Env, runtime: Runtime): Record<string, Route> {
  const health = healthRoute(runtime.health);
  const routes: Record<string, Route> = { '/healthz': { GET: health, HEAD: health } };
  if (runtime.slack?.listener) routes['/slack/events'] = { POST: runtime.slack.listener };
  if (runtime.discord?.http) routes['/discord/interactions'] = { POST: runtime.discord.http };
  if (env.KICKBOT_API_KEY) {
    const platforms = new Map<string, string | undefined>();
    if (runtime.console) platforms.set('console', makeId('console', runtime.console.data.name));
    if (runtime.slack) platforms.set('slack', undefined);
    if (runtime.discord) platforms.set('discord', undefined);
    const api = apiRoute({
      core: runtime.core,
      apiKey: env.KICKBOT_API_KEY,
      identities: new Identities(runtime.config.identities),
      platforms,
    });
    routes['/api/v1/removals'] = { POST: api };
  }
  return routes;
}

/**
 * `kickbot serve` with platforms configured: their endpoints on one HTTP port, until SIGINT or SIGTERM. With
 * only the HTTP API (`KICKBOT_API_KEY`, no Slack or Discord) it serves the console workspace, headless.
 */
async function startPlatforms(
  env: Env,
  opts: { config?: string; worker: boolean; workspace: string },
): Promise<number> {
  const logger = createLogger(process.env.LOG_LEVEL ?? 'info');
  const slack = slackConfigured(env);
  const discord = discordConfigured(env);
  const runtime = await createRuntime({
    env,
    config: config(env, opts),
    logger,
    worker: opts.worker,
    slack,
    discord,
    ...(slack || discord ? {} : { console: { workspaceFile: opts.workspace } }),
  });
  const routes = httpRoutes(env, runtime);
  const server = await startHttpServer({ port: env.PORT, host: env.HOST, routes, logger });
  try {
    await runtime.slack?.start();
    // HTTP mode checks the token now; the gateway's login does (and keeps trying while Discord is unreachable).
    if (runtime.discord?.http) await checkDiscordToken(runtime.discord.rest, (m) => logger.warn({}, m));
    await runtime.discord?.gateway?.start().catch((error: unknown) => {
      throw tokenRefused(error);
    });
    const fronts = [
      runtime.slack &&
        (runtime.slack.listener ? `Slack on ${server.url}/slack/events` : 'Slack in Socket Mode'),
      runtime.discord &&
        (runtime.discord.http
          ? `Discord on ${server.url}/discord/interactions`
          : `Discord over the gateway${runtime.discord.gateway?.state() === 'connecting' ? ' (connecting)' : ''}`),
      runtime.console && `console workspace "${runtime.console.data.name}" (no REPL)`,
      routes['/api/v1/removals'] && `API on ${server.url}/api/v1/removals`,
    ].filter(Boolean);
    process.stdout.write(
      `kickbot serve · ${fronts.join(' · ')} · ${runtime.storeLabel} · HTTP on ${server.url} (/healthz)\n`,
    );
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    return 0;
  } finally {
    await server.close();
    await runtime.close();
  }
}

async function startWorker(env: Env, opts: { workspace: string; config?: string }): Promise<number> {
  if (!env.REDIS_URL) throw new UsageError('kickbot worker works bulk jobs from Redis: set REDIS_URL');
  const logger = createLogger(process.env.LOG_LEVEL ?? 'info');
  const runtime = await createRuntime({
    env,
    config: config(env, opts),
    logger,
    worker: true,
    console: { workspaceFile: opts.workspace },
    slack: slackConfigured(env),
    discord: discordConfigured(env),
  });
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
    .action(async (opts: ConsoleFlags) => setCode(await startConsole(env(), opts, false)));

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
    .action(async (words: string[], opts) => setCode(await runOnce(env(), opts, words)));

  cli
    .command('serve')
    .description(
      'start every platform whose credentials are set (and the HTTP API with KICKBOT_API_KEY); none set = the console',
    )
    .addOption(workspace())
    .addOption(configFile())
    .addOption(noWorker())
    .action(async (opts: ConsoleFlags) => {
      const e = env();
      if (slackConfigured(e) || discordConfigured(e) || e.KICKBOT_API_KEY)
        return setCode(await startPlatforms(e, opts));
      process.stdout.write(
        'No platform credentials are set (SLACK_BOT_TOKEN, DISCORD_TOKEN): starting the console.\n',
      );
      setCode(await startConsole(e, opts, true));
    });

  cli
    .command('worker')
    .description('work bulk jobs from Redis (REDIS_URL) until stopped; serve and run also do, in-process')
    .addOption(workspace())
    .addOption(configFile())
    .action(async (opts: { workspace: string; config?: string }) => setCode(await startWorker(env(), opts)));

  cli
    .command('audit')
    .description('print the audit log kept in Redis (REDIS_URL), oldest first')
    .option('--json', 'one JSON record per line')
    .option('--limit <n>', 'only the newest n records', (v) => Number.parseInt(v, 10))
    .action(async (opts: { json?: boolean; limit?: number }) => setCode(await printAudit(env(), opts)));

  cli
    .command('manifest')
    .description(
      'print the Slack app manifest or the Discord command payload, generated from the command list',
    )
    .argument('<platform>', 'slack | discord')
    .option('--url <url>', "kickbot's public base URL (HTTP mode); Slack posts to <url>/slack/events")
    .option('--socket', 'Socket Mode: no public URL (set SLACK_APP_TOKEN)')
    .option('--prefix <prefix>', 'register /<prefix>kick … (set SLACK_COMMAND_PREFIX to the same)')
    .action((platform: string, opts: { url?: string; socket?: boolean; prefix?: string }) => {
      if (platform === 'discord') {
        process.stdout.write(discordCommandsJson(commands));
        return setCode(0);
      }
      if (platform !== 'slack')
        throw new UsageError(`kickbot manifest knows slack and discord (got "${platform}")`);
      checkSlackManifestFlags(opts);
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
      if (platform !== 'discord') throw new UsageError(`kickbot register knows discord (got "${platform}")`);
      setCode(await registerDiscord(env(), opts.guild));
    });

  cli
    .command('invite-url')
    .description('print the OAuth2 URL that adds kickbot to a Discord server, with the permissions it needs')
    .argument('<platform>', 'discord')
    .action(async (platform: string) => {
      if (platform !== 'discord')
        throw new UsageError(`kickbot invite-url knows discord (got "${platform}")`);
      process.stdout.write(`${inviteUrl(await discordApplicationId(env()))}\n`);
      setCode(0);
    });
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
