import { WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Id, silentLogger } from '../../../src/core/index.js';
import { slackConnector } from '../../../src/platforms/slack/connector.js';
import { slackId } from '../../../src/platforms/slack/ids.js';
import { slackLogger } from '../../../src/platforms/slack/logger.js';
import type { SlackRemover } from '../../../src/platforms/slack/SlackRemover.js';
import { FakeSlack } from '../../fakes/slack/FakeSlack.js';
import { CONFIG, T, TOKEN, WORKSPACE } from '../../helpers/slack-rig.js';

/** One user's channels from `users.conversations`, page after page (offboarding reads them so). */

const EXTRA = 250;
const extra = Array.from({ length: EXTRA }, (_, i) => `C1X${String(i).padStart(4, '0')}`);

let fake: FakeSlack;
let remover: SlackRemover;

beforeEach(async () => {
  fake = await FakeSlack.start(WORKSPACE);
  for (const [i, id] of extra.entries()) fake.addChannel({ id, name: `extra-${i}`, members: ['U0BOB'] });
  const client = new WebClient(TOKEN, {
    slackApiUrl: fake.apiUrl,
    retryConfig: { retries: 0 },
    logger: slackLogger(silentLogger),
  });
  remover = slackConnector({ client, config: CONFIG, logger: silentLogger }).remover;
});

afterEach(async () => {
  await fake.close();
});

async function pages(user: string): Promise<Id[][]> {
  const out: Id[][] = [];
  for await (const page of remover.memberships(slackId(T, user))) out.push(page.map((held) => held.room.id));
  return out;
}

describe('SlackRemover.memberships', () => {
  it('GIVEN bob in 253 channels THEN two pages of users.conversations for him (cursor), public and private, no DMs', async () => {
    const got = await pages('U0BOB');
    expect(got.map((p) => p.length)).toEqual([200, 53]);
    expect(new Set(got.flat())).toEqual(
      new Set(['C0GENERAL', 'C0RANDOM', 'G0SECRET', ...extra].map((c) => slackId(T, c))),
    );
    const calls = fake.callsTo('users.conversations');
    expect(calls.map((c) => [c.args.user, c.args.types])).toEqual([
      ['U0BOB', 'public_channel,private_channel'],
      ['U0BOB', 'public_channel,private_channel'],
    ]);
    expect(calls[0]?.args.cursor ?? '').toBe('');
    expect(calls[1]?.args.cursor).toBeTruthy();
  });

  it('GIVEN a user in no channel, or one Slack does not know THEN no page', async () => {
    expect(await pages('U0OWNERLESS')).toEqual([]);
    fake.addUser({ id: 'U0LONER', name: 'loner' });
    expect(await pages('U0LONER')).toEqual([]);
  });

  it('GIVEN Slack refuses the token THEN a ConnectorError unauthorized, not an empty list', async () => {
    fake.failNext('users.conversations', 'invalid_auth');
    await expect(pages('U0BOB')).rejects.toMatchObject({ name: 'ConnectorError', code: 'unauthorized' });
  });
});
