import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeSlack, type FakeSlackOptions } from '../fakes/slack/FakeSlack.js';
import { postSigned, slashCommandBody } from '../fakes/slack/signer.js';
import { killStarted, startKickbot } from '../helpers/cli.js';
import { SECRET, TOKEN, WORKSPACE } from '../helpers/slack-rig.js';
import { scrape } from './exposition.js';

/** The rig's workspace with more people in #random, so that one server can remove someone in every step. */
const PEOPLE: FakeSlackOptions = {
  ...WORKSPACE,
  users: [...(WORKSPACE.users ?? []), { id: 'U0ERIN', name: 'erin' }, { id: 'U0FRANK', name: 'frank' }],
  channels: [
    {
      id: 'C0RANDOM',
      name: 'random',
      members: ['U0ADMIN', 'U0MOD', 'U0BOB', 'U0CAROL', 'U0DAVE', 'U0ERIN', 'U0FRANK', 'U00FAKEBOT03'],
    },
  ],
};

let fake: FakeSlack | undefined;
afterEach(async () => {
  await killStarted();
  await fake?.close();
  fake = undefined;
});

describe('/metrics after Slack commands (kickbot serve against the fake Web API)', () => {
  it('GIVEN /kick of 3 (1 refused), help, a 429 and a hostile error THEN the counts match what was done and every label is bounded', async () => {
    const f = await FakeSlack.start(PEOPLE);
    fake = f;
    const config = join(tmpdir(), `kickbot-metrics-slack-${process.pid}.yaml`);
    writeFileSync(config, 'grants:\n  slack: { U0MOD: [moderator] }\n');
    const server = await startKickbot(
      ['serve'],
      {
        SLACK_BOT_TOKEN: TOKEN,
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: f.apiUrl,
        SLACK_KICK_RATE: '60000/1m', // no pacing to speak of: the waits counted below are the 429's
        KICKBOT_CONFIG: config,
      },
      /Slack on (http:\/\/127\.0\.0\.1:\d+)\/slack\/events/,
    );
    const base = server.match[1] as string;
    const metrics = `${base}/metrics`;
    const type = async (command: string, text: string) => {
      const url = f.responseUrl();
      const body = slashCommandBody({
        command,
        text,
        user_id: 'U0MOD',
        channel_id: 'C0RANDOM',
        response_url: url,
      });
      expect((await postSigned(`${base}/slack/events`, SECRET, body)).status).toBe(200);
      return url;
    };
    const text = async (url: string) =>
      ((await f.waitForResponse(url, 10_000)).body as { text: string }).text;

    expect(await text(await type('/kick', '<@U0BOB|bob> <@U0CAROL|carol> <@U0ADMIN|ada> spam'))).toContain(
      'Removed 2 | Not a member 0 | Denied 1 | Failed 0',
    );
    expect(await text(await type('/kickbot', 'help'))).toContain('kickbot commands:');
    await type('/zzz-not-a-command', 'x'); // acked, and no command ran
    let s = await scrape(metrics);
    expect(s.value('kickbot_removals_total', { platform: 'slack', outcome: 'removed' })).toBe(2);
    expect(s.value('kickbot_removals_total', { platform: 'slack', outcome: 'denied' })).toBe(1);
    expect(s.value('kickbot_commands_total', { platform: 'slack', command: 'kick', result: 'partial' })).toBe(
      1,
    );
    expect(s.value('kickbot_commands_total', { platform: 'slack', command: 'kickbot', result: 'info' })).toBe(
      1,
    );
    expect(s.value('kickbot_commands_total')).toBe(2);
    expect(s.value('kickbot_ack_seconds_count', { platform: 'slack' })).toBe(3);
    expect(
      s.value('kickbot_platform_call_seconds_count', { platform: 'slack', method: 'conversations.kick' }),
    ).toBe(2);
    expect(s.value('kickbot_store_up')).toBe(1);
    const waited = s.value('kickbot_rate_limit_wait_seconds_total', { platform: 'slack' });

    // A 429 with Retry-After: 1: the core waits it out and the kick goes through.
    f.failNext('conversations.kick', 'ratelimited', { status: 429, retryAfter: 1 });
    expect(await text(await type('/kick', '<@U0DAVE|dave>'))).toContain('Removed 1 |');
    s = await scrape(metrics);
    expect(s.value('kickbot_rate_limit_wait_seconds_total', { platform: 'slack' }) - waited).toBeGreaterThan(
      0.99,
    );
    expect(s.value('kickbot_platform_errors_total', { platform: 'slack', code: 'ratelimited' })).toBe(1);

    // Slack's error string never becomes a label: 10,000 random characters count as `other`.
    f.failNext('conversations.kick', randomBytes(7_500).toString('base64'));
    expect(await text(await type('/kick', '<@U0ERIN|erin>'))).toContain('Failed 1');
    s = await scrape(metrics);
    expect(s.value('kickbot_platform_errors_total', { platform: 'slack', code: 'other' })).toBe(1);
    expect(s.value('kickbot_removals_total', { platform: 'slack', outcome: 'failed' })).toBe(1);
    expect(s.value('kickbot_commands_total', { platform: 'slack', command: 'kick' })).toBe(3);
    const labels = s.samples.flatMap((x) => Object.values(x.labels));
    expect(labels.every((v) => v.length <= 80)).toBe(true);

    const head = await fetch(metrics, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect((await fetch(metrics, { method: 'POST', body: 'x' })).status).toBe(405);
    expect(await server.stop()).toBe(0);
  });
});
