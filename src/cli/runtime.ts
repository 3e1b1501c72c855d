import type { Queue, Worker } from 'bullmq';
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
  noMetrics,
  type Remover,
  type Store,
  type Timers,
  withOverrides,
} from '../core/index.js';
import type { BullBulkRunner } from '../jobs/BullBulkRunner.js';
import { MemoryTimers } from '../jobs/MemoryTimers.js';
import { bulkPairs } from '../metrics/bulk.js';
import type { PromMetrics } from '../metrics/prometheus.js';
import type { Front } from '../platforms/front.js';
import { platforms as allPlatforms } from '../platforms/index.js';
import { MemoryStore } from '../store/MemoryStore.js';
import type { RedisStore } from '../store/RedisStore.js';
import { firstConnect } from '../store/redis-errors.js';
import { persistenceWarning } from '../store/redis-persistence.js';
import {
  describeTarget,
  isCluster,
  type RedisClient,
  type RedisTarget,
  redisTarget,
} from '../store/redis-target.js';
import type { Env } from './env.js';
import { type Health, withFrontHealth } from './health.js';
import { dataLostMessage, watchRedis } from './redis-watch.js';
import { areaTargets, offboardTargets, seedConnectors, systemsOf } from './seeds.js';
import { closeRedisClients } from './shutdown.js';

export { consoleApp } from '../platforms/console/platform.js';

export interface Runtime {
  core: Core;
  store: Store;
  /** The front ends this process runs, in the order of `src/platforms/index.ts`. */
  fronts: readonly Front[];
  /** The config file it was made from. */
  config: Config;
  /** One line for the start banner: which store, and what that means. */
  storeLabel: string;
  /** For the start banner when timed removals would not survive this process (in-process timers). */
  timersLabel?: string;
  /** The Redis client and key prefix of the store, when it is Redis (SCIM users live there too). */
  redis?: { client: RedisClient; prefix: string };
  /** The BullMQ queues of bulk jobs and timed restores, when they are in Redis (the admin page counts their jobs). */
  queues?: { bulk: Queue; timers: Queue };
  /** This process's metrics (`/metrics`), when it serves them: its core, platforms and connectors record there. */
  metrics?: PromMetrics;
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
  /** Every platform the environment configures (Slack, Discord: `src/platforms/index.ts`). */
  platforms?: boolean;
  /** Where the config file's `{ env: VAR }` secrets are read (default: process.env). */
  rawEnv?: NodeJS.ProcessEnv;
  /**
   * Timed removals without Redis: in this process (`memory`, the default: serve, console) or none at all (`none`:
   * `kickbot run` exits at once, and a `--for` there is a usage error). With Redis they are BullMQ delayed jobs.
   */
  timersWithoutRedis?: 'memory' | 'none';
  /** Record metrics for `/metrics` (serve; a worker with METRICS_PORT). Without it prom-client is not even loaded. */
  metrics?: boolean;
}

/** The usage error of a `--for` given to `kickbot run` without Redis. */
export const RUN_NO_TIMERS =
  'a timed removal from `kickbot run` needs REDIS_URL: this process exits at once and would lose its timer';

/** The banner's line about in-process timers. */
export const MEMORY_TIMERS_LABEL =
  'timed removals (--for) wait in this process: they are lost if it stops (set REDIS_URL to keep them)';

/**
 * The pieces a kickbot process runs on. Without `REDIS_URL`: a memory store and bulk jobs in-process. With it:
 * the Redis store, the console workspace in Redis, BullMQ for bulk jobs and (unless told not to) a worker.
 * The platforms asked for (src/platforms/index.ts) give the directories and removers of one core, and their fronts.
 */
export async function createRuntime(opts: RuntimeOptions): Promise<Runtime> {
  const { env, logger, config } = opts;
  // First, so that a secret missing from the environment stops the start before anything connects.
  const prom = opts.metrics
    ? (await import('../metrics/prometheus.js')).createPromMetrics({ commands: commands.map((c) => c.name) })
    : undefined;
  const metrics = prom?.metrics ?? noMetrics;
  const seeds = seedConnectors(config, opts.rawEnv ?? process.env, logger, metrics);
  // One server or a cluster, decided here once for every client (store, BullMQ, console state, SCIM).
  const target = redisTarget(env);
  const prefix = env.KICKBOT_REDIS_PREFIX;
  const onDataLost = (highestCase: number) => logger.error({ highestCase }, dataLostMessage(highestCase));
  // Redis and BullMQ load only with REDIS_URL (or REDIS_CLUSTER_NODES).
  const redis = target
    ? (await import('../store/RedisStore.js')).RedisStore.connect(target, { prefix, onDataLost })
    : undefined;
  const reachable = redis ? await firstConnect(redis.client, 2_000) : true;
  const jobs = redis && target ? await bullJobs(redis, target, prefix, logger) : undefined;
  if (redis && jobs) {
    // Before anything reads or writes: the data of the layout before hash tags moves to the new names (once). A
    // failed move leaves the old keys, which a later start merges in; a Redis away at start is moved once it is up.
    const migrate = () =>
      jobs.migrate(redis.client, jobs.queueConnection, prefix, logger).catch((error: Error) => {
        logger.error({ err: error }, 'Redis: could not move the old key layout; the next start tries again');
      });
    if (reachable) await migrate();
    else redis.client.once('ready', () => void migrate());
  }
  const watch = redis ? await watchRedis(redis, logger, reachable) : undefined;
  const store: Store = redis ?? new MemoryStore();
  const stateClient =
    redis && env.KICKBOT_CONSOLE_REDIS_URL
      ? (await import('../store/redis-client.js')).createRedisClient(
          { url: env.KICKBOT_CONSOLE_REDIS_URL },
          'state',
        )
      : undefined;

  const request = {
    env,
    fromEnv: opts.platforms ?? false,
    ...(opts.console ? { console: opts.console } : {}),
  };
  const directories: Directory[] = [];
  const removers: Remover[] = [];
  let grants = withOverrides(DEFAULT_GRANTS, undefined);
  const parts = [];
  for (const platform of allPlatforms.filter((p) => p.wanted(request))) {
    const part = await platform.create({
      ...request,
      config,
      logger,
      store,
      metrics,
      ...(redis ? { redis: { client: stateClient ?? redis.client, prefix } } : {}),
    });
    directories.push(part.directory);
    removers.push(part.remover);
    if (part.permissions) grants = withOverrides(grants, part.permissions);
    parts.push(part);
  }
  removers.push(...seeds);
  grants = withOverrides(grants, config.permissions);

  const bulk: BulkRunner | undefined = jobs?.runner;
  // Timed removals: BullMQ delayed jobs with Redis; without it, in this process (or none for `kickbot run`).
  const memoryTimers =
    !jobs && (opts.timersWithoutRedis ?? 'memory') === 'memory'
      ? new MemoryTimers({ fire: (timer) => core.fireTimer(timer), logger })
      : undefined;
  const timers: Timers | undefined = jobs?.timers ?? memoryTimers;
  const core = createCore({
    directories,
    removers,
    store,
    commands,
    logger,
    metrics,
    grants,
    rateLimit: env.KICKBOT_RATE_LIMIT,
    confirmThreshold: env.KICKBOT_CONFIRM_THRESHOLD,
    bulkThreshold: env.KICKBOT_BULK_THRESHOLD,
    ...(bulk ? { bulk } : {}),
    ...(config.identities ? { identities: config.identities } : {}),
    areaTargets: areaTargets(config),
    offboardTargets: offboardTargets(config),
    systems: systemsOf(config),
    requireReason: config.requireReason ?? false,
    dmByDefault: config.notify?.dm ?? false,
    rejoinAlertMs: (config.rejoinAlert?.days ?? 30) * 24 * 60 * 60_000,
    ...(timers ? { timers } : { noTimers: RUN_NO_TIMERS }),
  });

  let worker: Worker | undefined;
  let timerWorker: Worker | undefined;
  let workerConnection: RedisClient | undefined;
  if (redis && target && jobs && opts.worker) {
    workerConnection = jobs.connection(target);
    worker = jobs.startWorker({
      core,
      store: redis,
      connection: workerConnection,
      logger,
      prefix,
      lockMs: env.KICKBOT_JOB_LOCK,
    });
    timerWorker = jobs.startTimerWorker({ core, connection: workerConnection, logger, prefix });
  }

  const fronts = parts.map((part) => part.front(core));
  const queue = jobs?.runner;
  prom?.probe({
    storeUp: () => store.ping(),
    ...(queue ? { bulkPairs: () => bulkPairs(queue.queue, queue.sliceSize) } : {}),
  });
  const warning = watch?.persistence() === 'none' ? ` · WARNING: ${persistenceWarning('none')}` : '';
  const storeLabel = redis
    ? `redis store ${target ? describeTarget(target) : ''}${reachable ? '' : ' (not reachable yet: commands are refused until it is)'}${warning}`
    : 'memory store (state lasts as long as this process; set REDIS_URL to share it)';
  const platforms = removers.map((r) => r.system);
  return withFrontHealth({
    core,
    store,
    config,
    fronts,
    storeLabel,
    ...(prom ? { metrics: prom } : {}),
    ...(memoryTimers ? { timersLabel: MEMORY_TIMERS_LABEL } : {}),
    ...(redis ? { redis: { client: redis.client, prefix } } : {}),
    ...(jobs ? { queues: { bulk: jobs.runner.queue, timers: jobs.timers.queue } } : {}),
    async health() {
      if (!redis) return { ok: true, store: 'memory', worker: false, platforms };
      const up = await redis.ping();
      const persistence = watch?.persistence() ?? 'unknown';
      return {
        ok: up,
        store: 'redis',
        redis: up ? 'up' : 'down',
        ...(isCluster(redis.client) ? { cluster: { masters: redis.client.nodes('master').length } } : {}),
        persistence,
        worker: worker !== undefined,
        platforms,
      };
    },
    async close() {
      for (const front of fronts) await front.stop().catch(() => {});
      memoryTimers?.close();
      if (!redis) return;
      await closeRedisClients({
        healthy: redis.client.status === 'ready' && (await redis.ping()),
        worker,
        runner: jobs?.runner,
        timers: { queue: jobs?.timers.queue, worker: timerWorker },
        clients: [jobs?.queueConnection, workerConnection, stateClient, redis.client],
      });
    },
  });
}

/** BullMQ for bulk jobs (REDIS_URL or REDIS_CLUSTER_NODES): loaded only then. */
async function bullJobs(redis: RedisStore, target: RedisTarget, prefix: string, logger: Logger) {
  const [
    { BullBulkRunner },
    { startBulkWorker },
    { bullConnection },
    { BullTimers },
    { startTimerWorker },
    { migrateLayout },
  ] = await Promise.all([
    import('../jobs/BullBulkRunner.js'),
    import('../jobs/bulk-worker.js'),
    import('../jobs/bull.js'),
    import('../jobs/BullTimers.js'),
    import('../jobs/timer-worker.js'),
    import('../jobs/migrate-queues.js'),
  ]);
  const queueConnection = bullConnection(target);
  const runner: BullBulkRunner = new BullBulkRunner({
    connection: queueConnection,
    store: redis,
    prefix,
    logger,
  });
  const timers = new BullTimers({ connection: queueConnection, prefix, logger });
  return {
    runner,
    timers,
    queueConnection,
    connection: bullConnection,
    migrate: migrateLayout,
    startWorker: startBulkWorker,
    startTimerWorker,
  };
}
