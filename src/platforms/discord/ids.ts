import type { Id } from '../../core/index.js';

/** Discord ids in kickbot: `discord:G` for a guild, `discord:G/123` for a user or channel in it, `discord:G/role:R` for a role. */
export const DISCORD = 'discord';

/** A Discord id as Discord writes it (a snowflake: digits). */
export const isSnowflake = (s: string) => /^\d{5,25}$/.test(s);

export const guildId = (guild: string): Id => `${DISCORD}:${guild}`;
export const discordId = (guild: string, local: string): Id => `${DISCORD}:${guild}/${local}`;
export const roleRoom = (guild: string, role: string): Id => discordId(guild, `role:${role}`);

export function splitDiscordId(id: Id): { guild: string; local: string } {
  const rest = id.slice(DISCORD.length + 1);
  const slash = rest.indexOf('/');
  return slash < 0
    ? { guild: rest, local: '' }
    : { guild: rest.slice(0, slash), local: rest.slice(slash + 1) };
}

/** The role of an area's role pseudo-room, if the id is one. */
export const roleOf = (local: string): string | undefined =>
  local.startsWith('role:') ? local.slice(5) : undefined;
