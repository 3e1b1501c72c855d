import type { APIChannel, APIGuildMember } from 'discord-api-types/v10';
import type { RoomRole } from '../../core/index.js';
import { facts, overwritesOf } from './DiscordAccess.js';
import { channelPermissions, type GuildFacts, Permission as P } from './permissions.js';

/** What a member may do in a channel beyond seeing it: kickbot's room roles on Discord. */

/** Manage Threads in the parent channel shows a member every private thread under it. */
export function seesPrivateThreads(
  guild: GuildFacts,
  member: APIGuildMember,
  parent: APIChannel | undefined,
): boolean {
  const perms = channelPermissions(guild, facts(member), parent ? overwritesOf(parent) : []);
  return (perms & (P.ViewChannel | P.ManageThreads)) === (P.ViewChannel | P.ManageThreads);
}

/** Room roles on Discord: who may manage the channel (Manage Channels or Manage Permissions in it) moderates it. */
export function roomRoles(
  guild: GuildFacts,
  member: APIGuildMember,
  channel: APIChannel | undefined,
): RoomRole[] {
  const perms = channelPermissions(guild, facts(member), channel ? overwritesOf(channel) : []);
  return perms & (P.ManageChannels | P.ManageRoles) ? ['moderator'] : [];
}
