import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, cleanEnv, ROOT } from '../helpers/cli.js';

/** Start fast: a CLI call loads a platform SDK only when that platform is configured, BullMQ only with Redis. */

const HOOK = join(ROOT, 'test', 'helpers', 'load-log.mjs');
const dir = mkdtempSync(join(tmpdir(), 'kickbot-start-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HEAVY = [
  '@slack/bolt',
  '@slack/web-api',
  'discord.js',
  '@discordjs/rest',
  'bullmq',
  'ioredis',
  'prom-client',
];

/** The packages (under node_modules) whose modules the ESM loader resolved while `node …args` ran. */
function loaded(args: readonly string[]): { code: number | null; packages: Set<string> } {
  const log = join(dir, `${Math.random().toString(36).slice(2)}.log`);
  const r = spawnSync(process.execPath, ['--import', HOOK, ...args], {
    cwd: ROOT,
    env: cleanEnv({ KICKBOT_LOAD_LOG: log }),
    encoding: 'utf8',
  });
  const urls = readFileSync(log, 'utf8').split('\n');
  const packages = new Set(
    urls.flatMap((u) => {
      const m = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u);
      return m?.[1] ? [m[1]] : [];
    }),
  );
  return { code: r.status, packages };
}

describe('kickbot start-up loads no platform SDK it does not use', () => {
  it('GIVEN the load log THEN it sees a package imported at run time (the check is real)', () => {
    const { code, packages } = loaded(['--input-type=module', '-e', "await import('@slack/bolt')"]);
    expect(code).toBe(0);
    expect(packages).toContain('@slack/bolt');
  });

  it('GIVEN kickbot --help THEN commander loads, and no Slack, Discord, BullMQ or Redis package does', () => {
    const { code, packages } = loaded([BIN, '--help']);
    expect(code).toBe(0);
    expect(packages).toContain('commander');
    for (const heavy of HEAVY) expect(packages).not.toContain(heavy);
  });

  it('GIVEN a console kickbot run with no platform credentials and no REDIS_URL THEN none of them loads either', () => {
    const { code, packages } = loaded([BIN, 'run', '--as', 'mo', '--', '/kickbot help']);
    expect(code).toBe(0);
    expect(packages).toContain('yaml'); // it read the workspace file
    for (const heavy of HEAVY) expect(packages).not.toContain(heavy);
  });
});
