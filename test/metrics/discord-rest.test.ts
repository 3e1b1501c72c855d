import { REST } from '@discordjs/rest';
import { Routes } from 'discord-api-types/v10';
import { afterEach, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { createPromMetrics } from '../../src/metrics/prometheus.js';
import { restMetrics } from '../../src/platforms/discord/rest-metrics.js';
import { DISCORD_DEFAULTS as D, FakeDiscord } from '../fakes/discord/FakeDiscord.js';
import { Scrape } from './exposition.js';

let fake: FakeDiscord | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('a REST client with restMetrics', () => {
  it("GIVEN a bucket of 1 call per 300 ms THEN the library's waits for it count as rate-limit time, each once", async () => {
    fake = await FakeDiscord.start();
    fake.rateLimit('GET /guilds/:g', { limit: 1, resetAfterMs: 300 });
    const prom = createPromMetrics({ commands: commands.map((c) => c.name) });
    const recorded = restMetrics(prom.metrics);
    const rest = new REST({ version: '10', api: fake.apiUrl, ...recorded.options }).setToken(fake.token);
    recorded.watch(rest);
    for (let i = 0; i < 3; i++) await rest.get(Routes.guild(D.guildId));
    const s = Scrape.of((await prom.scrape()).body);
    // Three calls, plus one more for each 429 the library ran into on the way (it retries after the Retry-After).
    const limited = s.value('kickbot_platform_errors_total', { platform: 'discord', code: 'ratelimited' });
    expect(s.value('kickbot_platform_errors_total')).toBe(limited);
    expect(
      s.value('kickbot_platform_call_seconds_count', { platform: 'discord', method: 'GET /guilds/:id' }),
    ).toBe(3 + limited);
    // Two windows of 300 ms waited for; a 429's wait is counted once, not again when the library announces it.
    const waited = s.value('kickbot_rate_limit_wait_seconds_total', { platform: 'discord' });
    expect(waited).toBeGreaterThan(0.5);
    expect(waited).toBeLessThan(1.2);
  });
});
