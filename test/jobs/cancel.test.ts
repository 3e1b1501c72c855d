import type { Redis } from 'ioredis';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Progress, Reply, ResultReply } from '../../src/core/index.js';
import { RedisWorkspace } from '../../src/platforms/console/RedisWorkspace.js';
import { RedisStore } from '../../src/store/RedisStore.js';
import { consoleCore, kickAll, startWorkerProcess, stopWorkerProcess } from '../helpers/jobs.js';
import { testClient } from '../helpers/redis.js';
import { waitFor } from '../helpers/wait.js';
import { type Cleanup, processJobRig, requireCompiled } from '../helpers/worker-rig.js';

/**
 * Issue 12: `/kickbot cancel` of a bulk job that two `kickbot worker` processes are working, written through a third
 * core and store. The cancel is in the store: each worker stops starting pairs, the ones in flight finish, and every
 * pair ends with exactly one audit record.
 */

const USERS = 200;
const ROOMS = 4;
const TOTAL = USERS * ROOMS;
const SLICE = 100;

let cleanup: Cleanup = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step().catch(() => {});
  cleanup = [];
});

beforeAll(requireCompiled);

describe('cancelling a bulk job across worker processes', () => {
  it('GIVEN two workers mid-job WHEN another process cancels the case THEN both stop starting pairs, every pair has one record, and the reply counts the cancelled ones', async () => {
    // 800 pairs at 100 removals per second shared by every process: 8 s of work, four slices of 100 at a time.
    const { url, prefix, file, data, runner, front } = processJobRig(
      { name: 'halt', users: USERS, rooms: ROOMS, rate: 100, sliceSize: SLICE },
      cleanup,
    );

    const env = { REDIS_URL: url, KICKBOT_REDIS_PREFIX: prefix };
    const [a, b] = await Promise.all([startWorkerProcess(file, env), startWorkerProcess(file, env)]);
    cleanup.push(() => stopWorkerProcess(a, 'SIGKILL'));
    cleanup.push(() => stopWorkerProcess(b, 'SIGKILL'));

    let last: Progress | undefined;
    const replied: Promise<Reply> = front.core.handle(front.inv('mo', 'r00', kickAll(USERS, ROOMS)), {
      onProgress: (p) => {
        last = p;
      },
    });
    // Each worker works two slices at once: three or more active slices means both workers are at it.
    const active = await waitFor(
      'both workers mid-job',
      async () => {
        const jobs = await runner.queue.getActive();
        return (last?.done ?? 0) >= 40 && jobs.length >= 3 ? jobs : undefined;
      },
      { timeoutMs: 15_000 },
    );
    expect(last?.caseId).toBe(1);

    // A third process's view: its own client, store and core.
    const other: Redis = testClient(url);
    cleanup.push(() => other.quit());
    const otherStore = new RedisStore(other, { prefix });
    const third = consoleCore(data, new RedisWorkspace(other, data, { prefix }), otherStore);
    expect(await third.core.handle(third.inv('mo', 'r00', '/kickbot cancel 1'))).toEqual({
      kind: 'info',
      message: 'Cancelling case 1: pairs not yet started will end cancelled; pairs in flight finish.',
    });

    const reply = (await replied) as ResultReply;
    expect(reply.kind).toBe('result');
    expect(reply.results).toHaveLength(TOTAL);
    const removed = reply.results.filter((r) => r.outcome === 'removed').length;
    const cancelled = reply.results.filter((r) => r.outcome === 'cancelled').length;
    expect(removed + cancelled).toBe(TOTAL);
    expect(removed).toBeGreaterThanOrEqual(40);
    expect(cancelled).toBeGreaterThan(TOTAL / 2);
    expect(reply.summary).toBe(
      `Removed ${removed} | Not a member 0 | Denied 0 | Failed 0 | Cancelled ${cancelled}`,
    );
    expect(reply.status).toBe('partial');
    // Every slice active at the cancel (some in each worker) removed some pairs and cancelled the rest.
    for (const job of active) {
      const offset = (job.data as { offset: number }).offset;
      const slice = reply.results.slice(offset, offset + SLICE).map((r) => r.outcome);
      expect(slice, `slice at ${offset}`).toContain('removed');
      expect(slice, `slice at ${offset}`).toContain('cancelled');
    }

    // The audit log: one record per pair; a removed pair is out of its room, a cancelled one still in it.
    const audit = await otherStore.readAudit({ workspace: 'console:halt', caseId: 1 });
    const byPair = new Map<string, string[]>();
    for (const r of audit)
      byPair.set(`${r.room}|${r.target}`, [...(byPair.get(`${r.room}|${r.target}`) ?? []), r.outcome]);
    expect([...byPair.values()].filter((o) => o.length > 1)).toEqual([]);
    expect(byPair.size).toBe(TOTAL);
    expect(audit.filter((r) => r.outcome === 'cancelled')).toHaveLength(cancelled);
    const state = new RedisWorkspace(other, data, { prefix });
    for (const r of reply.results) {
      const room = r.room.replace(/^console:/, '');
      const user = r.user.replace(/^console:/, '');
      expect((await state.allMembers(room)).has(user), `${user} in ${room}`).toBe(r.outcome === 'cancelled');
    }

    // Nothing is left to cancel.
    expect(await third.core.handle(third.inv('mo', 'r00', '/kickbot cancel 1'))).toMatchObject({
      message: 'Case 1 has finished; nothing to cancel.',
    });
    expect(await stopWorkerProcess(a, 'SIGTERM')).toEqual({ code: 0, signal: null });
    expect(await stopWorkerProcess(b, 'SIGTERM')).toEqual({ code: 0, signal: null });
  }, 40_000);
});
