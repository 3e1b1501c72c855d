import { describe, expect, it } from 'vitest';
import { PAIRS_PER_OUTCOME } from '../../src/core/cases/view.js';
import type { CaseView, InfoReply, Reply } from '../../src/core/index.js';
import { ReplySchema } from '../../src/store/schemas.js';
import { kit } from '../helpers/kit.js';

const WS = 'console:small';
const HOUR = 3_600_000;

const lines = (reply: Reply) => (reply.kind === 'info' ? reply.message.split('\n') : [reply]);
const view = (reply: Reply) => (reply as InfoReply).case as CaseView;

describe('/kickbot case <N>', () => {
  it('GIVEN a kick, a note and a new reason THEN the case whole: who, when, the command, the reason with its history, the notes, the pairs by outcome', async () => {
    const k = kit();
    await k.core.handle(k.inv('mo', 'general', '/kick @bob @carol @olga #general #lobby spam'));
    k.clock.advance(HOUR);
    await k.core.handle(k.inv('mo', 'general', '/kickbot note 1 warned twice in DM before'));
    k.clock.advance(HOUR);
    await k.core.handle(k.inv('ada', 'general', '/kickbot reason 1 posting scam links'));

    const reply = await k.core.handle(k.inv('mo', 'general', '/kickbot case 1'));
    expect(lines(reply)).toEqual([
      'Case 1 · 2026-11-22 12:00 UTC · mo',
      'Command: /kick @bob @carol @olga #general #lobby spam',
      'Reason: posting scam links',
      'Reason history:',
      '  2026-11-22 12:00 UTC · mo: spam',
      '  2026-11-22 14:00 UTC · ada: posting scam links',
      'Notes:',
      '  2026-11-22 13:00 UTC · mo: warned twice in DM before',
      'Removed 3: bob in #general, carol in #general, olga in #general',
      'Unsupported 3: bob in #lobby (undeletable), carol in #lobby (undeletable), olga in #lobby (undeletable)',
    ]);
    expect(view(reply)).toEqual({
      case: 1,
      at: '2026-11-22T12:00:00.000Z',
      by: 'mo',
      command: '/kick @bob @carol @olga #general #lobby spam',
      action: 'remove',
      reason: 'posting scam links',
      reasonHistory: [
        { at: '2026-11-22T12:00:00.000Z', by: 'mo', text: 'spam' },
        { at: '2026-11-22T14:00:00.000Z', by: 'ada', text: 'posting scam links' },
      ],
      notes: [{ at: '2026-11-22T13:00:00.000Z', by: 'mo', text: 'warned twice in DM before' }],
      pairs: 6,
      counts: { removed: 3, unsupported: 3 },
      outcomes: [
        {
          outcome: 'removed',
          count: 3,
          more: 0,
          pairs: [
            { user: 'bob', room: '#general' },
            { user: 'carol', room: '#general' },
            { user: 'olga', room: '#general' },
          ],
        },
        {
          outcome: 'unsupported',
          count: 3,
          more: 0,
          pairs: [
            { user: 'bob', room: '#lobby', code: 'undeletable' },
            { user: 'carol', room: '#lobby', code: 'undeletable' },
            { user: 'olga', room: '#lobby', code: 'undeletable' },
          ],
        },
      ],
      undoneBy: [],
      dms: [],
    });
    // Kept for a redelivery as it was (the reply schema knows the field), so `kickbot run --key` prints it again.
    expect(ReplySchema.parse(reply)).toEqual(reply);
  });

  it('GIVEN an undo THEN the case says which case undid it, and the undo says which case it undid', async () => {
    const k = kit();
    await k.core.handle(k.inv('mo', 'general', '/kick @bob'));
    await k.core.handle(k.inv('mo', 'general', '/kickbot undo 1'));
    const first = await k.core.handle(k.inv('mo', 'general', '/kickbot case 1'));
    expect(lines(first)).toEqual([
      'Case 1 · 2026-11-22 12:00 UTC · mo',
      'Command: /kick @bob',
      'Reason: (none given)',
      'Removed 1: bob in #general',
      'Undone by case 2',
    ]);
    expect(view(first).undoneBy).toEqual([2]);
    expect(lines(await k.core.handle(k.inv('mo', 'general', '/kickbot case 2')))).toEqual([
      'Case 2 · 2026-11-22 12:00 UTC · mo',
      'Command: /kickbot undo 1',
      'Undo of case 1',
      'Reason: (none given)',
      'Re-added 1: bob in #general',
    ]);
  });

  it('GIVEN denials with codes and an area THEN each pair names its room, area and code', async () => {
    const k = kit();
    await k.core.handle(k.inv('olga', 'general', '/remove-area payments @bob @ada'));
    const reply = await k.core.handle(k.inv('mo', 'general', '/kickbot case 1'));
    expect(lines(reply).slice(3)).toEqual([
      'Removed 3: bob in #general (area payments), bob in #secret (area payments), bob in payments (group) (area payments)',
      'Denied 3: ada in #general (area payments, protected), ada in #secret (area payments, protected), ada in payments (group) (area payments, protected)',
    ]);
  });

  it(`GIVEN 25 pairs of one outcome THEN the first ${PAIRS_PER_OUTCOME} are named, the rest counted, the count exact`, async () => {
    const users = Array.from({ length: 25 }, (_, i) => `p${i}`);
    const k = kit(`
name: small
bot: kickbot
users:
  - { id: mo, roles: [moderator] }
  - { id: kickbot, roles: [bot] }
${users.map((u) => `  - { id: ${u} }`).join('\n')}
rooms:
  - { id: general, members: [mo, kickbot, p0] }
`);
    await k.core.handle(k.inv('mo', 'general', `/kick ${users.map((u) => `@${u}`).join(' ')} --yes`));
    const reply = await k.core.handle(k.inv('mo', 'general', '/kickbot case 1'));
    const notMember = lines(reply).find((l) => typeof l === 'string' && l.startsWith('Not a member'));
    expect(notMember).toBe(
      `Not a member 24: ${users
        .slice(1, 21)
        .map((u) => `${u} in #general`)
        .join(', ')} and 4 more`,
    );
    expect(view(reply).outcomes[1]).toMatchObject({ outcome: 'not_member', count: 24, more: 4 });
    expect(view(reply).outcomes[1]?.pairs).toHaveLength(PAIRS_PER_OUTCOME);
  });

  it('GIVEN a timed case with DMs, a restore by its timer and a cancel THEN each is told', async () => {
    const k = kit();
    await k.core.handle(k.inv('mo', 'general', '/kick @bob @carol spam'));
    const at = k.clock.now();
    const until = at + 2 * HOUR;
    await k.store.appendCaseEvent(WS, 1, { kind: 'dm', at, user: 'console:bob', ok: true });
    await k.store.appendCaseEvent(WS, 1, {
      kind: 'dm',
      at,
      user: 'console:carol',
      ok: false,
      code: 'dm-closed',
    });
    await k.store.appendCaseEvent(WS, 1, { kind: 'timer', at, state: 'set', until, durable: true });
    await k.store.appendCaseEvent(WS, 1, { kind: 'cancel', at: at + 60_000, by: 'console:ada' });
    const set = await k.core.handle(k.inv('mo', 'general', '/kickbot case 1'));
    expect(lines(set).slice(-3)).toEqual([
      'Until 2026-11-22 14:00 UTC',
      'DMs: bob sent, carol failed (dm-closed)',
      'Cancelled by ada at 2026-11-22 12:01 UTC',
    ]);
    expect(view(set)).toMatchObject({
      until: '2026-11-22T14:00:00.000Z',
      timer: { state: 'set', durable: true },
      dms: [
        { user: 'bob', ok: true },
        { user: 'carol', ok: false, code: 'dm-closed' },
      ],
      cancelled: { by: 'ada', at: '2026-11-22T12:01:00.000Z' },
    });

    await k.store.appendCaseEvent(WS, 1, { kind: 'timer', at: until, state: 'restored', restoreCase: 2 });
    await k.store.appendCaseEvent(WS, 1, { kind: 'undone', at: until, by: 'console:mo', restoreCase: 2 });
    const restored = await k.core.handle(k.inv('mo', 'general', '/kickbot case 1', 'again'));
    expect(lines(restored)).toContain('Until 2026-11-22 14:00 UTC · restored in case 2');
    expect(lines(restored)).toContain('Undone by case 2');
  });

  it('GIVEN a timer kept in one process, or cancelled THEN the case says so', async () => {
    const k = kit();
    await k.core.handle(k.inv('mo', 'general', '/kick @bob'));
    const at = k.clock.now();
    await k.store.appendCaseEvent(WS, 1, {
      kind: 'timer',
      at,
      state: 'set',
      until: at + HOUR,
      durable: false,
    });
    expect(lines(await k.core.handle(k.inv('mo', 'general', '/kickbot case 1', 'a')))).toContain(
      'Until 2026-11-22 13:00 UTC · timer kept in one process (lost if it stops)',
    );
    await k.store.appendCaseEvent(WS, 1, { kind: 'timer', at, state: 'cancelled' });
    expect(lines(await k.core.handle(k.inv('mo', 'general', '/kickbot case 1', 'b')))).toContain(
      'Until 2026-11-22 13:00 UTC · timer cancelled',
    );
  });

  it('GIVEN a removal made by hand THEN the case says how kickbot learnt of it', async () => {
    const k = kit();
    const at = k.clock.now();
    const caseId = await k.store.nextCaseId(WS);
    await k.store.appendCaseEvent(WS, caseId, {
      kind: 'opened',
      at,
      by: 'console:ada',
      platform: 'console',
      channel: 'console:general',
      command: '(removed by hand)',
      byHand: { via: 'discord-audit-log', detail: 'member kick' },
    });
    await k.store.appendAudit(
      [
        {
          caseId,
          workspace: WS,
          action: 'remove',
          actor: 'console:ada',
          target: 'console:bob',
          room: 'console:general',
          outcome: 'removed',
          invocation: 'hand:1',
          at,
        },
      ],
      'hand:1',
    );
    const reply = await k.core.handle(k.inv('mo', 'general', '/kickbot case 1'));
    expect(lines(reply)[0]).toBe(
      'Case 1 · 2026-11-22 12:00 UTC · ada · made by hand (discord-audit-log: member kick)',
    );
    expect(view(reply).byHand).toEqual({ via: 'discord-audit-log', detail: 'member kick' });
  });

  it('GIVEN a case number with nothing recorded, or a plain member THEN a usage error names it, or a refusal', async () => {
    const k = kit();
    expect(await k.core.handle(k.inv('mo', 'general', '/kickbot case 9'))).toMatchObject({
      kind: 'usage',
      message: 'there is no case 9',
    });
    await k.core.handle(k.inv('mo', 'general', '/kick @bob'));
    expect(await k.core.handle(k.inv('carol', 'general', '/kickbot case 1'))).toEqual({
      kind: 'refused',
      code: 'not-allowed',
      message: 'Only moderators of this room can read its cases.',
    });
  });

  it('GIVEN a case opened whose pairs are not recorded yet THEN it is shown, with no pairs yet', async () => {
    const k = kit();
    const caseId = await k.store.nextCaseId(WS);
    await k.store.appendCaseEvent(WS, caseId, {
      kind: 'opened',
      at: k.clock.now(),
      by: 'console:mo',
      platform: 'console',
      channel: 'console:general',
      command: '/kick @bob',
    });
    expect(lines(await k.core.handle(k.inv('mo', 'general', '/kickbot case 1')))).toEqual([
      'Case 1 · 2026-11-22 12:00 UTC · mo',
      'Command: /kick @bob',
      'Reason: (none given)',
      'No pairs recorded yet.',
    ]);
  });
});
