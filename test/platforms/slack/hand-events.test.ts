import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger, UNKNOWN_ACTOR } from '../../../src/core/index.js';
import { createSlackFront, type SlackFront } from '../../../src/platforms/slack/SlackFront.js';
import { MemoryStore } from '../../../src/store/MemoryStore.js';
import { FakeSlack, type FakeSlackOptions, type RecordedCall } from '../../fakes/slack/FakeSlack.js';
import { eventCallback, postSigned, urlVerification } from '../../fakes/slack/signer.js';
import { FakeClock } from '../../helpers/clock.js';
import { loggerTo } from '../../helpers/log-capture.js';
import { slackCore } from '../../helpers/slack-core.js';
import { CONFIG, SECRET, type SlackRig, slackRig, T, TOKEN, WORKSPACE } from '../../helpers/slack-rig.js';

/**
 * Removals made by hand and rejoins on Slack: signed Events API deliveries (Slack's documented event_callback) to
 * real Bolt over HTTP, and the same envelopes over Socket Mode; the mod-log is a channel of the fake.
 */

const MOD_LOG = 'C0MODLOG';
const WS = `slack:${T}`;
const DAY = 24 * 60 * 60_000;
const FAKE: FakeSlackOptions = {
  ...WORKSPACE,
  channels: [
    ...(WORKSPACE.channels ?? []),
    { id: MOD_LOG, name: 'mod-log', is_private: true, members: ['U0MOD', 'U00FAKEBOT03'] },
  ],
};
const WITH_MOD_LOG = { ...CONFIG, modLog: { slack: MOD_LOG } };

const left = (user: string, channel: string) => ({
  type: 'member_left_channel',
  user,
  channel,
  channel_type: 'C',
  team: T,
});
const joinedEvent = (user: string, channel: string, inviter?: string) => ({
  type: 'member_joined_channel',
  user,
  channel,
  channel_type: 'C',
  team: T,
  ...(inviter ? { inviter } : {}),
});

const modLogPosts = (fake: FakeSlack): RecordedCall[] =>
  fake.callsTo('chat.postMessage').filter((c) => c.args.channel === MOD_LOG);
const nthModLog = (fake: FakeSlack, n: number) =>
  fake.waitFor(() => modLogPosts(fake)[n - 1], 5_000, `mod-log message ${n}`);

let rig: SlackRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

async function deliver(r: SlackRig, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return postSigned(r.events, SECRET, JSON.stringify(body), { contentType: 'application/json', headers });
}

/** A member removed in Slack's own UI: gone from the fake's channel, and the event Slack sends for it. */
function removeInSlack(r: SlackRig, user: string, channel: string): void {
  const c = r.fake.channels.get(channel);
  if (c) c.members = c.members.filter((m) => m !== user);
}

describe('Slack Events API over HTTP', () => {
  it('GIVEN the Request URL being saved THEN url_verification still answers the challenge', async () => {
    rig = await slackRig({ fake: FAKE, config: WITH_MOD_LOG });
    const res = await deliver(rig, urlVerification('3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P'));
    expect(res.status).toBe(200);
    expect(res.text).toContain('3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P');
  });

  it('GIVEN member_left_channel THEN a 200 ack, one by-hand case with an unknown actor, and the mod-log says what Slack does not tell; a retry opens no second case', async () => {
    rig = await slackRig({ fake: FAKE, config: WITH_MOD_LOG });
    removeInSlack(rig, 'U0BOB', 'C0RANDOM');
    const body = eventCallback({ event: left('U0BOB', 'C0RANDOM'), eventId: 'Ev0LEFT0001' });
    const ack = await deliver(rig, body);
    expect(ack.status).toBe(200);
    const post = await nthModLog(rig.fake, 1);
    expect(post.args.text).toBe(
      '<@U0BOB> left <#C0RANDOM> or was removed by someone; Slack does not say which or by whom · case 1 · /kickbot undo 1 re-adds them',
    );
    // Slack retries a delivery it thinks failed, with the same event_id.
    expect(
      (await deliver(rig, body, { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' })).status,
    ).toBe(200);
    await rig.command('/kickbot', 'help').then(({ result }) => result());
    expect(await rig.store.lastCaseId(WS)).toBe(1);
    expect(modLogPosts(rig.fake)).toHaveLength(1);
    expect(await rig.store.readAudit({ workspace: WS })).toEqual([
      expect.objectContaining({
        caseId: 1,
        action: 'remove',
        outcome: 'removed',
        actor: UNKNOWN_ACTOR,
        target: `slack:${T}/U0BOB`,
        room: `slack:${T}/C0RANDOM`,
        invocation: 'hand:slack:Ev0LEFT0001',
      }),
    ]);
    expect(await rig.store.readCaseEvents(WS, 1)).toEqual([
      expect.objectContaining({
        kind: 'opened',
        by: UNKNOWN_ACTOR,
        command: 'removed by hand in Slack (left or was removed)',
        byHand: { via: 'slack-events', detail: 'left or was removed' },
      }),
    ]);

    // The undo re-adds them like any other.
    const { result } = await rig.command('/kickbot', 'undo 1', { user: 'U0MOD', channel: 'C0RANDOM' });
    await result();
    expect(rig.fake.callsTo('conversations.invite').map((c) => c.args)).toMatchObject([
      { channel: 'C0RANDOM', users: 'U0BOB' },
    ]);
    expect(rig.fake.isMember('C0RANDOM', 'U0BOB')).toBe(true);
  });

  it("GIVEN kickbot's own /kick THEN Slack's member_left_channel for it opens no case; a join 2 days later is told with the case and the inviter", async () => {
    const clock = new FakeClock();
    rig = await slackRig({
      fake: FAKE,
      config: WITH_MOD_LOG,
      store: new MemoryStore({ clock }),
      core: { clock },
    });
    const { result } = await rig.command('/kick', '<@U0BOB|bob> spam');
    await result();
    expect(rig.fake.isMember('C0RANDOM', 'U0BOB')).toBe(false);
    expect((await deliver(rig, eventCallback({ event: left('U0BOB', 'C0RANDOM') }))).status).toBe(200);
    clock.advance(2 * DAY);
    expect(
      (await deliver(rig, eventCallback({ event: joinedEvent('U0BOB', 'C0RANDOM', 'U0ADMIN') }))).status,
    ).toBe(200);
    await nthModLog(rig.fake, 2);
    // The mod-log gets a copy of every room confirmation (the kick's), then the rejoin; the left event added nothing.
    expect(modLogPosts(rig.fake).map((c) => c.args.text)).toEqual([
      '<#C0RANDOM>: <@U0BOB> was removed by <@U0MOD> (reason: spam) · case 1',
      '<@U0BOB> joined <#C0RANDOM> again, 2 days after case 1 removed them · let back in by <@U0ADMIN>',
    ]);
    expect(await rig.store.lastCaseId(WS)).toBe(1); // the kick's case only
  });

  it("GIVEN kickbot's own undo re-adding them (the bot is the inviter), and a join after it THEN no rejoin is told", async () => {
    const clock = new FakeClock();
    rig = await slackRig({
      fake: FAKE,
      config: WITH_MOD_LOG,
      store: new MemoryStore({ clock }),
      core: { clock },
    });
    await (await rig.command('/kick', '<@U0BOB|bob> spam')).result();
    clock.advance(DAY);
    await (await rig.command('/kickbot', 'undo 1')).result();
    expect(rig.fake.isMember('C0RANDOM', 'U0BOB')).toBe(true);
    const bot = 'U00FAKEBOT03';
    await deliver(rig, eventCallback({ event: joinedEvent('U0BOB', 'C0RANDOM', bot) }));
    // An undo ends the removal: a later join by someone else is no rejoin either.
    await deliver(rig, eventCallback({ event: joinedEvent('U0BOB', 'C0RANDOM', 'U0ADMIN') }));
    await rig.command('/kickbot', 'help').then(({ result }) => result()); // the events before it are handled
    expect(modLogPosts(rig.fake).filter((c) => String(c.args.text).includes('joined'))).toEqual([]);
  });

  it('GIVEN byHand.slack off THEN a member leaving opens no case', async () => {
    rig = await slackRig({ fake: FAKE, config: WITH_MOD_LOG, front: { byHand: false } });
    expect((await deliver(rig, eventCallback({ event: left('U0BOB', 'C0RANDOM') }))).status).toBe(200);
    await rig.command('/kickbot', 'help').then(({ result }) => result());
    expect(await rig.store.lastCaseId(WS)).toBe(0);
    expect(modLogPosts(rig.fake)).toEqual([]);
  });

  it('GIVEN no mod-log channel configured THEN the case still opens, the log says so by ids (no text), nothing is posted', async () => {
    let logged: (fields: Record<string, unknown>) => void = () => {};
    const line = new Promise<Record<string, unknown>>((resolve) => {
      logged = resolve;
    });
    const logger = loggerTo(
      ({ msg, obj }) => msg === 'by-hand case (no mod-log channel to tell)' && logged(obj),
    );
    rig = await slackRig({ fake: FAKE, core: { logger } });
    expect((await deliver(rig, eventCallback({ event: left('U0BOB', 'C0RANDOM') }))).status).toBe(200);
    expect(await line).toEqual({
      workspace: WS,
      event: 'by-hand case',
      caseId: 1,
      room: `${WS}/C0RANDOM`,
      user: `${WS}/U0BOB`,
      actor: UNKNOWN_ACTOR,
    });
    expect(await rig.store.lastCaseId(WS)).toBe(1);
    expect(rig.fake.callsTo('chat.postMessage')).toEqual([]);
  });

  it('GIVEN an unsigned event THEN Bolt refuses it and nothing happens', async () => {
    rig = await slackRig({ fake: FAKE, config: WITH_MOD_LOG });
    const res = await postSigned(
      rig.events,
      SECRET,
      JSON.stringify(eventCallback({ event: left('U0BOB', 'C0RANDOM') })),
      {
        contentType: 'application/json',
        omitSignature: true,
      },
    );
    expect(res.status).toBe(401);
    expect(await rig.store.lastCaseId(WS)).toBe(0);
  });
});

describe('Slack Events API over Socket Mode', () => {
  let fake: FakeSlack | undefined;
  let front: SlackFront | undefined;
  afterEach(async () => {
    await front?.stop();
    await fake?.close();
    front = undefined;
    fake = undefined;
  });

  it('GIVEN an events_api envelope with member_left_channel THEN it is acked and the mod-log hears of the case; the same event_id again opens none', async () => {
    fake = await FakeSlack.start(FAKE);
    const { core, store } = slackCore({ apiUrl: fake.apiUrl, config: WITH_MOD_LOG });
    front = createSlackFront({
      core,
      logger: silentLogger,
      botToken: TOKEN,
      appToken: fake.appToken,
      apiUrl: fake.apiUrl,
    });
    await front.start();
    const body = eventCallback({ event: left('U0CAROL', 'C0RANDOM'), eventId: 'Ev0SOCKET01' });
    const ack = await fake.sendEnvelope('events_api', body);
    expect(ack.envelope_id).toBeTruthy();
    const post = await nthModLog(fake, 1);
    expect(post.args.text).toBe(
      '<@U0CAROL> left <#C0RANDOM> or was removed by someone; Slack does not say which or by whom · case 1 · /kickbot undo 1 re-adds them',
    );
    await fake.sendEnvelope('events_api', body); // redelivered after a reconnect, same event_id
    expect(await store.lastCaseId(WS)).toBe(1);
    expect(modLogPosts(fake)).toHaveLength(1);
  });
});
