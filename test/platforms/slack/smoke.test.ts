import { afterEach, describe, expect, it } from 'vitest';
import { type SlackRig, slackRig } from '../../helpers/slack-rig.js';

let rig: SlackRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe('Slack end to end (smoke)', () => {
  it('GIVEN a signed /kick THEN an ack at once, conversations.kick, a room confirmation and the result on response_url', async () => {
    rig = await slackRig();
    const { ack, result } = await rig.command('/kick', '<@U0BOB|bob> spam');
    expect(ack.status).toBe(200);
    expect(ack.json).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringContaining('Working on'),
    });
    const answer = await result();
    expect(rig.fake.callsTo('conversations.kick').map((c) => c.args)).toMatchObject([
      { channel: 'C0RANDOM', user: 'U0BOB' },
    ]);
    expect(rig.fake.callsTo('chat.postMessage').map((c) => c.args.text)).toEqual([
      '<#C0RANDOM>: <@U0BOB> was removed by <@U0MOD> (reason: spam) · case 1',
    ]);
    expect(answer.body).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringContaining('Removed 1 | Not a member 0'),
    });
  });
});
