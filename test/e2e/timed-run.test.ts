import { existsSync } from 'node:fs';
import { Queue } from 'bullmq';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TIMER_QUEUE, timerJobId } from '../../src/jobs/BullTimers.js';
import { bullConnection, bullPrefix } from '../../src/jobs/bull.js';
import { COMPILED, kickbot } from '../helpers/cli.js';
import { redisUrl, testPrefix } from '../helpers/redis.js';

/** `kickbot run` (the built CLI) with `--for` and `--dm`: without Redis, with Redis (a BullMQ delayed job). */

let cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step().catch(() => {});
  cleanup = [];
});

beforeAll(() => {
  if (!existsSync(COMPILED)) throw new Error(`${COMPILED} is missing: build first (npx tsc -p .)`);
});

describe('kickbot run --for / --dm', () => {
  it('GIVEN --for without REDIS_URL THEN exit 2 with a usage error saying a timer needs Redis, and nothing is done', async () => {
    const r = await kickbot([
      'run',
      '--as',
      'mo',
      '--in',
      'general',
      '--json',
      '--',
      '/kick @bob --for 2h spam',
    ]);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'error', results: [] });
    expect(r.stderr).toContain(
      'a timed removal from `kickbot run` needs REDIS_URL: this process exits at once and would lose its timer',
    );
  });

  it('GIVEN --dm THEN the console prints the DM to bob before the room is told', async () => {
    const r = await kickbot(['run', '--as', 'mo', '--in', 'general', '--', '/kick @bob spam --dm']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    const dm = lines.indexOf('DM to bob: You are being removed from #general by Mo (reason: spam) · case 1');
    expect(dm, r.stdout).toBeGreaterThanOrEqual(0);
    expect(lines.findIndex((l) => l.startsWith('#general: Bob was removed'))).toBeGreaterThan(dm);
  });

  it('GIVEN --for 2h with REDIS_URL THEN the removal is done, the reply says until when, and the delayed job waits in Redis', async () => {
    const prefix = testPrefix();
    const env = { REDIS_URL: redisUrl(), KICKBOT_REDIS_PREFIX: prefix };
    const r = await kickbot(['run', '--as', 'mo', '--in', 'general', '--', '/kick @bob --for 2h spam'], {
      env,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Timed: until \d{4}-\d\d-\d\d \d\d:\d\d UTC, then the people removed come back/);
    expect(r.stdout).not.toContain('in memory');

    const connection = bullConnection(redisUrl());
    cleanup.push(() => connection.quit());
    const queue = new Queue(TIMER_QUEUE, { connection, prefix: bullPrefix(prefix) });
    cleanup.push(() => queue.close());
    const job = await queue.getJob(timerJobId('console:demo', 1));
    expect(await job?.getState()).toBe('delayed');
    expect(job?.data).toMatchObject({ workspace: 'console:demo', caseId: 1 });
    expect(job?.opts.delay).toBeGreaterThan(2 * 60 * 60_000 - 60_000);
  });

  it('GIVEN the console without Redis THEN its banner says timed removals are lost if it stops', async () => {
    const r = await kickbot(['console'], { input: ':quit\n' });
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toContain(
      'memory store (state lasts as long as this process; set REDIS_URL to share it) · timed removals (--for) wait in this process: they are lost if it stops (set REDIS_URL to keep them)',
    );
  });
});
