import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  answerInvocation,
  type ConfirmReply,
  type Id,
  type Reply,
  type ResultReply,
} from '../../src/core/index.js';
import { renderText } from '../../src/render/text.js';
import { kit } from '../helpers/kit.js';

/**
 * `/offboard` on the console: the plan first, then one case through every room the user is in (rooms the actor
 * cannot see included), DESIGN §5 rules 2 and 4–8 per pair, one notice, one line per system, and undo.
 */

const WORKSPACE = `
name: off
bot: kickbot
owner: ada
users:
  - { id: ada, roles: [admin] }
  - { id: adam, roles: [admin] }
  - { id: mo, roles: [moderator] }
  - { id: olga }
  - { id: bob }
  - { id: kickbot, roles: [bot] }
rooms:
  - { id: general, type: public, members: [ada, adam, mo, olga, bob, kickbot], owners: [ada] }
  - { id: secret, type: private, members: [olga, bob], owners: [olga] }
  - { id: bobs, type: private, members: [bob], owners: [bob] }
  - { id: lobby, type: public, members: [bob, adam], undeletable: true }
  - { id: dm, type: direct, members: [ada, bob] }
areas:
  - { id: payments, rooms: [general], members: [bob], managers: [mo] }
`;

const result = (reply: Reply): ResultReply => {
  expect(reply.kind, renderText(reply)).toBe('result');
  return reply as ResultReply;
};

function answer(k: ReturnType<typeof kit>, confirmId: string, actor: Id, yes: boolean) {
  const base = { id: `console:${randomUUID()}`, platform: 'console', workspace: 'console:off', actor };
  return k.core.handle(
    answerInvocation({ ...base, channel: 'console:general', receivedAt: 0 }, confirmId, yes),
  );
}

const outcomes = (r: ResultReply) =>
  Object.fromEntries(r.results.map((p) => [p.room, p.code ? `${p.outcome} ${p.code}` : p.outcome]));

describe('/offboard on the console', () => {
  it('GIVEN no --yes THEN the plan per system, and nothing is done until the moderator confirms', async () => {
    const k = kit(WORKSPACE);
    const reply = await k.core.handle(k.inv('ada', 'general', '/offboard @bob left the company'));
    expect(reply.kind).toBe('confirm');
    const plan = reply as ConfirmReply;
    expect(plan.systems).toEqual([
      {
        system: 'console',
        name: 'console',
        rooms: 6,
        removals: 3,
        protectedUsers: [],
        refused: { 'last-owner': 1, undeletable: 1, 'not-allowed': 1 },
        undo: true,
      },
    ]);
    expect(plan.removals).toBe(3);
    expect(renderText(plan)).toContain('console: 6 rooms, would remove 3; not removed: ');
    expect(k.connector.removals).toEqual([]);
    expect(await k.store.readAudit({})).toEqual([]);

    const ran = result(await answer(k, plan.confirmId, 'console:ada', true));
    expect(ran.action).toBe('offboard');
    expect(outcomes(ran)).toEqual({
      'console:general': 'removed',
      'console:secret': 'removed',
      'console:group/payments': 'removed',
      'console:bobs': 'denied last-owner',
      'console:lobby': 'unsupported undeletable',
      'console:dm': 'unsupported not-allowed',
    });
  });

  it('GIVEN --yes THEN one case, rooms the actor cannot see included, one audit record per pair, one notice', async () => {
    const k = kit(WORKSPACE);
    const ran = result(await k.core.handle(k.inv('ada', 'general', '/offboard @bob left --yes')));
    expect(ran.results.find((r) => r.room === 'console:secret')?.outcome).toBe('removed'); // ada is not in #secret
    expect(ran.summary).toBe('Removed 3 | Not a member 0 | Denied 1 | Failed 0 | Unsupported 2');
    expect(ran.systems).toEqual([
      expect.objectContaining({ system: 'console', summary: ran.summary, undo: true }),
    ]);
    const audit = await k.store.readAudit({});
    expect(audit).toHaveLength(6);
    expect(new Set(audit.map((r) => r.caseId))).toEqual(new Set([ran.caseId]));
    expect(new Set(audit.map((r) => r.action))).toEqual(new Set(['offboard']));
    expect(new Set(audit.map((r) => r.room)).size).toBe(6);
    expect(k.notices).toEqual([
      {
        room: 'console:general',
        text: `bob was offboarded by ada (reason: left) · case ${ran.caseId} · ${ran.summary}`,
      },
    ]);
  });

  it('GIVEN the same invocation delivered twice THEN the second gets the first reply and no second case', async () => {
    const k = kit(WORKSPACE);
    const inv = k.inv('ada', 'general', '/offboard @bob --yes', 'offboard-bob-1');
    const first = result(await k.core.handle(inv));
    const again = await k.core.handle(inv);
    expect(again).toMatchObject({ kind: 'result', caseId: first.caseId, redelivered: true });
    expect(await k.store.readAudit({})).toHaveLength(6);
  });

  it.each([
    ['a moderator without offboard-user', 'mo', '/offboard @bob --yes', /offboard-user permission/],
    ['a user', 'bob', '/offboard @olga --yes', /offboard-user permission/],
  ])('GIVEN %s THEN refused as a whole, nothing recorded', async (_what, as, line, message) => {
    const k = kit(WORKSPACE);
    const reply = await k.core.handle(k.inv(as, 'general', line));
    expect(reply).toMatchObject({
      kind: 'refused',
      code: 'not-allowed',
      message: expect.stringMatching(message),
    });
    expect(await k.store.readAudit({})).toEqual([]);
  });

  it.each([
    ['the owner', 'adam', '@ada', 'denied protected'],
    ['the bot', 'ada', '@kickbot', 'denied protected'],
    ['themself', 'ada', '@ada', 'denied self'],
    ['an admin, by a moderator holding offboard-user', 'mo', '@adam', 'denied protected'],
  ])('GIVEN %s as the target THEN every pair is refused', async (_what, as, target, expected) => {
    const k = kit(`${WORKSPACE}permissions:\n  offboard-user: [admin, moderator]\n`);
    const ran = result(await k.core.handle(k.inv(as, 'general', `/offboard ${target} --yes`)));
    const rooms = ran.results.filter((r) => r.room !== 'console:lobby' && r.room !== 'console:dm');
    expect(new Set(rooms.map((r) => `${r.outcome} ${r.code}`))).toEqual(new Set([expected]));
    expect(k.connector.removals).toEqual([]);
  });

  it.each([
    ['/offboard @nobody --yes', /unknown user @?nobody/i],
    ['/offboard @bob #general --yes', /takes no rooms/],
    ['/offboard --yes', /name at least one user/],
    ['/offboard @bob --for 2h', /an offboarding cannot be timed/],
  ])('GIVEN "%s" THEN a usage error that says what is wrong', async (line, message) => {
    const k = kit(WORKSPACE);
    const reply = await k.core.handle(k.inv('ada', 'general', line));
    expect(reply).toMatchObject({ kind: 'usage', message: expect.stringMatching(message) });
  });

  it('GIVEN an offboarding case THEN /kickbot undo re-adds everywhere it can, one line per system', async () => {
    const k = kit(WORKSPACE);
    const ran = result(await k.core.handle(k.inv('ada', 'general', '/offboard @bob --yes')));
    const undo = result(await k.core.handle(k.inv('ada', 'general', `/kickbot undo ${ran.caseId}`)));
    expect(undo.summary).toBe('Restored 3 | Already a member 0 | Denied 0 | Failed 0');
    expect(undo.systems).toEqual([
      expect.objectContaining({ system: 'console', summary: undo.summary, undo: true }),
    ]);
    expect(renderText(undo)).toContain(`console: ${undo.summary}`);
    const again = result(await k.core.handle(k.inv('ada', 'general', '/offboard @bob --yes')));
    expect(again.summary).toMatch(/^Removed 3 \|/);
  });

  it('GIVEN a moderator without offboard-user THEN they cannot undo an offboarding either', async () => {
    const k = kit(`${WORKSPACE}permissions:\n  remove-user: [admin, owner, moderator]\n`);
    const ran = result(await k.core.handle(k.inv('ada', 'general', '/offboard @bob --yes')));
    const undo = result(await k.core.handle(k.inv('mo', 'general', `/kickbot undo ${ran.caseId}`)));
    expect(new Set(undo.results.map((r) => `${r.outcome} ${r.code}`))).toEqual(
      new Set(['denied not-allowed']),
    );
  });
});
