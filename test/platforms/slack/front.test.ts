import { afterEach, describe, expect, it } from 'vitest';
import { MemoryStore } from '../../../src/store/MemoryStore.js';
import type { FakeSlackOptions, FakeUser, RecordedResponse } from '../../fakes/slack/FakeSlack.js';
import {
  blockActionsBody,
  formBody,
  postSigned,
  slashCommandBody,
  triggerId,
} from '../../fakes/slack/signer.js';
import { FakeClock } from '../../helpers/clock.js';
import { SECRET, type SlackRig, slackRig, T, WORKSPACE } from '../../helpers/slack-rig.js';

/** What kickbot posts to a response_url. */
interface Answer {
  response_type?: string;
  replace_original?: boolean;
  text: string;
  blocks?: Block[];
}
interface Block {
  type: string;
  text?: { type: string; text: string };
  elements?: { type: string; action_id?: string; value?: string; text?: unknown; style?: string }[];
}

const answer = (r: RecordedResponse) => r.body as Answer;
const blockText = (a: Answer) => JSON.stringify(a.blocks ?? []);
const responsesTo = (rig: SlackRig, url: string) =>
  rig.fake.responses.filter((r) => `${rig.fake.url}/response/${r.id}` === url);

let rig: SlackRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

/**
 * `/kickbot help` as a barrier: it makes no Web API call, and once its answer is back every request sent
 * before it has been handled. A request that was refused must leave no call and no response behind it.
 */
async function barrier(r: SlackRig): Promise<RecordedResponse> {
  const { ack, result } = await r.command('/kickbot', 'help');
  expect(ack.status).toBe(200);
  const help = await result();
  expect(answer(help).text).toContain('kickbot commands:');
  return help;
}

describe('Slack front end: /kick end to end', () => {
  it('GIVEN a signed /kick THEN a 200 ephemeral ack, conversations.kick, a room confirmation, then the Block Kit result on response_url', async () => {
    rig = await slackRig();
    const events: string[] = [];
    rig.fake.on('call', (c) => events.push(c.method));
    rig.fake.on('response', () => events.push('response_url'));

    const { ack, result } = await rig.command('/kick', '<@U0BOB|bob> spam');
    events.push('ack');
    expect(ack.status).toBe(200);
    expect(ack.headers.get('content-type')).toContain('application/json');
    expect(ack.json).toEqual({
      response_type: 'ephemeral',
      text: 'Working on `/kick <@U0BOB|bob> spam`…',
    });

    const res = await result();
    const kicks = rig.fake.callsTo('conversations.kick');
    expect(kicks).toHaveLength(1);
    expect(kicks[0]).toMatchObject({
      args: { channel: 'C0RANDOM', user: 'U0BOB' },
      token: 'xoxb-test-bot-token',
      ok: true,
    });
    expect(rig.fake.isMember('C0RANDOM', 'U0BOB')).toBe(false);
    expect(rig.fake.callsTo('chat.postMessage').map((c) => c.args)).toMatchObject([
      { channel: 'C0RANDOM', text: '<#C0RANDOM>: <@U0BOB> was removed by <@U0MOD> (reason: spam) · case 1' },
    ]);
    // ack → kick → room confirmation → result, in that order
    expect(
      events.filter((e) => ['ack', 'conversations.kick', 'chat.postMessage', 'response_url'].includes(e)),
    ).toEqual(['ack', 'conversations.kick', 'chat.postMessage', 'response_url']);

    const a = answer(res);
    expect(res.contentType).toContain('application/json');
    expect(a.response_type).toBe('ephemeral');
    expect(a.replace_original).toBe(false);
    expect(a.text).toContain('✓ <@U0BOB> removed from <#C0RANDOM>');
    expect(a.text).toContain('Removed 1 | Not a member 0 | Denied 0 | Failed 0 · case 1');
    expect(a.blocks?.[0]).toEqual({
      type: 'section',
      text: { type: 'mrkdwn', text: '*Removed 1 | Not a member 0 | Denied 0 | Failed 0*' },
    });
    expect(blockText(a)).toContain('✓ <@U0BOB> removed from <#C0RANDOM>');
    expect(a.blocks?.at(-1)?.type).toBe('context');
    expect(blockText(a)).toContain('/kickbot undo 1');
    // one answer per command: no progress messages for a single removal
    expect(rig.fake.responses).toHaveLength(1);
  });

  it('GIVEN the Web API answers conversations.kick in 2 s THEN the HTTP ack comes back before the kick is answered', async () => {
    rig = await slackRig();
    rig.fake.delay('conversations.kick', 2_000);
    const order: string[] = [];
    rig.fake.on('request', (c) => c.method === 'conversations.kick' && order.push('kick asked'));
    rig.fake.on('call', (c) => c.method === 'conversations.kick' && order.push('kick answered'));

    const { ack, result } = await rig.command('/kick', '<@U0BOB|bob> slow');
    order.push('ack');
    expect(ack.status).toBe(200);
    expect(ack.json).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringContaining('Working on'),
    });
    expect(rig.fake.callsTo('conversations.kick').every((c) => c.status === undefined)).toBe(true);

    const res = await result();
    expect(answer(res).text).toContain('Removed 1 |');
    expect(order.indexOf('ack')).toBeGreaterThanOrEqual(0);
    expect(order.indexOf('ack')).toBeLessThan(order.indexOf('kick answered'));
    expect(order.filter((e) => e === 'kick answered')).toHaveLength(1);
  });

  it('GIVEN more slow commands than the work queue runs at once THEN every one is acked at once, at most 4 run together, and all finish', async () => {
    const users: FakeUser[] = Array.from({ length: 6 }, (_, i) => ({ id: `U0Q${i + 10}`, name: `q${i}` }));
    rig = await slackRig({
      fake: {
        ...WORKSPACE,
        users: [...(WORKSPACE.users ?? []), ...users],
        channels: (WORKSPACE.channels ?? []).map((c) =>
          c.id === 'C0RANDOM' ? { ...c, members: [...c.members, ...users.map((u) => u.id)] } : c,
        ),
      },
    });
    rig.fake.delay('conversations.kick', 1_000);
    let inFlight = 0;
    let most = 0;
    let answered = 0;
    rig.fake.on('request', (c) => {
      if (c.method !== 'conversations.kick') return;
      inFlight++;
      most = Math.max(most, inFlight);
    });
    rig.fake.on('call', (c) => {
      if (c.method !== 'conversations.kick') return;
      inFlight--;
      answered++;
    });

    const sent = [];
    for (const u of users) {
      const command = await rig.command('/kick', `<@${u.id}> queue`);
      expect(command.ack.status).toBe(200);
      expect(command.ack.json).toMatchObject({ text: expect.stringContaining('Working on') });
      sent.push(command);
    }
    expect(answered).toBe(0); // six acks while the first kicks are still waiting on Slack

    const results = await Promise.all(sent.map((c) => c.result()));
    for (const r of results) expect(answer(r).text).toContain('Removed 1 |');
    expect(rig.fake.callsTo('conversations.kick')).toHaveLength(6);
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(4);
  });
});

describe('Slack front end: /remove-area', () => {
  it("GIVEN the area's manager WHEN /remove-area payments @bob left THEN kicks in both channels, the user group updated without bob, and a per-area line", async () => {
    rig = await slackRig();
    const { ack, result } = await rig.command('/remove-area', 'payments <@U0BOB|bob> left');
    expect(ack.status).toBe(200);
    expect(ack.json).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringContaining('Working on'),
    });
    const a = answer(await result());

    const kicks = rig.fake.callsTo('conversations.kick').map((c) => c.args);
    expect(kicks).toHaveLength(2);
    expect(kicks).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ channel: 'C0RANDOM', user: 'U0BOB' }),
        expect.objectContaining({ channel: 'G0SECRET', user: 'U0BOB' }),
      ]),
    );
    const updates = rig.fake.callsTo('usergroups.users.update');
    expect(updates).toHaveLength(1);
    expect(updates[0]?.args).toMatchObject({ usergroup: 'S0PAY', users: 'U0CAROL' });
    expect(rig.fake.usergroups.get('S0PAY')?.users).toEqual(['U0CAROL']);
    expect(rig.fake.isMember('C0RANDOM', 'U0BOB')).toBe(false);
    expect(rig.fake.isMember('G0SECRET', 'U0BOB')).toBe(false);

    expect(
      rig.fake
        .callsTo('chat.postMessage')
        .map((c) => c.args.text)
        .sort(),
    ).toEqual([
      '<#C0RANDOM>: <@U0BOB> was removed by <@U0MOD> (reason: left) · case 1',
      '<#G0SECRET>: <@U0BOB> was removed by <@U0MOD> (reason: left) · case 1',
    ]);
    expect(a.response_type).toBe('ephemeral');
    expect(a.text).toContain('area payments: removed <@U0BOB>');
    expect(a.text).toContain('Removed 3 | Not a member 0 | Denied 0 | Failed 0 · case 1');
    expect(blockText(a)).toContain('area *payments*: removed 1, not in the area 0, not removed 0');

    // undo gives everything back: both channels and the user group
    const undo = await rig.command('/kickbot', 'undo 1');
    const u = answer(await undo.result());
    expect(u.text).toContain('Restored 3 | Already a member 0 | Denied 0 | Failed 0');
    expect(
      rig.fake
        .callsTo('conversations.invite')
        .map((c) => c.args.channel)
        .sort(),
    ).toEqual(['C0RANDOM', 'G0SECRET']);
    expect(rig.fake.usergroups.get('S0PAY')?.users.sort()).toEqual(['U0BOB', 'U0CAROL']);
  });

  it('GIVEN a member who manages no area WHEN /remove-area THEN every pair is denied and nothing is called', async () => {
    rig = await slackRig();
    const { result } = await rig.command('/remove-area', 'payments <@U0CAROL>', { user: 'U0BOB' });
    const a = answer(await result());
    expect(a.text).toContain('Denied 3');
    expect(a.text).toContain('not-allowed');
    expect(rig.fake.callsTo('conversations.kick')).toHaveLength(0);
    expect(rig.fake.callsTo('usergroups.users.update')).toHaveLength(0);
    expect(rig.fake.callsTo('chat.postMessage')).toHaveLength(0);
  });
});

describe('Slack front end: /leave', () => {
  // Slack has no "leave for someone" call: kickbot's bot token kicks the actor (conversations.kick with
  // user = the actor). Slack answers cant_kick_self only when the token's own user is kicked (the bot), so
  // for a person this works like any kick.
  it('GIVEN a member in #random WHEN /leave THEN the bot kicks them, the room is told they left, and the result says removed', async () => {
    rig = await slackRig();
    const { ack, result } = await rig.command('/leave', '', { user: 'U0BOB' });
    expect(ack.status).toBe(200);
    const a = answer(await result());
    expect(rig.fake.callsTo('conversations.kick').map((c) => c.args)).toMatchObject([
      { channel: 'C0RANDOM', user: 'U0BOB' },
    ]);
    expect(rig.fake.callsTo('conversations.kick')[0]?.ok).toBe(true);
    expect(rig.fake.isMember('C0RANDOM', 'U0BOB')).toBe(false);
    expect(rig.fake.callsTo('chat.postMessage').map((c) => c.args.text)).toEqual([
      '<#C0RANDOM>: <@U0BOB> left · case 1',
    ]);
    expect(a.response_type).toBe('ephemeral');
    expect(a.text).toContain('✓ <@U0BOB> removed from <#C0RANDOM>');
    expect(a.text).toContain('Removed 1 | Not a member 0 | Denied 0 | Failed 0 · case 1');
  });

  it('GIVEN /leave <#G0SECRET|> THEN the actor leaves that private channel, not the current one', async () => {
    rig = await slackRig();
    const { result } = await rig.command('/leave', '<#G0SECRET|>', { user: 'U0BOB' });
    expect(answer(await result()).text).toContain('Removed 1 |');
    expect(rig.fake.callsTo('conversations.kick').map((c) => c.args)).toMatchObject([
      { channel: 'G0SECRET', user: 'U0BOB' },
    ]);
    expect(rig.fake.isMember('C0RANDOM', 'U0BOB')).toBe(true);
  });

  it('GIVEN /leave in #general THEN unsupported with a hint, and no kick is tried', async () => {
    rig = await slackRig();
    const { result } = await rig.command('/leave', '', { user: 'U0BOB', channel: 'C0GENERAL' });
    const a = answer(await result());
    expect(a.text).toContain(
      "✗ <@U0BOB> in <#C0GENERAL>: unsupported (cant_kick_from_general): nobody can be removed from the workspace's #general channel",
    );
    expect(a.text).toContain('Unsupported 1');
    expect(rig.fake.callsTo('conversations.kick')).toHaveLength(0);
  });

  it('GIVEN the workspace forbids kicking WHEN /leave THEN the result says kickbot could not, with the workspace-setting hint', async () => {
    rig = await slackRig();
    rig.fake.kickRestricted = true;
    const { result } = await rig.command('/leave', '', { user: 'U0BOB' });
    const a = answer(await result());
    expect(rig.fake.callsTo('conversations.kick')[0]?.error).toBe('restricted_action');
    expect(a.text).toContain('✗ <@U0BOB> in <#C0RANDOM>: failed (restricted_action)');
    expect(a.text).toContain('Settings & permissions');
    expect(a.text).toContain('Removed 0 | Not a member 0 | Denied 0 | Failed 1');
    expect(rig.fake.isMember('C0RANDOM', 'U0BOB')).toBe(true);
    expect(rig.fake.callsTo('chat.postMessage')).toHaveLength(0);
  });
});

describe('Slack front end: /kickbot', () => {
  it('GIVEN a kick WHEN /kickbot undo 1 THEN conversations.invite re-adds the user and the room is told', async () => {
    rig = await slackRig();
    await (await rig.command('/kick', '<@U0BOB|bob> spam')).result();
    expect(rig.fake.isMember('C0RANDOM', 'U0BOB')).toBe(false);

    const { ack, result } = await rig.command('/kickbot', 'undo 1');
    expect(ack.status).toBe(200);
    const a = answer(await result());
    const invites = rig.fake.callsTo('conversations.invite');
    expect(invites).toHaveLength(1);
    expect(invites[0]).toMatchObject({ args: { channel: 'C0RANDOM', users: 'U0BOB' }, ok: true });
    expect(rig.fake.isMember('C0RANDOM', 'U0BOB')).toBe(true);
    expect(rig.fake.callsTo('chat.postMessage').map((c) => c.args.text)).toEqual([
      '<#C0RANDOM>: <@U0BOB> was removed by <@U0MOD> (reason: spam) · case 1',
      '<#C0RANDOM>: <@U0BOB> was re-added by <@U0MOD> (undo of case 1) · case 2',
    ]);
    expect(a.response_type).toBe('ephemeral');
    expect(a.text).toContain('✓ <@U0BOB> re-added to <#C0RANDOM>');
    expect(a.text).toContain('Restored 1 | Already a member 0 | Denied 0 | Failed 0 · case 2');
    expect(a.blocks?.length).toBeGreaterThan(0);
  });

  it('GIVEN /kickbot undo of a case that does not exist THEN a usage answer and no invite', async () => {
    rig = await slackRig();
    const a = answer(await (await rig.command('/kickbot', 'undo 42')).result());
    expect(a.text).toContain('there is no case 42');
    expect(a.text).toContain('Usage: /kickbot help | undo <case> | cases [@user]');
    expect(rig.fake.callsTo('conversations.invite')).toHaveLength(0);
  });

  it('GIVEN a kick WHEN a member types /kickbot cases THEN refused; a moderator gets the list', async () => {
    rig = await slackRig();
    await (await rig.command('/kick', '<@U0BOB|bob> spam')).result();

    const member = answer(await (await rig.command('/kickbot', 'cases', { user: 'U0CAROL' })).result());
    expect(member.text).toBe('Only moderators of this room can read its cases.');
    expect(blockText(member)).toContain(':no_entry:');

    const list = answer(await (await rig.command('/kickbot', 'cases')).result());
    expect(list.response_type).toBe('ephemeral');
    expect(list.text).toMatch(/^Cases, newest first:\ncase 1 · /);
    expect(list.text).toContain(' · removed 1 · reason: spam');
  });

  it('GIVEN a kick WHEN a moderator types /kickbot cases THEN people and channels are named as Slack shows them', async () => {
    rig = await slackRig();
    await (await rig.command('/kick', '<@U0BOB|bob> spam')).result();

    const a = answer(await (await rig.command('/kickbot', 'cases')).result());
    expect(a.response_type).toBe('ephemeral');
    expect(a.text).toMatch(/^Cases, newest first:\ncase 1 · \d{4}-\d\d-\d\d \d\d:\d\d UTC · /);
    expect(a.text).toContain('/kick ');
    expect(a.text).toContain(' · removed 1 · reason: spam');
    expect(blockText(a)).toContain('case 1 ·');
    // People and channels as Slack shows them everywhere else in kickbot's answers (the connector's labels),
    // not kickbot's internal `T…/U…` ids: `#T00FAKE00BB/C0RANDOM` names no channel a moderator knows.
    expect(a.text).not.toContain(`${T}/`);
    expect(a.text).toContain('<@U0MOD>');
    expect(a.text).toContain('<@U0BOB>');
    expect(a.text).toContain('<#C0RANDOM>');

    const byUser = answer(await (await rig.command('/kickbot', 'cases <@U0BOB|bob>')).result());
    expect(byUser.text).toMatch(/^Cases involving /);
    expect(byUser.text).toContain('case 1 ·');
    expect(byUser.text).not.toContain(`${T}/`);
  });

  it('GIVEN /kickbot help THEN every command with its usage, as Block Kit sections, without a Web API call', async () => {
    rig = await slackRig();
    const { ack, result } = await rig.command('/kickbot', 'help', { user: 'U0CAROL' });
    expect(ack.status).toBe(200);
    const a = answer(await result());
    expect(a.response_type).toBe('ephemeral');
    for (const usage of [
      '/kick @user [@user…] [#room…] [reason…] [--for 2h] [--dm|--no-dm] [--yes]',
      '/remove-area <area> @user',
      '/leave [#room]',
      '/kickbot help | undo <case> | cases [@user]',
    ]) {
      expect(a.text).toContain(usage);
      expect(blockText(a)).toContain(usage);
    }
    expect(a.blocks?.every((b) => b.type === 'section')).toBe(true);
    expect(rig.fake.calls).toHaveLength(0);
  });
});

describe('Slack front end: confirmation buttons', () => {
  const EXTRA: FakeUser[] = Array.from({ length: 11 }, (_, i) => ({
    id: `U0T${String(i + 1).padStart(2, '0')}`,
    name: `t${i + 1}`,
  }));
  const ELEVEN = EXTRA.map((u) => `<@${u.id}|${u.name}>`).join(' ');
  const BIG: FakeSlackOptions = {
    ...WORKSPACE,
    users: [...(WORKSPACE.users ?? []), ...EXTRA],
    channels: (WORKSPACE.channels ?? []).map((c) =>
      c.id === 'C0RANDOM' ? { ...c, members: [...c.members, ...EXTRA.map((u) => u.id)] } : c,
    ),
  };

  /** Types `/kick` with 11 users and returns the prompt and its confirmation id. */
  async function prompt(r: SlackRig): Promise<{ a: Answer; confirmId: string }> {
    const { ack, result } = await r.command('/kick', `${ELEVEN} raid`);
    expect(ack.status).toBe(200);
    const a = answer(await result());
    const actions = a.blocks?.find((b) => b.type === 'actions');
    const confirmId = actions?.elements?.[0]?.value ?? '';
    expect(confirmId).not.toBe('');
    return { a, confirmId };
  }

  const click = (
    r: SlackRig,
    action: 'kickbot_confirm' | 'kickbot_cancel',
    confirmId: string,
    user = 'U0MOD',
  ) => r.click({ action_id: action, value: confirmId, user: { id: user }, channel: { id: 'C0RANDOM' } });

  it('GIVEN 11 users THEN a prompt with Confirm and Cancel and nothing kicked; another user is refused; the invoker confirms and 11 go; a second click has expired', async () => {
    rig = await slackRig({ fake: BIG });
    const { a, confirmId } = await prompt(rig);
    expect(a.response_type).toBe('ephemeral');
    expect(a.text).toContain('This would remove 11 (room, user) pairs');
    expect(a.text).toContain('Batches over 10 need a confirmation.');
    const buttons = a.blocks?.find((b) => b.type === 'actions')?.elements ?? [];
    expect(buttons.map((b) => [b.type, b.action_id, b.value])).toEqual([
      ['button', 'kickbot_confirm', confirmId],
      ['button', 'kickbot_cancel', confirmId],
    ]);
    expect(buttons[0]?.style).toBe('danger');
    expect(JSON.stringify(buttons[0]?.text)).toContain('Remove 11');
    expect(rig.fake.callsTo('conversations.kick')).toHaveLength(0);
    expect(rig.fake.callsTo('chat.postMessage')).toHaveLength(0);

    // someone else's click: refused, nothing kicked, the prompt still stands for its owner
    const other = await click(rig, 'kickbot_confirm', confirmId, 'U0ADMIN');
    expect(other.ack.status).toBe(200);
    const refused = answer(await other.result());
    expect(refused.text).toBe('Only the moderator who asked can answer this confirmation.');
    expect(rig.fake.callsTo('conversations.kick')).toHaveLength(0);

    // the invoker's click runs the batch and replaces the prompt
    const mine = await click(rig, 'kickbot_confirm', confirmId);
    expect(mine.ack.status).toBe(200);
    const done = answer(await mine.result());
    expect(done.response_type).toBe('ephemeral');
    expect(done.replace_original).toBe(true);
    expect(done.text).toContain('Removed 11 | Not a member 0 | Denied 0 | Failed 0 · case 1');
    expect(blockText(done)).not.toContain('kickbot_confirm');
    const kicks = rig.fake.callsTo('conversations.kick');
    expect(kicks).toHaveLength(11);
    expect(kicks.map((c) => c.args.user).sort()).toEqual(EXTRA.map((u) => u.id));
    expect(kicks.every((c) => c.args.channel === 'C0RANDOM' && c.ok)).toBe(true);
    expect(rig.fake.callsTo('chat.postMessage').map((c) => c.args.text)).toEqual([
      expect.stringMatching(
        /^<#C0RANDOM>: .* and 6 others were removed by <@U0MOD> \(reason: raid\) · case 1$/,
      ),
    ]);

    // the prompt is used up
    const again = await click(rig, 'kickbot_confirm', confirmId);
    const expired = answer(await again.result());
    expect(expired.replace_original).toBe(true);
    expect(expired.text).toMatch(/expired or was already answered/);
    expect(rig.fake.callsTo('conversations.kick')).toHaveLength(11);
  });

  it('GIVEN the prompt WHEN the invoker clicks Cancel THEN nobody is removed and a later Confirm has expired', async () => {
    rig = await slackRig({ fake: BIG });
    const { confirmId } = await prompt(rig);
    const cancel = await click(rig, 'kickbot_cancel', confirmId);
    expect(cancel.ack.status).toBe(200);
    const a = answer(await cancel.result());
    expect(a.replace_original).toBe(true);
    expect(a.text).toBe('Cancelled; nobody was removed.');

    const late = answer(await (await click(rig, 'kickbot_confirm', confirmId)).result());
    expect(late.text).toMatch(/expired or was already answered/);
    expect(rig.fake.callsTo('conversations.kick')).toHaveLength(0);
    expect(rig.fake.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('GIVEN the prompt outlives its TTL THEN Confirm answers expired and kicks nobody', async () => {
    const clock = new FakeClock();
    rig = await slackRig({
      fake: BIG,
      store: new MemoryStore({ clock }),
      core: { clock, confirmTtlMs: 60_000 },
    });
    const { a, confirmId } = await prompt(rig);
    expect(blockText(a)).toContain(`<!date^${Math.floor((clock.now() + 60_000) / 1000)}^{time}`);
    clock.advance(60_001);

    const res = answer(await (await click(rig, 'kickbot_confirm', confirmId)).result());
    expect(res.replace_original).toBe(true);
    expect(res.text).toMatch(/expired/);
    expect(rig.fake.callsTo('conversations.kick')).toHaveLength(0);
  });

  it('GIVEN --yes THEN the batch of 11 runs without a prompt', async () => {
    rig = await slackRig({ fake: BIG });
    const a = answer(await (await rig.command('/kick', `${ELEVEN} raid --yes`)).result());
    expect(a.text).toContain('Removed 11 |');
    expect(a.blocks?.some((b) => b.type === 'actions')).toBe(false);
    expect(rig.fake.callsTo('conversations.kick')).toHaveLength(11);
  });
});

describe('Slack front end: redelivery, unknown commands, ssl_check', () => {
  it('GIVEN the same trigger_id delivered three times (Slack retries) THEN each acked, one kick, one room confirmation, one answer on response_url', async () => {
    rig = await slackRig();
    const responseUrl = rig.fake.responseUrl();
    const body = slashCommandBody({
      command: '/kick',
      text: '<@U0BOB|bob> spam',
      user_id: 'U0MOD',
      channel_id: 'C0RANDOM',
      response_url: responseUrl,
      trigger_id: triggerId(),
    });
    const first = await postSigned(rig.events, SECRET, body);
    const retry = await postSigned(rig.events, SECRET, body, {
      headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
    });
    expect(first.status).toBe(200);
    expect(retry.status).toBe(200);
    const f = rig;
    const answered = await rig.fake.waitFor(() => responsesTo(f, responseUrl)[0], 5_000, 'the answer');
    expect(answer(answered).text).toContain('Removed 1 | Not a member 0 | Denied 0 | Failed 0 · case 1');

    // and once more after the first run finished: acknowledged, nothing done again, nothing said again
    const late = await postSigned(rig.events, SECRET, body, {
      headers: { 'x-slack-retry-num': '2', 'x-slack-retry-reason': 'http_error' },
    });
    expect(late.status).toBe(200);
    await barrier(rig); // the work queue runs in order: every delivery before it has been handled
    await barrier(rig);

    expect(responsesTo(rig, responseUrl)).toHaveLength(1);
    expect(rig.fake.callsTo('conversations.kick')).toHaveLength(1);
    expect(rig.fake.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('GIVEN an unknown command /frobnicate THEN 200 with a polite ephemeral usage text and no Web API call', async () => {
    rig = await slackRig();
    const { ack, responseUrl } = await rig.command('/frobnicate', '<@U0BOB> now');
    expect(ack.status).toBe(200);
    expect(ack.json).toEqual({
      response_type: 'ephemeral',
      text: 'kickbot does not know /frobnicate. Try /kickbot help.',
    });
    await barrier(rig);
    expect(rig.fake.calls).toHaveLength(0);
    expect(responsesTo(rig, responseUrl)).toHaveLength(0);
  });

  it('GIVEN ssl_check=1 (unsigned, as Slack sends it) THEN 200 and nothing runs, even with a command smuggled in', async () => {
    rig = await slackRig();
    const plain = await postSigned(rig.events, SECRET, formBody({ ssl_check: '1', token: 'x' }), {
      omitSignature: true,
    });
    expect(plain.status).toBe(200);
    const signed = await postSigned(rig.events, SECRET, formBody({ ssl_check: '1', token: 'x' }));
    expect(signed.status).toBe(200);

    const responseUrl = rig.fake.responseUrl();
    const smuggled = await postSigned(
      rig.events,
      SECRET,
      `ssl_check=1&${slashCommandBody({ command: '/kick', text: '<@U0BOB>', user_id: 'U0MOD', channel_id: 'C0RANDOM', response_url: responseUrl })}`,
      { omitSignature: true },
    );
    expect(smuggled.status).toBe(200);
    await barrier(rig);
    expect(rig.fake.calls).toHaveLength(0);
    expect(responsesTo(rig, responseUrl)).toHaveLength(0);
  });
});

describe('Slack front end: bad requests', () => {
  const now = () => Math.floor(Date.now() / 1000);
  const cases: [string, (body: string) => Parameters<typeof postSigned>[3]][] = [
    ['forged (signed with another secret)', () => ({ wrongSecret: true })],
    ['stale (signed 10 minutes ago)', () => ({ timestamp: now() - 600 })],
    ['from the future (signed 6 minutes ahead)', () => ({ timestamp: now() + 360 })],
    ['tampered (another target after signing)', (body) => ({ tamper: body.replace('U0BOB', 'U0CAROL') })],
    ['unsigned', () => ({ omitSignature: true })],
  ];

  it.each(cases)('GIVEN a %s /kick THEN 401, no Web API call and no response_url POST', async (_, how) => {
    rig = await slackRig();
    const responseUrl = rig.fake.responseUrl();
    const body = slashCommandBody({
      command: '/kick',
      text: '<@U0BOB|bob> spam',
      user_id: 'U0MOD',
      channel_id: 'C0RANDOM',
      response_url: responseUrl,
    });
    const res = await postSigned(rig.events, SECRET, body, how(body));
    expect(res.status).toBe(401);
    expect(res.text).toBe('');
    await barrier(rig);
    expect(rig.fake.calls).toHaveLength(0);
    expect(responsesTo(rig, responseUrl)).toHaveLength(0);
    expect(rig.fake.isMember('C0RANDOM', 'U0BOB')).toBe(true);
  });

  it('GIVEN a forged Confirm click THEN 401 and the prompt still waits for its owner', async () => {
    rig = await slackRig();
    const responseUrl = rig.fake.responseUrl();
    const body = blockActionsBody({
      action_id: 'kickbot_confirm',
      value: 'whatever',
      user: { id: 'U0MOD' },
      response_url: responseUrl,
      ephemeral: true,
    });
    const res = await postSigned(rig.events, SECRET, body, { wrongSecret: 'guess' });
    expect(res.status).toBe(401);
    await barrier(rig);
    expect(rig.fake.calls).toHaveLength(0);
    expect(responsesTo(rig, responseUrl)).toHaveLength(0);
  });
});

describe('Slack connector: conversations.kick error codes', () => {
  interface Row {
    code: string;
    line: string;
    summary: string;
  }
  const ROOM = '<@U0BOB> in <#C0RANDOM>';
  const rows: Row[] = [
    {
      code: 'not_in_channel',
      line: '· <@U0BOB> was not in <#C0RANDOM>',
      summary: 'Removed 0 | Not a member 1 | Denied 0 | Failed 0',
    },
    {
      code: 'cant_kick_from_general',
      line: `✗ ${ROOM}: unsupported (cant_kick_from_general): nobody can be removed from the workspace's #general channel`,
      summary: 'Removed 0 | Not a member 0 | Denied 0 | Failed 0 | Unsupported 1',
    },
    {
      code: 'method_not_supported_for_channel_type',
      line: `✗ ${ROOM}: unsupported (method_not_supported_for_channel_type): people cannot be removed from a direct message`,
      summary: 'Removed 0 | Not a member 0 | Denied 0 | Failed 0 | Unsupported 1',
    },
    {
      code: 'cant_kick_self',
      line: `✗ ${ROOM}: denied (self): use /leave to leave a channel yourself`,
      summary: 'Removed 0 | Not a member 0 | Denied 1 | Failed 0',
    },
    {
      code: 'restricted_action',
      line: `✗ ${ROOM}: failed (restricted_action): the workspace's settings do not let kickbot remove people: a Slack admin can allow it under Settings & permissions`,
      summary: 'Removed 0 | Not a member 0 | Denied 0 | Failed 1',
    },
    {
      code: 'channel_not_found',
      line: `✗ ${ROOM}: denied (room-not-found): no such room, or you cannot see it`,
      summary: 'Removed 0 | Not a member 0 | Denied 1 | Failed 0',
    },
    {
      code: 'user_not_found',
      line: `✗ ${ROOM}: denied (room-not-found): no such room, or you cannot see it`,
      summary: 'Removed 0 | Not a member 0 | Denied 1 | Failed 0',
    },
  ];

  // The plan sees bob in #random (a member, not protected), so kickbot calls conversations.kick, and Slack's
  // answer is injected.
  it.each(rows)(
    'GIVEN conversations.kick answers $code THEN the result says so',
    async ({ code, line, summary }) => {
      rig = await slackRig();
      rig.fake.failNext('conversations.kick', code);
      const a = answer(await (await rig.command('/kick', '<@U0BOB|bob> spam')).result());
      const kicks = rig.fake.callsTo('conversations.kick');
      expect(kicks).toHaveLength(1);
      expect(kicks[0]).toMatchObject({
        args: { channel: 'C0RANDOM', user: 'U0BOB' },
        ok: false,
        error: code,
      });
      expect(a.response_type).toBe('ephemeral');
      expect(a.text).toContain(line);
      expect(a.text).toContain(`${summary} · case 1`);
      expect(blockText(a)).toContain(JSON.stringify(`*${summary}*`).slice(1, -1));
      expect(rig.fake.callsTo('chat.postMessage')).toHaveLength(0);
    },
  );

  it('GIVEN the workspace setting forbids kicking (restricted_action from the fake state) THEN failed with the hint', async () => {
    rig = await slackRig();
    rig.fake.kickRestricted = true;
    const a = answer(await (await rig.command('/kick', '<@U0BOB|bob>')).result());
    expect(rig.fake.callsTo('conversations.kick')[0]?.error).toBe('restricted_action');
    expect(a.text).toContain(`✗ ${ROOM}: failed (restricted_action)`);
    expect(a.text).toContain('People who can remove members from channels');
    expect(blockText(a)).toContain('Settings & permissions');
  });

  it('GIVEN a /kick in #general THEN unsupported (cant_kick_from_general) from the plan, without a kick call', async () => {
    rig = await slackRig();
    const a = answer(await (await rig.command('/kick', '<@U0BOB|bob>', { channel: 'C0GENERAL' })).result());
    expect(a.text).toContain(
      "✗ <@U0BOB> in <#C0GENERAL>: unsupported (cant_kick_from_general): nobody can be removed from the workspace's #general channel",
    );
    expect(a.text).toContain('Unsupported 1');
    expect(rig.fake.callsTo('conversations.kick')).toHaveLength(0);
  });

  it('GIVEN Slack answers not_supported for the pair THEN unsupported', async () => {
    rig = await slackRig();
    rig.fake.notSupported('C0RANDOM', 'U0BOB');
    const a = answer(await (await rig.command('/kick', '<@U0BOB|bob>')).result());
    expect(rig.fake.callsTo('conversations.kick')[0]?.error).toBe('not_supported');
    expect(a.text).toContain(`✗ ${ROOM}: unsupported (not_supported)`);
  });

  it('GIVEN a user who is not in the channel THEN not_member from the plan, without a kick call', async () => {
    rig = await slackRig();
    const a = answer(await (await rig.command('/kick', '<@U0DAVE|dave>')).result());
    expect(a.text).toContain('· <@U0DAVE> was not in <#C0RANDOM>');
    expect(a.text).toContain('Removed 0 | Not a member 1 | Denied 0 | Failed 0');
    expect(rig.fake.callsTo('conversations.kick')).toHaveLength(0);
  });

  it('GIVEN a private channel the bot cannot see THEN denied (room-not-found), the channel named as Slack shows it', async () => {
    rig = await slackRig();
    rig.fake.addChannel({ id: 'G0HIDDEN', name: 'hidden', is_private: true, members: ['U0MOD', 'U0BOB'] });
    const a = answer(await (await rig.command('/kick', '<@U0BOB|bob> <#G0HIDDEN|>')).result());
    expect(a.text).toContain('denied (room-not-found): no such room, or you cannot see it');
    expect(a.text).toContain('Removed 0 | Not a member 0 | Denied 1 | Failed 0');
    expect(rig.fake.callsTo('conversations.kick')).toHaveLength(0);
    // Slack answers channel_not_found for it, so kickbot has no name; the moderator must still recognise
    // the channel they typed: `<#G0HIDDEN>`, not kickbot's internal `#T00FAKE00BB/G0HIDDEN`.
    expect(a.text).not.toContain(`${T}/`);
    expect(a.text).toContain('<#G0HIDDEN>');
  });

  it('GIVEN the bot as the target THEN denied (protected) by the plan; Slack is never asked to kick itself', async () => {
    rig = await slackRig();
    const a = answer(await (await rig.command('/kick', '<@U00FAKEBOT03|kickbot>')).result());
    expect(a.text).toContain('denied (protected): the bot does not remove itself');
    expect(rig.fake.callsTo('conversations.kick')).toHaveLength(0);
  });
});
