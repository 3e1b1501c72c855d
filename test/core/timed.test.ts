import { describe, expect, it } from 'vitest';
import {
  type Id,
  type PairMarker,
  type ResultReply,
  readPairMarker,
  type TimedRestore,
  type Timers,
} from '../../src/core/index.js';
import { kit } from '../helpers/kit.js';

/** Timers as data: what was scheduled and cancelled; the test fires them itself (`core.fireTimer`). */
class RecordingTimers implements Timers {
  readonly scheduled: TimedRestore[] = [];
  readonly cancelled: { workspace: Id; caseId: number }[] = [];
  constructor(readonly durable = true) {}
  async schedule(timer: TimedRestore): Promise<void> {
    this.scheduled.push(timer);
  }
  async cancel(workspace: Id, caseId: number): Promise<void> {
    this.cancelled.push({ workspace, caseId });
  }
}

const HOUR = 60 * 60_000;

function timedKit(durable = true) {
  const timers = new RecordingTimers(durable);
  const k = kit(undefined, { timers });
  return { ...k, timers };
}

const members = async (k: ReturnType<typeof kit>, room: string) =>
  [...(await k.connector.members(`console:${room}`, ['console:bob', 'console:carol'])).keys()].map((u) =>
    u.replace('console:', ''),
  );

describe('timed removals (--for): the timer, its restore, an undo before the time', () => {
  it('GIVEN /kick --for 2h THEN the case opens with until, the timer is set, and the reply says until when', async () => {
    const k = timedKit();
    const start = k.clock.now();
    const reply = (await k.core.handle(k.inv('mo', 'general', '/kick @bob --for 2h spam'))) as ResultReply;
    expect(reply).toMatchObject({ kind: 'result', caseId: 1, status: 'ok' });
    expect(reply.note).toBe(
      'Timed: until 2026-11-22 14:00 UTC, then the people removed come back (or earlier: /kickbot undo 1).',
    );
    expect(k.timers.scheduled).toEqual([{ workspace: 'console:small', caseId: 1, until: start + 2 * HOUR }]);
    const events = await k.store.readCaseEvents('console:small', 1);
    expect(events.find((e) => e.kind === 'opened')).toMatchObject({ until: start + 2 * HOUR });
    expect(events.filter((e) => e.kind === 'timer')).toEqual([
      { kind: 'timer', at: start, state: 'set', until: start + 2 * HOUR, durable: true },
    ]);
  });

  it('GIVEN in-process timers THEN the reply says the timer is lost if kickbot stops', async () => {
    const k = timedKit(false);
    const reply = (await k.core.handle(k.inv('mo', 'general', '/kick @bob spam --for=30m'))) as ResultReply;
    expect(reply.note).toContain(
      'this kickbot keeps timers in memory: it is lost if kickbot stops (set REDIS_URL to keep it)',
    );
  });

  it('GIVEN no timers THEN --for is a usage error saying why, and nothing is done', async () => {
    const k = kit(undefined, { noTimers: 'a timed removal from `kickbot run` needs REDIS_URL' });
    const reply = await k.core.handle(k.inv('mo', 'general', '/kick @bob --for 2h spam'));
    expect(reply).toMatchObject({
      kind: 'usage',
      message: 'a timed removal from `kickbot run` needs REDIS_URL',
    });
    expect(await members(k, 'general')).toContain('bob');
    expect(await k.store.lastCaseId('console:small')).toBe(0);
  });

  it('GIVEN the time is up THEN the pairs come back as a restore case by the moderator, and the timer ends restored', async () => {
    const k = timedKit();
    await k.core.handle(k.inv('mo', 'general', '/kick @bob @carol --for 2h spam'));
    expect(await members(k, 'general')).toEqual([]);
    k.clock.advance(2 * HOUR);
    const fired = await k.core.fireTimer(k.timers.scheduled[0] as TimedRestore);
    expect(fired).toMatchObject({ kind: 'result', action: 'restore', caseId: 2, status: 'ok' });
    expect(await members(k, 'general')).toEqual(['bob', 'carol']);
    const restore = await k.store.readAudit({ workspace: 'console:small', caseId: 2 });
    expect(restore.map((r) => [r.action, r.actor, r.undoOf, r.outcome])).toEqual([
      ['restore', 'console:mo', 1, 'restored'],
      ['restore', 'console:mo', 1, 'restored'],
    ]);
    const events = await k.store.readCaseEvents('console:small', 1);
    expect(events.filter((e) => e.kind === 'timer').map((e) => e.state)).toEqual(['set', 'restored']);
    expect(events.find((e) => e.kind === 'timer' && e.state === 'restored')).toMatchObject({
      restoreCase: 2,
    });
    expect(events.find((e) => e.kind === 'undone')).toMatchObject({ by: 'console:mo', restoreCase: 2 });
    expect(k.notices.at(-1)?.text).toBe(
      '#general: bob and carol were re-added by mo (undo of case 1) · case 2',
    );
    // The restore case was opened in the room the command was typed in.
    expect((await k.store.readCaseEvents('console:small', 2))[0]).toMatchObject({
      kind: 'opened',
      by: 'console:mo',
      channel: 'console:general',
    });
  });

  it('GIVEN a timer that fires twice THEN the pairs are restored once', async () => {
    const k = timedKit();
    await k.core.handle(k.inv('mo', 'general', '/kick @bob --for 1h spam'));
    const timer = k.timers.scheduled[0] as TimedRestore;
    const [a, b] = await Promise.all([k.core.fireTimer(timer), k.core.fireTimer(timer)]);
    await k.core.fireTimer(timer);
    expect([a, b].filter((r) => r.kind === 'result')).not.toHaveLength(0);
    const restores = (await k.store.readAudit({ workspace: 'console:small' })).filter(
      (r) => r.action === 'restore',
    );
    expect(restores).toHaveLength(1);
    expect(await k.store.lastCaseId('console:small')).toBe(2);
    const events = await k.store.readCaseEvents('console:small', 1);
    expect(events.filter((e) => e.kind === 'timer').map((e) => e.state)).toEqual(['set', 'restored']);
  });

  it('GIVEN the person came back meanwhile THEN the restore says already_member', async () => {
    const k = timedKit();
    await k.core.handle(k.inv('mo', 'general', '/kick @bob --for 1h spam'));
    await k.connector.inner.restore(
      { room: 'console:general', user: 'console:bob', actor: 'console:ada', caseId: 9 },
      [],
    );
    const fired = await k.core.fireTimer(k.timers.scheduled[0] as TimedRestore);
    expect(fired).toMatchObject({
      kind: 'result',
      results: [{ room: 'console:general', user: 'console:bob', outcome: 'already_member' }],
      summary: 'Restored 0 | Already a member 1 | Denied 0 | Failed 0',
    });
  });

  it('GIVEN /kickbot undo before the time THEN it restores early, cancels the timer, and the timer then does nothing', async () => {
    const k = timedKit();
    await k.core.handle(k.inv('mo', 'general', '/kick @bob --for 1d spam'));
    const undo = await k.core.handle(k.inv('ada', 'general', '/kickbot undo 1'));
    expect(undo).toMatchObject({ kind: 'result', action: 'restore', caseId: 2, status: 'ok' });
    expect(k.timers.cancelled).toEqual([{ workspace: 'console:small', caseId: 1 }]);
    let events = await k.store.readCaseEvents('console:small', 1);
    expect(events.filter((e) => e.kind === 'timer').map((e) => e.state)).toEqual(['set', 'cancelled']);

    const fired = await k.core.fireTimer(k.timers.scheduled[0] as TimedRestore);
    expect(fired.kind).toBe('info');
    expect(await k.store.lastCaseId('console:small')).toBe(2); // no restore case of its own
    events = await k.store.readCaseEvents('console:small', 1);
    expect(events.filter((e) => e.kind === 'timer').map((e) => e.state)).toEqual(['set', 'cancelled']);
  });

  it('GIVEN nobody could be removed THEN no timer is set; GIVEN the removal failed THEN the timer is cancelled', async () => {
    const k = timedKit();
    expect(await k.core.handle(k.inv('mo', 'general', '/kick @ada --for 1h'))).toMatchObject({
      status: 'error',
    });
    expect(k.timers.scheduled).toEqual([]);
    k.connector.script('console:general', 'console:bob', { outcome: 'failed', code: 'boom' });
    const reply = (await k.core.handle(k.inv('mo', 'general', '/kick @bob --for 1h'))) as ResultReply;
    expect(reply.status).toBe('error');
    expect(reply.note).toBe('Nobody was removed, so the timer is cancelled.');
    expect(k.timers.cancelled).toEqual([{ workspace: 'console:small', caseId: 2 }]);
  });

  it('GIVEN an undo THEN each re-added pair is marked restoring while kickbot re-adds it, and unmarked after', async () => {
    const k = timedKit();
    await k.core.handle(k.inv('mo', 'general', '/kick @bob spam'));
    const seen: (PairMarker | undefined)[] = [];
    const restore = k.connector.restore;
    k.connector.restore = async (target, roles) => {
      seen.push(await readPairMarker(k.store, target.room, target.user));
      return (restore as NonNullable<typeof restore>)(target, roles);
    };
    await k.core.handle(k.inv('mo', 'general', '/kickbot undo 1'));
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ state: 'restoring', caseId: 2 });
    expect(await readPairMarker(k.store, 'console:general', 'console:bob')).toBeUndefined();
  });
});

describe('requireReason', () => {
  it.each([
    ['/kick @bob', "a reason is required here (requireReason in kickbot's config): /kick @bob spam"],
    [
      '/remove-area payments @bob',
      "a reason is required here (requireReason in kickbot's config): /remove-area payments @bob spam",
    ],
    [
      '/offboard @bob --yes',
      "a reason is required here (requireReason in kickbot's config): /offboard @bob spam",
    ],
  ])('GIVEN requireReason THEN %s is a usage error naming the command', async (line, message) => {
    const k = kit(undefined, { requireReason: true });
    expect(await k.core.handle(k.inv('ada', 'general', line))).toMatchObject({ kind: 'usage', message });
    expect(await k.store.lastCaseId('console:small')).toBe(0);
  });

  it('GIVEN requireReason THEN a reason passes, and /leave and undo need none', async () => {
    const k = kit(undefined, { requireReason: true });
    expect(await k.core.handle(k.inv('mo', 'general', '/kick @bob spam'))).toMatchObject({ status: 'ok' });
    expect(await k.core.handle(k.inv('mo', 'general', '/kickbot undo 1'))).toMatchObject({ status: 'ok' });
    expect(await k.core.handle(k.inv('carol', 'general', '/leave'))).toMatchObject({ status: 'ok' });
  });
});
