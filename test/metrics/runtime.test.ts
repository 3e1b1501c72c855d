import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { readEnv } from '../../src/cli/env.js';
import { consoleApp, createRuntime, type Runtime } from '../../src/cli/runtime.js';
import { EMPTY_CONFIG } from '../../src/config/config-file.js';
import { type Handled, silentLogger } from '../../src/core/index.js';
import { type HttpServer, healthRoute } from '../../src/http/server.js';
import { startMetricsServer } from '../../src/metrics/route.js';
import { ConsoleSession } from '../../src/platforms/console/session.js';
import { SMALL_WORKSPACE } from '../helpers/console.js';
import { startWorkerProcess, stopWorkerProcess, type WorkerProcess } from '../helpers/jobs.js';
import { type RedisServer, startRedisServer } from '../helpers/redis-server.js';
import { waitFor } from '../helpers/wait.js';
import { scrape } from './exposition.js';

/** A console workspace file of its own (the runtime keeps the workspace in Redis under its prefix). */
function workspaceFile(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'kickbot-metrics-')), 'small.yaml');
  writeFileSync(file, SMALL_WORKSPACE);
  return file;
}

let runtime: Runtime | undefined;
let server: HttpServer | undefined;
let redis: RedisServer | undefined;
let worker: WorkerProcess | undefined;
afterEach(async () => {
  await stopWorkerProcess(worker);
  await server?.close();
  await runtime?.close();
  await redis?.stop();
  worker = undefined;
  server = undefined;
  runtime = undefined;
  redis = undefined;
});

/** A console runtime on Redis (no worker in it), its `/metrics` served, and a session to type in. */
async function consoleRuntime(env: Record<string, string>, file = workspaceFile()) {
  runtime = await createRuntime({
    env: readEnv(env),
    config: EMPTY_CONFIG,
    logger: silentLogger,
    worker: false,
    console: { workspaceFile: file },
    metrics: true,
  });
  if (!runtime.metrics) throw new Error('the runtime was asked for metrics');
  server = await startMetricsServer(runtime.metrics, {
    port: 0,
    host: '127.0.0.1',
    logger: silentLogger,
    health: { GET: healthRoute(runtime.health) },
  });
  const session = new ConsoleSession(consoleApp(runtime), { as: 'mo', in: 'general' });
  const core = runtime.core;
  return {
    file,
    metrics: `${server.url}/metrics`,
    type: (line: string): Promise<Handled> => core.handle(session.invocation(line)),
  };
}

describe('/metrics of a runtime on Redis', () => {
  it('GIVEN console commands THEN they are counted; GIVEN the Redis stopped THEN kickbot_store_up is 0 and the scrape still answers', async () => {
    redis = await startRedisServer();
    const { metrics, type } = await consoleRuntime({
      REDIS_URL: redis.url,
      KICKBOT_REDIS_PREFIX: `m-${randomUUID().slice(0, 8)}`,
    });
    expect(await type('/kick @bob @carol @ada spam')).toMatchObject({ kind: 'result', status: 'partial' });
    expect(await type('/kick')).toMatchObject({ kind: 'usage' });
    expect(await type(`/${'z'.repeat(5_000)}`)).toMatchObject({ kind: 'usage' });
    let s = await scrape(metrics);
    expect(s.value('kickbot_removals_total', { platform: 'console', outcome: 'removed' })).toBe(2);
    expect(s.value('kickbot_removals_total', { platform: 'console', outcome: 'denied' })).toBe(1);
    expect(
      s.value('kickbot_commands_total', { platform: 'console', command: 'kick', result: 'partial' }),
    ).toBe(1);
    expect(s.value('kickbot_commands_total', { platform: 'console', command: 'kick', result: 'usage' })).toBe(
      1,
    );
    // An unknown command is `other`: what a moderator types never becomes a label.
    const other = { platform: 'console', command: 'other', result: 'usage' };
    expect(s.value('kickbot_commands_total', other)).toBe(1);
    expect(s.value('kickbot_store_up')).toBe(1);
    expect(s.value('kickbot_bulk_pairs')).toBe(0);

    await redis.stop();
    const started = Date.now();
    s = await scrape(metrics);
    expect(s.value('kickbot_store_up')).toBe(0);
    expect(Date.now() - started).toBeLessThan(5_000);
    redis = undefined;
  });

  it('GIVEN a bulk job and a kickbot worker with METRICS_PORT THEN the queue shows its pairs, and the worker counts the pairs it settled', async () => {
    const url = inject('redisUrl');
    const prefix = `m-${randomUUID().slice(0, 8)}`;
    const env = { REDIS_URL: url, KICKBOT_REDIS_PREFIX: prefix, KICKBOT_BULK_THRESHOLD: '1' };
    const { file, metrics, type } = await consoleRuntime(env);
    // Over the bulk threshold: a BullMQ job, waiting for a worker.
    const kicked = type('/kick @bob @carol spam');
    const queued = await waitFor('a queued slice', async () => {
      const q = (await scrape(metrics)).value('kickbot_bulk_pairs', { state: 'queued' });
      return q > 0 ? q : undefined;
    });
    expect(queued).toBe(100); // one slice (of up to 100 pairs) — an upper bound, by design
    worker = await startWorkerProcess(file, { ...env, METRICS_PORT: '0' });
    const workerMetrics = /metrics on (http:\/\/\S+\/metrics)/.exec(worker.stderr())?.[1];
    expect(workerMetrics).toBeDefined();
    // A worker has no public port: its health check is beside its metrics.
    const health = await fetch(String(workerMetrics).replace(/\/metrics$/, '/healthz'));
    expect(await health.json()).toMatchObject({ status: 'ok', worker: true });
    expect(await kicked).toMatchObject({ kind: 'result', summary: expect.stringContaining('Removed 2 |') });
    const w = await waitFor('the worker to count its pairs', async () => {
      const s = await scrape(workerMetrics as string);
      return s.value('kickbot_removals_total', { platform: 'console', outcome: 'removed' }) === 2
        ? s
        : undefined;
    });
    expect(w.value('kickbot_commands_total')).toBe(0); // it ran no command: it settled pairs
    const s = await scrape(metrics);
    expect(s.value('kickbot_removals_total')).toBe(0); // this process settled none
    expect(s.value('kickbot_commands_total', { platform: 'console', command: 'kick', result: 'ok' })).toBe(1);
    expect(s.value('kickbot_bulk_pairs')).toBe(0);
  });
});
