import { afterEach, describe, expect, it } from 'vitest';
import { killStarted, startKickbot } from '../helpers/cli.js';

/** `kickbot serve` with KICKBOT_API_KEY and no chat platform: the HTTP API on the demo workspace, headless. */

const KEY = 'e2e-api-key-0123456789';
afterEach(killStarted);

describe('kickbot serve with only KICKBOT_API_KEY', () => {
  it('GIVEN the key THEN the banner names the API, a script removes mallory from #general, and SIGTERM ends it', async () => {
    const server = await startKickbot(
      ['serve'],
      { KICKBOT_API_KEY: KEY },
      /^kickbot serve .*API on (http:\/\/127\.0\.0\.1:\d+\/api\/v1\/removals).*\n/,
    );
    expect(server.match[0]).toContain('console workspace "demo" (no REPL)');
    const url = server.match[1] as string;
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
    expect(await server.stop()).toBe(0);
  });
});
