import { afterEach, describe, expect, it } from 'vitest';
import { ConnectorError, type Invocation, type ResultReply } from '../../../src/core/index.js';
import { slackId, workspaceId } from '../../../src/platforms/slack/ids.js';
import { FakeSlack } from '../../fakes/slack/FakeSlack.js';
import { slackCore } from '../../helpers/slack-core.js';
import { T, WORKSPACE } from '../../helpers/slack-rig.js';

/** Direct messages on Slack (chat.postMessage with the user's id as the channel), against the fake Web API. */

let fake: FakeSlack | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function start() {
  fake = await FakeSlack.start({
    ...WORKSPACE,
    users: [
      ...(WORKSPACE.users ?? []).map((u) => (u.id === 'U0CAROL' ? { ...u, messages_tab_disabled: true } : u)),
      { id: 'U0HELPER', name: 'helper-bot', is_bot: true },
    ],
  });
  return { fake, ...slackCore({ apiUrl: fake.apiUrl }) };
}

let seq = 0;
const kick = (text: string): Invocation => ({
  id: `slack:trigger-${++seq}`,
  platform: 'slack',
  workspace: workspaceId(T),
  actor: slackId(T, 'U0MOD'),
  channel: slackId(T, 'C0RANDOM'),
  command: 'kick',
  input: { text },
  receivedAt: Date.now(),
});

describe('Slack: telling the removed person', () => {
  it('GIVEN /kick --dm THEN bob gets a message in his IM with the bot before the kick, pinging no one', async () => {
    const s = await start();
    const reply = (await s.core.handle(kick('<@U0BOB|bob> spam <!channel> --dm'))) as ResultReply;
    expect(reply).toMatchObject({ kind: 'result', status: 'ok' });
    expect(reply.note).toBeUndefined();
    const dm = s.fake.messages.find((m) => m.channel === 'D0BOB');
    expect(dm?.text).toMatch(
      /^You are being removed from <#C0RANDOM> by <@U0MOD> \(reason: spam .*\) · case 1$/,
    );
    expect(dm?.text).not.toContain('<!channel>');
    const calls = s.fake.calls.map((c) => `${c.method} ${String(c.args.channel ?? c.args.user ?? '')}`);
    const dmAt = calls.indexOf('chat.postMessage U0BOB');
    expect(dmAt).toBeGreaterThanOrEqual(0);
    expect(calls.findIndex((c) => c.startsWith('conversations.kick'))).toBeGreaterThan(dmAt);
  });

  it('GIVEN someone with the Messages tab off THEN the kick still happens and the reply notes the DM (dm-closed)', async () => {
    const s = await start();
    const reply = (await s.core.handle(kick('<@U0CAROL> spam --dm'))) as ResultReply;
    expect(reply).toMatchObject({
      status: 'ok',
      summary: 'Removed 1 | Not a member 0 | Denied 0 | Failed 0',
    });
    expect(reply.note).toBe(
      'Direct message not delivered to <@U0CAROL> (they accept no direct messages); the removal went ahead.',
    );
    expect(s.fake.channels.get('C0RANDOM')?.members).not.toContain('U0CAROL');
    const events = await s.store.readCaseEvents(workspaceId(T), 1);
    expect(events.find((e) => e.kind === 'dm')).toMatchObject({ ok: false, code: 'dm-closed' });
  });

  it('GIVEN a bot user THEN Slack says cannot_dm_bot, and the directory throws that code', async () => {
    const s = await start();
    const error = await s.connector.directory.dm?.(slackId(T, 'U0HELPER'), 'hi').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectorError);
    expect((error as ConnectorError).code).toBe('cannot_dm_bot');
  });
});
