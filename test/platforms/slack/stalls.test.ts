import { afterEach, describe, expect, it } from 'vitest';
import { commands } from '../../../commands/index.js';
import { createCore, silentLogger } from '../../../src/core/index.js';
import { type HttpServer, startHttpServer } from '../../../src/http/server.js';
import { RETRY_AFTER_MAX_MS } from '../../../src/platforms/slack/answers.js';
import { slackConnector } from '../../../src/platforms/slack/connector.js';
import { createSlackFront } from '../../../src/platforms/slack/SlackFront.js';
import { slackWebClient } from '../../../src/platforms/slack/web-client.js';
import { MemoryStore } from '../../../src/store/MemoryStore.js';
import { FakeSlack } from '../../fakes/slack/FakeSlack.js';
import { postSigned, slashCommandBody } from '../../fakes/slack/signer.js';
import { CONFIG, SECRET, TOKEN, WORKSPACE } from '../../helpers/slack-rig.js';

let fake: FakeSlack | undefined;
let server: HttpServer | undefined;
afterEach(async () => {
  await server?.close();
  await fake?.close();
  server = undefined;
  fake = undefined;
});

/** kickbot as `serve` builds it for Slack (its WebClient, a store-paced connector, Bolt), on the fake Slack. */
async function kickbot(timeoutMs: number) {
  const f = await FakeSlack.start(WORKSPACE);
  fake = f;
  const client = slackWebClient(TOKEN, { logger: silentLogger, apiUrl: f.apiUrl, timeoutMs });
  const connector = slackConnector({
    client,
    config: CONFIG,
    logger: silentLogger,
    ratePerSecond: 1_000,
  });
  const core = createCore({
    directories: [connector.directory],
    removers: [connector.remover],
    store: new MemoryStore(),
    commands,
    execute: { backoffMs: 5 },
  });
  const front = createSlackFront({
    core,
    logger: silentLogger,
    botToken: TOKEN,
    signingSecret: SECRET,
    apiUrl: f.apiUrl,
  });
  server = await startHttpServer({
    port: 0,
    host: '127.0.0.1',
    routes: { '/slack/events': front.listener as never },
  });
  const events = `${server.url}/slack/events`;
  /** Types a command; `answer(ms)` is its answer on response_url, which must come within `ms`. */
  const type = async (command: string, text: string, user = 'U0MOD') => {
    const responseUrl = f.responseUrl();
    const body = slashCommandBody({
      command,
      text,
      user_id: user,
      channel_id: 'C0RANDOM',
      response_url: responseUrl,
    });
    expect((await postSigned(events, SECRET, body)).status).toBe(200);
    return {
      answer: async (ms: number) =>
        ((await f.waitForResponse(responseUrl, ms)).body as { text: string }).text,
    };
  };
  return { f, type };
}

/** While something else is stuck: help and a denied /kick (which asks Slack about users and the room) answer. */
async function othersStillAnswer(type: Awaited<ReturnType<typeof kickbot>>['type']): Promise<void> {
  const help = await type('/kickbot', 'help');
  expect(await help.answer(1_000)).toContain('kickbot commands:');
  const denied = await type('/kick', '<@U0CAROL|carol>', 'U0BOB');
  expect(await denied.answer(1_000)).toContain('Denied 1');
}

describe('Slack: one slow or rate-limited call does not stall the replica', () => {
  it('GIVEN conversations.kick answered 429 Retry-After: 600 THEN the kick ends failed rate-limited saying when, and other commands answer within a second', async () => {
    const { f, type } = await kickbot(10_000);
    expect(600_000).toBeGreaterThan(RETRY_AFTER_MAX_MS);
    f.failNext('conversations.kick', 'ratelimited', { status: 429, retryAfter: 600 });
    const kick = await type('/kick', '<@U0BOB|bob> spam');
    await f.waitForCall('conversations.kick', 5_000); // the 429 is in
    await othersStillAnswer(type);
    const text = await kick.answer(1_000);
    expect(text).toContain('Failed 1');
    expect(text).toContain('rate-limited');
    expect(text).toMatch(/try again after \d\d:\d\d UTC/);
    expect(f.callsTo('conversations.kick')).toHaveLength(1); // nothing waited 600 s, nothing hammered Slack
    expect(f.isMember('C0RANDOM', 'U0BOB')).toBe(true);
  });

  it('GIVEN conversations.kick never answers THEN other commands answer within a second, and the kick ends failed timeout after the core retried it', async () => {
    const { f, type } = await kickbot(300);
    f.delay('conversations.kick', 600_000);
    const kick = await type('/kick', '<@U0BOB|bob> spam');
    await f.waitFor(() => f.calls.some((c) => c.method === 'conversations.kick'), 5_000, 'the stuck kick');
    await othersStillAnswer(type);
    const text = await kick.answer(10_000);
    expect(text).toContain('Failed 1');
    expect(text).toContain('timeout');
    // one call per attempt of the core (1 + 3 retries): the WebClient itself does not repeat a timed-out call
    expect(f.callsTo('conversations.kick')).toHaveLength(4);
  });

  it('GIVEN a lookup (users.info) answered 429 Retry-After: 1 THEN that call alone waits and is tried again, and the kick goes ahead', async () => {
    const { f, type } = await kickbot(10_000);
    f.failNext('users.info', 'ratelimited', { status: 429, retryAfter: 1 });
    const kick = await type('/kick', '<@U0BOB|bob> spam');
    await f.waitFor(() => f.callsTo('users.info').some((c) => c.status === 429), 5_000, 'the 429');
    const help = await type('/kickbot', 'help');
    expect(await help.answer(1_000)).toContain('kickbot commands:');
    expect(await kick.answer(5_000)).toContain('Removed 1 | Not a member 0 | Denied 0 | Failed 0');
  });
});
