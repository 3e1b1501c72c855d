import { describe, expect, it } from 'vitest';
import {
  Connectors,
  type HandRemoval,
  type RoomJoin,
  readPairMarker,
  setPairMarker,
  UNKNOWN_ACTOR,
} from '../../src/core/index.js';
import { SMALL_WORKSPACE } from '../helpers/console.js';
import { type Kit, kit } from '../helpers/kit.js';

const WS = 'console:small';
const DAY = 24 * 60 * 60_000;

/** Someone removes `user` from `room` in the workspace itself (not through kickbot), and the front tells the core. */
async function removeByHand(k: Kit, over: Partial<HandRemoval> = {}): Promise<number | undefined> {
  const removal: HandRemoval = {
    eventId: 'E1',
    platform: 'console',
    workspace: WS,
    actor: 'console:ada',
    target: 'console:bob',
    room: 'console:general',
    via: 'test-events',
    detail: 'member kick',
    at: k.clock.now(),
    ...over,
  };
  await k.connector.inner.remove({
    room: removal.room,
    user: removal.target,
    actor: 'console:ada',
    caseId: 0,
  });
  return k.core.byHand(removal);
}

const join = (k: Kit, over: Partial<RoomJoin> = {}): RoomJoin => ({
  eventId: 'J1',
  platform: 'console',
  workspace: WS,
  room: 'console:general',
  user: 'console:bob',
  at: k.clock.now(),
  ...over,
});

const modLog = (k: Kit) => k.notices.filter((n) => n.text.startsWith('[mod-log]')).map((n) => n.text);

describe('removals made by hand', () => {
  it('GIVEN a removal made by hand THEN one case opens (marked by hand, with who did it), one audit record, one mod-log line', async () => {
    const k = kit();
    expect(await removeByHand(k, { reason: 'spam' })).toBe(1);
    expect(modLog(k)).toEqual([
      '[mod-log] bob was removed from #general by hand by ada (console) (reason: spam) · case 1 · /kickbot undo 1 re-adds them',
    ]);
    expect(k.notices.filter((n) => !n.text.startsWith('[mod-log]'))).toEqual([]); // the room hears nothing
    const records = await k.store.readAudit({ workspace: WS, caseId: 1 });
    expect(records).toEqual([
      expect.objectContaining({
        action: 'remove',
        outcome: 'removed',
        actor: 'console:ada',
        target: 'console:bob',
        room: 'console:general',
        reason: 'spam',
        invocation: 'hand:console:E1',
      }),
    ]);
    expect(await k.store.readCaseEvents(WS, 1)).toEqual([
      expect.objectContaining({
        kind: 'opened',
        by: 'console:ada',
        channel: 'console:general',
        command: 'removed by hand in console (member kick)',
        byHand: { via: 'test-events', detail: 'member kick' },
      }),
    ]);
    expect(await readPairMarker(k.store, 'console:general', 'console:bob')).toMatchObject({
      caseId: 1,
      state: 'removed',
    });
  });

  it('GIVEN the same event delivered again THEN no second case, record or mod-log line', async () => {
    const k = kit();
    expect(await removeByHand(k)).toBe(1);
    k.clock.advance(OWN_ACTION_PLUS);
    expect(await k.core.byHand(handEvent(k))).toBeUndefined();
    expect(await k.store.lastCaseId(WS)).toBe(1);
    expect(await k.store.readAudit({ workspace: WS })).toHaveLength(1);
    expect(modLog(k)).toHaveLength(1);
  });

  it('GIVEN a platform that does not say who THEN the actor is UNKNOWN_ACTOR and the line says what is not known', async () => {
    const k = kit();
    const { actor: _, ...anon } = handEvent(k);
    await k.connector.inner.remove({ room: anon.room, user: anon.target, actor: 'console:ada', caseId: 0 });
    expect(await k.core.byHand(anon)).toBe(1);
    expect(modLog(k)).toEqual([
      '[mod-log] bob left #general or was removed by someone; console does not say which or by whom · case 1 · /kickbot undo 1 re-adds them',
    ]);
    expect((await k.store.readAudit({ workspace: WS }))[0]?.actor).toBe(UNKNOWN_ACTOR);
    expect(await k.store.readCaseEvents(WS, 1)).toEqual([
      expect.objectContaining({
        by: UNKNOWN_ACTOR,
        command: 'removed by hand in console (left or was removed)',
      }),
    ]);
    const connectors = new Connectors({ directories: [k.connector], removers: [k.connector] });
    expect(connectors.label(UNKNOWN_ACTOR, 'user')).toBe('someone (the platform does not say who)');
    expect(await connectors.users([UNKNOWN_ACTOR])).toEqual(new Map()); // nobody: no roles, no grants
  });

  it("GIVEN kickbot's own removal THEN the platform's event for it opens no case; the same pair removed by hand later does", async () => {
    const k = kit();
    await k.core.handle(k.inv('mo', 'general', '/kick @bob spam'));
    expect(await k.core.byHand(handEvent(k, { eventId: 'E-own' }))).toBeUndefined();
    expect(await k.store.lastCaseId(WS)).toBe(1);
    expect(modLog(k)).toEqual([]);
    // Back in, and removed by hand a day later: that one is a case.
    await k.connector.inner.restore(
      { room: 'console:general', user: 'console:bob', actor: 'console:mo', caseId: 0 },
      [],
    );
    k.clock.advance(DAY);
    expect(await removeByHand(k, { eventId: 'E-later' })).toBe(2);
  });

  it('GIVEN a kickbot call still out (marker `removing`) THEN the event is its own and opens no case', async () => {
    const k = kit();
    await setPairMarker(
      k.store,
      'console:general',
      'console:bob',
      { caseId: 7, at: k.clock.now(), state: 'removing' },
      60_000,
    );
    expect(await removeByHand(k)).toBeUndefined();
    expect(await k.store.lastCaseId(WS)).toBe(0);
  });

  it('GIVEN a by-hand case THEN /kickbot undo re-adds the person with the roles they lost', async () => {
    const k = kit();
    expect(
      await removeByHand(k, {
        room: 'console:secret',
        target: 'console:olga',
        roles: ['owner'],
        actor: 'console:ada',
      }),
    ).toBe(1);
    expect(await k.connector.members('console:secret', ['console:olga'])).toEqual(new Map());
    const reply = await k.core.handle(k.inv('ada', 'general', '/kickbot undo 1'));
    expect(reply).toMatchObject({ kind: 'result', action: 'restore', caseId: 2, status: 'ok' });
    expect(await k.connector.members('console:secret', ['console:olga'])).toEqual(
      new Map([['console:olga', { roles: ['owner'] }]]),
    );
  });

  it('GIVEN a by-hand case whose actor is unknown THEN a moderator of the room can still undo it', async () => {
    const k = kit();
    const { actor: _, ...anon } = handEvent(k);
    await k.connector.inner.remove({ room: anon.room, user: anon.target, actor: 'console:ada', caseId: 0 });
    await k.core.byHand(anon);
    expect(await k.core.handle(k.inv('mo', 'general', '/kickbot undo 1'))).toMatchObject({
      status: 'ok',
      results: [{ user: 'console:bob', outcome: 'restored' }],
    });
  });
});

describe('alert on rejoin', () => {
  it('GIVEN someone kickbot removed THEN their rejoin 3 days later is told to the mod-log once, with the case', async () => {
    const k = kit();
    await k.core.handle(k.inv('mo', 'general', '/kick @bob spam'));
    k.clock.advance(3 * DAY + 60_000);
    await k.core.joined(join(k, { actor: 'console:ada' }));
    await k.core.joined(join(k, { actor: 'console:ada' })); // redelivered
    expect(modLog(k)).toEqual([
      '[mod-log] bob joined #general again, 3 days after case 1 removed them · let back in by ada',
    ]);
  });

  it('GIVEN a by-hand case THEN a rejoin is told too', async () => {
    const k = kit();
    await removeByHand(k);
    k.clock.advance(2 * 60 * 60_000);
    await k.core.joined(join(k));
    expect(modLog(k).at(-1)).toBe('[mod-log] bob joined #general again, 2 hours after case 1 removed them');
  });

  it('GIVEN a rejoin after the window THEN nothing is told', async () => {
    const k = kit(SMALL_WORKSPACE, { rejoinAlertMs: 30 * DAY });
    await k.core.handle(k.inv('mo', 'general', '/kick @bob spam'));
    k.clock.advance(31 * DAY);
    await k.core.joined(join(k));
    expect(modLog(k)).toEqual([]);
  });

  it('GIVEN rejoin alerts turned off (0 days) THEN nothing is told', async () => {
    const k = kit(SMALL_WORKSPACE, { rejoinAlertMs: 0 });
    await k.core.handle(k.inv('mo', 'general', '/kick @bob spam'));
    k.clock.advance(DAY);
    await k.core.joined(join(k));
    expect(modLog(k)).toEqual([]);
  });

  it("GIVEN kickbot's own restore under way (marker `restoring`) THEN the join is kickbot's and nothing is told", async () => {
    const k = kit();
    await k.core.handle(k.inv('mo', 'general', '/kick @bob spam'));
    k.clock.advance(DAY);
    await setPairMarker(
      k.store,
      'console:general',
      'console:bob',
      { caseId: 2, at: k.clock.now(), state: 'restoring' },
      60_000,
    );
    await k.core.joined(join(k));
    expect(modLog(k)).toEqual([]);
  });

  it('GIVEN someone never removed THEN their join is nobody’s business', async () => {
    const k = kit();
    await k.core.joined(join(k, { user: 'console:carol' }));
    expect(modLog(k)).toEqual([]);
  });
});

const OWN_ACTION_PLUS = 11 * 60_000;

function handEvent(k: Kit, over: Partial<HandRemoval> = {}): HandRemoval {
  return {
    eventId: 'E1',
    platform: 'console',
    workspace: WS,
    actor: 'console:ada',
    target: 'console:bob',
    room: 'console:general',
    via: 'test-events',
    at: k.clock.now(),
    ...over,
  };
}
