import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { killStarted, startKickbot } from '../helpers/cli.js';

/** `kickbot serve` with KICKBOT_API_KEY and no chat platform: the HTTP API on the demo workspace, headless. */

const KEY = 'e2e-api-key-0123456789';
const READY = /^kickbot serve .*API on (http:\/\/127\.0\.0\.1:\d+\/api\/v1\/removals).*\n/;
afterEach(killStarted);

async function call(
  url: string,
  body: unknown,
  idempotency?: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
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

const outcomes = (body: Record<string, unknown>) =>
  (body.data as { results: { room: string; user: string; outcome: string }[] }[]).flatMap((d) =>
    d.results.map((r) => `${r.room}/${r.user}:${r.outcome}`),
  );

describe('kickbot serve with only KICKBOT_API_KEY', () => {
  it('GIVEN the key THEN the banner names the API, a script removes mallory from #general, and SIGTERM ends it', async () => {
    const server = await startKickbot(['serve'], { KICKBOT_API_KEY: KEY }, READY);
    expect(server.match[0]).toContain('console workspace "demo" (no REPL)');
    const url = server.match[1] as string;
    const res = await call(url, {
      actor: 'console:mo',
      removals: [{ room: 'general', users: ['mallory'], reason: 'offboarding' }],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'ok',
      data: [{ room: 'general', case: 1, users: ['mallory'], usersNotUpdated: [] }],
      message: 'Removed 1 | Not a member 0 | Denied 0 | Failed 0 | Errors 0',
    });
    expect(await server.stop()).toBe(0);
  });
});

/** The attacks of issue 9 (items 4, 5, 6), on a workspace shaped like the one they were found on. */
describe('kickbot serve: the API takes ids and binds keys to requests', () => {
  let dir: string;
  let url: string;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kickbot-api-'));
    const users = ['heidi', 'ivan', 'u610', 'u611', 'u612'];
    const file = join(dir, 'workspace.yaml');
    writeFileSync(
      file,
      [
        'name: attack',
        'bot: kickbot',
        'owner: ada',
        'users:',
        '  - { id: ada, roles: [admin] }',
        '  - { id: mo, roles: [moderator] }',
        '  - { id: kickbot, roles: [bot] }',
        ...users.map((u) => `  - { id: ${u} }`),
        'rooms:',
        `  - { id: r0, type: public, members: [ada, mo, kickbot, ${users.join(', ')}], owners: [ada] }`,
        `  - { id: r1, type: public, members: [ada, mo, kickbot, ${users.join(', ')}], owners: [ada] }`,
      ].join('\n'),
    );
    const server = await startKickbot(['serve', '--workspace', file], { KICKBOT_API_KEY: KEY }, READY);
    url = server.match[1] as string;
    return () => rmSync(dir, { recursive: true, force: true });
  });

  it("GIVEN heidi's key THEN a second body {users: [ivan, heidi]} is a 422 and ivan is not removed; the same body again answers the first", async () => {
    const first = await call(
      url,
      { actor: 'console:mo', removals: [{ room: 'r0', users: ['heidi'] }] },
      'heidi-1',
    );
    expect(outcomes(first.body)).toEqual(['r0/heidi:removed']);
    const second = await call(
      url,
      { actor: 'console:mo', removals: [{ room: 'r0', users: ['ivan', 'heidi'] }] },
      'heidi-1',
    );
    expect(second.status).toBe(422);
    expect(second.body).toMatchObject({ status: 'error', code: 'key-reused' });
    expect(String(second.body.message)).toContain('already used for a different request');
    const extra = await call(
      url,
      {
        actor: 'console:mo',
        removals: [
          { room: 'r0', users: ['heidi'] },
          { room: 'r1', users: ['ivan'] },
        ],
      },
      'heidi-1',
    );
    expect(extra.status).toBe(422);
    const again = await call(
      url,
      { actor: 'console:mo', removals: [{ room: 'r0', users: ['heidi'] }] },
      'heidi-1',
    );
    expect(again).toEqual(first);
    // ivan is still in both rooms: a new request removes him from each.
    const ivan = await call(url, {
      actor: 'console:mo',
      removals: [
        { room: 'r0', users: ['ivan'] },
        { room: 'r1', users: ['ivan'] },
      ],
    });
    expect(outcomes(ivan.body)).toEqual(['r0/ivan:removed', 'r1/ivan:removed']);
  });

  it('GIVEN "room": "r0 @u610 @u611 #r1" THEN 400 naming removals[0].room, and nobody is removed anywhere', async () => {
    const res = await call(url, {
      actor: 'console:mo',
      removals: [{ room: 'r0 @u610 @u611 #r1', users: ['u612'] }],
    });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      status: 'error',
      message: 'removals[0].room: one room id, got "r0 @u610 @u611 #r1"',
    });
    const after = await call(url, {
      actor: 'console:mo',
      removals: [
        { room: '#r0', users: ['u610', 'u611', '@u612'] },
        { room: 'r1', users: ['u610', 'u611', 'u612'] },
      ],
    });
    expect(outcomes(after.body)).toEqual([
      'r0/u610:removed',
      'r0/u611:removed',
      'r0/u612:removed',
      'r1/u610:removed',
      'r1/u611:removed',
      'r1/u612:removed',
    ]);
  });

  it('GIVEN twenty identical calls at once under one key THEN one case, and every answer is the same', async () => {
    const body = { actor: 'console:mo', removals: [{ room: 'r1', users: ['u610', 'u611'] }] };
    const answers = await Promise.all(Array.from({ length: 20 }, () => call(url, body, 'burst-1')));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1);
    expect(answers[0]?.body.data).toMatchObject([{ case: 1, users: ['u610', 'u611'] }]);
    const next = await call(
      url,
      { actor: 'console:mo', removals: [{ room: 'r1', users: ['u612'] }] },
      'burst-2',
    );
    expect(next.body.data).toMatchObject([{ case: 2 }]);
  });

  it('GIVEN an unknown actor THEN 400 "actor: no such user console:zed" and nothing runs', async () => {
    const res = await call(url, { actor: 'console:zed', removals: [{ room: 'r0', users: ['u610'] }] });
    expect(res).toEqual({
      status: 400,
      body: { status: 'error', message: 'actor: no such user console:zed' },
    });
    const next = await call(url, { actor: 'console:mo', removals: [{ room: 'r0', users: ['u610'] }] });
    expect(next.body.data).toMatchObject([{ case: 1, users: ['u610'] }]);
  });
});
