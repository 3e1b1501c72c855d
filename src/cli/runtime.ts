import { REST } from '@discordjs/rest';
import type { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { commands } from '../../commands/index.js';
import type { Config } from '../config/config-file.js';
import {
  type BulkRunner,
  type Core,
  createCore,
  DEFAULT_GRANTS,
  type Directory,
  type Id,
  type Logger,
  type Remover,
  type Store,
  UsageError,
  withOverrides,
} from '../core/index.js';
import type { Handler } from '../http/server.js';
import { BullBulkRunner } from '../jobs/BullBulkRunner.js';
import { startBulkWorker } from '../jobs/bulk-worker.js';
import { bullConnection } from '../jobs/bull.js';
import { type ConsoleApp, type ConsolePlatform, createConsolePlatform } from '../platforms/console/app.js';
import { RedisWorkspace } from '../platforms/console/RedisWorkspace.js';
import { discordConnector } from '../platforms/discord/connector.js';
import { createGatewayFront, type GatewayFront } from '../platforms/discord/GatewayFront.js';
import { createHttpFront } from '../platforms/discord/HttpFront.js';
import { slackConnector } from '../platforms/slack/connector.js';
import { createSlackFront, type SlackFront } from '../platforms/slack/SlackFront.js';
import { slackWebClient } from '../platforms/slack/web-client.js';
import { MemoryStore } from '../store/MemoryStore.js';
import { RedisStore } from '../store/RedisStore.js';
import { firstConnect } from '../store/redis-errors.js';
import { persistenceWarning } from '../store/redis-persistence.js';
import type { Env } from './env.js';
import { type Health, withGatewayHealth } from './health.js';
import { dataLostMessage, watchRedis } from './redis-watch.js';
import { areaTargets, seedConnectors, systemsOf } from './seeds.js';
import { closeRedisClients } from './shutdown.js';

export interface Runtime {
  core: Core;
  store: Store;
  console?: ConsolePlatform;
  slack?: SlackFront;
  discord?: { gateway?: GatewayFront; http?: Handler; rest: REST };
  /** The config file it was made from. */
  config: Config;
  /** One line for the start banner: which store, and what that means. */
  storeLabel: string;
  health(): Promise<Health>;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  env: Env;
  config: Config;
  logger: Logger;
  /** Work bulk jobs in this process too (serve and run do, unless told not to). */
  worker: boolean;
  /** The console platform on this workspace file. */
  console?: { workspaceFile: string; onNotice?: (room: Id, text: string) => void };
  /** The Slack platform (SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET or SLACK_APP_TOKEN must be set). */
  slack?: boolean;
  /** The Discord platform (DISCORD_TOKEN; with DISCORD_PUBLIC_KEY in HTTP interactions mode). */
  discord?: boolean;
  /** Where the config file's `{ env: VAR }` secrets are read (default: process.env). */
  rawEnv?: NodeJS.ProcessEnv;
}

/** Whether the environment configures Discord. */
export function discordConfigured(env: Env): boolean {
  if (env.DISCORD_PUBLIC_KEY && !env.DISCORD_TOKEN) {
    throw new UsageError(
      'DISCORD_PUBLIC_KEY is set but DISCORD_TOKEN is not: kickbot needs the bot token to act',
    );
  }
  return env.DISCORD_TOKEN !== undefined;
}

/** Whether the environment configures Slack, and how completely. */
export function slackConfigured(env: Env): boolean {
  if (!env.SLACK_BOT_TOKEN) return false;
  if (!env.SLACK_SIGNING_SECRET && !env.SLACK_APP_TOKEN) {
    throw new UsageError(
      'SLACK_BOT_TOKEN is set but neither SLACK_SIGNING_SECRET (HTTP mode) nor SLACK_APP_TOKEN (Socket Mode) is',
    );
  }
  return true;
}

/**
 * The pieces a kickbot process runs on. Without `REDIS_URL`: a memory store and bulk jobs in-process. With it:
 * the Redis store, the console workspace in Redis, BullMQ for bulk jobs and (unless told not to) a worker.
 * The platforms asked for become connectors of one core.
 */
export async function createRuntime(opts: RuntimeOptions): Promise<Runtime> {
  const { env, logger, config } = opts;
  // First, so that a secret missing from the environment stops the start before anything connects.
  const seeds = seedConnectors(config, opts.rawEnv ?? process.env, logger);
  const redisUrl = env.REDIS_URL;
  const prefix = env.KICKBOT_REDIS_PREFIX;
  const onDataLost = (highestCase: number) => logger.error({ highestCase }, dataLostMessage(highestCase));
  const redis = redisUrl ? RedisStore.fromUrl(redisUrl, { prefix, onDataLost }) : undefined;
  const reachable = redis ? await firstConnect(redis.client, 2_000) : true;
  const watch = redis ? await watchRedis(redis, logger, reachable) : undefined;
  const store: Store = redis ?? new MemoryStore();
  const stateClient =
    redis && env.KICKBOT_CONSOLE_REDIS_URL
      ? new Redis(env.KICKBOT_CONSOLE_REDIS_URL, { maxRetriesPerRequest: 1 })
      : undefined;
  stateClient?.on('error', () => {});

  const directories: Directory[] = [];
  const removers: Remover[] = [];
  let grants = withOverrides(DEFAULT_GRANTS, undefined);
  let consolePlatform: ConsolePlatform | undefined;
  if (opts.console) {
    consolePlatform = createConsolePlatform({
      workspaceFile: opts.console.workspaceFile,
      ...(redis
        ? { state: (data) => new RedisWorkspace(stateClient ?? redis.client, data, { prefix }) }
        : {}),
      ...(opts.console.onNotice ? { onNotice: opts.console.onNotice } : {}),
      configAreas: config.areas,
    });
    directories.push(consolePlatform.connector);
    removers.push(consolePlatform.connector);
    grants = withOverrides(grants, consolePlatform.data.permissions);
  }
  if (opts.slack && env.SLACK_BOT_TOKEN) {
    const client = slackWebClient(env.SLACK_BOT_TOKEN, {
      logger,
      timeoutMs: env.SLACK_API_TIMEOUT,
      ...(env.SLACK_API_URL ? { apiUrl: env.SLACK_API_URL } : {}),
    });
    const rate = env.SLACK_KICK_RATE;
    const onSlack = slackConnector({
      client,
      config,
      logger,
      ratePerSecond: (rate.removals * 1000) / rate.windowMs,
      locks: store, // user-group changes one at a time across replicas
    });
    directories.push(onSlack.directory);
    removers.push(onSlack.remover);
  }
  const discordRest =
    opts.discord && env.DISCORD_TOKEN
      ? new REST({ version: '10', ...(env.DISCORD_API_URL ? { api: env.DISCORD_API_URL } : {}) }).setToken(
          env.DISCORD_TOKEN,
        )
      : undefined;
  if (discordRest) {
    const onDiscord = discordConnector({ rest: discordRest, config, logger });
    directories.push(onDiscord.directory);
    removers.push(onDiscord.remover);
  }
  removers.push(...seeds);
  grants = withOverrides(grants, config.permissions);

  const queueConnection = redisUrl ? bullConnection(redisUrl) : undefined;
  const bulk: BulkRunner | undefined =
    redis && queueConnection
      ? new BullBulkRunner({ connection: queueConnection, store: redis, prefix, logger })
      : undefined;
  const core = createCore({
    directories,
    removers,
    store,
    commands,
    logger,
    grants,
    rateLimit: env.KICKBOT_RATE_LIMIT,
    confirmThreshold: env.KICKBOT_CONFIRM_THRESHOLD,
    bulkThreshold: env.KICKBOT_BULK_THRESHOLD,
    ...(bulk ? { bulk } : {}),
    ...(config.identities ? { identities: config.identities } : {}),
    areaTargets: areaTargets(config),
    systems: systemsOf(config),
  });

  let worker: Worker | undefined;
  let workerConnection: Redis | undefined;
  if (redis && redisUrl && opts.worker) {
    workerConnection = bullConnection(redisUrl);
    worker = startBulkWorker({
      core,
      store: redis,
      connection: workerConnection,
      logger,
      prefix,
      lockMs: env.KICKBOT_JOB_LOCK,
    });
  }

  const slack =
    opts.slack && env.SLACK_BOT_TOKEN
      ? createSlackFront({
          core,
          logger,
          botToken: env.SLACK_BOT_TOKEN,
          ...(env.SLACK_SIGNING_SECRET ? { signingSecret: env.SLACK_SIGNING_SECRET } : {}),
          ...(env.SLACK_APP_TOKEN ? { appToken: env.SLACK_APP_TOKEN } : {}),
          ...(env.SLACK_API_URL ? { apiUrl: env.SLACK_API_URL } : {}),
          commandPrefix: env.SLACK_COMMAND_PREFIX,
        })
      : undefined;

  const areas = () => config.areas.map((a) => a.id);
  const discord =
    discordRest && env.DISCORD_TOKEN
      ? env.DISCORD_PUBLIC_KEY
        ? {
            rest: discordRest,
            http: createHttpFront({
              core,
              logger,
              publicKey: env.DISCORD_PUBLIC_KEY,
              rest: discordRest,
              areas,
            }),
          }
        : {
            rest: discordRest,
            gateway: createGatewayFront({
              core,
              logger,
              token: env.DISCORD_TOKEN,
              areas,
              ...(env.DISCORD_API_URL ? { apiUrl: env.DISCORD_API_URL } : {}),
            }),
          }
      : undefined;

  const where = redisUrl?.replace(/\/\/[^@/]*@/, '//***@'); // never print a password
  const warning = watch?.persistence() === 'none' ? ` · WARNING: ${persistenceWarning('none')}` : '';
  const storeLabel = redis
    ? `redis store at ${where}${reachable ? '' : ' (not reachable yet: commands are refused until it is)'}${warning}`
    : 'memory store (state lasts as long as this process; set REDIS_URL to share it)';
  const platforms = removers.map((r) => r.system);
  return withGatewayHealth({
    core,
    store,
    config,
    ...(consolePlatform ? { console: consolePlatform } : {}),
    ...(slack ? { slack } : {}),
    ...(discord ? { discord } : {}),
    storeLabel,
    async health() {
      if (!redis) return { ok: true, store: 'memory', worker: false, platforms };
      const up = await redis.ping();
      const persistence = watch?.persistence() ?? 'unknown';
      return {
        ok: up,
        store: 'redis',
        redis: up ? 'up' : 'down',
        persistence,
        worker: worker !== undefined,
        platforms,
      };
    },
    async close() {
      await slack?.stop().catch(() => {});
      await discord?.gateway?.stop().catch(() => {});
      if (!redis) return;
      await closeRedisClients({
        healthy: redis.client.status === 'ready' && (await redis.ping()),
        worker,
        runner: bulk as BullBulkRunner | undefined,
        clients: [queueConnection, workerConnection, stateClient, redis.client],
      });
    },
  });
}

/** The console platform of a runtime on its core: what the REPL and `kickbot run` work with. */
export function consoleApp(runtime: Runtime): ConsoleApp {
  if (!runtime.console) throw new Error('this runtime has no console platform');
  return { ...runtime.console, core: runtime.core, store: runtime.store };
}
