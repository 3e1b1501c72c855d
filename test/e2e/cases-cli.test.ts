import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../src/core/index.js';
import { COMPILED, kickbot, spawnKickbot } from '../helpers/cli.js';
import { redisUrl, testClient, testPrefix, testStore } from '../helpers/redis.js';

/**
 * The real CLI (`bin/kickbot.js`, the compiled `dist/`) on Redis: `/kickbot case`, `note`, `reason` and `cases by /
 * since` through `kickbot run`, and `kickbot cases export` as JSON lines and CSV. Each test has a key prefix of its
 * own on the run's shared Redis.
 */

const onRedis = (prefix: string) => ({ REDIS_URL: redisUrl(), KICKBOT_REDIS_PREFIX: prefix });
const WS = 'console:demo';
const DAY = 86_400_000;

const run = (env: Record<string, string>, as: string, key: string, line: string) =>
  kickbot(['run', '--json', '--key', key, '--as', as, '--', line], { env });

/** The one JSON object `run --json` prints. */
function json(stdout: string): Record<string, unknown> {
  const lines = stdout.split('\n').filter((l) => l !== '');
  expect(lines, `stdout: ${stdout}`).toHaveLength(1);
  return JSON.parse(lines[0] as string) as Record<string, unknown>;
}

const jsonLines = (stdout: string) =>
  stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

const noStackTrace = (text: string) => expect(text).not.toMatch(/^\s+at /m);

const client = testClient();
beforeAll(() => {
  if (!existsSync(COMPILED)) throw new Error(`${COMPILED} is missing: build first (npx tsc -p .)`);
});
afterAll(async () => {
  await client.quit();
});

/** A case written straight through the store, as an earlier kickbot would have: `pairs` removals at `at`. */
async function oldCase(prefix: string, at: number, pairs: number, reason?: string): Promise<number> {
  const store = testStore(client, prefix);
  const caseId = await store.nextCaseId(WS);
  await store.appendCaseEvent(WS, caseId, {
    kind: 'opened',
    at,
    by: 'console:mo',
    platform: 'console',
    channel: 'console:general',
    command: `/kick ${pairs} users`,
  });
  const records: AuditRecord[] = Array.from({ length: pairs }, (_, i) => ({
    caseId,
    workspace: WS,
    action: 'remove',
    actor: 'console:mo',
    target: `console:u${i}`,
    room: 'console:general',
    ...(reason ? { reason } : {}),
    outcome: 'removed',
    invocation: `seed:${caseId}`,
    at,
  }));
  await store.appendAudit(records, `seed:${caseId}`);
  return caseId;
}

describe('/kickbot case, note, reason and cases through kickbot run', () => {
  it('GIVEN a kick, a note by its moderator, a reason by an admin and an undo THEN case shows it whole as JSON; another member may not change it', async () => {
    const env = onRedis(testPrefix());
    expect((await run(env, 'mo', 'k1', '/kick @bob @carol spam')).code).toBe(0);
    const note = await run(env, 'mo', 'k2', '/kickbot note 1 second warning');
    expect(note.code, note.stderr).toBe(0);
    expect(json(note.stdout)).toEqual({ status: 'ok', results: [], message: 'Note added to case 1.' });
    const reason = await run(env, 'ada', 'k3', '/kickbot reason 1 scam links');
    expect(json(reason.stdout).message).toBe("Case 1's reason is now: scam links (was: spam)");
    const refused = await run(env, 'bob', 'k4', '/kickbot note 1 not me');
    expect(refused.code).toBe(3);
    expect(json(refused.stdout)).toEqual({
      status: 'error',
      results: [],
      message: 'Only the moderator of case 1 (Mo) or an admin can change it.',
    });
    expect((await run(env, 'mo', 'k5', '/kickbot undo 1')).code).toBe(0);

    const shown = await run(env, 'mo', 'k6', '/kickbot case 1');
    expect(shown.code, shown.stderr).toBe(0);
    const out = json(shown.stdout);
    expect(out).toMatchObject({
      status: 'ok',
      results: [],
      case: 1,
      caseView: {
        case: 1,
        by: 'Mo',
        command: '/kick @bob @carol spam',
        reason: 'scam links',
        reasonHistory: [
          { by: 'Mo', text: 'spam' },
          { by: 'Ada', text: 'scam links' },
        ],
        notes: [{ by: 'Mo', text: 'second warning' }],
        counts: { removed: 2 },
        outcomes: [{ outcome: 'removed', count: 2 }],
        undoneBy: [2],
      },
    });
    const view = out.caseView as { outcomes: { pairs: { user: string; room: string }[] }[] };
    // Pairs run concurrently: they are listed in the order they settled.
    expect(view.outcomes[0]?.pairs).toEqual(
      expect.arrayContaining([
        { user: 'Bob', room: '#general' },
        { user: 'Carol', room: '#general' },
      ]),
    );
    expect(String(out.message).split('\n')).toContain('Undone by case 2');
    // A redelivery (the same --key) prints the same, the case view included: it was kept whole.
    expect((await run(env, 'mo', 'k6', '/kickbot case 1')).stdout).toBe(shown.stdout);

    const missing = await run(env, 'mo', 'k7', '/kickbot case 9');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('there is no case 9');
    noStackTrace(missing.stderr);
  });

  it('GIVEN an old case and new ones by two moderators THEN cases by @mod and since filter them, combined', async () => {
    const prefix = testPrefix();
    const env = onRedis(prefix);
    await oldCase(prefix, Date.now() - 30 * DAY, 2);
    expect((await run(env, 'mo', 'a', '/kick @bob')).code).toBe(0);
    expect((await run(env, 'ada', 'b', '/kick @carol')).code).toBe(0);
    const cases = async (key: string, line: string) => {
      const r = await run(env, 'mo', key, line);
      expect(r.code, r.stderr).toBe(0);
      return (json(r.stdout).cases as { items: { case: number }[] }).items.map((c) => c.case);
    };
    expect(await cases('c1', '/kickbot cases')).toEqual([3, 2, 1]);
    expect(await cases('c2', '/kickbot cases since 7d')).toEqual([3, 2]);
    expect(await cases('c3', '/kickbot cases by @mo')).toEqual([2, 1]);
    expect(await cases('c4', '/kickbot cases since 7d by @mo')).toEqual([2]);
    const bad = await run(env, 'mo', 'c5', '/kickbot cases since yesterday');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(
      'since takes a time back (30m, 12h, 7d, 2w) or a date (2026-11-01), not "yesterday"',
    );
  });
});

describe('kickbot cases export', () => {
  it('GIVEN cases with a note, a reason change and an undo THEN one JSON object per case, oldest first, with its pairs', async () => {
    const prefix = testPrefix();
    const env = onRedis(prefix);
    const old = Date.UTC(2026, 0, 5, 9, 30);
    await oldCase(prefix, old, 2, 'flood');
    expect((await run(env, 'mo', 'k1', '/kick @bob @ada spam')).code).toBe(3); // ada is protected
    expect((await run(env, 'mo', 'k2', '/kickbot note 2 warned before')).code).toBe(0);
    expect((await run(env, 'mo', 'k3', '/kickbot reason 2 phishing')).code).toBe(0);
    expect((await run(env, 'mo', 'k4', '/kickbot undo 2')).code).toBe(0);

    const r = await kickbot(['cases', 'export'], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const lines = jsonLines(r.stdout);
    expect(lines.map((l) => l.case)).toEqual([1, 2, 3]);
    expect(lines[0]).toEqual({
      workspace: WS,
      case: 1,
      at: '2026-01-05T09:30:00.000Z',
      by: 'console:mo',
      command: '/kick 2 users',
      action: 'remove',
      reason: 'flood',
      reasonHistory: [{ text: 'flood', by: 'console:mo', at: '2026-01-05T09:30:00.000Z' }],
      notes: [],
      dms: [],
      counts: { removed: 2 },
      pairs: [
        { room: 'console:general', user: 'console:u0', outcome: 'removed', at: '2026-01-05T09:30:00.000Z' },
        { room: 'console:general', user: 'console:u1', outcome: 'removed', at: '2026-01-05T09:30:00.000Z' },
      ],
    });
    expect(lines[1]).toMatchObject({
      case: 2,
      by: 'console:mo',
      command: '/kick @bob @ada spam',
      action: 'remove',
      reason: 'phishing',
      reasonHistory: [
        { text: 'spam', by: 'console:mo' },
        { text: 'phishing', by: 'console:mo' },
      ],
      notes: [{ text: 'warned before', by: 'console:mo' }],
      undoneBy: 3,
      counts: { removed: 1, denied: 1 },
    });
    const second = (lines[1] ?? {}) as { pairs?: { user: string; outcome: string; code?: string }[] };
    expect((second.pairs ?? []).map((p) => [p.user, p.outcome, p.code])).toEqual(
      expect.arrayContaining([
        ['console:bob', 'removed', undefined],
        ['console:ada', 'denied', 'protected'],
      ]),
    );
    expect(lines[2]).toMatchObject({
      case: 3,
      action: 'restore',
      command: '/kickbot undo 2',
      counts: { restored: 1 },
    });

    const recent = await kickbot(['cases', 'export', '--since', '7d'], { env });
    expect(jsonLines(recent.stdout).map((l) => l.case)).toEqual([2, 3]);
    const byDate = await kickbot(['cases', 'export', '--since', '2026-01-05'], { env });
    expect(jsonLines(byDate.stdout).map((l) => l.case)).toEqual([1, 2, 3]);
  });

  it('GIVEN a reason that looks like a formula THEN CSV, one row per pair, escapes it; a case with no pairs has one row', async () => {
    const prefix = testPrefix();
    const env = onRedis(prefix);
    expect(
      (await run(env, 'mo', 'k1', '/kick @bob @carol =HYPERLINK("http://evil.example","click")')).code,
    ).toBe(0);
    const store = testStore(client, prefix);
    const empty = await store.nextCaseId(WS);
    await store.appendCaseEvent(WS, empty, {
      kind: 'opened',
      at: Date.now(),
      by: 'console:ada',
      platform: 'console',
      channel: 'console:general',
      command: '/kick @dave',
    });
    const r = await kickbot(['cases', 'export', '--format', 'csv'], { env });
    expect(r.code, r.stderr).toBe(0);
    const rows = r.stdout.trimEnd().split('\n');
    expect(rows[0]).toBe(
      'workspace,case,case_at,by,command,action,by_hand,reason,reason_history,notes,until,timer,undone_by,cancelled_by,cancelled_at,dms,room,user,area,outcome,code,pair_at',
    );
    expect(rows).toHaveLength(1 + 2 + 1);
    expect(rows[1]).toContain(`console:demo,1,`);
    expect(rows[1]).toContain(`,"'=HYPERLINK(""http://evil.example"",""click"")",`);
    const pairs = rows
      .slice(1, 3)
      .map((row) => /,(console:general),(console:\w+),,removed,,\d{4}-[^,]+$/.exec(row)?.[2]);
    expect(pairs.sort()).toEqual(['console:bob', 'console:carol']);
    expect(rows[3]).toMatch(/^console:demo,2,[^,]+,console:ada,\/kick @dave,,,,,,,,,,,,,,,,,$/);
  });

  it('GIVEN a reader that stops early (| head) THEN the export ends quietly, exit 0', async () => {
    const prefix = testPrefix();
    for (let i = 0; i < 150; i++) await oldCase(prefix, Date.UTC(2026, 0, 1) + i * 60_000, 40);
    const child = spawnKickbot(['cases', 'export'], onRedis(prefix));
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(stderr).toBe('');
  });

  it('GIVEN no REDIS_URL, a bad --format or --since THEN exit 2 and a message that says what is wrong', async () => {
    const none = await kickbot(['cases', 'export']);
    expect(none.code).toBe(2);
    expect(none.stderr).toBe(
      'kickbot: kickbot cases export reads the cases kept in Redis: set REDIS_URL (the memory store forgets them at exit)\n',
    );
    expect(none.stdout).toBe('');
    const format = await kickbot(['cases', 'export', '--format', 'xml'], { env: onRedis(testPrefix()) });
    expect(format.code).toBe(2);
    expect(format.stderr).toContain('--format takes json or csv (got "xml")');
    const since = await kickbot(['cases', 'export', '--since', '2026-13-01'], { env: onRedis(testPrefix()) });
    expect(since.code).toBe(2);
    expect(since.stderr).toContain('--since 2026-13-01: there is no such date');
    noStackTrace(none.stderr + format.stderr + since.stderr);
  });
});
