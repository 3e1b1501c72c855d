import { type APIOverwrite, OverwriteType, PermissionFlagsBits as P } from 'discord-api-types/v10';

/** Discord's permission arithmetic (docs: "Permissions", computing permissions), on bigint bitsets. */

export interface GuildFacts {
  id: string;
  ownerId: string;
  /** The server's name (the guild as a room, for an offboarding). */
  name?: string;
  /** role id → { position, permissions } ; the @everyone role has the guild's id. */
  roles: Map<string, { position: number; permissions: bigint; name: string; managed?: boolean }>;
}

export interface MemberFacts {
  id: string;
  roles: readonly string[];
}

export const ALL = (1n << 64n) - 1n;
export const bits = (value: string | undefined): bigint => (value ? BigInt(value) : 0n);

/** Guild-level permissions: @everyone and every role of the member; the owner and administrators have all. */
export function basePermissions(guild: GuildFacts, member: MemberFacts): bigint {
  if (member.id === guild.ownerId) return ALL;
  let perms = guild.roles.get(guild.id)?.permissions ?? 0n;
  for (const role of member.roles) perms |= guild.roles.get(role)?.permissions ?? 0n;
  return perms & P.Administrator ? ALL : perms;
}

/** Permissions in a channel: the base, then @everyone's overwrite, the roles' overwrites, the member's own. */
export function channelPermissions(
  guild: GuildFacts,
  member: MemberFacts,
  overwrites: readonly APIOverwrite[],
): bigint {
  const base = basePermissions(guild, member);
  if (base === ALL) return ALL;
  let perms = base;
  const everyone = overwrites.find((o) => o.id === guild.id);
  if (everyone) perms = (perms & ~bits(everyone.deny)) | bits(everyone.allow);
  let allow = 0n;
  let deny = 0n;
  for (const o of overwrites) {
    if (o.type === OverwriteType.Role && o.id !== guild.id && member.roles.includes(o.id)) {
      allow |= bits(o.allow);
      deny |= bits(o.deny);
    }
  }
  perms = (perms & ~deny) | allow;
  const own = overwrites.find((o) => o.type === OverwriteType.Member && o.id === member.id);
  if (own) perms = (perms & ~bits(own.deny)) | bits(own.allow);
  // Without VIEW_CHANNEL nothing else in the channel counts.
  return perms & P.ViewChannel ? perms : 0n;
}

/** Whether everyone in the guild can see the channel (then nobody can be shut out of it by an overwrite). */
export function everyoneSees(guild: GuildFacts, overwrites: readonly APIOverwrite[]): boolean {
  return (channelPermissions(guild, { id: '', roles: [] }, overwrites) & P.ViewChannel) !== 0n;
}

/** Position of the member's highest role (@everyone is 0). */
export function highestPosition(guild: GuildFacts, member: MemberFacts): number {
  let top = 0;
  for (const role of member.roles) top = Math.max(top, guild.roles.get(role)?.position ?? 0);
  return top;
}

export { P as Permission };
