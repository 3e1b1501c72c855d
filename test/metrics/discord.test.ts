import { afterEach, describe, expect, it } from 'vitest';
import { keyPair, postInteraction } from '../fakes/discord/ed25519.js';
import { FakeDiscord, type FakeInteraction } from '../fakes/discord/FakeDiscord.js';
import { killStarted, type Started, startKickbot } from '../helpers/cli.js';
import { kick, result } from '../helpers/discord-flows.js';
import { D } from '../helpers/discord-rig.js';
import { type Scrape, scrape } from './exposition.js';

let fake: FakeDiscord | undefined;
afterEach(async () => {
  await killStarted();
  await fake?.close();
  fake = undefined;
});

const serve = (env: Record<string, string>): Promise<Started> =>
  startKickbot(['serve'], env, /HTTP on (http:\/\/127\.0\.0\.1:\d+)/);

/** Discord's REST calls as route templates: the API's words and `:id`, never an id or a token. */
function expectTemplates(s: Scrape): string[] {
  const routes = s
    .series('kickbot_platform_call_seconds_count')
    .filter((x) => x.labels.platform === 'discord');
  const methods = routes.map((x) => x.labels.method ?? '');
  expect(methods.length).toBeGreaterThan(0);
  for (const m of methods) expect(m).toMatch(/^(GET|POST|PUT|PATCH|DELETE) (\/([a-z@-]+|:id))+$/);
  return methods;
}

describe('/metrics after Discord commands (kickbot serve against the fake Discord)', () => {
  it('GIVEN HTTP interactions and a 429 THEN a /kick counts its deferral, its REST routes as templates, the wait, its pair and its command', async () => {
    fake = await FakeDiscord.start();
    const keys = keyPair();
    const server = await serve({
      DISCORD_TOKEN: fake.token,
      DISCORD_PUBLIC_KEY: keys.publicKeyHex,
      DISCORD_API_URL: fake.apiUrl,
    });
    const base = server.match[1] as string;
    // The overwrite that removes bob answers 429 once: @discordjs/rest waits the Retry-After and tries again.
    fake.failNext('PUT /channels/:c/permissions/:id', { status: 429, retryAfter: 1 });
    const interaction: FakeInteraction = kick(fake, { user: D.users.bob, reason: 'spam' });
    const answered = await postInteraction(`${base}/discord/interactions`, keys.privateKey, interaction);
    expect(answered.status).toBe(200);
    await fetch(`${fake.apiUrl}/v10/interactions/${interaction.id}/${interaction.token}/callback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(answered.body),
    });
    expect((await result(fake, interaction, 10_000)).content).toContain('Removed 1 |');
    const s = await scrape(`${base}/metrics`);
    expect(s.value('kickbot_ack_seconds_count', { platform: 'discord' })).toBe(1);
    expect(s.value('kickbot_removals_total', { platform: 'discord', outcome: 'removed' })).toBe(1);
    expect(s.value('kickbot_commands_total', { platform: 'discord', command: 'kick', result: 'ok' })).toBe(1);
    expect(s.value('kickbot_platform_errors_total', { platform: 'discord', code: 'ratelimited' })).toBe(1);
    // The Retry-After, once (not again when the library announces the same wait).
    expect(s.value('kickbot_rate_limit_wait_seconds_total', { platform: 'discord' })).toBeCloseTo(1, 2);
    const methods = expectTemplates(s);
    expect(methods).toContain('PATCH /webhooks/:id/:id/messages/@original');
    expect(await server.stop()).toBe(0);
  });

  it('GIVEN the gateway THEN the deferral is counted as the ack, and the client REST calls as templates', async () => {
    fake = await FakeDiscord.start();
    const ready = fake.waitForReady(1, 10_000);
    const server = await serve({ DISCORD_TOKEN: fake.token, DISCORD_API_URL: fake.apiUrl });
    await ready;
    const interaction = fake.dispatchInteraction(kick(fake, { user: D.users.bob }));
    expect((await result(fake, interaction, 10_000)).content).toContain('Removed 1 |');
    const s = await scrape(`${server.match[1] as string}/metrics`);
    expect(s.value('kickbot_ack_seconds_count', { platform: 'discord' })).toBe(1);
    expect(s.value('kickbot_commands_total', { platform: 'discord', command: 'kick', result: 'ok' })).toBe(1);
    expect(expectTemplates(s)).toContain('POST /interactions/:id/:id/callback');
    expect(await server.stop()).toBe(0);
  });
});
