import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Invocation, ResultReply } from '../../../src/core/index.js';
import { slackId } from '../../../src/platforms/slack/ids.js';
import { FakeSlack } from '../../fakes/slack/FakeSlack.js';
import { type SlackCore, slackCore } from '../../helpers/slack-core.js';
import { type SlackRig, slackRig, T, WORKSPACE } from '../../helpers/slack-rig.js';

/**
 * `/offboard` on Slack through the core and the real WebClient: bob's channels from `users.conversations` (page
 * after page), his user groups from `usergroups.list`, each removal through `conversations.kick` or
 * `usergroups.users.update`, #general and DMs refused as Slack refuses them, and the admin the only one who may.
 */

const EXTRA = Array.from({ length: 230 }, (_, i) => `C2X${String(i).padStart(4, '0')}`);
let fake: FakeSlack;
let slack: SlackCore;

beforeEach(async () => {
  fake = await FakeSlack.start(WORKSPACE);
  for (const [i, id] of EXTRA.entries()) fake.addChannel({ id, name: `extra-${i}`, members: ['U0BOB'] });
  slack = slackCore({ apiUrl: fake.apiUrl, core: { bulkThreshold: 10_000 } });
});
afterEach(async () => {
  await fake.close();
});

const inv = (actor: string, text: string): Invocation => ({
  id: `slack:${actor}:${text}`,
  platform: 'slack',
  workspace: `slack:${T}`,
  actor: slackId(T, actor),
  channel: slackId(T, 'C0RANDOM'),
  command: 'offboard',
  input: { text },
  receivedAt: 0,
});

describe('/offboard on Slack', () => {
  it('GIVEN bob in 233 channels and a user group THEN every channel the bot sees and the group, in one case, one line for Slack', async () => {
    const reply = (await slack.core.handle(inv('U0ADMIN', '<@U0BOB|bob> left --yes'))) as ResultReply;
    expect(reply.kind).toBe('result');
    const slackLine = reply.systems?.find((s) => s.system === 'slack');
    expect(slackLine?.counts).toMatchObject({ removed: 233, unsupported: 1 });
    expect(reply.results.find((r) => r.room === slackId(T, 'C0GENERAL'))).toMatchObject({
      outcome: 'unsupported',
      code: 'cant_kick_from_general',
    });
    for (const c of ['C0RANDOM', 'G0SECRET', ...EXTRA]) expect(fake.isMember(c, 'U0BOB')).toBe(false);
    expect(fake.usergroups.get('S0PAY')?.users).toEqual(['U0CAROL']);
    expect(fake.callsTo('users.conversations').length).toBeGreaterThanOrEqual(2);
    expect(fake.callsTo('usergroups.list').map((c) => c.args.include_users)).toContain('true');
  });

  it('GIVEN the plan first THEN nothing is kicked until confirmed', async () => {
    const reply = await slack.core.handle(inv('U0ADMIN', '<@U0BOB|bob> left'));
    expect(reply).toMatchObject({ kind: 'confirm', removals: 233 });
    expect(fake.callsTo('conversations.kick')).toEqual([]);
  });

  it('GIVEN a member who is not an admin THEN refused as a whole', async () => {
    const reply = await slack.core.handle(inv('U0MOD', '<@U0BOB|bob> --yes'));
    expect(reply).toMatchObject({ kind: 'refused', code: 'not-allowed' });
    expect(fake.callsTo('conversations.kick')).toEqual([]);
  });
});

describe('/offboard through the Slack front (Bolt, signed requests, response_url)', () => {
  let rig: SlackRig | undefined;
  afterEach(async () => {
    await rig?.close();
    rig = undefined;
  });

  const body = (r: { body: unknown }) =>
    r.body as { text: string; blocks?: { type: string; elements?: { value?: string }[] }[] };

  it('GIVEN ada types /offboard @bob THEN the plan with a line for Slack and buttons; her Confirm removes him from his channels and group with one notice', async () => {
    rig = await slackRig();
    const { ack, result } = await rig.command('/offboard', '<@U0BOB|bob> left the company', {
      user: 'U0ADMIN',
    });
    expect(ack.status).toBe(200);
    const plan = body(await result());
    expect(plan.text).toContain('Slack: 4 rooms, would remove 3; not removed: cant_kick_from_general 1');
    expect(rig.fake.callsTo('conversations.kick')).toEqual([]);
    const confirmId = plan.blocks?.find((b) => b.type === 'actions')?.elements?.[0]?.value ?? '';
    expect(confirmId).not.toBe('');

    const click = await rig.click({
      action_id: 'kickbot_confirm',
      value: confirmId,
      user: { id: 'U0ADMIN' },
      channel: { id: 'C0RANDOM' },
    });
    expect(click.ack.status).toBe(200);
    const done = body(await click.result());
    expect(done.text).toContain('Slack: Removed 3 | Not a member 0 | Denied 0 | Failed 0 | Unsupported 1');
    expect(
      rig.fake
        .callsTo('conversations.kick')
        .map((c) => c.args.channel)
        .sort(),
    ).toEqual(['C0RANDOM', 'G0SECRET']);
    expect(rig.fake.usergroups.get('S0PAY')?.users).toEqual(['U0CAROL']);
    const notices = rig.fake.callsTo('chat.postMessage').map((c) => [c.args.channel, c.args.text]);
    expect(notices).toEqual([
      [
        'C0RANDOM',
        '<@U0BOB> was offboarded by <@U0ADMIN> (reason: left the company) · case 1 · Removed 3 | Not a member 0 | Denied 0 | Failed 0 | Unsupported 1',
      ],
    ]);
  });
});
