#!/usr/bin/env node
// The README's screenshots of the admin page, from the built dist (`npm run build` first; needs redis-server and
// Debian's Chromium, as the tests do):
//   node scripts/admin-screenshots.mjs
// Runs kickbot as a deployment does: a throwaway redis-server (AOF on), `kickbot serve` on the demo workspace with
// KICKBOT_ADMIN_TOKEN (a random one, never printed), and real commands through `kickbot run` against the same
// Redis: a timed /kick with a new reason and a note, a /remove-area, a kick and its undo. Then it signs in through
// the form and saves docs/admin-overview.png (/admin) and docs/admin-case.png (case 1) at 1200×800, full page.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = (path) => import(join(root, 'dist', path));
const { startRedisServer, freePort } = await dist('test/helpers/redis-server.js');
const { launchBrowser } = await dist('test/helpers/browser.js');

const kickbot = join(root, 'bin', 'kickbot.js');
const workspace = join(root, 'examples', 'demo-workspace.yaml');
const token = randomBytes(24).toString('base64url');

/** Only what kickbot needs: no platform credentials of this shell reach it (the pictures show the console). */
function envFor(redisUrl, port) {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    REDIS_URL: redisUrl,
    KICKBOT_ADMIN_TOKEN: token,
    KICKBOT_PUBLIC_URL: 'https://kickbot.example.com',
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
  };
}

/** `kickbot serve`, resolved with the process once its banner names the admin page. */
function serve(env) {
  const child = spawn(process.execPath, [kickbot, 'serve', '--workspace', workspace], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.once('exit', (code) => reject(new Error(`kickbot serve exited (${code}): ${out}`)));
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (out.includes('admin page on')) resolve(child);
    });
  });
}

/**
 * One command through `kickbot run`, as `as` in `room`; fails loudly when kickbot refuses it (exit 3 is expected
 * only when some pairs are meant to fail: `partial`).
 */
function run(env, as, room, line, { partial = false } = {}) {
  const args = [kickbot, 'run', '--workspace', workspace, '--as', as, '--in', room, '--', line];
  const done = spawnSync(process.execPath, args, { env, encoding: 'utf8' });
  const ok = done.status === 0 || (partial && done.status === 3 && / · case \d+/.test(done.stdout));
  if (!ok) throw new Error(`${line}: exit ${done.status}\n${done.stdout}${done.stderr}`);
  console.log(`${as} in #${room}: ${line}`);
}

const redis = await startRedisServer({ persist: true });
const port = await freePort();
const env = envFor(redis.url, port);
const server = await serve(env);
const base = `http://127.0.0.1:${port}`;
const browser = await launchBrowser();
try {
  run(env, 'mo', 'general', '/kick @bob @carol #general #random #lobby posting spam links --for 7d', {
    partial: true, // nobody can be removed from #lobby: the case shows pairs by outcome
  });
  run(env, 'ada', 'general', '/kickbot reason 1 spam links in three rooms, reported by four members');
  run(env, 'mo', 'general', '/kickbot note 1 warned twice in #random last week');
  run(env, 'mo', 'general', '/remove-area payments @mallory phishing messages');
  run(env, 'ada', 'random', '/kick @erin #random off-topic');
  run(env, 'ada', 'random', '/kickbot undo 3');

  const context = await browser.newContext({ viewport: { width: 1200, height: 800 } });
  const page = await context.newPage();
  await page.goto(`${base}/admin/sign-in`);
  await page.getByLabel('Admin token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${base}/admin`);
  mkdirSync(join(root, 'docs'), { recursive: true });
  for (const [path, file] of [
    ['/admin', 'admin-overview.png'],
    ['/admin/cases/console%3Ademo/1', 'admin-case.png'],
  ]) {
    await page.goto(`${base}${path}`);
    await page.screenshot({ path: join(root, 'docs', file), fullPage: true });
    console.log(`docs/${file}`);
  }
} finally {
  await browser.close();
  server.kill('SIGTERM');
  await new Promise((resolve) => (server.exitCode === null ? server.once('exit', resolve) : resolve()));
  await redis.stop();
}
