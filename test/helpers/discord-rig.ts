import { REST } from '@discordjs/rest';
import { commands } from '../../commands/index.js';
import type { Config } from '../../src/config/config-file.js';
import {
  type Core,
  type CoreOptions,
  createCore,
  type Logger,
  type Store,
  silentLogger,
} from '../../src/core/index.js';
import { type HttpServer, startHttpServer } from '../../src/http/server.js';
import { discordConnector } from '../../src/platforms/discord/connector.js';
import {
  createGatewayFront,
  type GatewayFront,
  type GatewayFrontOptions,
} from '../../src/platforms/discord/GatewayFront.js';
import { createHttpFront } from '../../src/platforms/discord/HttpFront.js';
import { MemoryStore } from '../../src/store/MemoryStore.js';
import { keyPair, type PostedInteraction, postInteraction } from '../fakes/discord/ed25519.js';
import {
  DISCORD_DEFAULTS,
  FakeDiscord,
  type FakeDiscordOptions,
  type FakeInteraction,
} from '../fakes/discord/FakeDiscord.js';

export const D = DISCORD_DEFAULTS;

/** An area over #private with the Member role as its group, managed by carol. */
export const DISCORD_CONFIG: Config = {
  areas: [
    {
      id: 'payments',
      rooms: ['private'],
      managers: { discord: [D.users.carol] },
      groups: { discord: D.roles.member },
    },
  ],
};

export interface DiscordRig {
  fake: FakeDiscord;
  core: Core;
  store: Store;
  rest: REST;
  /** HTTP interactions mode: kickbot's endpoint and a signed POST of an interaction the fake built. */
  http: {
    url: string;
    post(
      interaction: FakeInteraction,
      opts?: Parameters<typeof postInteraction>[3],
    ): Promise<PostedInteraction>;
  };
  /** Gateway mode (started on demand). */
  gateway(): Promise<GatewayFront>;
  close(): Promise<void>;
}

/** Real @discordjs/rest (and discord.js for the gateway) against the fake Discord, kickbot's core between. */
export async function discordRig(
  opts: {
    fake?: FakeDiscordOptions;
    config?: Config;
    store?: Store;
    core?: Partial<CoreOptions>;
    logger?: Logger;
    /** Gateway front options beyond what the rig sets (`byHand`, `memberEvents`; `areaRoles` defaults to the config's). */
    gateway?: Partial<Pick<GatewayFrontOptions, 'byHand' | 'areaRoles' | 'memberEvents'>>;
  } = {},
): Promise<DiscordRig> {
  const fake = await FakeDiscord.start(opts.fake ?? {});
  const rest = new REST({ version: '10', api: fake.apiUrl }).setToken(fake.token);
  const config = opts.config ?? DISCORD_CONFIG;
  const store = opts.store ?? new MemoryStore();
  const connector = discordConnector({ rest, config, logger: silentLogger });
  const core = createCore({
    directories: [connector.directory],
    removers: [connector.remover],
    store,
    commands,
    ...opts.core,
  });
  const keys = keyPair();
  const areas = () => config.areas.map((a) => a.id);
  const logger = opts.logger ?? silentLogger;
  const handler = createHttpFront({ core, logger, publicKey: keys.publicKeyHex, rest, areas });
  const server: HttpServer = await startHttpServer({
    port: 0,
    host: '127.0.0.1',
    routes: { '/discord/interactions': handler },
  });
  const url = `${server.url}/discord/interactions`;
  let gateway: GatewayFront | undefined;
  return {
    fake,
    core,
    store,
    rest,
    http: {
      url,
      async post(interaction, o) {
        const answered = await postInteraction(url, keys.privateKey, interaction, o);
        // Discord itself turns the inline answer of an HTTP interaction into the interaction's response; the fake
        // only learns of it through the callback route, so pass it on as Discord would.
        if (answered.status === 200 && answered.body && typeof answered.body === 'object') {
          await fetch(`${fake.apiUrl}/v10/interactions/${interaction.id}/${interaction.token}/callback`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(answered.body),
          });
        }
        return answered;
      },
    },
    async gateway() {
      if (!gateway) {
        const areaRoles = new Set(config.areas.flatMap((a) => (a.groups?.discord ? [a.groups.discord] : [])));
        gateway = createGatewayFront({
          core,
          logger,
          token: fake.token,
          apiUrl: fake.apiUrl,
          areas,
          areaRoles: () => areaRoles,
          ...opts.gateway,
        });
        const ready = new Promise<void>((resolve) => gateway?.client.once('clientReady', () => resolve()));
        await gateway.start();
        await ready;
      }
      return gateway;
    },
    async close() {
      await gateway?.stop();
      await server.close();
      await fake.close();
    },
  };
}
