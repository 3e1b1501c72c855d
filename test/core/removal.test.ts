import { describe, expect, it } from 'vitest';
import { SMALL_WORKSPACE } from '../helpers/console.js';
import { kit } from '../helpers/kit.js';

describe('removal: outcomes, summary, notices and the audit log', () => {
  it('GIVEN a kick THEN the room is told who removed whom and why, with the case number', async () => {
    const k = kit();
    const reply = await k.core.handle(k.inv('mo', 'general', '/kick @bob @carol spam and scams'));
    expect(reply).toMatchObject({
      kind: 'result',
      caseId: 1,
      status: 'ok',
      summary: 'Removed 2 | Not a member 0 | Denied 0 | Failed 0',
    });
    expect(k.notices).toEqual([
      {
        room: 'console:general',
        text: '#general: bob and carol were removed by mo (reason: spam and scams) · case 1',
      },
    ]);
  });

  it('GIVEN every pair of an invocation THEN each has an audit record with case, actor, target, room, reason, outcome and time', async () => {
    const k = kit();
    const inv = k.inv('mo', 'general', '/kick @bob @ada @carol #general #secret spam');
    const reply = await k.core.handle(inv);
    expect(reply).toMatchObject({ kind: 'result', status: 'partial' });
    const records = await k.store.readAudit({ workspace: inv.workspace });
    expect(records).toHaveLength(6);
    for (const r of records) {
      expect(r).toMatchObject({
        caseId: 1,
        action: 'remove',
        actor: 'console:mo',
        reason: 'spam',
        invocation: inv.id,
        at: k.clock.now(),
      });
    }
    const byPair = Object.fromEntries(records.map((r) => [`${r.room} ${r.target}`, [r.outcome, r.code]]));
    expect(byPair).toEqual({
      'console:general console:bob': ['removed', undefined],
      'console:general console:carol': ['removed', undefined],
      'console:general console:ada': ['denied', 'protected'],
      'console:secret console:bob': ['denied', 'room-not-found'],
      'console:secret console:ada': ['denied', 'room-not-found'],
      'console:secret console:carol': ['denied', 'room-not-found'],
    });
  });

  it('GIVEN only refusals THEN the status is error and nobody is told in the room', async () => {
    const k = kit();
    const reply = await k.core.handle(k.inv('mo', 'general', '/kick @ada'));
    expect(reply).toMatchObject({
      status: 'error',
      results: [{ outcome: 'denied', code: 'protected', hint: 'the workspace owner cannot be removed' }],
    });
    expect(k.notices).toEqual([]);
  });

  it('GIVEN rooms where removal is impossible THEN the outcome is unsupported with the reason', async () => {
    const k = kit();
    const reply = await k.core.handle(k.inv('ada', 'general', '/kick @bob #lobby #dm'));
    expect(reply).toMatchObject({
      status: 'error',
      results: [
        { room: 'console:lobby', outcome: 'unsupported', code: 'undeletable' },
        { room: 'console:dm', outcome: 'unsupported', code: 'not-allowed' },
      ],
      summary: 'Removed 0 | Not a member 0 | Denied 0 | Failed 0 | Unsupported 2',
    });
    expect(k.connector.removals).toEqual([]);
  });

  it('GIVEN a target who is not a member THEN not_member without a platform call', async () => {
    const k = kit();
    const reply = await k.core.handle(k.inv('ada', 'general', '/kick @carol #secret'));
    expect(reply).toMatchObject({ status: 'ok', results: [{ outcome: 'not_member' }] });
    expect(k.connector.removals).toEqual([]);
  });

  it('GIVEN case numbers THEN they go up per invocation', async () => {
    const k = kit();
    await k.core.handle(k.inv('mo', 'general', '/kick @bob'));
    expect(await k.core.handle(k.inv('mo', 'general', '/kick @carol'))).toMatchObject({ caseId: 2 });
  });

  it('GIVEN /remove-area by its manager THEN every room of the area and its group, with per-area results', async () => {
    const k = kit();
    const reply = await k.core.handle(
      k.inv('olga', 'general', '/remove-area payments @bob @carol left the team'),
    );
    expect(reply).toMatchObject({
      kind: 'result',
      status: 'ok',
      areas: [{ area: 'payments', users: ['console:bob', 'console:carol'], usersNotUpdated: [], errors: [] }],
      summary: 'Removed 5 | Not a member 1 | Denied 0 | Failed 0',
    });
    expect(k.notices.map((n) => n.text)).toEqual([
      '#general: bob and carol were removed by olga (reason: left the team) · case 1',
      '#secret: bob was removed by olga (reason: left the team) · case 1',
      'payments (group): bob and carol were removed by olga (reason: left the team) · case 1',
    ]);
  });

  it('GIVEN /remove-area by a moderator who is not its manager THEN every pair is denied not-allowed', async () => {
    const k = kit();
    const reply = await k.core.handle(k.inv('mo', 'general', '/remove-area payments @bob'));
    expect(reply).toMatchObject({
      status: 'error',
      areas: [{ area: 'payments', users: [], errors: [{}, {}, {}] }],
    });
    expect(
      reply.kind === 'result' &&
        reply.results.every((r) => r.outcome === 'denied' && r.code === 'not-allowed'),
    ).toBe(true);
  });

  it('GIVEN a user in no room of the area THEN they are in usersNotUpdated', async () => {
    const k = kit();
    await k.core.handle(k.inv('olga', 'general', '/remove-area payments @bob'));
    const again = await k.core.handle(k.inv('olga', 'general', '/remove-area payments @bob'));
    expect(again).toMatchObject({
      status: 'ok',
      areas: [{ users: [], usersNotUpdated: ['console:bob'], errors: [] }],
    });
  });

  it('GIVEN batches with ";" THEN each area gets its own results', async () => {
    const yaml = SMALL_WORKSPACE.replace(
      'areas:\n',
      'areas:\n  - { id: ops, rooms: [general], managers: [olga] }\n',
    );
    const k = kit(yaml);
    const reply = await k.core.handle(k.inv('olga', 'general', '/remove-area payments @bob; ops @carol'));
    expect(reply.kind === 'result' && reply.areas?.map((a) => [a.area, a.users])).toEqual([
      ['payments', ['console:bob']],
      ['ops', ['console:carol']],
    ]);
  });

  it('GIVEN /leave THEN the actor leaves and the room is told', async () => {
    const k = kit();
    const reply = await k.core.handle(k.inv('bob', 'general', '/leave'));
    expect(reply).toMatchObject({
      kind: 'result',
      action: 'leave',
      results: [{ user: 'console:bob', outcome: 'removed' }],
    });
    expect(k.notices).toEqual([{ room: 'console:general', text: '#general: bob left · case 1' }]);
    expect(k.connector.removals[0]).toMatchObject({ self: true });
  });

  it('GIVEN the last owner THEN they cannot leave', async () => {
    const k = kit();
    expect(await k.core.handle(k.inv('olga', 'general', '/leave #secret'))).toMatchObject({
      status: 'error',
      results: [{ outcome: 'denied', code: 'last-owner' }],
    });
  });

  it('GIVEN a public room the actor is not in THEN /leave answers not_member; a private one room-not-found', async () => {
    const k = kit(
      SMALL_WORKSPACE.replace('rooms:\n', 'rooms:\n  - { id: quiet, type: public, members: [ada] }\n'),
    );
    expect(await k.core.handle(k.inv('carol', 'general', '/leave #quiet'))).toMatchObject({
      results: [{ outcome: 'not_member' }],
    });
    expect(await k.core.handle(k.inv('carol', 'general', '/leave #secret'))).toMatchObject({
      results: [{ outcome: 'denied', code: 'room-not-found' }],
    });
    expect(await k.core.handle(k.inv('carol', 'general', '/leave #lobby'))).toMatchObject({
      results: [{ outcome: 'unsupported', code: 'undeletable' }],
    });
  });

  it('GIVEN a console room that exists nowhere THEN a usage error naming it, nothing done and no case; a private room the actor cannot see stays room-not-found', async () => {
    const k = kit();
    expect(await k.core.handle(k.inv('mo', 'general', '/kick @bob #nowhere #secret'))).toMatchObject({
      kind: 'usage',
      message: 'no room #nowhere in this workspace',
    });
    expect(k.connector.removals).toEqual([]);
    expect(await k.store.readAudit({})).toEqual([]);
    const reply = await k.core.handle(k.inv('mo', 'general', '/kick @bob #secret'));
    expect(reply).toMatchObject({
      caseId: 1,
      results: [{ room: 'console:secret', outcome: 'denied', code: 'room-not-found' }],
    });
  });
});
