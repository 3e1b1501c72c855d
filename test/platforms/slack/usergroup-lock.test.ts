import { LogLevel, WebClient } from '@slack/web-api';
import type { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { type RemovalTarget, silentLogger } from '../../../src/core/index.js';
import { slackConnector } from '../../../src/platforms/slack/connector.js';
import { slackId } from '../../../src/platforms/slack/ids.js';
import type { SlackRemover } from '../../../src/platforms/slack/SlackRemover.js';
import { RedisStore } from '../../../src/store/RedisStore.js';
import { FakeSlack } from '../../fakes/slack/FakeSlack.js';
import { testClient, testPrefix } from '../../helpers/redis.js';
import { CONFIG, T, TOKEN, WORKSPACE } from '../../helpers/slack-rig.js';

let fake: FakeSlack | undefined;
const clients: Redis[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.quit()));
  await fake?.close();
  fake = undefined;
});

/** One replica: its own Redis client and store, its own WebClient and connector, on one Redis and one Slack. */
function replica(f: FakeSlack, prefix: string, locks: boolean): SlackRemover {
  const redis = testClient();
  clients.push(redis);
  const client = new WebClient(TOKEN, {
    slackApiUrl: f.apiUrl,
    retryConfig: { retries: 0 },
    logLevel: LogLevel.ERROR,
  });
  return slackConnector({
    client,
    config: CONFIG,
    logger: silentLogger,
    ...(locks ? { locks: new RedisStore(redis, { prefix }) } : {}),
  }).remover;
}

const target = (user: string): RemovalTarget => ({
  room: slackId(T, 'S0OPS'),
  user: slackId(T, user),
  actor: slackId(T, 'U0MOD'),
  caseId: 1,
});

async function race(locks: boolean) {
  fake = await FakeSlack.start({
    ...WORKSPACE,
    usergroups: [{ id: 'S0OPS', handle: 'ops', name: 'Ops', users: ['U0BOB', 'U0CAROL', 'U0DAVE'] }],
  });
  fake.delay('usergroups.users.list', 50); // without a lock both reads land before either write
  const prefix = testPrefix();
  const [a, b] = [replica(fake, prefix, locks), replica(fake, prefix, locks)];
  const results = await Promise.all([a.remove(target('U0BOB')), b.remove(target('U0CAROL'))]);
  expect(results).toEqual([{ outcome: 'removed' }, { outcome: 'removed' }]);
  return { users: fake.usergroups.get('S0OPS')?.users, f: fake };
}

describe('Slack user groups across replicas on one Redis', () => {
  it('GIVEN two replicas removing bob and carol from one group at once THEN the store lock puts them in turn and both stay removed', async () => {
    const { users, f } = await race(true);
    expect(users).toEqual(['U0DAVE']);
    const order = f.calls
      .filter((c) => c.method.startsWith('usergroups.users.'))
      .map((c) => c.method.slice('usergroups.users.'.length));
    expect(order).toEqual(['list', 'update', 'list', 'update']);
  });

  it('GIVEN the same race without the store lock THEN one of them is put back (what the lock prevents)', async () => {
    const { users } = await race(false);
    expect(users).toContain('U0DAVE');
    expect(users?.length).toBe(2);
  });
});
