/**
 * `npm run bench` (part 2): kickbot on Redis.
 *  1. Redis round trips per removal, counted with MONITOR (commands sent by clients; commands a Lua script runs
 *     inside Redis are not round trips) next to INFO commandstats, for a 5,000-removal /kick run inline and as a
 *     BullMQ bulk job.
 *  2. End-to-end removals per second of a 5,000-removal bulk job (500 users × 10 rooms) with 1, 2 and 4 worker
 *     processes against the console connector, and the same removals run inline in one process as the baseline.
 * Kickbot's Redis and the console's workspace state are separate servers, so that the console "platform" does
 * not count as kickbot's round trips.
 */
import { type ChildProcess, spawn } from 'node:child_process';
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
import { startRedisServer } from '../test/helpers/redis-server.js';

const USERS = 500;
const ROOMS = 10;
const ROOT = new URL('../..', import.meta.url).pathname;
const LATENCY_MS = 10;
const users = Array.from({ length: USERS }, (_, i) => `u${i}`);
/** The bench workspace; `latency` makes each removal take that long, like a platform's API call. */
function workspaceFile(latency: number): string {
  const file = join(tmpdir(), `kickbot-bench-${randomUUID().slice(0, 6)}.yaml`);
  writeFileSync(file, workspace(latency));
  return file;
}
const workspace = (latency: number) =>
  [
    'name: bench',
    ...(latency ? [`latency: ${latency}`] : []),
    'bot: kickbot',
    'users:',
    '  - { id: mo, roles: [moderator] }',
    '  - { id: kickbot, roles: [bot] }',
    ...users.map((u) => `  - { id: ${u} }`),
    'rooms:',
    ...Array.from(
      { length: ROOMS },
      (_, r) => `  - { id: r${r}, type: public, members: [mo, kickbot, ${users.join(', ')}] }`,
    ),
  ].join('\n');
const fast = workspaceFile(0);
const slow = workspaceFile(LATENCY_MS);
const line = `/kick ${users.map((u) => `@${u}`).join(' ')} ${Array.from({ length: ROOMS }, (_, r) => `#r${r}`).join(' ')} --yes bench`;

const store = await startRedisServer();
const consoleState = await startRedisServer();
const admin = new Redis(store.url);

function envFor(prefix: string, extra: Record<string, string> = {}) {
  return readEnv({
    REDIS_URL: store.url,
    KICKBOT_CONSOLE_REDIS_URL: consoleState.url,
    KICKBOT_REDIS_PREFIX: prefix,
    KICKBOT_RATE_LIMIT: '100000/10m',
    ...extra,
  });
}

/** One /kick of 5,000 removals from this process; returns seconds and the summary. */
async function kick(prefix: string, file: string, opts: { worker: boolean; inline: boolean }) {
  const env = envFor(prefix, opts.inline ? { KICKBOT_BULK_THRESHOLD: '100000' } : {});
  const runtime = await createRuntime({
    env,
    config: EMPTY_CONFIG,
    logger: createLogger('error'),
    worker: opts.worker,
    console: { workspaceFile: file },
  });
  const app = consoleApp(runtime);
  const session = new ConsoleSession(app, { as: 'mo', in: 'r0' });
  const started = performance.now();
  const reply = await app.core.handle(session.invocation(line));
  const seconds = (performance.now() - started) / 1000;
  await runtime.close();
  if (reply.kind !== 'result' || !reply.summary.startsWith(`Removed ${USERS * ROOMS} `)) {
    throw new Error(`unexpected reply: ${JSON.stringify(reply).slice(0, 300)}`);
  }
  return seconds;
}

/** Counts what clients send to kickbot's Redis while `run` runs (MONITOR tags script-internal calls "lua"). */
async function roundTrips(run: () => Promise<unknown>) {
  const base = new Redis(store.url);
  const monitor = await base.monitor();
  const byCommand = new Map<string, number>();
  monitor.on('monitor', (_time: string, args: string[], source: string) => {
    if (source.includes('lua')) return;
    const name = (args[0] ?? '').toLowerCase();
    byCommand.set(name, (byCommand.get(name) ?? 0) + 1);
  });
  await admin.config('RESETSTAT');
  await run();
  const stats = await admin.info('commandstats');
  monitor.disconnect();
  base.disconnect();
  const calls = [...stats.matchAll(/cmdstat_([^:]+):calls=(\d+)/g)].reduce((n, m) => n + Number(m[2]), 0);
  const total = [...byCommand.values()].reduce((a, b) => a + b, 0);
  return { total, byCommand, commandstats: calls };
}

function startWorker(prefix: string, file: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/kickbot.js'), 'worker', '--workspace', file], {
      env: {
        ...process.env,
        REDIS_URL: store.url,
        KICKBOT_CONSOLE_REDIS_URL: consoleState.url,
        KICKBOT_REDIS_PREFIX: prefix,
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr?.on('data', (d: Buffer) => {
      if (d.toString().includes('waiting for bulk jobs')) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`worker exited early (${code})`)));
  });
}

const pairs = USERS * ROOMS;
const fmt = (n: number, d = 2) =>
  n.toLocaleString('en', { minimumFractionDigits: d, maximumFractionDigits: d });

console.log(
  `kickbot on Redis: ${pairs.toLocaleString('en')} removals (${USERS} users × ${ROOMS} rooms), console connector, Node ${process.version}\n`,
);

const inlineTrips = await roundTrips(() =>
  kick(`b-${randomUUID().slice(0, 6)}`, fast, { worker: false, inline: true }),
);
const bulkTrips = await roundTrips(() =>
  kick(`b-${randomUUID().slice(0, 6)}`, fast, { worker: true, inline: false }),
);
console.log(
  "| run | client round trips per removal (MONITOR) | commands per removal (INFO commandstats, scripts' inner calls included) | busiest commands per removal |",
);
console.log('|---|---:|---:|---|');
for (const [name, t] of [
  ['inline (one process)', inlineTrips],
  ['bulk job, 1 in-process worker', bulkTrips],
] as const) {
  const top = [...t.byCommand]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 4)
    .map(([c, n]) => `${c} ${fmt(n / pairs)}`)
    .join(', ');
  console.log(`| ${name} | ${fmt(t.total / pairs)} | ${fmt(t.commandstats / pairs)} | ${top} |`);
}

const RUNS = 3;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function withWorkers(n: number, file: string): Promise<number> {
  const prefix = `b-${randomUUID().slice(0, 6)}`;
  const workers = await Promise.all(Array.from({ length: n }, () => startWorker(prefix, file)));
  const seconds = await kick(prefix, file, { worker: false, inline: n === 0 });
  await Promise.all(
    workers.map(
      (w) =>
        new Promise((resolve) => {
          w.removeAllListeners('exit');
          w.once('exit', resolve);
          w.kill('SIGTERM');
        }),
    ),
  );
  return seconds;
}

console.log(
  `\n| workers | console connector: seconds | removals/s | with ${LATENCY_MS} ms per removal: seconds | removals/s |`,
);
console.log('|---|---:|---:|---:|---:|');
for (const n of [0, 1, 2, 4]) {
  const cells: string[] = [];
  for (const file of [fast, slow]) {
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) times.push(await withWorkers(n, file));
    cells.push(fmt(median(times)), fmt(pairs / median(times), 0));
  }
  const name =
    n === 0 ? 'none: inline in the front end (baseline)' : `${n} worker process${n === 1 ? '' : 'es'}`;
  console.log(`| ${name} | ${cells.join(' | ')} |`);
}
console.log(
  `\n(medians of ${RUNS} runs; a bulk job runs in slices of 100 pairs, 2 slices at once per worker, 4 removals at once per slice)`,
);

admin.disconnect();
await store.stop();
await consoleState.stop();
