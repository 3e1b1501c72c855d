import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/core/index.js';
import { createSlackFront, type SlackFront } from '../../../src/platforms/slack/SlackFront.js';
import { FakeSlack, type FakeUser } from '../../fakes/slack/FakeSlack.js';
import { blockActionsPayload, slashCommandFields } from '../../fakes/slack/signer.js';
import { slackCore } from '../../helpers/slack-core.js';
import { TOKEN, WORKSPACE } from '../../helpers/slack-rig.js';

interface Answer {
  response_type?: string;
  replace_original?: boolean;
  text: string;
  blocks?: { type: string; elements?: { action_id?: string; value?: string }[] }[];
}

let fake: FakeSlack | undefined;
let front: SlackFront | undefined;
afterEach(async () => {
  await front?.stop();
  await fake?.close();
  front = undefined;
  fake = undefined;
});

/** The fake Slack and kickbot's front in Socket Mode, connected. */
async function connect(users: FakeUser[] = []): Promise<{ fake: FakeSlack; front: SlackFront }> {
  const extra = users.map((u) => u.id);
  const f = await FakeSlack.start({
    ...WORKSPACE,
    users: [...(WORKSPACE.users ?? []), ...users],
    channels: (WORKSPACE.channels ?? []).map((c) =>
      c.id === 'C0RANDOM' ? { ...c, members: [...c.members, ...extra] } : c,
    ),
  });
  fake = f;
  const { core } = slackCore({ apiUrl: f.apiUrl });
  const fr = createSlackFront({
    core,
    logger: silentLogger,
    botToken: TOKEN,
    appToken: f.appToken,
    apiUrl: f.apiUrl,
  });
  front = fr;
  expect(fr.listener).toBeUndefined(); // nothing to mount: Slack talks over the socket
  await fr.start();
  return { fake: f, front: fr };
}

describe('Slack front end in Socket Mode', () => {
  it('GIVEN an app token WHEN started THEN it connects through apps.connections.open; a /kick envelope is acked with "Working on", the kick happens, the result goes to response_url; stop closes the socket', async () => {
    const { fake: f, front: fr } = await connect();
    expect(f.openSockets()).toHaveLength(1);
    const open = f.callsTo('apps.connections.open');
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ token: f.appToken, ok: true });

    const order: string[] = [];
    f.on('ack', () => order.push('ack'));
    f.on(
      'call',
      (c) => ['conversations.kick', 'chat.postMessage'].includes(c.method) && order.push(c.method),
    );
    f.on('response', () => order.push('response_url'));
    const responseUrl = f.responseUrl();
    const ack = await f.sendEnvelope(
      'slash_commands',
      slashCommandFields({
        command: '/kick',
        text: '<@U0BOB|bob> spam',
        user_id: 'U0MOD',
        channel_id: 'C0RANDOM',
        response_url: responseUrl,
      }),
    );
    expect(ack.payload).toEqual({
      response_type: 'ephemeral',
      text: 'Working on `/kick <@U0BOB|bob> spam`…',
    });

    const res = await f.waitForResponse(responseUrl, 5_000);
    const kicks = f.callsTo('conversations.kick');
    expect(kicks).toHaveLength(1);
    expect(kicks[0]).toMatchObject({ args: { channel: 'C0RANDOM', user: 'U0BOB' }, token: TOKEN, ok: true });
    expect(f.isMember('C0RANDOM', 'U0BOB')).toBe(false);
    expect(f.callsTo('chat.postMessage').map((c) => c.args.text)).toEqual([
      '<#C0RANDOM>: <@U0BOB> was removed by <@U0MOD> (reason: spam) · case 1',
    ]);
    const a = res.body as Answer;
    expect(a.response_type).toBe('ephemeral');
    expect(a.text).toContain('Removed 1 | Not a member 0 | Denied 0 | Failed 0 · case 1');
    expect(a.blocks?.length).toBeGreaterThan(0);
    // the ack came back on the socket before the kick, which came before the result
    expect(order).toEqual(['ack', 'conversations.kick', 'chat.postMessage', 'response_url']);

    await fr.stop();
    await f.waitFor(() => f.openSockets().length === 0, 2_000, 'the socket to close');
    expect(f.openSockets()).toHaveLength(0);
  });

  it('GIVEN an unknown command over the socket THEN the ack carries the polite usage text and nothing runs', async () => {
    const { fake: f } = await connect();
    const ack = await f.sendEnvelope(
      'slash_commands',
      slashCommandFields({ command: '/frobnicate', user_id: 'U0MOD', channel_id: 'C0RANDOM' }),
    );
    expect(ack.payload).toEqual({
      response_type: 'ephemeral',
      text: 'kickbot does not know /frobnicate. Try /kickbot help.',
    });
    // a help command after it as a barrier: once its answer is back, the unknown command has had its turn
    const responseUrl = f.responseUrl();
    await f.sendEnvelope(
      'slash_commands',
      slashCommandFields({ command: '/kickbot', text: 'help', user_id: 'U0MOD', response_url: responseUrl }),
    );
    expect(((await f.waitForResponse(responseUrl, 5_000)).body as Answer).text).toContain(
      'kickbot commands:',
    );
    expect(f.calls.filter((c) => c.method !== 'apps.connections.open')).toHaveLength(0);
    expect(f.responses).toHaveLength(1);
  });

  it('GIVEN a big batch over the socket THEN the prompt comes with buttons, and an interactive envelope of the Confirm click runs it', async () => {
    const users: FakeUser[] = Array.from({ length: 11 }, (_, i) => ({ id: `U0S${i + 10}`, name: `s${i}` }));
    const { fake: f } = await connect(users);
    const responseUrl = f.responseUrl();
    await f.sendEnvelope(
      'slash_commands',
      slashCommandFields({
        command: '/kick',
        text: users.map((u) => `<@${u.id}>`).join(' '),
        user_id: 'U0MOD',
        channel_id: 'C0RANDOM',
        response_url: responseUrl,
      }),
    );
    const prompt = (await f.waitForResponse(responseUrl, 5_000)).body as Answer;
    const buttons = prompt.blocks?.find((b) => b.type === 'actions')?.elements ?? [];
    expect(buttons.map((b) => b.action_id)).toEqual(['kickbot_confirm', 'kickbot_cancel']);
    expect(f.callsTo('conversations.kick')).toHaveLength(0);

    const clickUrl = f.responseUrl();
    const ack = await f.sendEnvelope(
      'interactive',
      blockActionsPayload({
        action_id: 'kickbot_confirm',
        value: buttons[0]?.value ?? '',
        user: { id: 'U0MOD' },
        channel: { id: 'C0RANDOM' },
        response_url: clickUrl,
        ephemeral: true,
      }),
    );
    expect(ack.envelope_id).toEqual(expect.any(String));
    const done = (await f.waitForResponse(clickUrl, 5_000)).body as Answer;
    expect(done.replace_original).toBe(true);
    expect(done.text).toContain('Removed 11 |');
    expect(f.callsTo('conversations.kick')).toHaveLength(11);
  });
});
