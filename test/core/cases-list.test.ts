import { describe, expect, it } from 'vitest';
import type { CasePage, InfoReply, Reply } from '../../src/core/index.js';
import { kit } from '../helpers/kit.js';

const WS = 'console:small';
const DAY = 86_400_000;

const lines = (reply: Reply) => (reply.kind === 'info' ? reply.message.split('\n') : [JSON.stringify(reply)]);
const numbers = (reply: Reply) => ((reply as InfoReply).cases as CasePage).items.map((c) => c.case);

describe('/kickbot cases by @moderator, since, and the current reason', () => {
  it('GIVEN cases by two moderators THEN by @moderator lists only theirs, and combines with @user', async () => {
    const k = kit();
    await k.core.handle(k.inv('mo', 'general', '/kick @bob spam'));
    await k.core.handle(k.inv('ada', 'general', '/kick @carol'));
    await k.core.handle(k.inv('ada', 'general', '/kick @bob #secret'));
    await k.core.handle(k.inv('mo', 'general', '/kick @carol flood'));
    expect(lines(await k.core.handle(k.inv('mo', 'general', '/kickbot cases by @ada')))).toEqual([
      'Cases by ada, newest first:',
      'case 3 · 2026-11-22 12:00 UTC · ada · /kick bob from #secret · removed 1',
      'case 2 · 2026-11-22 12:00 UTC · ada · /kick carol from #general · removed 1',
    ]);
    expect(numbers(await k.core.handle(k.inv('mo', 'general', '/kickbot cases @carol by @mo')))).toEqual([4]);
    expect(numbers(await k.core.handle(k.inv('mo', 'general', '/kickbot cases by @mo @carol')))).toEqual([4]);
    expect(lines(await k.core.handle(k.inv('mo', 'general', '/kickbot cases by @olga')))).toEqual([
      'No cases by olga.',
    ]);
  });

  it('GIVEN cases over several days THEN since 7d and since a date list the newer ones, combined with the other filters', async () => {
    const k = kit();
    await k.core.handle(k.inv('mo', 'general', '/kick @bob')); // 2026-11-22 12:00
    k.clock.advance(3 * DAY);
    await k.core.handle(k.inv('ada', 'general', '/kick @carol')); // 2026-11-25 12:00
    k.clock.advance(5 * DAY);
    await k.core.handle(k.inv('mo', 'general', '/kick @olga')); // 2026-11-30 12:00
    expect(numbers(await k.core.handle(k.inv('mo', 'general', '/kickbot cases since 7d')))).toEqual([3, 2]);
    expect(numbers(await k.core.handle(k.inv('mo', 'general', '/kickbot cases since 2w')))).toEqual([
      3, 2, 1,
    ]);
    expect(numbers(await k.core.handle(k.inv('mo', 'general', '/kickbot cases since 2026-11-25')))).toEqual([
      3, 2,
    ]);
    expect(
      lines(await k.core.handle(k.inv('mo', 'general', '/kickbot cases since 2026-11-26 by @mo'))),
    ).toEqual([
      'Cases by mo since 2026-11-26 00:00 UTC, newest first:',
      'case 3 · 2026-11-30 12:00 UTC · mo · /kick olga from #general · removed 1',
    ]);
    expect(lines(await k.core.handle(k.inv('mo', 'general', '/kickbot cases @bob since 1d')))).toEqual([
      'No cases involving bob since 2026-11-29 12:00 UTC.',
    ]);
  });

  it('GIVEN many old cases and one new THEN since stops the walk at the first older case', async () => {
    const k = kit();
    for (let i = 0; i < 30; i++) await k.core.handle(k.inv('mo', 'general', '/kick @bob'));
    k.clock.advance(10 * DAY);
    await k.core.handle(k.inv('mo', 'general', '/kick @carol'));
    const read = k.store.readAudit.bind(k.store);
    const asked: (number | undefined)[] = [];
    k.store.readAudit = (query) => {
      asked.push(query.caseId);
      return read(query);
    };
    expect(numbers(await k.core.handle(k.inv('mo', 'general', '/kickbot cases since 1d')))).toEqual([31]);
    expect(asked.filter((c) => c !== undefined)).toEqual([31, 30]);
  });

  it('GIVEN filters and more than a page THEN the next page is named with the same filters', async () => {
    const k = kit();
    for (let i = 0; i < 12; i++) await k.core.handle(k.inv('mo', 'general', '/kick @bob'));
    await k.core.handle(k.inv('ada', 'general', '/kick @carol'));
    const first = lines(await k.core.handle(k.inv('mo', 'general', '/kickbot cases by @mo since 7d')));
    expect(first[0]).toBe('Cases by mo since 2026-11-15 12:00 UTC, newest first (page 1):');
    expect(first.at(-1)).toBe('More: /kickbot cases by @mo since 7d page 2');
    expect(
      numbers(await k.core.handle(k.inv('mo', 'general', '/kickbot cases page 2 since 7d by @mo'))),
    ).toEqual([2, 1]);
  });

  it('GIVEN a changed reason, a timed case and one made by hand THEN the lines show the reason now, until when, and "by hand"', async () => {
    const k = kit();
    await k.core.handle(k.inv('mo', 'general', '/kick @bob spam'));
    await k.core.handle(k.inv('mo', 'general', '/kickbot reason 1 phishing'));
    const at = k.clock.now();
    await k.store.appendCaseEvent(WS, 1, { kind: 'timer', at, state: 'set', until: at + DAY, durable: true });
    const hand = await k.store.nextCaseId(WS);
    await k.store.appendCaseEvent(WS, hand, {
      kind: 'opened',
      at,
      by: 'console:ada',
      platform: 'console',
      channel: 'console:general',
      command: '(removed by hand)',
      byHand: { via: 'console' },
    });
    await k.store.appendAudit(
      [
        {
          caseId: hand,
          workspace: WS,
          action: 'remove',
          actor: 'console:ada',
          target: 'console:carol',
          room: 'console:general',
          outcome: 'removed',
          invocation: 'hand',
          at,
        },
      ],
      'hand',
    );
    const reply = await k.core.handle(k.inv('mo', 'general', '/kickbot cases'));
    expect(lines(reply)).toEqual([
      'Cases, newest first:',
      'case 2 · 2026-11-22 12:00 UTC · ada (by hand) · /kick carol from #general · removed 1',
      'case 1 · 2026-11-22 12:00 UTC · mo · /kick bob from #general · removed 1 · until 2026-11-23 12:00 UTC · reason: phishing',
    ]);
    expect((reply as InfoReply).cases?.items).toMatchObject([
      { case: 2, byHand: true },
      { case: 1, reason: 'phishing', until: '2026-11-23T12:00:00.000Z' },
    ]);
  });

  it('GIVEN by someone unknown THEN the usage error of the directory', async () => {
    const k = kit();
    await k.core.handle(k.inv('mo', 'general', '/kick @bob'));
    expect(await k.core.handle(k.inv('mo', 'general', '/kickbot cases by @nobody'))).toMatchObject({
      kind: 'usage',
    });
  });
});
