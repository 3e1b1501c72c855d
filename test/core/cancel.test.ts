import { describe, expect, it } from 'vitest';
import type { Progress, RemovalTarget, RemoveResult } from '../../src/core/index.js';
import { kit, type ScriptedConnector } from '../helpers/kit.js';
import { waitFor } from '../helpers/wait.js';

const CROWD = `
name: crowd
bot: kickbot
users:
  - { id: ada, roles: [admin] }
  - { id: mo, roles: [moderator] }
  - { id: max, roles: [moderator] }
  - { id: kickbot, roles: [bot] }
${Array.from({ length: 30 }, (_, i) => `  - { id: u${i} }`).join('\n')}
rooms:
  - { id: general, type: public, members: [ada, mo, max, kickbot, ${Array.from({ length: 30 }, (_, i) => `u${i}`).join(', ')}] }
`;
const everyone = Array.from({ length: 30 }, (_, i) => `@u${i}`).join(' ');

/** Holds every removal until `release()`: the pairs in flight stay in flight while the test cancels. */
function hold(connector: ScriptedConnector) {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  const remove = connector.remove.bind(connector);
  const held = { count: 0, release: () => open() };
  connector.remove = async (target: RemovalTarget): Promise<RemoveResult> => {
    held.count++;
    await gate;
    return remove(target);
  };
  return held;
}

describe('/kickbot cancel', () => {
  it('GIVEN a batch with 4 pairs in flight WHEN its moderator cancels THEN those 4 finish, the other 26 end cancelled, one record each, and the reply counts them', async () => {
    const k = kit(CROWD);
    const gate = hold(k.connector);
    const progress: Progress[] = [];
    const running = k.core.handle(k.inv('mo', 'general', `/kick ${everyone} --yes spam`), {
      onProgress: (p) => progress.push(p),
    });
    await waitFor('4 removals in flight', () => (gate.count === 4 ? true : undefined));

    const cancel = await k.core.handle(k.inv('mo', 'general', '/kickbot cancel 1'));
    expect(cancel).toEqual({
      kind: 'info',
      message: 'Cancelling case 1: pairs not yet started will end cancelled; pairs in flight finish.',
    });
    k.clock.advance(1_000); // the executor reads the case again (it trusts its last read for 250 ms)
    gate.release();

    const reply = await running;
    expect(reply).toMatchObject({
      kind: 'result',
      caseId: 1,
      status: 'partial',
      summary: 'Removed 4 | Not a member 0 | Denied 0 | Failed 0 | Cancelled 26',
    });
    expect(k.connector.removals).toHaveLength(4);
    const records = await k.store.readAudit({ caseId: 1 });
    expect(records).toHaveLength(30);
    expect(new Set(records.map((r) => r.target)).size).toBe(30);
    expect(records.filter((r) => r.outcome === 'cancelled')).toHaveLength(26);
    expect(records.filter((r) => r.outcome === 'removed').map((r) => r.target)).toEqual(
      expect.arrayContaining(k.connector.removals.map((t) => t.user)),
    );
    const events = await k.store.readCaseEvents('console:crowd', 1);
    expect(events.filter((e) => e.kind === 'cancel')).toEqual([
      { kind: 'cancel', at: expect.any(Number), by: 'console:mo' },
    ]);
    expect(progress.at(-1)).toMatchObject({ done: 30, total: 30, caseId: 1 });

    // Once every pair is recorded, there is nothing left to cancel.
    expect(await k.core.handle(k.inv('mo', 'general', '/kickbot cancel 1'))).toEqual({
      kind: 'info',
      message: 'Case 1 has finished; nothing to cancel.',
    });
  });

  it('GIVEN a running batch WHEN an admin cancels it THEN it stops; WHEN another moderator tries THEN refused not-yours and it runs on', async () => {
    const k = kit(CROWD);
    const gate = hold(k.connector);
    const running = k.core.handle(k.inv('mo', 'general', `/kick ${everyone} --yes spam`));
    await waitFor('removals in flight', () => (gate.count === 4 ? true : undefined));

    expect(await k.core.handle(k.inv('max', 'general', '/kickbot cancel 1'))).toEqual({
      kind: 'refused',
      code: 'not-yours',
      message: 'Only the moderator of case 1 (mo) or an admin can cancel it.',
    });
    expect(await k.store.readCaseEvents('console:crowd', 1)).not.toContainEqual(
      expect.objectContaining({ kind: 'cancel' }),
    );
    expect(await k.core.handle(k.inv('ada', 'general', '/kickbot cancel 1'))).toMatchObject({
      kind: 'info',
      message: expect.stringMatching(/^Cancelling case 1/),
    });
    k.clock.advance(1_000);
    gate.release();
    expect(await running).toMatchObject({ summary: expect.stringMatching(/\| Cancelled 26$/) });
  });

  it('GIVEN a finished case THEN nothing to cancel and no cancel event', async () => {
    const k = kit(CROWD);
    await k.core.handle(k.inv('mo', 'general', '/kick @u1 spam'));
    expect(await k.core.handle(k.inv('mo', 'general', '/kickbot cancel 1'))).toEqual({
      kind: 'info',
      message: 'Case 1 has finished; nothing to cancel.',
    });
    expect((await k.store.readCaseEvents('console:crowd', 1)).map((e) => e.kind)).toEqual(['opened']);
  });

  it('GIVEN no such case THEN a usage error names it', async () => {
    const k = kit(CROWD);
    expect(await k.core.handle(k.inv('mo', 'general', '/kickbot cancel 7'))).toMatchObject({
      kind: 'usage',
      message: 'there is no case 7',
    });
    expect(await k.core.handle(k.inv('mo', 'general', '/kickbot cancel'))).toMatchObject({
      kind: 'usage',
      message: 'cancel needs a case number, e.g. /kickbot cancel 12',
    });
    expect(await k.core.handle(k.inv('mo', 'general', '/kickbot cancel x1'))).toMatchObject({
      kind: 'usage',
      message: '"x1" is not a case number',
    });
  });
});

const ROOMY = `
name: roomy
bot: kickbot
users:
  - { id: ada, roles: [admin] }
  - { id: mo, roles: [moderator] }
  - { id: bob }
  - { id: kickbot, roles: [bot] }
rooms:
${Array.from({ length: 12 }, (_, i) => `  - { id: r${i}, type: public, members: [ada, bob, kickbot] }`).join('\n')}
`;

describe('/kickbot cancel of an offboarding', () => {
  it('GIVEN an offboarding with removals in flight WHEN its admin cancels THEN the rest end cancelled, the case reads finished after, and its progress named the case', async () => {
    const k = kit(ROOMY);
    const gate = hold(k.connector);
    const progress: Progress[] = [];
    const running = k.core.handle(k.inv('ada', 'r0', '/offboard @bob --yes left'), {
      onProgress: (p) => progress.push(p),
    });
    await waitFor('4 removals in flight', () => (gate.count === 4 ? true : undefined));
    // Someone else is refused, whatever their role in the rooms.
    expect(await k.core.handle(k.inv('mo', 'r0', '/kickbot cancel 1'))).toMatchObject({ code: 'not-yours' });
    expect(await k.core.handle(k.inv('ada', 'r0', '/kickbot cancel 1'))).toMatchObject({
      message: expect.stringMatching(/^Cancelling case 1:/),
    });
    k.clock.advance(1_000);
    gate.release();
    const reply = await running;
    expect(reply).toMatchObject({
      kind: 'result',
      action: 'offboard',
      summary: expect.stringMatching(/^Removed 4 \| .* \| Cancelled \d+$/),
    });
    const records = await k.store.readAudit({ caseId: 1 });
    expect(new Set(records.map((r) => r.room)).size).toBe(records.length);
    expect(records.filter((r) => r.outcome === 'removed')).toHaveLength(4);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.every((p) => p.caseId === 1)).toBe(true);
    expect(await k.core.handle(k.inv('ada', 'r0', '/kickbot cancel 1'))).toMatchObject({
      message: 'Case 1 has finished; nothing to cancel.',
    });
  });
});
