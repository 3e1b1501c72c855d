import { describe, expect, it } from 'vitest';
import { SMALL_WORKSPACE } from '../helpers/console.js';
import { kit } from '../helpers/kit.js';

describe('/kickbot undo and /kickbot cases', () => {
  it('GIVEN a kick THEN undo re-adds the users, with their room roles, and tells the room', async () => {
    const k = kit(SMALL_WORKSPACE.replace('owners: [olga]', 'owners: [olga, ada]'));
    await k.core.handle(k.inv('ada', 'general', '/kick @bob @olga #secret spam'));
    expect(await k.connector.getRoom('console:secret')).toMatchObject({ owners: 1 });
    const reply = await k.core.handle(k.inv('ada', 'general', '/kickbot undo 1'));
    expect(reply).toMatchObject({
      kind: 'result',
      action: 'restore',
      caseId: 2,
      status: 'ok',
      summary: 'Restored 2 | Already a member 0 | Denied 0 | Failed 0',
    });
    expect(await k.connector.getRoom('console:secret')).toMatchObject({ owners: 2 });
    expect(await k.connector.getMembers('console:secret', ['console:bob', 'console:olga'])).toEqual(
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
    expect(await k.connector.getMembers('console:general', ['console:carol'])).toEqual(new Map());
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
    k.connector.capabilities = { ...k.connector.capabilities, undo: false };
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
      'Latest cases:',
      'case 2 · 2026-11-22 12:00 UTC · mo · remove: carol from #general: removed',
      'case 1 · 2026-11-22 12:00 UTC · mo · remove: bob from #general: removed · reason: spam',
    ]);
    const bob = await k.core.handle(k.inv('mo', 'general', '/kickbot cases @bob'));
    expect(bob.kind === 'info' && bob.message.split('\n')).toEqual([
      'Latest cases involving bob:',
      'case 1 · 2026-11-22 12:00 UTC · mo · remove: bob from #general: removed · reason: spam',
    ]);
  });

  it('GIVEN a plain member THEN cases are refused', async () => {
    const k = kit();
    expect(await k.core.handle(k.inv('bob', 'general', '/kickbot cases'))).toMatchObject({
      kind: 'refused',
      code: 'not-allowed',
    });
  });
});
