import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { answerInvocation } from '../../src/core/invocation.js';
import type { ConfirmReply } from '../../src/core/reply.js';
import { renderText } from '../../src/render/text.js';
import { kit } from '../helpers/kit.js';

const CROWD = `
name: crowd
bot: kickbot
owner: boss
users:
  - { id: mo, roles: [moderator] }
  - { id: boss, roles: [admin] }
  - { id: kickbot, roles: [bot] }
${Array.from({ length: 12 }, (_, i) => `  - { id: u${i} }`).join('\n')}
rooms:
  - { id: general, type: public, members: [mo, boss, kickbot, ${Array.from({ length: 11 }, (_, i) => `u${i}`).join(', ')}] }
`;
const eleven = Array.from({ length: 11 }, (_, i) => `@u${i}`).join(' ');

/** The moderator (or someone else) answers a prompt: one invocation with an `answer` input, each with its own id. */
function answer(k: ReturnType<typeof kit>, confirmId: string, actor: string, yes: boolean) {
  const base = { id: `console:${randomUUID()}`, platform: 'console', workspace: 'console:test', actor };
  return k.core.handle(
    answerInvocation({ ...base, channel: 'console:general', receivedAt: 0 }, confirmId, yes),
  );
}

async function prompt(k: ReturnType<typeof kit>, line = `/kick ${eleven} spam`): Promise<ConfirmReply> {
  const reply = await k.core.handle(k.inv('mo', 'general', line));
  expect(reply.kind).toBe('confirm');
  return reply as ConfirmReply;
}

describe('confirmation of big batches', () => {
  it('GIVEN 10 removals THEN they run without asking (the threshold is "more than 10")', async () => {
    const k = kit(CROWD);
    const ten = Array.from({ length: 10 }, (_, i) => `@u${i}`).join(' ');
    expect(await k.core.handle(k.inv('mo', 'general', `/kick ${ten}`))).toMatchObject({ kind: 'result' });
  });

  it('GIVEN 11 removals THEN nothing is removed and the prompt shows the plan', async () => {
    const k = kit(CROWD);
    const reply = await prompt(k, `/kick ${eleven} @u11 @boss spam`);
    expect(reply).toMatchObject({
      removals: 11,
      notMember: 1,
      refused: [{ user: 'console:boss', outcome: 'denied', code: 'protected' }],
    });
    expect(reply.message).toBe(
      'This would remove 11 (room, user) pairs; 1 already absent; 1 refused. Batches over 10 need a confirmation.',
    );
    expect(k.connector.removals).toEqual([]);
    expect(await k.store.readAudit({ workspace: 'console:crowd' })).toEqual([]);
  });

  it('GIVEN 11 removals, one absent, one protected THEN the prompt names who goes from where, who is absent, who is refused and why', async () => {
    const k = kit(CROWD);
    const reply = await prompt(k, `/kick ${eleven} @u11 @boss spam`);
    expect(reply.removing).toEqual([
      { room: 'console:general', users: Array.from({ length: 11 }, (_, i) => `console:u${i}`), more: 0 },
    ]);
    expect(reply.absent).toEqual([{ room: 'console:general', users: ['console:u11'], more: 0 }]);
    expect(renderText(reply).split('\n')).toEqual([
      reply.message,
      '  Would remove from #general: u0, u1, u2, u3, u4, u5, u6, u7, u8, u9, u10',
      '  Already absent from #general: u11',
      '  ✗ boss in #general: denied (protected): the workspace owner cannot be removed',
    ]);
  });

  it('GIVEN 30 removals in each of two rooms THEN the prompt names 20 per room and counts the others', async () => {
    const users = Array.from({ length: 30 }, (_, i) => `v${i}`);
    const k = kit(`
name: many
bot: kickbot
users:
  - { id: mo, roles: [admin] }
  - { id: kickbot, roles: [bot] }
${users.map((u) => `  - { id: ${u} }`).join('\n')}
rooms:
  - { id: a, members: [mo, ${users.join(', ')}] }
  - { id: b, members: [mo, ${users.join(', ')}] }
`);
    const reply = await k.core.handle(k.inv('mo', 'a', `/kick ${users.map((u) => `@${u}`).join(' ')} #a #b`));
    const lines = renderText(reply).split('\n');
    const twenty = users.slice(0, 20).join(', ');
    expect(lines.slice(1)).toEqual([
      `  Would remove from #a: ${twenty} and 10 more`,
      `  Would remove from #b: ${twenty} and 10 more`,
    ]);
  });

  it('GIVEN the prompt THEN its moderator confirms it once, and the batch runs', async () => {
    const k = kit(CROWD);
    const { confirmId } = await prompt(k);
    const ran = await answer(k, confirmId, 'console:mo', true);
    expect(ran).toMatchObject({
      kind: 'result',
      summary: 'Removed 11 | Not a member 0 | Denied 0 | Failed 0',
    });
    expect(await answer(k, confirmId, 'console:mo', true)).toMatchObject({
      kind: 'refused',
      code: 'expired',
    });
    expect(k.connector.removals).toHaveLength(11);
  });

  it('GIVEN the prompt THEN anyone else is refused and the prompt stays for its moderator', async () => {
    const k = kit(CROWD);
    const { confirmId } = await prompt(k);
    expect(await answer(k, confirmId, 'console:boss', true)).toMatchObject({
      kind: 'refused',
      code: 'not-yours',
    });
    expect(await answer(k, confirmId, 'console:boss', false)).toMatchObject({
      kind: 'refused',
      code: 'not-yours',
    });
    expect(k.connector.removals).toEqual([]);
    expect(await answer(k, confirmId, 'console:mo', true)).toMatchObject({ kind: 'result' });
  });

  it('GIVEN the prompt has expired THEN confirming does nothing', async () => {
    const k = kit(CROWD);
    const { confirmId } = await prompt(k);
    k.clock.advance(5 * 60_000 + 1);
    expect(await answer(k, confirmId, 'console:mo', true)).toMatchObject({
      kind: 'refused',
      code: 'expired',
    });
    expect(k.connector.removals).toEqual([]);
  });

  it('GIVEN a cancel THEN nothing is removed and the prompt is gone', async () => {
    const k = kit(CROWD);
    const { confirmId } = await prompt(k);
    expect(await answer(k, confirmId, 'console:mo', false)).toEqual({
      kind: 'info',
      message: 'Cancelled; nobody was removed.',
    });
    expect(await answer(k, confirmId, 'console:mo', true)).toMatchObject({
      kind: 'refused',
      code: 'expired',
    });
    expect(k.connector.removals).toEqual([]);
  });

  it('GIVEN two confirms racing THEN the batch runs once', async () => {
    const k = kit(CROWD);
    const { confirmId } = await prompt(k);
    const replies = await Promise.all([
      answer(k, confirmId, 'console:mo', true),
      answer(k, confirmId, 'console:mo', true),
    ]);
    expect(replies.map((r) => r.kind).sort()).toEqual(['refused', 'result']);
    expect(k.connector.removals).toHaveLength(11);
  });

  it('GIVEN --yes THEN a big batch runs at once', async () => {
    const k = kit(CROWD);
    expect(await k.core.handle(k.inv('mo', 'general', `/kick ${eleven} --yes spam`))).toMatchObject({
      kind: 'result',
    });
    expect(k.connector.removals).toHaveLength(11);
  });

  it('GIVEN a lower threshold in the settings THEN it applies', async () => {
    const k = kit(CROWD, { confirmThreshold: 1 });
    expect(await k.core.handle(k.inv('mo', 'general', '/kick @u0 @u1'))).toMatchObject({
      kind: 'confirm',
      removals: 2,
    });
  });
});
