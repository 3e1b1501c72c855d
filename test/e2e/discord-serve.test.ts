import { afterEach, describe, expect, it, vi } from 'vitest';
import { keyPair, postInteraction } from '../fakes/discord/ed25519.js';
import { FakeDiscord, type FakeInteraction } from '../fakes/discord/FakeDiscord.js';
import { kickbot, killStarted, type Started, startKickbot } from '../helpers/cli.js';
import { kick, result, sees } from '../helpers/discord-flows.js';
import { D } from '../helpers/discord-rig.js';
import { closedPort } from '../helpers/slack-core.js';

let fake: FakeDiscord | undefined;
afterEach(async () => {
  await killStarted();
  await fake?.close();
  fake = undefined;
});

/** `kickbot serve`, once it has printed its start banner. */
const serve = (env: Record<string, string>): Promise<Started> =>
  startKickbot(['serve'], env, /^kickbot serve .*\n/);

describe('kickbot serve with Discord configured (the real CLI against the fake Discord)', () => {
  it('GIVEN DISCORD_TOKEN and DISCORD_PUBLIC_KEY THEN /discord/interactions answers a signed /kick, and refuses a bad signature', async () => {
    fake = await FakeDiscord.start();
    const keys = keyPair();
    const server = await serve({
      DISCORD_TOKEN: fake.token,
      DISCORD_PUBLIC_KEY: keys.publicKeyHex,
      DISCORD_API_URL: fake.apiUrl,
    });
    const url = /Discord on (http:\/\/127\.0\.0\.1:\d+\/discord\/interactions)/.exec(server.match[0])?.[1];
    expect(url).toBeDefined();
    const endpoint = url as string;

    const interaction: FakeInteraction = kick(fake, { user: D.users.bob, reason: 'spam' });
    const answered = await postInteraction(endpoint, keys.privateKey, interaction);
    expect(answered.status).toBe(200);
    expect(answered.body).toEqual({ type: 5, data: { flags: 64 } });
    // Discord turns the inline answer into the interaction's response; the fake learns of it this way.
    await fetch(`${fake.apiUrl}/v10/interactions/${interaction.id}/${interaction.token}/callback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(answered.body),
    });
    expect((await result(fake, interaction, 10_000)).content).toBe(
      'Removed 1 | Not a member 0 | Denied 0 | Failed 0 · case 1',
    );
    expect(sees(fake, D.channels.private, D.users.bob)).toBe(false);

    const forged = await postInteraction(endpoint, keys.privateKey, kick(fake, { user: D.users.alice }), {
      wrongKey: true,
    });
    expect(forged.status).toBe(401);
    expect(sees(fake, D.channels.private, D.users.alice)).toBe(true);
    expect(await server.stop()).toBe(0);
  });

  it('GIVEN DISCORD_TOKEN only THEN the gateway logs in, a dispatched /kick is answered, and SIGTERM ends it', async () => {
    fake = await FakeDiscord.start();
    const ready = fake.waitForReady(1, 10_000);
    const server = await serve({ DISCORD_TOKEN: fake.token, DISCORD_API_URL: fake.apiUrl });
    expect(server.match[0]).toContain('Discord over the gateway');
    await ready;

    const interaction = fake.dispatchInteraction(kick(fake, { user: D.users.bob }));
    expect((await fake.waitForCallback(interaction.id, 10_000)).type).toBe(5);
    expect((await result(fake, interaction, 10_000)).content).toBe(
      'Removed 1 | Not a member 0 | Denied 0 | Failed 0 · case 1',
    );
    expect(sees(fake, D.channels.private, D.users.bob)).toBe(false);
    expect(await server.stop()).toBe(0);
  });

  it.each([
    ['HTTP interactions', true],
    ['gateway', false],
  ])(
    'GIVEN a token Discord refuses (%s mode) THEN serve exits 2 with one line saying so, no stack trace',
    async (_mode, http) => {
      fake = await FakeDiscord.start();
      const wrong = `${fake.token.slice(0, -3)}xyz`;
      const { code, stderr: err } = await kickbot(['serve'], {
        env: {
          DISCORD_TOKEN: wrong,
          DISCORD_API_URL: fake.apiUrl,
          ...(http ? { DISCORD_PUBLIC_KEY: keyPair().publicKeyHex } : {}),
        },
      });
      expect(code).toBe(2);
      expect(err.trim()).toBe(
        'kickbot: Discord refused DISCORD_TOKEN (401 Unauthorized): copy the bot token from the Developer Portal (Bot → Reset Token)',
      );
      expect(err).not.toContain(wrong);
    },
  );

  it('GIVEN DISCORD_TOKEN only and Discord unreachable at start THEN serve keeps running, says so once, /healthz is 503 connecting, and it connects once Discord is up', async () => {
    const port = await closedPort();
    const token = 'MTAwMDAwMDAwMDAwMDAwMDAw.fake.unreachable-token-0123456789';
    const server = await serve({ DISCORD_TOKEN: token, DISCORD_API_URL: `http://127.0.0.1:${port}/api` });
    expect(server.match[0]).toContain('Discord over the gateway (connecting)');
    let stderr = '';
    server.child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const healthz = `${/HTTP on (http:\/\/127\.0\.0\.1:\d+)/.exec(server.match[0])?.[1]}/healthz`;
    const down = await fetch(healthz);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ ok: false, discord: 'connecting' });

    // Discord comes up where kickbot was told to look: the next attempt of the backoff gets in.
    fake = await FakeDiscord.start({ port, token });
    await fake.waitForReady(1, 20_000);
    const up = await vi.waitFor(
      async () => {
        const res = await fetch(healthz);
        expect(res.status).toBe(200);
        return res;
      },
      { timeout: 5_000, interval: 50 },
    );
    expect(await up.json()).toMatchObject({ ok: true, discord: 'connected' });
    const interaction = fake.dispatchInteraction(kick(fake, { user: D.users.bob }));
    expect((await result(fake, interaction, 10_000)).content).toContain('Removed 1');

    const said = stderr.split('\n').filter((l) => l.includes('cannot reach Discord'));
    expect(said).toHaveLength(1);
    expect(stderr).not.toContain('internal error');
    expect(stderr).not.toContain(token);
    expect(await server.stop()).toBe(0);
  });

  it('GIVEN Discord unreachable and no DISCORD_APPLICATION_ID THEN invite-url says to set DISCORD_APPLICATION_ID (exit 2), not an internal error', async () => {
    const port = await closedPort();
    const { code, stderr: err } = await kickbot(['invite-url', 'discord'], {
      env: {
        DISCORD_TOKEN: 'MTAwMDAwMDAwMDAwMDAwMDAw.fake.unreachable-token-0123456789',
        DISCORD_API_URL: `http://127.0.0.1:${port}/api`,
      },
    });
    expect(code).toBe(2);
    expect(err).toContain('set DISCORD_APPLICATION_ID');
    expect(err).not.toContain('internal error');
    expect(err.trim().split('\n')).toHaveLength(1);
  });

  it('GIVEN DISCORD_PUBLIC_KEY without DISCORD_TOKEN THEN serve refuses to start and names what is missing', async () => {
    const { code, stderr: err } = await kickbot(['serve'], {
      env: { DISCORD_PUBLIC_KEY: keyPair().publicKeyHex },
    });
    expect(code).toBe(2);
    expect(err).toContain('DISCORD_TOKEN');
  });
});
