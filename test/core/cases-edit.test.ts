import { describe, expect, it } from 'vitest';
import { type CaseView, type InfoReply, type Reply, StoreUnavailableError } from '../../src/core/index.js';
import { SMALL_WORKSPACE } from '../helpers/console.js';
import { kit } from '../helpers/kit.js';

const WS = 'console:small';
const HOUR = 3_600_000;
/** The small workspace with a second moderator, who did not open the cases. */
const TWO_MODS = SMALL_WORKSPACE.replace(
  '  - { id: mo, roles: [moderator] }',
  '  - { id: mo, roles: [moderator] }\n  - { id: max, roles: [moderator] }',
).replace('members: [ada, mo, olga,', 'members: [ada, mo, max, olga,');

const view = (reply: Reply) => (reply as InfoReply).case as CaseView;

describe('/kickbot note and /kickbot reason', () => {
  it("GIVEN the case's moderator THEN a note is added beside the reason, which stays", async () => {
    const k = kit();
    await k.core.handle(k.inv('mo', 'general', '/kick @bob spam'));
    k.clock.advance(HOUR);
    expect(await k.core.handle(k.inv('mo', 'general', '/kickbot note 1 second time this week'))).toEqual({
      kind: 'info',
      message: 'Note added to case 1.',
    });
    expect((await k.store.readCaseEvents(WS, 1)).filter((e) => e.kind === 'note')).toEqual([
      { kind: 'note', at: k.clock.now(), by: 'console:mo', text: 'second time this week' },
    ]);
    const shown = view(await k.core.handle(k.inv('mo', 'general', '/kickbot case 1')));
    expect(shown).toMatchObject({
      reason: 'spam',
      notes: [{ by: 'mo', text: 'second time this week', at: '2026-11-22T13:00:00.000Z' }],
    });
    expect(shown.reasonHistory).toHaveLength(1);
  });

  it('GIVEN an admin THEN a new reason replaces the current one, the old one stays in the history, and the list shows the new one', async () => {
    const k = kit();
    await k.core.handle(k.inv('mo', 'general', '/kick @bob spam'));
    expect(await k.core.handle(k.inv('ada', 'general', '/kickbot reason 1 scam links in #general'))).toEqual({
      kind: 'info',
      message: "Case 1's reason is now: scam links in #general (was: spam)",
    });
    expect(await k.core.handle(k.inv('mo', 'general', '/kickbot reason 1 phishing'))).toEqual({
      kind: 'info',
      message: "Case 1's reason is now: phishing (was: scam links in #general)",
    });
    expect(view(await k.core.handle(k.inv('mo', 'general', '/kickbot case 1'))).reasonHistory).toEqual([
      { at: '2026-11-22T12:00:00.000Z', by: 'mo', text: 'spam' },
      { at: '2026-11-22T12:00:00.000Z', by: 'ada', text: 'scam links in #general' },
      { at: '2026-11-22T12:00:00.000Z', by: 'mo', text: 'phishing' },
    ]);
    const list = await k.core.handle(k.inv('mo', 'general', '/kickbot cases'));
    expect(list).toMatchObject({ cases: { items: [{ case: 1, reason: 'phishing' }] } });
    // The audit records keep what the command said: the record of who removed whom is never rewritten.
    expect((await k.store.readAudit({ workspace: WS, caseId: 1 }))[0]?.reason).toBe('spam');
  });

  it('GIVEN a case without a reason THEN a reason can be given; the history starts with it', async () => {
    const k = kit();
    await k.core.handle(k.inv('mo', 'general', '/kick @bob'));
    expect(await k.core.handle(k.inv('mo', 'general', '/kickbot reason 1 spam'))).toEqual({
      kind: 'info',
      message: "Case 1's reason is now: spam",
    });
  });

  it("GIVEN another moderator or a plain member THEN refused not-yours, naming the case's moderator; nothing written", async () => {
    const k = kit(TWO_MODS);
    await k.core.handle(k.inv('mo', 'general', '/kick @bob spam'));
    const refusal = {
      kind: 'refused',
      code: 'not-yours',
      message: 'Only the moderator of case 1 (mo) or an admin can change it.',
    };
    expect(await k.core.handle(k.inv('max', 'general', '/kickbot note 1 hm'))).toEqual(refusal);
    expect(await k.core.handle(k.inv('bob', 'general', '/kickbot reason 1 nothing'))).toEqual(refusal);
    expect((await k.store.readCaseEvents(WS, 1)).map((e) => e.kind)).toEqual(['opened']);
  });

  it('GIVEN a case that does not exist THEN a usage error names it', async () => {
    const k = kit();
    expect(await k.core.handle(k.inv('ada', 'general', '/kickbot note 4 hello'))).toMatchObject({
      kind: 'usage',
      message: 'there is no case 4',
    });
  });

  it('GIVEN a note written but its reply lost (the store failed after the write) THEN the redelivery adds no second note', async () => {
    const k = kit();
    await k.core.handle(k.inv('mo', 'general', '/kick @bob'));
    const append = k.store.appendCaseEvent.bind(k.store);
    let fail = true;
    k.store.appendCaseEvent = async (...args) => {
      await append(...args);
      if (fail) {
        fail = false;
        throw new StoreUnavailableError('reply lost');
      }
    };
    const first = await k.core.handle(k.inv('mo', 'general', '/kickbot note 1 once', 'k1'));
    expect(first).toMatchObject({ kind: 'refused', code: 'store-unavailable' });
    expect(await k.core.handle(k.inv('mo', 'general', '/kickbot note 1 once', 'k1'))).toEqual({
      kind: 'info',
      message: 'Note added to case 1.',
    });
    expect((await k.store.readCaseEvents(WS, 1)).filter((e) => e.kind === 'note')).toHaveLength(1);
  });
});
