import { describe, expect, it } from 'vitest';
import { SMALL_WORKSPACE } from '../helpers/console.js';
import { kit } from '../helpers/kit.js';

describe('/kickbot undo and /kickbot cases', () => {
  it('GIVEN a kick THEN undo re-adds the users, with their room roles, and tells the room', async () => {
    const k = kit(SMALL_WORKSPACE.replace('owners: [olga]', 'owners: [olga, ada]'));
    await k.core.handle(k.inv('ada', 'general', '/kick @bob @olga #secret spam'));
    expect(await k.connector.room('console:secret')).toMatchObject({ owners: 1 });
    const reply = await k.core.handle(k.inv('ada', 'general', '/kickbot undo 1'));
    expect(reply).toMatchObject({
      kind: 'result',
      action: 'restore',
      caseId: 2,
      status: 'ok',
      summary: 'Restored 2 | Already a member 0 | Denied 0 | Failed 0',
    });
    expect(await k.connector.room('console:secret')).toMatchObject({ owners: 2 });
    expect(await k.connector.members('console:secret', ['console:bob', 'console:olga'])).toEqual(
      new Map([
        ['console:bob', { roles: [] }],
        ['console:olga', { roles: ['owner'] }],
      ]),
    );
    expect(k.notices.at(-1)?.text).toBe(
      '#secret: bob and olga were re-added by ada (undo of case 1) · case 2',
    );
    const records = await k.store.readAudit({ workspace: 'console:small', caseId: 2 });
    expect(records).toHaveLength(2);
    expect(records.every((r) => r.action === 'restore' && r.undoOf === 1 && r.outcome === 'restored')).toBe(
      true,
    );
  });

  it('GIVEN an undo done twice THEN the second finds them already there', async () => {
    const k = kit();
    await k.core.handle(k.inv('mo', 'general', '/kick @bob'));
    await k.core.handle(k.inv('mo', 'general', '/kickbot undo 1'));
    expect(await k.core.handle(k.inv('mo', 'general', '/kickbot undo 1'))).toMatchObject({
      results: [{ outcome: 'already_member' }],
      status: 'ok',
    });
  });

  it('GIVEN someone who may not remove there THEN undo is denied and nobody is re-added', async () => {
    const k = kit();
    await k.core.handle(k.inv('mo', 'general', '/kick @carol'));
    expect(await k.core.handle(k.inv('bob', 'general', '/kickbot undo 1'))).toMatchObject({
      status: 'error',
      results: [{ outcome: 'denied', code: 'not-allowed' }],
    });
    expect(await k.connector.members('console:general', ['console:carol'])).toEqual(new Map());
  });

  it('GIVEN an area removal THEN its manager can undo it, a global moderator cannot', async () => {
    const k = kit();
    await k.core.handle(k.inv('olga', 'general', '/remove-area payments @bob'));
    expect(await k.core.handle(k.inv('mo', 'general', '/kickbot undo 1'))).toMatchObject({ status: 'error' });
    expect(await k.core.handle(k.inv('olga', 'general', '/kickbot undo 1'))).toMatchObject({
      status: 'ok',
      summary: 'Restored 3 | Already a member 0 | Denied 0 | Failed 0',
    });
  });

  it('GIVEN an unknown case THEN a usage error names it; a case that removed nobody has nothing to undo', async () => {
    const k = kit();
    expect(await k.core.handle(k.inv('mo', 'general', '/kickbot undo 9'))).toMatchObject({
      kind: 'usage',
      message: 'there is no case 9',
    });
    await k.core.handle(k.inv('mo', 'general', '/kick @ada'));
    expect(await k.core.handle(k.inv('mo', 'general', '/kickbot undo 1'))).toEqual({
      kind: 'info',
      message: 'Case 1 removed nobody; there is nothing to undo.',
    });
  });

  it('GIVEN a connector that cannot re-add THEN undo answers unsupported', async () => {
    const k = kit();
    await k.core.handle(k.inv('mo', 'general', '/kick @bob'));
    delete k.connector.restore; // a remover without restore
    expect(await k.core.handle(k.inv('mo', 'general', '/kickbot undo 1'))).toMatchObject({
      results: [{ outcome: 'unsupported', code: 'no-undo' }],
    });
  });

  it('GIVEN cases THEN a moderator lists the latest first, optionally for one user', async () => {
    const k = kit();
    await k.core.handle(k.inv('mo', 'general', '/kick @bob spam'));
    await k.core.handle(k.inv('mo', 'general', '/kick @carol'));
    const all = await k.core.handle(k.inv('mo', 'general', '/kickbot cases'));
    expect(all.kind === 'info' && all.message.split('\n')).toEqual([
      'Cases, newest first:',
      'case 2 · 2026-11-22 12:00 UTC · mo · /kick carol from #general · removed 1',
      'case 1 · 2026-11-22 12:00 UTC · mo · /kick bob from #general · removed 1 · reason: spam',
    ]);
    const bob = await k.core.handle(k.inv('mo', 'general', '/kickbot cases @bob'));
    expect(bob.kind === 'info' && bob.message.split('\n')).toEqual([
      'Cases involving bob, newest first:',
      'case 1 · 2026-11-22 12:00 UTC · mo · /kick bob from #general · removed 1 · reason: spam',
    ]);
  });

  it('GIVEN a plain member THEN cases are refused', async () => {
    const k = kit();
    expect(await k.core.handle(k.inv('bob', 'general', '/kickbot cases'))).toMatchObject({
      kind: 'refused',
      code: 'not-allowed',
    });
  });

  it('GIVEN a 900-pair case and then a 602-pair case THEN both are listed, newest first, with their counts', async () => {
    const users = Array.from({ length: 900 }, (_, i) => `p${i}`);
    const k = kit(`
name: big
bot: kickbot
users:
  - { id: mo, roles: [moderator] }
  - { id: kickbot, roles: [bot] }
${users.map((u) => `  - { id: ${u} }`).join('\n')}
rooms:
  - { id: general, members: [mo, kickbot, ${users.join(', ')}] }
  - { id: side, members: [mo, kickbot, ${users.slice(0, 600).join(', ')}] }
`);
    const mention = (list: string[]) => list.map((u) => `@${u}`).join(' ');
    expect(await k.core.handle(k.inv('mo', 'general', `/kick ${mention(users)} --yes`))).toMatchObject({
      summary: 'Removed 900 | Not a member 0 | Denied 0 | Failed 0',
    });
    await k.core.handle(k.inv('mo', 'side', `/kick ${mention(users.slice(0, 602))} --yes`));
    const list = await k.core.handle(k.inv('mo', 'side', '/kickbot cases'));
    expect(list.kind === 'info' && list.message.split('\n')).toEqual([
      'Cases, newest first:',
      'case 2 · 2026-11-22 12:00 UTC · mo · /kick 602 users from #side · removed 600, not a member 2',
      'case 1 · 2026-11-22 12:00 UTC · mo · /kick 900 users from #general · removed 900',
    ]);
  });

  it('GIVEN 12 cases and an undo THEN pages of 10, newest first, the undone case marked, and the page as JSON data', async () => {
    const k = kit();
    for (let i = 0; i < 6; i++) {
      await k.core.handle(k.inv('mo', 'general', '/kick @bob'));
      await k.core.handle(k.inv('mo', 'general', `/kickbot undo ${2 * i + 1}`));
    }
    const first = await k.core.handle(k.inv('mo', 'general', '/kickbot cases'));
    const lines = first.kind === 'info' ? first.message.split('\n') : [];
    expect(lines[0]).toBe('Cases, newest first (page 1):');
    expect(lines.slice(1, -1).map((l) => l.split(' · ')[0])).toEqual(
      Array.from({ length: 10 }, (_, i) => `case ${12 - i}`),
    );
    expect(lines[1]).toBe('case 12 · 2026-11-22 12:00 UTC · mo · /kickbot undo 11 · re-added 1');
    expect(lines[2]).toBe(
      'case 11 · 2026-11-22 12:00 UTC · mo · /kick bob from #general · removed 1 · undone by case 12',
    );
    expect(lines.at(-1)).toBe('More: /kickbot cases page 2');

    const second = await k.core.handle(k.inv('mo', 'general', '/kickbot cases page 2'));
    expect(second).toMatchObject({
      kind: 'info',
      cases: {
        page: 2,
        more: false,
        items: [
          { case: 2, by: 'mo', command: '/kickbot undo 1', pairs: 1, counts: { restored: 1 }, undone: false },
          {
            case: 1,
            at: '2026-11-22T12:00:00.000Z',
            command: '/kick bob from #general',
            counts: { removed: 1 },
            undone: true,
            undoneBy: 2,
          },
        ],
      },
    });
    expect(await k.core.handle(k.inv('mo', 'general', '/kickbot cases page 3'))).toMatchObject({
      kind: 'info',
      message: 'There is no page 3 of cases.',
    });
  });
});
