import type { Config } from '../../config/config-file.js';
import { noMetrics, UsageError } from '../../core/index.js';
import type { Front, Platform } from '../front.js';

/** The roles of the config's areas on Discord: taking one away in Discord's UI is a removal made by hand. */
const areaRoles = (config: Config): ReadonlySet<string> =>
  new Set(config.areas.flatMap((a) => (a.groups?.discord ? [a.groups.discord] : [])));

/** Whether the environment configures Discord. */
export function discordConfigured(env: { DISCORD_TOKEN?: string; DISCORD_PUBLIC_KEY?: string }): boolean {
  if (env.DISCORD_PUBLIC_KEY && !env.DISCORD_TOKEN) {
    throw new UsageError(
      'DISCORD_PUBLIC_KEY is set but DISCORD_TOKEN is not: kickbot needs the bot token to act',
    );
  }
  return env.DISCORD_TOKEN !== undefined;
}

/**
 * Discord (DISCORD_TOKEN): over the gateway, or with DISCORD_PUBLIC_KEY as an HTTP interactions endpoint.
 * discord.js and @discordjs/rest load only here.
 */
export const discordPlatform: Platform = {
  name: 'discord',
  configured: discordConfigured,
  wanted: (request) => request.fromEnv && discordConfigured(request.env),
  async create({ env, config, logger, metrics = noMetrics }) {
    const token = env.DISCORD_TOKEN ?? '';
    const [{ REST }, { discordConnector }, { checkDiscordToken, tokenRefused }, { restMetrics }] =
      await Promise.all([
        import('@discordjs/rest'),
        import('./connector.js'),
        import('./token.js'),
        import('./rest-metrics.js'),
      ]);
    const recorded = restMetrics(metrics);
    const rest = new REST({
      version: '10',
      ...(env.DISCORD_API_URL ? { api: env.DISCORD_API_URL } : {}),
      ...recorded.options,
    }).setToken(token);
    recorded.watch(rest);
    const areas = () => config.areas.map((a) => a.id);
    const publicKey = env.DISCORD_PUBLIC_KEY;
    const { createHttpFront } = publicKey ? await import('./HttpFront.js') : { createHttpFront: undefined };
    const { createGatewayFront } = publicKey
      ? { createGatewayFront: undefined }
      : await import('./GatewayFront.js');
    return {
      ...discordConnector({ rest, config, logger }),
      front: (core): Front => {
        if (publicKey && createHttpFront) {
          const handler = createHttpFront({ core, logger, publicKey, rest, areas, metrics });
          return {
            name: 'discord',
            routes: { '/discord/interactions': { POST: handler } },
            // HTTP mode checks the token now; the gateway's login does (and keeps trying while Discord is unreachable).
            start: () => checkDiscordToken(rest, (m) => logger.warn({}, m)),
            stop: async () => {},
            banner: (url) => `Discord on ${url}/discord/interactions`,
          };
        }
        if (!createGatewayFront) throw new Error('discord: no front loaded');
        const gateway = createGatewayFront({
          core,
          logger,
          token,
          areas,
          metrics,
          ...(env.DISCORD_API_URL ? { apiUrl: env.DISCORD_API_URL } : {}),
          byHand: config.byHand?.discord ?? true,
          areaRoles: () => areaRoles(config),
          memberEvents: env.DISCORD_MEMBER_EVENTS,
        });
        return {
          name: 'discord',
          routes: {},
          start: () =>
            gateway.start().catch((error: unknown) => {
              throw tokenRefused(error);
            }),
          stop: () => gateway.stop(),
          // Gateway mode: `/healthz` says where the connection stands, and is 503 until it is in.
          health: () => {
            const state = gateway.state();
            return { ok: state === 'connected', fields: { discord: state } };
          },
          banner: () => `Discord over the gateway${gateway.state() === 'connecting' ? ' (connecting)' : ''}`,
        };
      },
    };
  },
};
