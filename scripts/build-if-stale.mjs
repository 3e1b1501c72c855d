#!/usr/bin/env node
// `npm start`'s prestart (and `prepare`): runs tsc only when a source is newer than the last successful build,
// so that starting an up-to-date checkout takes kickbot's own start-up time, not a type-check of the whole tree.
// Usage: node scripts/build-if-stale.mjs [project folder]   (default: the folder above this script)
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What the build reads: tsconfig.json's `include`, the config, and the dependencies (package.json, its lock). */
export const SOURCES = ['src', 'commands', 'test', 'bench', 'tsconfig.json', 'package.json', 'package-lock.json'];
/** Written after each successful build, dated when that build started (a file saved during it stays newer). */
export const STAMP = join('dist', '.build-stamp');

/** The newest modification time under `path` (a folder's own time counts: it changes when a file is deleted). */
function newest(path) {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let max = stat.mtimeMs;
  for (const entry of readdirSync(path)) max = Math.max(max, newest(join(path, entry)));
  return max;
}

/** Why `root` needs a build, or undefined when dist/ is up to date. */
export function staleReason(root) {
  let built;
  try {
    built = statSync(join(root, STAMP)).mtimeMs;
  } catch {
    return 'no finished build yet';
  }
  const changed = SOURCES.find((source) => newest(join(root, source)) > built);
  return changed && `${changed} changed since the last build`;
}

/** Builds `root` with tsc when it is stale; answers tsc's exit code (0 when nothing was to do). */
export function buildIfStale(root, log = (line) => process.stderr.write(`${line}\n`)) {
  const reason = staleReason(root);
  if (!reason) {
    log('kickbot: dist/ is up to date, skipping tsc');
    return 0;
  }
  log(`kickbot: building (${reason})`);
  const started = new Date();
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const run = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: root, stdio: 'inherit' });
  if (run.status !== 0) return run.status ?? 1;
  const stamp = join(root, STAMP);
  mkdirSync(dirname(stamp), { recursive: true });
  writeFileSync(stamp, `${started.toISOString()}\n`);
  utimesSync(stamp, started, started);
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = process.argv[2] ?? fileURLToPath(new URL('..', import.meta.url));
  process.exitCode = buildIfStale(root);
}
