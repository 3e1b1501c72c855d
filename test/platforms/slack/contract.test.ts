import { WebClient } from '@slack/web-api';
import { silentLogger } from '../../../src/core/index.js';
import { slackConnector } from '../../../src/platforms/slack/connector.js';
import { slackId, splitSlackId } from '../../../src/platforms/slack/ids.js';
import { slackLogger } from '../../../src/platforms/slack/logger.js';
import { FakeSlack } from '../../fakes/slack/FakeSlack.js';
import { CONFIG, T, TOKEN, WORKSPACE } from '../../helpers/slack-rig.js';
import { directoryContract, removerContract } from '../contract.js';

/** Slack's directory and remover against the fake Slack Web API. */

const id = (local: string) => slackId(T, local);
const local = (x: string) => splitSlackId(x).local;

async function slackOn() {
  const fake = await FakeSlack.start(WORKSPACE);
  const client = new WebClient(TOKEN, {
    slackApiUrl: fake.apiUrl,
    retryConfig: { retries: 0 },
    logger: slackLogger(silentLogger),
  });
  const connector = slackConnector({ client, config: CONFIG, logger: silentLogger });
  return { fake, ...connector };
}

removerContract('slack', async () => {
  const { fake, remover } = await slackOn();
  return {
    remover,
    room: id('C0RANDOM'),
    member: id('U0BOB'),
    member2: id('U0CAROL'),
    outsider: id('U0DAVE'),
    unknownRoom: id('C0NOWHERE'),
    isMember: (room, user) => fake.isMember(local(room), local(user)),
    close: () => fake.close(),
  };
});

directoryContract('slack', async () => {
  const { fake, directory } = await slackOn();
  return {
    directory,
    scope: { workspace: `slack:${T}` },
    user: { typed: '<@U0BOB|bob>', id: id('U0BOB') },
    room: { typed: '<#C0RANDOM|random>', id: id('C0RANDOM') },
    unknownUser: { typed: '@nobody', id: id('U0NOBODY') },
    area: { name: 'payments', room: id('C0RANDOM') },
    close: () => fake.close(),
  };
});
