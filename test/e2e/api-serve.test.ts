import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

/** `kickbot serve` with KICKBOT_API_KEY and no chat platform: the HTTP API on the demo workspace, headless. */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const KEY = 'e2e-api-key-0123456789';

let child: ChildProcessWithoutNullStreams | undefined;
afterEach(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    child.kill('SIGKILL');
    await once(child, 'exit');
  }
  child = undefined;
});

function serve(): Promise<string> {
  const env = { ...process.env };
  for (const key of Object.keys(env))
    if (/^(LOG_LEVEL|NODE_OPTIONS|SLACK_|DISCORD_|REDIS_|KICKBOT_|PORT$|HOST$)/.test(key)) delete env[key];
  const proc = spawn(process.execPath, [join(ROOT, 'bin', 'kickbot.js'), 'serve'], {
    cwd: ROOT,
    env: { ...env, PORT: '0', KICKBOT_API_KEY: KEY },
  });
  child = proc;
  let out = '';
  return new Promise((resolve, reject) => {
    proc.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve(out);
    });
    proc.on('exit', (code) => reject(new Error(`serve exited (${code}): ${out}`)));
  });
}

describe('kickbot serve with only KICKBOT_API_KEY', () => {
  it('GIVEN the key THEN the banner names the API, a script removes mallory from #general, and SIGTERM ends it', async () => {
    const banner = await serve();
    expect(banner).toContain('console workspace "demo" (no REPL)');
    const url = /API on (http:\/\/127\.0\.0\.1:\d+\/api\/v1\/removals)/.exec(banner)?.[1] as string;
    expect(url).toBeDefined();
    const res = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        actor: 'console:mo',
        removals: [{ room: 'general', users: ['mallory'], reason: 'offboarding' }],
      }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      status: 'ok',
      data: [{ room: 'general', case: 1, users: ['mallory'], usersNotUpdated: [] }],
      message: 'Removed 1 | Not a member 0 | Denied 0 | Failed 0 | Errors 0',
    });
    child?.kill('SIGTERM');
    const [code] = await once(child as ChildProcessWithoutNullStreams, 'exit');
    expect(code).toBe(0);
  });
});
