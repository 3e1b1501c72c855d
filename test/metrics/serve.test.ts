import { afterEach, describe, expect, it } from 'vitest';
import { killStarted, startKickbot } from '../helpers/cli.js';
import { freePort } from '../helpers/redis-server.js';
import { scrape } from './exposition.js';

/** `kickbot serve` with the HTTP API only: the demo console workspace, headless. */
const KEY = 'e2e-api-key-0123456789';
const READY = /^kickbot serve .*API on (http:\/\/127\.0\.0\.1:\d+)\/api\/v1\/removals.*\n/;
afterEach(killStarted);

async function remove(
  base: string,
  body: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${base}/api/v1/removals`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('/metrics of kickbot serve', () => {
  it('GIVEN METRICS_PORT THEN /metrics is served there only (the main port 404s it) and counts the HTTP API commands', async () => {
    const port = await freePort();
    const server = await startKickbot(['serve'], { KICKBOT_API_KEY: KEY, METRICS_PORT: String(port) }, READY);
    const base = server.match[1] as string;
    expect(server.match[0]).toContain('(/healthz)'); // the banner lists what the main port serves
    const metrics = `http://127.0.0.1:${port}/metrics`;
    const res = await remove(base, {
      actor: 'console:mo',
      removals: [{ room: 'general', users: ['mallory'], reason: 'offboarding' }],
    });
    expect(res.body).toMatchObject({ status: 'ok' });
    expect((await fetch(`${base}/metrics`)).status).toBe(404);
    const s = await scrape(metrics);
    expect(s.value('kickbot_commands_total', { platform: 'console', command: 'kick', result: 'ok' })).toBe(1);
    expect(s.value('kickbot_removals_total', { platform: 'console', outcome: 'removed' })).toBe(1);
    expect(s.value('kickbot_store_up')).toBe(1);
    expect(s.series('process_resident_memory_bytes')).toHaveLength(1);
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const answer = await fetch(metrics, { method });
      expect(answer.status).toBe(405);
      expect(answer.headers.get('allow')).toContain('GET');
    }
    // The metrics port has the health check beside it (a worker has no other port), and nothing else.
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${port}/api/v1/removals`, { method: 'POST' })).status).toBe(404);
    expect(await server.stop()).toBe(0);
  });
});
