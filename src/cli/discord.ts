import { DiscordAPIError, REST } from '@discordjs/rest';
import { type APIApplication, Routes } from 'discord-api-types/v10';
import { commands } from '../../commands/index.js';
import { UsageError } from '../core/index.js';
import { discordCommands } from '../platforms/discord/manifest.js';
import { tokenRefused } from '../platforms/discord/token.js';
import type { Env } from './env.js';

function rest(env: Env): REST {
  if (!env.DISCORD_TOKEN) throw new UsageError('set DISCORD_TOKEN (the bot token from the Developer Portal)');
  return new REST({ version: '10', ...(env.DISCORD_API_URL ? { api: env.DISCORD_API_URL } : {}) }).setToken(
    env.DISCORD_TOKEN,
  );
}

/** The application id: DISCORD_APPLICATION_ID, or asked from Discord with the bot token. */
export async function discordApplicationId(env: Env): Promise<string> {
  if (env.DISCORD_APPLICATION_ID) return env.DISCORD_APPLICATION_ID;
  try {
    const app = (await rest(env).get(Routes.currentApplication())) as APIApplication;
    return app.id;
  } catch (error) {
    const refused = tokenRefused(error);
    if (refused instanceof UsageError || error instanceof DiscordAPIError) throw refused;
    throw new UsageError(
      'could not reach Discord to look up the application id: set DISCORD_APPLICATION_ID ' +
        '(Developer Portal › your app › General Information › Application ID)',
    );
  }
}

/** `kickbot register discord [--guild ID]`: one bulk overwrite of kickbot's commands. */
export async function registerDiscord(env: Env, guild?: string): Promise<number> {
  const app = await discordApplicationId(env);
  const body = discordCommands(commands);
  const route = guild ? Routes.applicationGuildCommands(app, guild) : Routes.applicationCommands(app);
  const registered = (await rest(env)
    .put(route, { body })
    .catch((error: unknown) => {
      throw tokenRefused(error);
    })) as { name: string }[];
  const where = guild ? `server ${guild}` : 'every server (global commands may take up to an hour to appear)';
  process.stdout.write(`Registered ${registered.map((c) => `/${c.name}`).join(', ')} for ${where}.\n`);
  return 0;
}
