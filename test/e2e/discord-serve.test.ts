import { afterEach, describe, expect, it } from 'vitest';
import { keyPair, postInteraction } from '../fakes/discord/ed25519.js';
import { FakeDiscord, type FakeInteraction } from '../fakes/discord/FakeDiscord.js';
import { kickbot, killStarted, type Started, startKickbot } from '../helpers/cli.js';
import { kick, result, sees } from '../helpers/discord-flows.js';
import { D } from '../helpers/discord-rig.js';

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

  it('GIVEN DISCORD_PUBLIC_KEY without DISCORD_TOKEN THEN serve refuses to start and names what is missing', async () => {
    const { code, stderr: err } = await kickbot(['serve'], {
      env: { DISCORD_PUBLIC_KEY: keyPair().publicKeyHex },
    });
    expect(code).toBe(2);
    expect(err).toContain('DISCORD_TOKEN');
  });
});
