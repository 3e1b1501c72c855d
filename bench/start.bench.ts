/**
 * `npm run bench` (start-up): how long a `kickbot` process takes from start to exit, median of RUNS runs each,
 * for calls that need no platform SDK: `--help`, `serve --help`, and a console `run` on the demo workspace.
 * Platform SDKs (Bolt, discord.js) and BullMQ load only when the environment configures them.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { cleanEnv } from '../test/helpers/cli.js';

// Compiled to dist/bench/: the repository is two folders up.
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const RUNS = 9;

const calls: { name: string; args: string[] }[] = [
  { name: 'kickbot --help', args: ['--help'] },
  { name: 'kickbot serve --help', args: ['serve', '--help'] },
  {
    name: 'kickbot run --as mo -- "/kickbot help" (console, demo workspace)',
    args: ['run', '--as', 'mo', '--', '/kickbot help'],
  },
];

/**
 * The baseline, side by side in the same run: `KICKBOT_BASELINE=<a built checkout of an earlier commit>` (e.g.
 * `git worktree add /tmp/base a9b2316 && cd /tmp/base && ln -s <repo>/node_modules && npx tsc`).
 */
const BASELINE = process.env.KICKBOT_BASELINE;

/** One process start to exit, in ms. */
function once(args: readonly string[], root = ROOT): number {
  const start = performance.now();
  const bin = join(root, 'bin', 'kickbot.js');
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, env: cleanEnv(), encoding: 'utf8' });
  const ms = performance.now() - start;
  if (r.status !== 0) throw new Error(`kickbot ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};
const fmt = (n: number) => n.toLocaleString('en', { maximumFractionDigits: 0 });

console.log(`kickbot start-up (process start to exit), Node ${process.version}, median of ${RUNS} runs\n`);
const stats = (times: number[]) =>
  `${fmt(median(times))} (${fmt(Math.min(...times))}–${fmt(Math.max(...times))})`;
if (BASELINE) {
  console.log(`| call | baseline (${BASELINE}): median ms (min–max) | this checkout: median ms (min–max) |`);
  console.log('|---|---:|---:|');
} else {
  console.log('| call | median ms (min–max) |');
  console.log('|---|---:|');
}
for (const call of calls) {
  once(call.args); // warm the file cache
  if (BASELINE) once(call.args, BASELINE);
  const now: number[] = [];
  const base: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    now.push(once(call.args));
    if (BASELINE) base.push(once(call.args, BASELINE));
  }
  console.log(`| \`${call.name}\` |${BASELINE ? ` ${stats(base)} |` : ''} ${stats(now)} |`);
}
