import { adminRoutes } from '../admin/index.js';
import { loadConfig } from '../config/config-file.js';
import { Identities, type Logger, UsageError } from '../core/index.js';
import { apiRoute } from '../http/api.js';
import { offboardingsRoute } from '../http/offboardings.js';
import { type HttpServer, healthRoute, type Route, startHttpServer } from '../http/server.js';
import { metricsRoute, startMetricsServer } from '../metrics/route.js';
import { runRepl } from '../platforms/console/repl.js';
import { ConsoleSession } from '../platforms/console/session.js';
import { configuredPlatforms } from '../platforms/index.js';
import { BackgroundWork } from '../scim/BackgroundWork.js';
import { coreActions } from '../scim/core-actions.js';
import { MemoryScimStore } from '../scim/MemoryScimStore.js';
import { oktaHookRoutes } from '../scim/okta-hook.js';
import { RedisScimStore } from '../scim/RedisScimStore.js';
import { scimRoutes } from '../scim/routes.js';
import type { Env } from './env.js';
import { createLogger } from './logger.js';
import { consoleApp, createRuntime, type Runtime } from './runtime.js';

/**
 * The long-running commands: `kickbot console`, `serve` (the platforms' endpoints on one HTTP port, or the console
 * when none is configured) and `worker`. Each returns its exit code once stopped.
 */
export interface ConsoleFlags {
  workspace: string;
  config?: string;
  as?: string;
  in?: string;
  worker: boolean;
}

const config = (env: Env, flags: { config?: string }) => loadConfig(flags.config ?? env.KICKBOT_CONFIG);

export async function startConsole(env: Env, opts: ConsoleFlags, http: boolean): Promise<number> {
  const logger = createLogger();
  // Room confirmations go to the terminal; once the REPL runs, through it (it keeps the prompt whole).
  let writeNotice: (text: string) => void = (text) => {
    process.stdout.write(`${text}\n`);
  };
  const runtime = await createRuntime({
    env,
    config: config(env, opts),
    logger,
    worker: opts.worker,
    console: { workspaceFile: opts.workspace, onNotice: (_room, text) => writeNotice(text) },
    metrics: http,
  });
  const routes = http ? httpRoutes(env, runtime) : {};
  const server = http ? await consoleHttp(env, routes, logger) : undefined;
  let metrics: HttpServer | undefined;
  try {
    if (http) metrics = await metricsServer(env, runtime, logger);
    if (server) process.stdout.write(`HTTP on ${server.url} (${Object.keys(routes).join(', ')})\n`);
    const app = consoleApp(runtime);
    const session = new ConsoleSession(app, { as: opts.as, in: opts.in });
    await runRepl({
      app,
      session,
      input: process.stdin,
      output: process.stdout,
      // The banner says it when a timed removal would not outlive this process.
      storeLabel: [runtime.storeLabel, runtime.timersLabel].filter(Boolean).join(' · '),
      takeNotices: (write) => {
        writeNotice = write;
      },
    });
    return 0;
  } finally {
    await metrics?.close();
    await server?.close();
    await runtime.close();
  }
}

/** `/metrics` on METRICS_PORT when it is set (then not on the main port). */
async function metricsServer(env: Env, runtime: Runtime, logger: Logger): Promise<HttpServer | undefined> {
  if (env.METRICS_PORT === undefined || !runtime.metrics) return undefined;
  const server = await startMetricsServer(runtime.metrics, {
    port: env.METRICS_PORT,
    host: env.HOST,
    logger,
    health: healthMethods(runtime),
  });
  process.stderr.write(`metrics on ${server.url}/metrics (and /healthz)\n`);
  return server;
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

/** `/healthz`, GET and HEAD. */
function healthMethods(runtime: Runtime): Route {
  const health = healthRoute(runtime.health);
  return { GET: health, HEAD: health };
}

/** What `kickbot serve` answers on its one HTTP port, and to which methods (anything else is a 405). */
function httpRoutes(env: Env, runtime: Runtime, work?: BackgroundWork): Record<string, Route> {
  const routes: Record<string, Route> = { '/healthz': healthMethods(runtime) };
  if (runtime.metrics && env.METRICS_PORT === undefined) routes['/metrics'] = metricsRoute(runtime.metrics);
  for (const front of runtime.fronts) Object.assign(routes, front.routes);
  if (env.KICKBOT_API_KEY) {
    const platforms = new Map(runtime.fronts.map((f) => [f.name, f.workspace]));
    const api = {
      core: runtime.core,
      apiKey: env.KICKBOT_API_KEY,
      identities: new Identities(runtime.config.identities),
      platforms,
    };
    routes['/api/v1/removals'] = { POST: apiRoute(api) };
    routes['/api/v1/offboardings'] = { POST: offboardingsRoute(api) };
  }
  if (env.KICKBOT_ADMIN_TOKEN) {
    const logger = createLogger(process.env.LOG_LEVEL ?? 'info').child({ front: 'admin' });
    const publicUrl = env.KICKBOT_PUBLIC_URL;
    Object.assign(
      routes,
      adminRoutes({
        runtime,
        env,
        token: env.KICKBOT_ADMIN_TOKEN,
        logger,
        ...(publicUrl ? { publicUrl } : {}),
      }),
    );
  }
  if (work && (env.KICKBOT_SCIM_TOKEN || env.KICKBOT_OKTA_HOOK_SECRET))
    Object.assign(routes, identityProviderRoutes(env, runtime, work));
  return routes;
}

/** SCIM 2.0 (`KICKBOT_SCIM_TOKEN`) and Okta's event hook (`KICKBOT_OKTA_HOOK_SECRET`), on one store of SCIM users. */
function identityProviderRoutes(env: Env, runtime: Runtime, work: BackgroundWork): Record<string, Route> {
  const logger = createLogger(process.env.LOG_LEVEL ?? 'info').child({ front: 'scim' });
  const store = runtime.redis
    ? new RedisScimStore(runtime.redis.client, { prefix: runtime.redis.prefix })
    : new MemoryScimStore();
  const platforms = new Map(runtime.fronts.map((f) => [f.name, f.workspace]));
  const actions = coreActions({ core: runtime.core, platforms, logger });
  return {
    ...(env.KICKBOT_SCIM_TOKEN
      ? scimRoutes({ token: env.KICKBOT_SCIM_TOKEN, store, actions, logger, work })
      : {}),
    ...(env.KICKBOT_OKTA_HOOK_SECRET
      ? oktaHookRoutes({
          secret: env.KICKBOT_OKTA_HOOK_SECRET,
          header: env.KICKBOT_OKTA_HOOK_HEADER,
          store,
          actions,
          logger,
          work,
        })
      : {}),
  };
}

/**
 * `kickbot serve` with platforms configured: their endpoints on one HTTP port, until SIGINT or SIGTERM. With
 * only the HTTP API, SCIM, the Okta hook or the admin page (no Slack or Discord) it serves the console workspace,
 * headless.
 */
export async function startPlatforms(
  env: Env,
  opts: { config?: string; worker: boolean; workspace: string },
): Promise<number> {
  const logger = createLogger(process.env.LOG_LEVEL ?? 'info');
  const configured = configuredPlatforms(env).length > 0;
  const runtime = await createRuntime({
    env,
    config: config(env, opts),
    logger,
    worker: opts.worker,
    platforms: true,
    ...(configured ? {} : { console: { workspaceFile: opts.workspace } }),
    metrics: true,
  });
  const work = new BackgroundWork();
  const routes = httpRoutes(env, runtime, work);
  const server = await startHttpServer({ port: env.PORT, host: env.HOST, routes, logger });
  let metrics: HttpServer | undefined;
  try {
    metrics = await metricsServer(env, runtime, logger);
    for (const front of runtime.fronts) await front.start();
    const fronts = [
      ...runtime.fronts.map((f) => f.banner(server.url)),
      routes['/api/v1/removals'] && `API on ${server.url}/api/v1/removals`,
      routes['/api/v1/offboardings'] && `offboardings on ${server.url}/api/v1/offboardings`,
      routes['/scim/v2/*'] && `SCIM 2.0 on ${server.url}/scim/v2`,
      routes['/hooks/okta'] && `Okta event hook on ${server.url}/hooks/okta`,
      routes['/admin'] && `admin page on ${server.url}/admin`,
    ].filter(Boolean);
    process.stdout.write(
      `kickbot serve · ${fronts.join(' · ')} · ${runtime.storeLabel} · HTTP on ${server.url} (/healthz${routes['/metrics'] ? ', /metrics' : ''})\n`,
    );
    if (runtime.timersLabel) process.stdout.write(`Note: ${runtime.timersLabel}.\n`);
    await stopSignal();
    return 0;
  } finally {
    await metrics?.close();
    await server.close();
    await work.settled(); // offboardings the identity provider asked for finish before the store closes
    await runtime.close();
  }
}

export async function startWorker(env: Env, opts: { workspace: string; config?: string }): Promise<number> {
  if (!env.REDIS_URL && !env.REDIS_CLUSTER_NODES)
    throw new UsageError('kickbot worker works bulk jobs from Redis: set REDIS_URL (or REDIS_CLUSTER_NODES)');
  const logger = createLogger(process.env.LOG_LEVEL ?? 'info');
  const runtime = await createRuntime({
    env,
    config: config(env, opts),
    logger,
    worker: true,
    console: { workspaceFile: opts.workspace },
    platforms: true,
    metrics: env.METRICS_PORT !== undefined,
  });
  let metrics: HttpServer | undefined;
  try {
    metrics = await metricsServer(env, runtime, logger);
    logger.info({ store: runtime.storeLabel }, 'kickbot worker started');
    process.stderr.write(
      `kickbot worker · ${runtime.storeLabel} · waiting for bulk jobs and timed restores (Ctrl-C stops)\n`,
    );
    await stopSignal();
    return 0;
  } finally {
    await metrics?.close();
    await runtime.close();
  }
}

/** Resolves on the first SIGINT or SIGTERM (Ctrl-C, `docker stop`). */
function stopSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
}
