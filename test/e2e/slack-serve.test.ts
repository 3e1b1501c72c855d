import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeSlack } from '../fakes/slack/FakeSlack.js';
import { postSigned, slashCommandBody } from '../fakes/slack/signer.js';
import { kickbot, killStarted, startKickbot } from '../helpers/cli.js';
import { SECRET, TOKEN, WORKSPACE } from '../helpers/slack-rig.js';

let fake: FakeSlack | undefined;
afterEach(async () => {
  await killStarted();
  await fake?.close();
  fake = undefined;
});

describe('kickbot serve with Slack configured (the real CLI against the fake Web API)', () => {
  it('GIVEN the three variables and a config file THEN /slack/events serves /kick with the config grants, and SIGTERM ends it', async () => {
    fake = await FakeSlack.start(WORKSPACE);
    const config = join(tmpdir(), `kickbot-config-${process.pid}.yaml`);
    writeFileSync(config, 'grants:\n  slack: { U0MOD: [moderator] }\n');
    const server = await startKickbot(
      ['serve'],
      {
        SLACK_BOT_TOKEN: TOKEN,
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: fake.apiUrl,
        KICKBOT_CONFIG: config,
      },
      /Slack on (http:\/\/127\.0\.0\.1:\d+\/slack\/events)/,
    );
    const events = server.match[1] as string;
    const responseUrl = fake.responseUrl();
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
    const result = await fake.waitForResponse(responseUrl, 10_000);
    expect((result.body as { text: string }).text).toContain(
      'Removed 1 | Not a member 0 | Denied 0 | Failed 0',
    );
    expect(fake.isMember('C0RANDOM', 'U0BOB')).toBe(false);
    expect(
      (await postSigned(events, 'wrong-secret', slashCommandBody({ command: '/kick', text: '<@U0CAROL>' })))
        .status,
    ).toBe(401);
    expect(await server.stop()).toBe(0);
  });

  it('GIVEN conversations.kick answers 429 Retry-After: 600 THEN the kick ends failed rate-limited saying when, while help and a denied /kick answer within a second', async () => {
    const f = await FakeSlack.start(WORKSPACE);
    fake = f;
    const config = join(tmpdir(), `kickbot-config-429-${process.pid}.yaml`);
    writeFileSync(config, 'grants:\n  slack: { U0MOD: [moderator] }\n');
    const server = await startKickbot(
      ['serve'],
      {
        SLACK_BOT_TOKEN: TOKEN,
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: f.apiUrl,
        SLACK_API_TIMEOUT: '2s',
        KICKBOT_CONFIG: config,
      },
      /Slack on (http:\/\/127\.0\.0\.1:\d+\/slack\/events)/,
    );
    const events = server.match[1] as string;
    const type = async (command: string, text: string, user = 'U0MOD') => {
      const url = f.responseUrl();
      const body = slashCommandBody({
        command,
        text,
        user_id: user,
        channel_id: 'C0RANDOM',
        response_url: url,
      });
      expect((await postSigned(events, SECRET, body)).status).toBe(200);
      return async (ms: number) => ((await f.waitForResponse(url, ms)).body as { text: string }).text;
    };
    f.failNext('conversations.kick', 'ratelimited', { status: 429, retryAfter: 600 });
    const kick = await type('/kick', '<@U0BOB|bob> spam');
    await f.waitForCall('conversations.kick', 10_000);
    expect(await (await type('/kickbot', 'help'))(1_000)).toContain('kickbot commands:');
    expect(await (await type('/kick', '<@U0CAROL|carol>', 'U0BOB'))(1_000)).toContain('Denied 1');
    const text = await kick(1_000);
    expect(text).toContain('rate-limited');
    expect(text).toMatch(/try again after \d\d:\d\d UTC/);
    expect(f.isMember('C0RANDOM', 'U0BOB')).toBe(true);
    expect(await server.stop()).toBe(0);
  });

  it('GIVEN a bot token without a signing secret or an app token THEN serve refuses to start and names what is missing', async () => {
    const { code, stderr: err } = await kickbot(['serve'], { env: { SLACK_BOT_TOKEN: TOKEN } });
    expect(code).toBe(2);
    expect(err).toContain('SLACK_SIGNING_SECRET');
    expect(err).toContain('SLACK_APP_TOKEN');
  });
});
