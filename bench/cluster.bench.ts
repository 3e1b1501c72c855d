/**
 * `npm run bench` (cluster): the same bulk job, 2,000 removals (200 users × 10 rooms) on the console connector
 * with one in-process worker, on one Redis and on a local Redis Cluster of three masters, in the same run.
 * Round trips are counted on kickbot's Redis only (the console's workspace state is a separate server): the
 * commands clients send (MONITOR on every master; a script's inner calls are not round trips), and every
 * command Redis ran (INFO commandstats, summed over the masters, scripts' inner calls included).
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { readEnv } from '../src/cli/env.js';
import { createLogger } from '../src/cli/logger.js';
import { consoleApp, createRuntime } from '../src/cli/runtime.js';
import { EMPTY_CONFIG } from '../src/config/config-file.js';
import { ConsoleSession } from '../src/platforms/console/session.js';
import { bulkWorkspace, kickAll } from '../test/helpers/jobs.js';
import { startRedisCluster } from '../test/helpers/redis-cluster.js';
import { startRedisServer } from '../test/helpers/redis-server.js';

const USERS = 200;
const ROOMS = 10;
const PAIRS = USERS * ROOMS;
const RUNS = 3;
const file = join(tmpdir(), `kickbot-cluster-bench-${randomUUID().slice(0, 6)}.yaml`);
writeFileSync(file, bulkWorkspace({ name: 'bench', users: USERS, rooms: ROOMS }));
const line = kickAll(USERS, ROOMS);

const single = await startRedisServer();
const cluster = await startRedisCluster();
const consoleState = await startRedisServer();

type Target = { name: string; env: Record<string, string>; ports: number[] };
const targets: Target[] = [
  { name: 'one Redis', env: { REDIS_URL: single.url }, ports: [single.port] },
  { name: 'Redis Cluster, 3 masters', env: { REDIS_CLUSTER_NODES: cluster.nodes }, ports: cluster.ports },
];

/** One /kick of 2,000 removals as a bulk job, worked by this process's own worker; returns seconds. */
async function bulkJob(target: Target): Promise<number> {
  const runtime = await createRuntime({
    env: readEnv({
      ...target.env,
      KICKBOT_CONSOLE_REDIS_URL: consoleState.url,
      KICKBOT_REDIS_PREFIX: `b-${randomUUID().slice(0, 6)}`,
      KICKBOT_RATE_LIMIT: '100000/10m',
    }),
    config: EMPTY_CONFIG,
    logger: createLogger('error'),
    worker: true,
    console: { workspaceFile: file },
  });
  const app = consoleApp(runtime);
  const started = performance.now();
  const reply = await app.core.handle(new ConsoleSession(app, { as: 'mo', in: 'r00' }).invocation(line));
  const seconds = (performance.now() - started) / 1000;
  await runtime.close();
  if (reply.kind !== 'result' || !reply.summary.startsWith(`Removed ${PAIRS} `)) {
    throw new Error(`unexpected reply: ${JSON.stringify(reply).slice(0, 300)}`);
  }
  return seconds;
}

/** Client commands (MONITOR) and all commands run (commandstats) on every node of `target` during `run`. */
async function counted(target: Target, run: () => Promise<unknown>) {
  const nodes = target.ports.map((port) => new Redis(port, '127.0.0.1'));
  let sent = 0;
  const monitors = await Promise.all(nodes.map((n) => n.monitor()));
  for (const m of monitors)
    m.on('monitor', (_time: string, _args: string[], source: string) => {
      if (!source.includes('lua')) sent++;
    });
  await Promise.all(nodes.map((n) => n.config('RESETSTAT')));
  await run();
  const stats = await Promise.all(nodes.map((n) => n.info('commandstats')));
  for (const m of [...monitors, ...nodes]) m.disconnect();
  const ran = stats
    .flatMap((s) => [...s.matchAll(/cmdstat_([^:]+):calls=(\d+)/g)])
    .reduce((n, m) => n + Number(m[2]), 0);
  return { sent, ran };
}

const fmt = (n: number, d = 2) =>
  n.toLocaleString('en', { minimumFractionDigits: d, maximumFractionDigits: d });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

console.log(
  `kickbot bulk job on one Redis and on Redis Cluster: ${PAIRS.toLocaleString('en')} removals (${USERS} users × ${ROOMS} rooms), console connector, 1 in-process worker, Node ${process.version}\n`,
);
console.log(
  "| Redis | seconds | removals/s | client round trips per removal (MONITOR) | commands per removal (commandstats, scripts' inner calls included) |",
);
console.log('|---|---:|---:|---:|---:|');
for (const target of targets) {
  await bulkJob(target); // warm-up: scripts loaded, connections and slot maps made
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push(await bulkJob(target));
  const trips = await counted(target, () => bulkJob(target));
  const s = median(times);
  console.log(
    `| ${target.name} | ${fmt(s)} | ${fmt(PAIRS / s, 0)} | ${fmt(trips.sent / PAIRS)} | ${fmt(trips.ran / PAIRS)} |`,
  );
}
console.log(`\n(medians of ${RUNS} runs after a warm-up; the counted run is a further one, under MONITOR)`);

await cluster.stop();
await single.stop();
await consoleState.stop();
