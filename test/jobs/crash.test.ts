import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Progress, Reply, ResultReply } from '../../src/core/index.js';
import { RedisWorkspace } from '../../src/platforms/console/RedisWorkspace.js';
import {
  kickAll,
  roomIds,
  startWorkerProcess,
  stopWorkerProcess,
  userIds,
  type WorkerProcess,
} from '../helpers/jobs.js';
import { type Cleanup, processJobRig, requireCompiled } from '../helpers/worker-rig.js';

/**
 * The acceptance test of issue 3: a `kickbot worker` process killed with SIGKILL in the middle of a bulk job;
 * a second worker finishes the job, every target is removed, and the audit log shows each target once.
 */

const USERS = 100;
const ROOMS = 10;
const TOTAL = USERS * ROOMS;

let cleanup: Cleanup = [];
afterEach(async () => {
  // In reverse order: workers first, then the runner, then the connections they use.
  for (const step of cleanup.reverse()) await step().catch(() => {});
  cleanup = [];
});

beforeAll(requireCompiled);

describe('a bulk job whose worker dies', () => {
  it('GIVEN a worker SIGKILLed mid-job THEN a new worker finishes it and the audit log shows each target once', async () => {
    // 1,000 pairs at 200 removals per second: about 5 s of work, so that there is a middle to kill it in.
    const { url, prefix, file, data, client, store, runner, front } = processJobRig(
      { name: 'crash', users: USERS, rooms: ROOMS, rate: 200 },
      cleanup,
    );

    const env = { REDIS_URL: url, KICKBOT_REDIS_PREFIX: prefix, KICKBOT_JOB_LOCK: '1s' };
    const first = await startWorkerProcess(file, env);
    let second: WorkerProcess | undefined;
    cleanup.push(() => stopWorkerProcess(first, 'SIGKILL'));
    cleanup.push(() => stopWorkerProcess(second, 'SIGKILL'));

    const progress: Progress[] = [];
    let midway: (p: Progress) => void = () => {};
    const reachedMidway = new Promise<Progress>((resolve) => {
      midway = resolve;
    });
    const started = Date.now();
    const replied: Promise<Reply> = front.core.handle(front.inv('mo', 'r00', kickAll(USERS, ROOMS)), {
      onProgress: (p) => {
        progress.push(p);
        if (p.done >= 100 && p.done < TOTAL) midway(p);
      },
    });
    // Fails fast (instead of hanging on the promise above) if the job ends before it got to the middle.
    const atKill = await Promise.race([
      reachedMidway,
      replied.then((reply) => {
        throw new Error(
          `the job ended before it could be interrupted: ${JSON.stringify(reply).slice(0, 300)}`,
        );
      }),
    ]);
    first.child.kill('SIGKILL');
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
    expect(atKill.done).toBeLessThan(TOTAL);

    second = await startWorkerProcess(file, env);
    const reply = (await replied) as ResultReply;
    const elapsed = Date.now() - started;

    expect(reply.kind).toBe('result');
    expect(reply.results).toHaveLength(TOTAL);
    const notRemoved = reply.results.filter((r) => r.outcome !== 'removed');
    expect(
      notRemoved,
      `${notRemoved.length} pairs not removed, e.g. ${JSON.stringify(notRemoved.slice(0, 3))}`,
    ).toEqual([]);
    expect(reply.status).toBe('ok');
    // Results in plan order: rooms as named, then users as named.
    const expected = roomIds(ROOMS).flatMap((room) =>
      userIds(USERS).map((user) => ({ room: `console:${room}`, user: `console:${user}` })),
    );
    expect(reply.results.map(({ room, user }) => ({ room, user }))).toEqual(expected);
    expect(progress.at(-1)).toMatchObject({ done: TOTAL, total: TOTAL });
    // Every slice ended well, and the worker that finished the job posted the room confirmations (the front end
    // posts only when no worker did).
    expect(await runner.queue.getJobCounts('completed', 'failed')).toEqual({ completed: 10, failed: 0 });
    expect(front.notices).toEqual([]);

    // Nobody is left in any room of the shared (Redis) workspace but the moderator and the bot.
    const state = new RedisWorkspace(client, data, { prefix });
    for (const room of roomIds(ROOMS)) {
      expect([...(await state.allMembers(room)).keys()].sort()).toEqual(['kickbot', 'mo']);
    }

    // The audit log: exactly one record per (room, user), each `removed`.
    const audit = await store.readAudit({ workspace: 'console:crash', caseId: reply.caseId });
    const counts = new Map<string, number>();
    for (const r of audit)
      counts.set(`${r.room}|${r.target}`, (counts.get(`${r.room}|${r.target}`) ?? 0) + 1);
    const twice = [...counts].filter(([, n]) => n > 1);
    expect(twice, `pairs recorded more than once: ${JSON.stringify(twice.slice(0, 5))}`).toEqual([]);
    expect(counts.size).toBe(TOTAL);
    expect(audit.filter((r) => r.outcome !== 'removed')).toEqual([]);
    expect(audit.every((r) => r.action === 'remove' && r.actor === 'console:mo')).toBe(true);

    // The second worker stops cleanly when asked to.
    expect(await stopWorkerProcess(second, 'SIGTERM')).toEqual({ code: 0, signal: null });
    expect(elapsed).toBeLessThan(25_000);
  }, 30_000);
});
