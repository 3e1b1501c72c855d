import type { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { Id } from '../core/ids.js';
import type { Logger } from '../core/ports.js';
import { BullBulkRunner } from '../jobs/BullBulkRunner.js';
import { startBulkWorker } from '../jobs/bulk-worker.js';
import { bullConnection } from '../jobs/bull.js';
import { type ConsoleApp, createConsoleApp } from '../platforms/console/app.js';
import { RedisWorkspace } from '../platforms/console/RedisWorkspace.js';
import { RedisStore } from '../store/RedisStore.js';
import type { Env } from './env.js';

const CLOSE_MS = 5_000;

/** The promise's value, or 'timeout' if it takes longer than `ms`. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export interface Runtime {
  app: ConsoleApp;
  /** One line for the start banner: which store, and what that means. */
  storeLabel: string;
  health(): Promise<{ ok: boolean; store: 'memory' | 'redis'; redis?: 'up' | 'down'; worker: boolean }>;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  env: Env;
  workspaceFile: string;
  logger: Logger;
  /** Work bulk jobs in this process too (serve and run do, unless told not to). */
  worker: boolean;
  onNotice?: (room: Id, text: string) => void;
}

/**
 * The pieces a kickbot process runs on: without `REDIS_URL` a memory store and in-process bulk jobs; with it
 * the Redis store, the console workspace in Redis, BullMQ for bulk jobs and (unless told not to) a worker.
 */
export async function createRuntime(opts: RuntimeOptions): Promise<Runtime> {
  const { env, logger } = opts;
  const base = {
    workspaceFile: opts.workspaceFile,
    logger,
    ...(opts.onNotice ? { onNotice: opts.onNotice } : {}),
  };
  const settings = {
    rateLimit: env.KICKBOT_RATE_LIMIT,
    confirmThreshold: env.KICKBOT_CONFIRM_THRESHOLD,
    bulkThreshold: env.KICKBOT_BULK_THRESHOLD,
  };
  if (!env.REDIS_URL) {
    const app = createConsoleApp({ ...base, core: settings });
    return {
      app,
      storeLabel: 'memory store (state lasts as long as this process; set REDIS_URL to share it)',
      health: async () => ({ ok: true, store: 'memory', worker: false }),
      close: () => app.store.close(),
    };
  }

  const prefix = env.KICKBOT_REDIS_PREFIX;
  const store = RedisStore.fromUrl(env.REDIS_URL, { prefix });
  const reachable = await store.ready(3_000);
  const stateClient = env.KICKBOT_CONSOLE_REDIS_URL
    ? new Redis(env.KICKBOT_CONSOLE_REDIS_URL, { maxRetriesPerRequest: 1 })
    : undefined;
  stateClient?.on('error', () => {});
  const queueConnection = bullConnection(env.REDIS_URL);
  const bulk = new BullBulkRunner({ connection: queueConnection, store, prefix, logger });
  const app = createConsoleApp({
    ...base,
    store,
    state: (data) => new RedisWorkspace(stateClient ?? store.client, data, { prefix }),
    core: { ...settings, bulk },
  });
  let worker: Worker | undefined;
  let workerConnection: Redis | undefined;
  if (opts.worker) {
    workerConnection = bullConnection(env.REDIS_URL);
    worker = startBulkWorker({
      core: app.core,
      store,
      connection: workerConnection,
      logger,
      prefix,
      lockMs: env.KICKBOT_JOB_LOCK,
    });
  }
  const where = env.REDIS_URL.replace(/\/\/[^@/]*@/, '//***@'); // never print a password
  return {
    app,
    storeLabel: `redis store at ${where}${reachable ? '' : ' (not reachable yet: commands are refused until it is)'}`,
    async health() {
      const up = await store.ping();
      return { ok: up, store: 'redis', redis: up ? 'up' : 'down', worker: worker !== undefined };
    },
    async close() {
      // BullMQ's graceful close can wait for ever on a Redis that is away: only try it while Redis answers,
      // and bound it. A slice in flight is not lost: another worker resumes it after KICKBOT_JOB_LOCK.
      const healthy = await store.ping();
      const clients = [queueConnection, workerConnection, stateClient, store.client];
      const bull = healthy ? await within(Promise.all([worker?.close(), bulk.close()]), CLOSE_MS) : 'timeout';
      if (bull === 'timeout') {
        // Also BullMQ's own connections (the worker's blocking one is a duplicate of ours).
        worker?.close(true).catch(() => {});
        bulk.close().catch(() => {});
        void within(Promise.all([worker?.disconnect(), bulk.queue.disconnect()]), CLOSE_MS).catch(() => {});
      }
      if (healthy) await within(Promise.all(clients.map((c) => c?.quit().catch(() => {}))), CLOSE_MS);
      // Whatever did not end gracefully is cut: ioredis would otherwise keep reconnecting, and the process alive.
      for (const c of clients) if (c && c.status !== 'end') c.disconnect();
    },
  };
}
