import { REST } from '@discordjs/rest';
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { afterEach, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { type Core, createCore, Identities, silentLogger } from '../../src/core/index.js';
import { apiRoute } from '../../src/http/api.js';
import { startHttpServer } from '../../src/http/server.js';
import { discordConnector } from '../../src/platforms/discord/connector.js';
import { MemoryStore } from '../../src/store/MemoryStore.js';
import { DISCORD_DEFAULTS as D, FakeDiscord } from '../fakes/discord/FakeDiscord.js';
import { FakeSlack } from '../fakes/slack/FakeSlack.js';
import { API_KEY, postTo } from '../helpers/api-rig.js';
import { DISCORD_CONFIG } from '../helpers/discord-rig.js';
import { slackCore } from '../helpers/slack-core.js';
import { T, WORKSPACE } from '../helpers/slack-rig.js';

/**
 * `POST /api/v1/removals` for an actor of Slack or Discord: the API writes the ids it is given as the actor's
 * platform writes them (through the directory's `mention`), so a channel id and a channel name both reach the
 * room, and a user id reaches the user.
 */

const closing: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closing.splice(0).reverse()) await close();
});

async function serveApi(core: Core, platform: string): Promise<string> {
  const route = apiRoute({
    core,
    apiKey: API_KEY,
    identities: new Identities(),
    platforms: new Map([[platform, undefined]]),
  });
  const server = await startHttpServer({ port: 0, host: '127.0.0.1', routes: { '/api/v1/removals': route } });
  closing.push(() => server.close());
  return `${server.url}/api/v1/removals`;
}

const outcomes = (body: Record<string, unknown>) =>
  (body.data as { results: { room: string; user: string; outcome: string }[] }[]).flatMap((d) =>
    d.results.map((r) => `${r.room}/${r.user}:${r.outcome}`),
  );

describe('POST /api/v1/removals from Slack and Discord actors', () => {
  it('GIVEN a Slack admin THEN a channel id and a channel name each reach the channel, and the users leave it', async () => {
    const fake = await FakeSlack.start(WORKSPACE);
    closing.push(() => fake.close());
    const url = await serveApi(slackCore({ apiUrl: fake.apiUrl }).core, 'slack');
    const res = await postTo(url, {
      actor: `slack:${T}/U0ADMIN`,
      removals: [
        { room: 'C0RANDOM', users: ['U0BOB'] },
        { room: '#random', users: ['U0CAROL'] },
      ],
    });
    expect(res.status).toBe(200);
    expect(outcomes(res.body)).toEqual([
      `${T}/C0RANDOM/${T}/U0BOB:removed`,
      `${T}/C0RANDOM/${T}/U0CAROL:removed`,
    ]);
    expect(fake.isMember('C0RANDOM', 'U0BOB')).toBe(false);
    expect(fake.isMember('C0RANDOM', 'U0CAROL')).toBe(false);
  });

  it('GIVEN a Discord owner THEN a channel id reaches the private channel, and the user no longer sees it', async () => {
    const fake = await FakeDiscord.start();
    const rest = new REST({ version: '10', api: fake.apiUrl }).setToken(fake.token);
    closing.push(async () => {
      rest.clearHashSweeper();
      rest.clearHandlerSweeper();
      await fake.close();
    });
    const discord = discordConnector({ rest, config: DISCORD_CONFIG, logger: silentLogger });
    const core = createCore({
      directories: [discord.directory],
      removers: [discord.remover],
      store: new MemoryStore(),
      commands,
    });
    const url = await serveApi(core, 'discord');
    const res = await postTo(url, {
      actor: `discord:${D.guildId}/${D.users.owner}`,
      removals: [{ room: D.channels.private, users: [D.users.alice] }],
    });
    expect(res.status).toBe(200);
    expect(outcomes(res.body)).toEqual([
      `${D.guildId}/${D.channels.private}/${D.guildId}/${D.users.alice}:removed`,
    ]);
    const sees = fake.channelPermissions(D.channels.private, D.users.alice) & PermissionFlagsBits.ViewChannel;
    expect(sees).toBe(0n);
  });
});
