import type { REST } from '@discordjs/rest';
import type { Config } from '../../config/config-file.js';
import type { Logger } from '../../core/index.js';
import { DiscordDirectory } from './DiscordDirectory.js';
import { DiscordLookups } from './DiscordLookups.js';
import { DiscordRemover } from './DiscordRemover.js';

export interface DiscordConnectorOptions {
  rest: REST;
  config: Config;
  logger: Logger;
  cacheTtlMs?: number;
}

/** Discord's directory and remover. */
export interface DiscordConnector {
  directory: DiscordDirectory;
  remover: DiscordRemover;
}

/**
 * Discord's directory and remover on one REST client (the same in gateway and HTTP-interactions mode), sharing
 * what Discord said about the guild, its channels and members for a short while.
 */
export function discordConnector(options: DiscordConnectorOptions): DiscordConnector {
  const { rest, config, logger } = options;
  const lookups = new DiscordLookups(rest, options.cacheTtlMs ?? 30_000);
  return {
    directory: new DiscordDirectory({ rest, config, logger, lookups }),
    remover: new DiscordRemover({ rest, lookups }),
  };
}
