import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { keyPair } from '../fakes/discord/ed25519.js';
import { FakeDiscord } from '../fakes/discord/FakeDiscord.js';
import { FakeSlack } from '../fakes/slack/FakeSlack.js';
import { postSigned, slashCommandBody } from '../fakes/slack/signer.js';
import { killStarted, type Started, startKickbot } from '../helpers/cli.js';
import { sendRaw, streamBody } from '../helpers/http.js';
import { SECRET, TOKEN, WORKSPACE } from '../helpers/slack-rig.js';

/** `kickbot serve`'s one HTTP port under wrong methods, oversized bodies and requests from the future. */

let slack: FakeSlack | undefined;
let discord: FakeDiscord | undefined;
let occupied: Server | undefined;
afterEach(async () => {
  await killStarted();
  await slack?.close();
  await discord?.close();
  occupied?.close();
  slack = discord = occupied = undefined;
});

/** `kickbot serve` with every route mounted: Slack and Discord over HTTP, and the API. */
async function serveAll(): Promise<{ server: Started; base: string }> {
  slack = await FakeSlack.start(WORKSPACE);
  discord = await FakeDiscord.start();
  const server = await startKickbot(
    ['serve'],
    {
      SLACK_BOT_TOKEN: TOKEN,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.apiUrl,
      DISCORD_TOKEN: discord.token,
      DISCORD_PUBLIC_KEY: keyPair().publicKeyHex,
      DISCORD_API_URL: discord.apiUrl,
      KICKBOT_API_KEY: 'e2e-api-key-0123456789',
    },
    /^kickbot serve .*HTTP on (http:\/\/127\.0\.0\.1:\d+) .*\n/,
  );
  return { server, base: server.match[1] as string };
}

const ROUTES: [string, string][] = [
  ['/slack/events', 'POST'],
  ['/discord/interactions', 'POST'],
  ['/api/v1/removals', 'POST'],
  ['/healthz', 'GET, HEAD'],
];
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

describe('kickbot serve: one request never stops it', () => {
  it('GIVEN every route THEN every method gets an answer (405 with Allow where it does not apply), no 5xx, and /healthz still answers', async () => {
    const { server, base } = await serveAll();
    for (const [path, allow] of ROUTES) {
      for (const method of METHODS) {
        const res = await fetch(`${base}${path}`, {
          method,
          ...(method === 'GET' || method === 'HEAD' ? {} : { body: 'x=1' }),
        });
        const allowed = allow.split(', ').includes(method);
        expect(res.status, `${method} ${path}`).toBe(allowed ? res.status : 405);
        expect(res.status, `${method} ${path}`).toBeLessThan(500);
        if (!allowed) expect(res.headers.get('allow'), `${method} ${path}`).toBe(allow);
        await res.arrayBuffer();
      }
      const trace = await sendRaw(base, `TRACE ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      expect(trace, `TRACE ${path}`).toMatch(/^HTTP\/1\.1 405 /);
    }
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect(server.child.exitCode).toBeNull();
    expect(await server.stop()).toBe(0);
  });
});

describe('kickbot serve: bounded bodies', () => {
  it('GIVEN ten concurrent unsigned 100 MB posts to /slack/events THEN each gets 413 before it is all sent, and kickbot still serves a signed /kick', async () => {
    const { server, base } = await serveAll();
    const sent = await Promise.all(
      Array.from({ length: 10 }, () => streamBody(`${base}/slack/events`, 100 * 1024 * 1024)),
    );
    for (const s of sent) {
      expect(s.status).toBe(413);
      expect(s.finished).toBe(false);
      expect(s.writtenAtAnswer).toBeLessThan(16 * 1024 * 1024);
    }
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ack = await postSigned(
      `${base}/slack/events`,
      SECRET,
      slashCommandBody({ command: '/kickbot', text: 'help', user_id: 'U0MOD', channel_id: 'C0RANDOM' }),
    );
    expect(ack.status).toBe(200);
    expect(await server.stop()).toBe(0);
  });

  it('GIVEN a Content-Length of 300 MB on every route THEN 413 at once, no body byte needed', async () => {
    const { server, base } = await serveAll();
    for (const [path, allow] of ROUTES) {
      const method = allow.split(', ')[0] as string;
      const answer = await sendRaw(
        base,
        `${method} ${path} HTTP/1.1\r\nHost: x\r\nContent-Length: 314572800\r\n\r\n`,
      );
      expect(answer, `${method} ${path}`).toMatch(/^HTTP\/1\.1 413 /);
    }
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect(await server.stop()).toBe(0);
  });
});

describe('kickbot serve: Slack timestamps', () => {
  it('GIVEN a correctly signed /kick stamped 6 minutes ahead THEN 401, no Web API call, and the user is still in the room', async () => {
    const { server, base } = await serveAll();
    const fake = slack as FakeSlack;
    const responseUrl = fake.responseUrl();
    const res = await postSigned(
      `${base}/slack/events`,
      SECRET,
      slashCommandBody({
        command: '/kick',
        text: '<@U0BOB|bob> spam',
        user_id: 'U0MOD',
        channel_id: 'C0RANDOM',
        response_url: responseUrl,
      }),
      { timestamp: Math.floor(Date.now() / 1000) + 360 },
    );
    expect(res.status).toBe(401);
    expect(fake.calls.filter((c) => c.method === 'conversations.kick')).toEqual([]);
    expect(fake.isMember('C0RANDOM', 'U0BOB')).toBe(true);
    expect(await server.stop()).toBe(0);
  });
});

describe('kickbot serve with no platform when PORT is taken', () => {
  it('GIVEN PORT in use THEN the console starts anyway, with one line saying /healthz is off', async () => {
    occupied = createServer();
    await new Promise<void>((resolve) => occupied?.listen(0, '127.0.0.1', resolve));
    const port = (occupied.address() as { port: number }).port;
    const server = await startKickbot(
      ['serve'],
      { PORT: String(port), HOST: '127.0.0.1' },
      /Type \/kickbot help for commands/,
    );
    const out = server.match.input;
    expect(out).toContain(`/healthz is off: PORT ${port} is in use`);
    expect(out.match(/healthz/g)).toHaveLength(1);
    expect(out).not.toContain('internal error');
    expect(out).toContain('kickbot console · workspace "demo"');
    server.child.stdin.end(':quit\n');
    const [code] = await new Promise<[number | null]>((resolve) =>
      server.child.once('exit', (c) => resolve([c])),
    );
    expect(code).toBe(0);
  });
});
