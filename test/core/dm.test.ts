import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConnectorError, type ResultReply, type TimedRestore, type Timers } from '../../src/core/index.js';
import { kit } from '../helpers/kit.js';

afterEach(() => {
  vi.useRealTimers();
});

const timers: Timers = { durable: true, schedule: async () => {}, cancel: async () => {} };

describe('telling the removed person (--dm, notify.dm)', () => {
  it('GIVEN /kick --dm THEN each person gets one DM naming rooms, moderator, reason and case, before the removal', async () => {
    const k = kit();
    const order: string[] = [];
    const dm = k.connector.dm as NonNullable<typeof k.connector.dm>;
    k.connector.dm = async (user, text) => {
      const inGeneral = await k.connector.members('console:general', [user]);
      order.push(`${user} ${inGeneral.has(user) ? 'still a member' : 'already removed'}`);
      return dm(user, text);
    };
    const reply = await k.core.handle(
      k.inv('ada', 'general', '/kick @bob @carol #general #secret spam --dm'),
    );
    expect(reply).toMatchObject({ kind: 'result', status: 'ok' });
    expect((reply as ResultReply).note).toBeUndefined();
    expect(order).toEqual(['console:bob still a member', 'console:carol still a member']);
    const dms = k.notices.filter((n) => n.text.startsWith('DM to'));
    expect(dms).toEqual([
      {
        room: 'console:bob',
        text: 'DM to bob: You are being removed from #general, #secret by ada (reason: spam) · case 1',
      },
      {
        room: 'console:carol',
        text: 'DM to carol: You are being removed from #general by ada (reason: spam) · case 1',
      },
    ]);
    // Before the room is told.
    expect(k.notices.findIndex((n) => n.text.startsWith('#general'))).toBeGreaterThan(1);
    const events = await k.store.readCaseEvents('console:small', 1);
    expect(events.filter((e) => e.kind === 'dm')).toEqual([
      { kind: 'dm', at: k.clock.now(), user: 'console:bob', ok: true },
      { kind: 'dm', at: k.clock.now(), user: 'console:carol', ok: true },
    ]);
  });

  it('GIVEN a timed removal THEN the DM says until when', async () => {
    const k = kit(undefined, { timers });
    await k.core.handle(k.inv('mo', 'general', '/kick @bob --dm --for 90m spam'));
    expect(k.notices[0]?.text).toBe(
      'DM to bob: You are being removed from #general by mo (reason: spam) · case 1 · until 2026-11-22 13:30 UTC',
    );
  });

  it('GIVEN notify.dm in the config THEN DMs go by default, and --no-dm skips them', async () => {
    const k = kit(undefined, { dmByDefault: true });
    await k.core.handle(k.inv('mo', 'general', '/kick @bob spam'));
    expect(k.notices.filter((n) => n.text.startsWith('DM to'))).toHaveLength(1);
    await k.core.handle(k.inv('mo', 'general', '/kick @carol --no-dm spam'));
    expect(k.notices.filter((n) => n.text.startsWith('DM to'))).toHaveLength(1);
    expect((await k.store.readCaseEvents('console:small', 2)).some((e) => e.kind === 'dm')).toBe(false);
  });

  it('GIVEN no flag and no config THEN nobody is messaged', async () => {
    const k = kit();
    await k.core.handle(k.inv('mo', 'general', '/kick @bob spam'));
    expect(k.notices.filter((n) => n.text.startsWith('DM to'))).toEqual([]);
  });

  it('GIVEN a person with closed DMs THEN the removal still happens, the case notes it and the reply says so', async () => {
    const k = kit();
    const dm = k.connector.dm as NonNullable<typeof k.connector.dm>;
    k.connector.dm = async (user, text) => {
      if (user === 'console:bob') throw new ConnectorError('dm-closed');
      return dm(user, text);
    };
    const reply = (await k.core.handle(k.inv('mo', 'general', '/kick @bob @carol spam --dm'))) as ResultReply;
    expect(reply).toMatchObject({
      status: 'ok',
      summary: 'Removed 2 | Not a member 0 | Denied 0 | Failed 0',
    });
    expect(reply.note).toBe(
      'Direct message not delivered to bob (they accept no direct messages); the removal went ahead.',
    );
    const events = await k.store.readCaseEvents('console:small', 1);
    expect(events.filter((e) => e.kind === 'dm')).toEqual(
      expect.arrayContaining([
        { kind: 'dm', at: k.clock.now(), user: 'console:bob', ok: false, code: 'dm-closed' },
        { kind: 'dm', at: k.clock.now(), user: 'console:carol', ok: true },
      ]),
    );
  });

  it('GIVEN a DM that never answers THEN the removal goes ahead after the DM budget (5 s), noted as timeout', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const k = kit();
    k.connector.dm = () => new Promise<void>(() => {});
    const replied = k.core.handle(k.inv('mo', 'general', '/kick @bob spam --dm'));
    let done = false;
    void replied.then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(4_900);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(100);
    const reply = (await replied) as ResultReply;
    expect(reply).toMatchObject({ status: 'ok' });
    expect(reply.note).toBe(
      'Direct message not delivered to bob (no answer in time); the removal went ahead.',
    );
  });

  it('GIVEN a platform that sends no DMs THEN the removal goes ahead and the reply says so', async () => {
    const k = kit();
    delete k.connector.dm;
    const reply = (await k.core.handle(k.inv('mo', 'general', '/kick @bob spam --dm'))) as ResultReply;
    expect(reply.status).toBe('ok');
    expect(reply.note).toContain('this platform sends no direct messages');
  });

  it('GIVEN /offboard --dm THEN the person is told before anything is removed', async () => {
    const k = kit();
    const reply = await k.core.handle(k.inv('ada', 'general', '/offboard @bob leaving --dm --yes'));
    expect(reply).toMatchObject({ kind: 'result', action: 'offboard' });
    expect(k.notices[0]).toEqual({
      room: 'console:bob',
      text: 'DM to bob: You are being removed from every room kickbot reaches (an offboarding) by ada (reason: leaving) · case 1',
    });
  });

  it('GIVEN a timer that fires THEN nobody is messaged again', async () => {
    const scheduled: TimedRestore[] = [];
    const k = kit(undefined, {
      dmByDefault: true,
      timers: { ...timers, schedule: async (t) => void scheduled.push(t) },
    });
    await k.core.handle(k.inv('mo', 'general', '/kick @bob --for 1h spam'));
    await k.core.fireTimer(scheduled[0] as TimedRestore);
    expect(k.notices.filter((n) => n.text.startsWith('DM to'))).toHaveLength(1);
  });
});
