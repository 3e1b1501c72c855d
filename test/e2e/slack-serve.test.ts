import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeSlack } from '../fakes/slack/FakeSlack.js';
import { postSigned, slashCommandBody } from '../fakes/slack/signer.js';
import { SECRET, TOKEN, WORKSPACE } from '../helpers/slack-rig.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin', 'kickbot.js');

function env(extra: Record<string, string>): NodeJS.ProcessEnv {
  const out = { ...process.env };
  for (const key of Object.keys(out)) {
    if (/^(LOG_LEVEL|NODE_OPTIONS|SLACK_|DISCORD_|REDIS_|KICKBOT_|PORT$|HOST$)/.test(key)) delete out[key];
  }
  return { ...out, PORT: '0', ...extra };
}

let child: ChildProcessWithoutNullStreams | undefined;
let fake: FakeSlack | undefined;
afterEach(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    child.kill('SIGKILL');
    await once(child, 'exit');
  }
  await fake?.close();
  child = undefined;
  fake = undefined;
});

/** Starts `kickbot serve` and resolves with its Slack endpoint once it says where it listens. */
async function serve(extra: Record<string, string>): Promise<string> {
  const proc = spawn(process.execPath, [BIN, 'serve'], { cwd: ROOT, env: env(extra) });
  child = proc;
  let out = '';
  return new Promise((resolve, reject) => {
    proc.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Slack on (http:\/\/127\.0\.0\.1:\d+\/slack\/events)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    proc.on('exit', (code) => reject(new Error(`serve exited (${code}): ${out}`)));
  });
}

describe('kickbot serve with Slack configured (the real CLI against the fake Web API)', () => {
  it('GIVEN the three variables and a config file THEN /slack/events serves /kick with the config grants, and SIGTERM ends it', async () => {
    fake = await FakeSlack.start(WORKSPACE);
    const config = join(tmpdir(), `kickbot-config-${process.pid}.yaml`);
    writeFileSync(config, 'grants:\n  slack: { U0MOD: [moderator] }\n');
    const events = await serve({
      SLACK_BOT_TOKEN: TOKEN,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: fake.apiUrl,
      KICKBOT_CONFIG: config,
    });
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
    child?.kill('SIGTERM');
    const [code] = await once(child as ChildProcessWithoutNullStreams, 'exit');
    expect(code).toBe(0);
  });

  it('GIVEN a bot token without a signing secret or an app token THEN serve refuses to start and names what is missing', async () => {
    const proc = spawn(process.execPath, [BIN, 'serve'], { cwd: ROOT, env: env({ SLACK_BOT_TOKEN: TOKEN }) });
    child = proc;
    let err = '';
    proc.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    const [code] = await once(proc, 'exit');
    expect(code).toBe(2);
    expect(err).toContain('SLACK_SIGNING_SECRET');
    expect(err).toContain('SLACK_APP_TOKEN');
  });
});
