import type { REST } from '@discordjs/rest';
import { Routes } from 'discord-api-types/v10';
import { UsageError } from '../../core/index.js';
import { tokenRefused as refusedByDiscord } from './answers.js';

const REFUSED =
  'Discord refused DISCORD_TOKEN (401 Unauthorized): copy the bot token from the Developer Portal (Bot → Reset Token)';

/** A refused bot token as a usage error (exit 2, one line), whichever library noticed it; anything else as is. */
export function tokenRefused(error: unknown): unknown {
  return refusedByDiscord(error) ? new UsageError(REFUSED) : error;
}

/**
 * At `serve`: a refused token stops the start (HTTP interactions mode would otherwise only find out at the first
 * command). Discord being unreachable does not: commands say so until it answers.
 */
export async function checkDiscordToken(client: REST, warn: (message: string) => void): Promise<void> {
  try {
    await client.get(Routes.user());
  } catch (error) {
    const refused = tokenRefused(error);
    if (refused instanceof UsageError) throw refused;
    warn(`could not reach Discord to check DISCORD_TOKEN: ${(error as Error).message}`);
  }
}
