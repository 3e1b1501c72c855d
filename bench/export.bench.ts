/**
 * `npm run bench` (case export): peak RSS of `kickbot cases export` over a ledger of 100,000 audit records (2,000
 * cases × 50 pairs, each case with its `opened` event, a note and a changed reason), next to `kickbot audit --json`,
 * which reads the whole log into memory before it prints: the baseline, same Redis, same run (issue 12: a million
 * audit records must not be held in memory).
 *
 * Each command runs as the CLI ships (`bin/kickbot.js`) in a child process writing to /dev/null; a preloaded module
 * reports the child's peak RSS (`process.resourceUsage().maxRSS`) when it exits. One more export, captured, checks
 * that every case came out.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { AuditRecord, CaseEvent } from '../src/core/index.js';
import { RedisStore } from '../src/store/RedisStore.js';
import { cleanEnv } from '../test/helpers/cli.js';
import { startRedisServer } from '../test/helpers/redis-server.js';

// Compiled to dist/bench/: the repository is two folders up.
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin', 'kickbot.js');
const CASES = Number(process.env.KICKBOT_BENCH_CASES ?? 2_000);
const PAIRS = 50;
const RUNS = 3;
const PREFIX = 'bench-export';
const WS = 'console:bench';
const MB = 1024;

/** Prints the peak RSS (kB) on stderr as the process exits. */
const PEAK = `data:text/javascript,${encodeURIComponent(
  'import { writeSync } from "node:fs"; process.on("exit", () => writeSync(2, "\\nkickbot-bench-maxrss=" + process.resourceUsage().maxRSS + "\\n"));',
)}`;

const fmt = (n: number, digits = 0) => n.toLocaleString('en', { maximumFractionDigits: digits });

async function fill(store: RedisStore): Promise<void> {
  const start = Date.UTC(2026, 0, 1);
  const one = async (i: number) => {
    const caseId = await store.nextCaseId(WS);
    const at = start + i * 60_000;
    const records: AuditRecord[] = Array.from({ length: PAIRS }, (_, p) => ({
      caseId,
      workspace: WS,
      action: 'remove',
      actor: 'console:mo',
      target: `console:user-${(i * PAIRS + p) % 40_000}`,
      room: `console:room-${p}`,
      reason: 'spam links posted in several channels after a warning',
      outcome: p % 10 === 0 ? 'not_member' : 'removed',
      invocation: `console:bench-${caseId}`,
      at,
    }));
    const events: CaseEvent[] = [
      {
        kind: 'opened',
        at,
        by: 'console:mo',
        platform: 'console',
        channel: 'console:mod-room',
        command: `/kick @user-${i} and ${PAIRS - 1} more spam links posted in several channels after a warning`,
      },
      { kind: 'note', at: at + 1_000, by: 'console:mo', text: 'warned twice in DM before this' },
      { kind: 'reason', at: at + 2_000, by: 'console:ada', text: 'phishing links' },
    ];
    await store.appendAudit(records, `bench:${caseId}`);
    for (const event of events) await store.appendCaseEvent(WS, caseId, event);
  };
  // Many cases in flight at once: ioredis writes their commands back to back on one connection (a pipeline).
  for (let i = 0; i < CASES; i += 200)
    await Promise.all(Array.from({ length: Math.min(200, CASES - i) }, (_, j) => one(i + j)));
}

/** One CLI run with stdout to /dev/null: its peak RSS (kB) and wall time (s). */
function measure(args: readonly string[], env: NodeJS.ProcessEnv): Promise<{ kb: number; seconds: number }> {
  const devNull = openSync('/dev/null', 'w');
  const started = performance.now();
  const child = spawn(process.execPath, ['--optimize-for-size', '--import', PEAK, BIN, ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', devNull, 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    child.on('close', (code) => {
      closeSync(devNull);
      const seconds = (performance.now() - started) / 1000;
      const kb = Number(/kickbot-bench-maxrss=(\d+)/.exec(stderr)?.[1]);
      if (code !== 0 || !kb) reject(new Error(`kickbot ${args.join(' ')} exited ${code}: ${stderr}`));
      else resolve({ kb, seconds });
    });
  });
}

const server = await startRedisServer();
try {
  const store = RedisStore.fromUrl(server.url, { prefix: PREFIX });
  const filling = performance.now();
  await fill(store);
  const records = CASES * PAIRS;
  console.log(
    `kickbot case export, Node ${process.version}: ${fmt(records)} audit records (${fmt(CASES)} cases × ${PAIRS} pairs) filled in ${fmt((performance.now() - filling) / 1000, 1)} s; ${RUNS} runs each, stdout to /dev/null\n`,
  );
  await store.close();
  const env = cleanEnv({ REDIS_URL: server.url, KICKBOT_REDIS_PREFIX: PREFIX });

  // Every case comes out, whole: one JSON line per case, every pair in it.
  const check = spawnSync(process.execPath, [BIN, 'cases', 'export'], {
    cwd: ROOT,
    env,
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
  });
  const lines = check.stdout.split('\n').filter((l) => l !== '');
  const pairs = lines.reduce((n, l) => n + (JSON.parse(l) as { pairs: unknown[] }).pairs.length, 0);
  if (check.status !== 0 || lines.length !== CASES || pairs !== records)
    throw new Error(`export: exit ${check.status}, ${lines.length} cases, ${pairs} pairs: ${check.stderr}`);

  const rows: { name: string; args: string[] }[] = [
    { name: 'kickbot audit --json (baseline: reads the whole log)', args: ['audit', '--json'] },
    { name: 'kickbot cases export --format json', args: ['cases', 'export', '--format', 'json'] },
    { name: 'kickbot cases export --format csv', args: ['cases', 'export', '--format', 'csv'] },
  ];
  const results = new Map<string, { kb: number; seconds: number }[]>();
  for (let run = 0; run < RUNS; run++) {
    for (const row of rows) {
      results.set(row.name, [...(results.get(row.name) ?? []), await measure(row.args, env)]);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  console.log('| command | peak RSS, MB: median (min–max) | wall s: median |');
  console.log('|---|---:|---:|');
  for (const row of rows) {
    const rs = results.get(row.name) ?? [];
    const mbs = rs.map((r) => r.kb / MB);
    console.log(
      `| \`${row.name}\` | ${fmt(median(mbs))} (${fmt(Math.min(...mbs))}–${fmt(Math.max(...mbs))}) | ${fmt(median(rs.map((r) => r.seconds)), 1)} |`,
    );
  }
  const baseline = median((results.get(rows[0]?.name ?? '') ?? []).map((r) => r.kb));
  const json = median((results.get(rows[1]?.name ?? '') ?? []).map((r) => r.kb));
  console.log(`\nexport ÷ audit baseline, peak RSS: ×${fmt(json / baseline, 2)}`);
} finally {
  await server.stop();
}
