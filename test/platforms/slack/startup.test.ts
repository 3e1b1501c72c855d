import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/core/index.js';
import { type HttpServer, startHttpServer } from '../../../src/http/server.js';
import { createSlackFront } from '../../../src/platforms/slack/SlackFront.js';
import { FakeSlack } from '../../fakes/slack/FakeSlack.js';
import { postSigned, slashCommandBody } from '../../fakes/slack/signer.js';
import { closedPort, slackCore } from '../../helpers/slack-core.js';
import { SECRET, TOKEN } from '../../helpers/slack-rig.js';

let sink: FakeSlack | undefined;
let server: HttpServer | undefined;
const rejections: unknown[] = [];
const onRejection = (reason: unknown) => rejections.push(reason);

afterEach(async () => {
  process.off('unhandledRejection', onRejection);
  await server?.close();
  await sink?.close();
  server = undefined;
  sink = undefined;
});

/** Rejects when `promise` has not settled within `ms`: a bound on a wait, not a sleep. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took more than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** kickbot's Slack front in HTTP mode with the Web API at a port nothing listens on, mounted and started. */
async function unreachableSlack(): Promise<{ events: string; sink: FakeSlack; apiUrl: string }> {
  rejections.length = 0;
  process.on('unhandledRejection', onRejection);
  const apiUrl = `http://127.0.0.1:${await closedPort()}/api/`;
  const { core } = slackCore({ apiUrl, retries: 0 });
  const front = createSlackFront({
    core,
    logger: silentLogger,
    botToken: TOKEN,
    signingSecret: SECRET,
    apiUrl,
  });
  expect(front.listener).toBeDefined();
  await within(front.start(), 1_000, 'start()');
  server = await startHttpServer({
    port: 0,
    host: '127.0.0.1',
    routes: { '/slack/events': front.listener ?? (() => {}) },
  });
  // Slack's Web API is unreachable; only the response_url sink of a fake answers.
  sink = await FakeSlack.start({ botToken: TOKEN });
  return { events: `${server.url}/slack/events`, sink, apiUrl };
}

describe('Slack front end: start-up while Slack is unreachable', () => {
  it('GIVEN the Web API at a closed port THEN createSlackFront and start return at once, a signed /kickbot help gets 200 and its answer on response_url, and nothing rejects unhandled', async () => {
    const { events, sink: s } = await unreachableSlack();
    const responseUrl = s.responseUrl();
    const ack = await within(
      postSigned(
        events,
        SECRET,
        slashCommandBody({
          command: '/kickbot',
          text: 'help',
          user_id: 'U0MOD',
          channel_id: 'C0RANDOM',
          response_url: responseUrl,
        }),
      ),
      2_000,
      'the ack',
    );
    expect(ack.status).toBe(200);
    expect(ack.json).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringContaining('Working on'),
    });

    const res = await s.waitForResponse(responseUrl, 5_000);
    const body = res.body as { response_type?: string; text: string; blocks?: unknown[] };
    expect(body.response_type).toBe('ephemeral');
    expect(body.text).toContain('kickbot commands:');
    expect(body.blocks?.length).toBeGreaterThan(0);
    expect(s.calls).toHaveLength(0); // the sink is not the Web API: nothing was asked of it
    expect(rejections).toEqual([]);
  });

  it('GIVEN the Web API at a closed port WHEN a /kick needs it THEN the moderator gets an answer (not a hang), and nothing rejects unhandled', async () => {
    const { events, sink: s } = await unreachableSlack();
    const responseUrl = s.responseUrl();
    const ack = await postSigned(
      events,
      SECRET,
      slashCommandBody({
        command: '/kick',
        text: '<@U0BOB|bob> spam',
        user_id: 'U0MOD',
        channel_id: 'C0RANDOM',
        response_url: responseUrl,
      }),
    );
    expect(ack.status).toBe(200);
    const res = await s.waitForResponse(responseUrl, 10_000);
    const body = res.body as { response_type?: string; text: string };
    expect(body.response_type).toBe('ephemeral');
    // Planning needs users.info and conversations.info: the command is refused as a whole, saying that Slack
    // could not be reached (a retry can help), and nothing is half done.
    expect(body.text).toBe(
      'kickbot could not get an answer from slack: try again in a moment. Nothing was done.',
    );
    expect(rejections).toEqual([]);
  });
});
