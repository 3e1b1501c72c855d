import { describe, expect, it } from 'vitest';
import type { Handled, Progress, Reply } from '../../src/core/index.js';
import { type AfterAckJob, type AfterAckOptions, createAfterAck } from '../../src/platforms/after-ack.js';
import { FakeClock } from '../helpers/clock.js';
import { captureLogger } from '../helpers/log-capture.js';

const REPLY: Reply = {
  kind: 'result',
  action: 'remove',
  caseId: 7,
  status: 'ok',
  results: [],
  summary: 'Removed 400 | Not a member 0 | Denied 0 | Failed 0',
  labels: {},
};

const p = (done: number, etaMs?: number, total = 400): Progress => ({
  done,
  total,
  rate: 9.5,
  etaMs,
});

/** A job whose command reports progress at the given clock steps (ms after its start), then answers `reply`. */
function rig(opts: Partial<AfterAckOptions> = {}, reply: Handled = REPLY) {
  const clock = new FakeClock();
  const lines: string[] = [];
  const seen = { progress: [] as string[], delivered: [] as Reply[], expired: [] as Reply[] };
  const runner = createAfterAck({
    logger: captureLogger(lines),
    log: { front: 'test', id: 'invocation', progressFailed: 'progress not sent' },
    progressEveryMs: 5_000,
    clock,
    ...opts,
  });
  const job = (steps: [number, Progress][], extra: Partial<AfterAckJob> = {}): AfterAckJob => ({
    id: 'test:T1',
    startedAt: clock.now(),
    call: async ({ onProgress }) => {
      for (const [ms, progress] of steps) {
        clock.advance(ms);
        onProgress(progress);
      }
      return reply;
    },
    progress: async (text) => void seen.progress.push(text),
    deliver: async (r) => void seen.delivered.push(r),
    expired: async (r) => void seen.expired.push(r),
    ...extra,
  });
  return { clock, lines, seen, runner, job };
}

describe('the after-the-ack runner', () => {
  it('GIVEN a front that draws progress itself (the console) THEN it sees every report, the last too, and no lines', async () => {
    const { seen, runner, job } = rig();
    const watched: number[] = [];
    const steps: [number, Progress][] = [100, 200, 400].map((done) => [10, p(done)]);
    await runner.run(job(steps, { watch: (progress) => void watched.push(progress.done) }));
    expect(watched).toEqual([100, 200, 400]);
    expect(seen.progress).toEqual([]);
    expect(seen.delivered).toEqual([REPLY]);
  });

  it('GIVEN progress every second for 30 s THEN a line every 5 s, in the one progress text, then the reply', async () => {
    const { seen, runner, job } = rig();
    const steps = Array.from({ length: 30 }, (_, i): [number, Progress] => [1_000, p(10 * (i + 1), 60_500)]);
    await runner.run(job(steps));
    expect(seen.progress).toEqual(
      [50, 100, 150, 200, 250, 300].map((n) => `Removed ${n} of 400 (9.5/s, about 61 s to go)…`),
    );
    expect(seen.delivered).toEqual([REPLY]);
  });

  it('GIVEN a cap of 3 progress messages (Slack) THEN the fourth is not sent, and no line once all are done', async () => {
    const { seen, runner, job } = rig({ maxProgress: 3 });
    const big = (done: number): Progress => p(done, undefined, 10_000);
    await runner.run(
      job([
        [6_000, big(1_000)],
        [6_000, big(2_000)],
        [6_000, big(3_000)],
        [6_000, big(3_500)],
      ]),
    );
    expect(seen.progress).toHaveLength(3);
    expect(seen.progress[0]).toBe('Removed 1,000 of 10,000 (9.5/s)…');
    const done = rig();
    await done.runner.run(done.job([[6_000, p(400)]]));
    expect(done.seen.progress).toEqual([]);
  });

  it('GIVEN a redelivered invocation THEN nothing is delivered, nor posted', async () => {
    const { seen, runner, job } = rig({}, { ...REPLY, redelivered: true });
    await runner.run(job([]));
    expect(seen).toEqual({ progress: [], delivered: [], expired: [] });
  });

  it('GIVEN the way back expires during the work (Discord, 14 min) THEN progress stops and the fallback delivers', async () => {
    const { seen, runner, job } = rig({ expiresAfterMs: 14 * 60_000, progressEveryMs: 3_000 });
    await runner.run(
      job([
        [13 * 60_000, p(100)],
        [2 * 60_000, p(200)],
      ]),
    );
    expect(seen.progress).toEqual(['Removed 100 of 400 (9.5/s)…']);
    expect(seen.delivered).toEqual([]);
    expect(seen.expired).toEqual([REPLY]);
  });

  it('GIVEN delivery and progress fail THEN the log lines name the front and the id, never the error text', async () => {
    const { lines, runner, job } = rig();
    const leak = new Error('POST https://hooks.slack.com/actions/T1/secret-token failed: Removed 400');
    await runner.run(
      job([[6_000, p(10)]], {
        progress: async () => Promise.reject(leak),
        deliver: async () => Promise.reject(leak),
      }),
    );
    const parsed = lines.map((l) => JSON.parse(l) as { msg: string; invocation: string });
    expect(parsed.map((l) => [l.msg, l.invocation])).toEqual([
      ['test: progress not sent', 'test:T1'],
      ['test: reply not delivered', 'test:T1'],
    ]);
    expect(lines.join('\n')).not.toContain('secret-token');
  });

  it('GIVEN enqueued jobs THEN none is built before the caller has returned, and at most `concurrency` run at once', async () => {
    const { runner, job } = rig({ concurrency: 2 });
    const built: number[] = [];
    let running = 0;
    let most = 0;
    const gates: (() => void)[] = [];
    const slow = (i: number) => () => {
      built.push(i);
      return job([], {
        call: async () => {
          most = Math.max(most, ++running);
          await new Promise<void>((resolve) => gates.push(resolve));
          running--;
          return REPLY;
        },
      });
    };
    const done = [0, 1, 2, 3].map((i) => runner.enqueue(slow(i)));
    expect(built).toEqual([]); // the ack path only queued them
    while (built.length < 4 || gates.length > 0) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      gates.shift()?.();
    }
    await Promise.all(done);
    expect(built).toEqual([0, 1, 2, 3]);
    expect(most).toBe(2);
  });

  it('GIVEN a job enqueued right after an ack THEN it waits for a 5 ms gap without acks before it starts', async () => {
    const gapClock = new FakeClock();
    const { runner, job } = rig({ gapClock });
    let built = false;
    await runner.enqueue(() => {
      built = true;
      return job([]);
    });
    expect(built).toBe(true);
    expect(gapClock.sleeps).toEqual([5]);
  });

  it('GIVEN acks that never stop THEN the work behind them still starts after 500 ms at most', async () => {
    const gapClock = new FakeClock();
    const { runner, job } = rig({ gapClock });
    // Another command is acked during every wait until the job starts: the gap never comes.
    let started = false;
    const sleep = gapClock.sleep.bind(gapClock);
    gapClock.sleep = async (ms) => {
      await sleep(ms);
      if (!started) void runner.enqueue(() => undefined);
    };
    await runner.enqueue(() => {
      started = true;
      return job([]);
    });
    expect(gapClock.sleeps.slice(0, 100).reduce((a, b) => a + b, 0)).toBe(500);
    expect(started).toBe(true);
  });
});
