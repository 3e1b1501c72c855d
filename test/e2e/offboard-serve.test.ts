import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { killStarted, startKickbot } from '../helpers/cli.js';
import { redisUrl, testPrefix } from '../helpers/redis.js';
import {
  AREA,
  bobIn,
  closeFakes,
  EVERYWHERE,
  type Fakes,
  files,
  GROUP,
  SECRETS,
  startFakes,
} from '../helpers/seed-world.js';

/**
 * `POST /api/v1/offboardings` on `kickbot serve` (the compiled CLI, KICKBOT_API_KEY, the config file and the
 * secrets from the environment, Redis as the store), across the console and the five seed systems' fakes.
 */

const KEY = 'e2e-api-key-0123456789';
const READY = /^kickbot serve .*offboardings on (http:\/\/127\.0\.0\.1:\d+\/api\/v1\/offboardings).*\n/;

let fakes: Fakes;
let f: ReturnType<typeof files>;
let url: string;
beforeEach(async () => {
  fakes = await startFakes();
  f = files(fakes);
  const env = { ...SECRETS, KICKBOT_API_KEY: KEY, REDIS_URL: redisUrl(), KICKBOT_REDIS_PREFIX: testPrefix() };
  const server = await startKickbot(['serve', '--workspace', f.workspace, '--config', f.config], env, READY);
  url = server.match[1] as string;
});
afterEach(async () => {
  await killStarted();
  await closeFakes(fakes);
  f.remove();
});

async function offboard(body: unknown, idempotency?: string) {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${KEY}`,
      'content-type': 'application/json',
      ...(idempotency ? { 'idempotency-key': idempotency } : {}),
    },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

interface Entry {
  user: string;
  case: number;
  results: { room: string; user: string; outcome: string; code?: string; hint?: string }[];
  systems: { system: string; name: string; summary: string; undo: boolean; hint?: string }[];
  message: string;
}
const entries = (body: Record<string, unknown>) => body.data as Entry[];

describe('kickbot serve: POST /api/v1/offboardings across every system', () => {
  it('GIVEN bob THEN out of everything, one entry with every pair, a line per system and the summary; the same key again answers the same', async () => {
    const body = { actor: 'console:mo', users: ['bob'], reason: 'left the company' };
    const res = await offboard(body, 'bob-left');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'ok',
      errors: [],
      message: 'Removed 10 | Not a member 0 | Denied 0 | Failed 0 | Errors 0',
    });
    const [bob] = entries(res.body);
    expect(bob?.user).toBe('bob');
    expect(bob?.results.map((r) => `${r.room} ${r.outcome}`)).toEqual([
      'general removed',
      'dev removed',
      'secret removed',
      'group/payments removed',
      'rocketchat:GROUP1 removed',
      'rocketchat:DEV1 removed',
      `feedbackhouse:${AREA} removed`,
      `docspace:${GROUP} removed`,
      'mudbase:VL0TZudKjN6SiWtV removed',
      'betterforms:channel1 removed',
    ]);
    expect(bob?.systems.map((s) => [s.system, s.summary, s.undo])).toEqual([
      ['console', 'Removed 4 | Not a member 0 | Denied 0 | Failed 0', true],
      ['rocketchat', 'Removed 2 | Not a member 0 | Denied 0 | Failed 0', true],
      ['feedbackhouse', 'Removed 1 | Not a member 0 | Denied 0 | Failed 0', false],
      ['docspace', 'Removed 1 | Not a member 0 | Denied 0 | Failed 0', true],
      ['mudbase', 'Removed 1 | Not a member 0 | Denied 0 | Failed 0', true],
      ['betterforms', 'Removed 1 | Not a member 0 | Denied 0 | Failed 0', false],
    ]);
    expect(bob?.systems[2]?.hint).toBe('feedback.house cannot re-add people');
    expect(bob?.message).toBe('Removed 10 | Not a member 0 | Denied 0 | Failed 0');
    expect(bobIn(fakes)).toEqual([]);

    // Replayed from the store (Redis): the same answer, nothing called again.
    const kicks = fakes.rc.calls.length;
    expect(await offboard(body, 'bob-left')).toEqual(res);
    expect(fakes.rc.calls.length).toBe(kicks);
    const other = await offboard({ ...body, users: ['carol'] }, 'bob-left');
    expect(other.status).toBe(422);
  });

  it('GIVEN carol (no identity links) and olivia (the owner) THEN carol: unsupported no-identity per seed system; olivia: protected, nothing done', async () => {
    const res = await offboard({ actor: 'console:mo', users: ['carol', 'olivia'] });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('partial');
    const [carol, olivia] = entries(res.body);
    expect(carol?.results.filter((r) => r.code === 'no-identity').map((r) => r.room)).toEqual([
      'rocketchat:*',
      'feedbackhouse:*',
      'docspace:*',
      'mudbase:*',
      'betterforms:*',
    ]);
    expect(carol?.systems.find((s) => s.system === 'mudbase')?.hint).toBe(
      "no Mudbase account is linked (identities in kickbot's config file)",
    );
    expect(olivia?.results.find((r) => r.room === 'general')).toEqual({
      room: 'general',
      user: 'olivia',
      outcome: 'denied',
      code: 'protected',
      hint: 'the workspace owner cannot be removed',
    });
    expect(fakes.mb.calls).toEqual([]);
    expect(bobIn(fakes)).toEqual(EVERYWHERE);
  });

  it('GIVEN a plain user as the actor THEN the refusal in errors, and nobody is removed', async () => {
    const res = await offboard({ actor: 'console:carol', users: ['bob'] });
    expect(res.body).toMatchObject({
      status: 'error',
      data: [],
      errors: [{ data: { user: 'bob' }, code: 'not-allowed' }],
    });
    expect(bobIn(fakes)).toEqual(EVERYWHERE);
  });
});
