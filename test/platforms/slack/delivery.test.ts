import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { commands } from '../../../commands/index.js';
import { createCore, type Logger, type Store, silentLogger } from '../../../src/core/index.js';
import { type HttpServer, startHttpServer } from '../../../src/http/server.js';
import { slackConnector } from '../../../src/platforms/slack/connector.js';
import { createSlackFront } from '../../../src/platforms/slack/SlackFront.js';
import { slackWebClient } from '../../../src/platforms/slack/web-client.js';
import { MemoryStore } from '../../../src/store/MemoryStore.js';
import { FakeSlack } from '../../fakes/slack/FakeSlack.js';
import { postSigned, slashCommandBody, triggerId } from '../../fakes/slack/signer.js';
import { captureLogger } from '../../helpers/log-capture.js';
import { testClient, testStore } from '../../helpers/redis.js';
import { slackCore } from '../../helpers/slack-core.js';
import { CONFIG, SECRET, T, TOKEN, WORKSPACE } from '../../helpers/slack-rig.js';

const redis = testClient();
afterAll(() => redis.quit());

let fake: FakeSlack | undefined;
const servers: HttpServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  await fake?.close();
  fake = undefined;
});

/** One kickbot replica: a core and a Slack front on its own HTTP server, against `apiUrl`, on `store`. */
async function replica(f: FakeSlack, store: Store, logger?: Logger): Promise<string> {
  const { core } = slackCore({ apiUrl: f.apiUrl, store });
  const front = createSlackFront({
    core,
    logger: logger ?? silentLogger,
    botToken: TOKEN,
    signingSecret: SECRET,
    apiUrl: f.apiUrl,
  });
  if (!front.listener) throw new Error('HTTP mode expected');
  const server = await startHttpServer({
    port: 0,
    host: '127.0.0.1',
    routes: { '/slack/events': front.listener },
  });
  servers.push(server);
  return `${server.url}/slack/events`;
}

/** `/kickbot help` on a replica, answered: a barrier behind everything that replica was sent before. */
async function help(f: FakeSlack, events: string): Promise<void> {
  const url = f.responseUrl();
  await postSigned(
    events,
    SECRET,
    slashCommandBody({ command: '/kickbot', text: 'help', response_url: url }),
  );
  await f.waitForResponse(url, 5_000);
}

describe('Slack: a redelivered command answers the moderator once', () => {
  it('GIVEN one trigger_id delivered 5 times to each of 2 replicas on one Redis THEN 1 kick, 1 room notice and 1 post to response_url', async () => {
    fake = await FakeSlack.start(WORKSPACE);
    const store = testStore(redis);
    const replicas = [await replica(fake, store), await replica(fake, store)];
    const responseUrl = fake.responseUrl();
    const body = slashCommandBody({
      command: '/kick',
      text: '<@U0BOB|bob> spam',
      user_id: 'U0MOD',
      channel_id: 'C0RANDOM',
      response_url: responseUrl,
      trigger_id: triggerId(),
    });
    const acks = await Promise.all(
      Array.from({ length: 10 }, (_, i) => postSigned(replicas[i % 2] as string, SECRET, body)),
    );
    expect(acks.map((a) => a.status)).toEqual(Array(10).fill(200));
    const first = await fake.waitForResponse(responseUrl, 10_000);
    expect((first.body as { text: string }).text).toContain('Removed 1 | Not a member 0');
    // Every delivery has been handled once both work queues answered a later command.
    const f = fake;
    await Promise.all(replicas.map((events) => help(f, events)));
    await Promise.all(replicas.map((events) => help(f, events)));
    expect(fake.responses.filter((r) => `${f.url}/response/${r.id}` === responseUrl)).toHaveLength(1);
    expect(fake.callsTo('conversations.kick')).toHaveLength(1);
    expect(fake.callsTo('chat.postMessage')).toHaveLength(1);
  });
});

describe('Slack: log lines hold no capability URL, token or message text', () => {
  it('GIVEN response_url answers 500 THEN "reply not delivered" names the invocation and the status, not the URL or the text', async () => {
    fake = await FakeSlack.start(WORKSPACE);
    const lines: string[] = [];
    const events = await replica(fake, testStore(redis), captureLogger(lines));
    fake.failResponses(500);
    const secretPath = 'T0KICK/424242/capability-secret-xyz';
    const responseUrl = fake.responseUrl(secretPath);
    const trigger = triggerId();
    await postSigned(
      events,
      SECRET,
      slashCommandBody({
        command: '/kick',
        text: '<@U0BOB|bob> very-private-reason',
        user_id: 'U0MOD',
        channel_id: 'C0RANDOM',
        response_url: responseUrl,
        trigger_id: trigger,
      }),
    );
    await vi.waitFor(() => expect(lines.some((l) => l.includes('reply not delivered'))).toBe(true), {
      timeout: 10_000,
      interval: 10,
    });
    const line = JSON.parse(lines.find((l) => l.includes('reply not delivered')) as string) as {
      invocation: string;
      err: { status?: number };
    };
    expect(line.invocation).toBe(`slack:${trigger}`);
    expect(line.err.status).toBe(500);
    const all = lines.join('\n');
    for (const secret of ['capability-secret-xyz', '/response/', 'very-private-reason', 'Removed 1', TOKEN]) {
      expect(all).not.toContain(secret);
    }
  });

  it('GIVEN chat.postMessage times out THEN the core logs the unposted room confirmation without its text', async () => {
    const f = await FakeSlack.start(WORKSPACE);
    fake = f;
    const lines: string[] = [];
    const logger = captureLogger(lines);
    const client = slackWebClient(TOKEN, { logger, apiUrl: f.apiUrl, timeoutMs: 200 });
    const connector = slackConnector({ client, config: CONFIG, logger, ratePerSecond: 1_000 });
    const core = createCore({
      directories: [connector.directory],
      removers: [connector.remover],
      store: new MemoryStore(),
      commands,
      logger,
    });
    f.delay('chat.postMessage', 60_000);
    const reply = await core.handle({
      id: `slack:${triggerId()}`,
      platform: 'slack',
      workspace: `slack:${T}`,
      actor: `slack:${T}/U0MOD`,
      channel: `slack:${T}/C0RANDOM`,
      command: 'kick',
      input: { text: '<@U0BOB|bob> very-private-reason' },
      receivedAt: Date.now(),
    });
    expect(reply).toMatchObject({ kind: 'result', summary: expect.stringContaining('Removed 1') });
    const line = lines.find((l) => l.includes('room confirmation not posted'));
    expect(line).toBeDefined();
    expect(lines.join('\n')).not.toContain('very-private-reason');
    expect(lines.join('\n')).not.toContain(TOKEN);
  });
});
