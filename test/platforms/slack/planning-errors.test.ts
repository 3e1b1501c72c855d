import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Invocation } from '../../../src/core/index.js';
import { slackId, workspaceId } from '../../../src/platforms/slack/ids.js';
import { FakeSlack } from '../../fakes/slack/FakeSlack.js';
import { slackCore } from '../../helpers/slack-core.js';
import { T, WORKSPACE } from '../../helpers/slack-rig.js';

/** Slack refusing the bot token while kickbot plans a command: the token hint, never "something went wrong". */

let fake: FakeSlack;
beforeEach(async () => {
  fake = await FakeSlack.start(WORKSPACE);
});
afterEach(async () => {
  await fake.close();
});

let n = 0;
const kick = (text: string): Invocation => ({
  id: `slack:planning-${++n}`,
  platform: 'slack',
  workspace: workspaceId(T),
  actor: slackId(T, 'U0MOD'),
  channel: slackId(T, 'C0RANDOM'),
  command: 'kick',
  input: { text },
  receivedAt: 0,
});

describe('Slack refuses the token while planning', () => {
  it.each([
    ['invalid_auth', 'Slack did not accept the bot token: check SLACK_BOT_TOKEN. Nothing was done.'],
    ['not_authed', 'Slack did not accept the bot token: check SLACK_BOT_TOKEN. Nothing was done.'],
    [
      'token_revoked',
      'the bot token was revoked: reinstall the app and update SLACK_BOT_TOKEN. Nothing was done.',
    ],
    [
      'account_inactive',
      'the bot token belongs to a deactivated app or user: check SLACK_BOT_TOKEN. Nothing was done.',
    ],
  ])(
    'GIVEN every lookup answers %s THEN /kick is refused with the token hint, unauthorized, and no retry advice',
    async (error, message) => {
      const { core } = slackCore({
        apiUrl: fake.apiUrl,
        retries: 0,
        core: { systems: { slack: { name: 'Slack', credentials: ['SLACK_BOT_TOKEN'] } } },
      });
      fake.failNext('*', error, { times: Number.POSITIVE_INFINITY });
      const reply = await core.handle(kick('<@U0BOB|bob> spam'));
      expect(reply).toEqual({ kind: 'refused', code: 'unauthorized', message });
      expect(JSON.stringify(reply)).not.toMatch(/try again|Sorry|went wrong/i);
      expect(fake.callsTo('conversations.kick')).toEqual([]);
    },
  );

  it('GIVEN no system names configured THEN the hint still names Slack and the variable', async () => {
    const { core } = slackCore({ apiUrl: fake.apiUrl, retries: 0 });
    fake.failNext('*', 'invalid_auth', { times: Number.POSITIVE_INFINITY });
    expect(await core.handle(kick('<@U0BOB|bob>'))).toEqual({
      kind: 'refused',
      code: 'unauthorized',
      message: 'Slack did not accept the bot token: check SLACK_BOT_TOKEN. Nothing was done.',
    });
  });
});
