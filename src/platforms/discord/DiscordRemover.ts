import type { REST } from '@discordjs/rest';
import { type APIThreadChannel, ChannelType } from 'discord-api-types/v10';
import type {
  HeldRoom,
  Id,
  Membership,
  RemovalTarget,
  RemoveResult,
  Remover,
  RestoreResult,
  RoomInfo,
  RoomRole,
  UndoData,
} from '../../core/index.js';
import { DiscordAccess, facts, overwritesOf, THREADS } from './DiscordAccess.js';
import type { DiscordLookups } from './DiscordLookups.js';
import { DiscordServer } from './DiscordServer.js';
import { DISCORD, roleOf, splitDiscordId } from './ids.js';
import { channelPermissions, everyoneSees, Permission as P } from './permissions.js';
import { roomRoles, seesPrivateThreads } from './room-roles.js';

/**
 * Removals on Discord, on REST (`@discordjs/rest` queues every route's bucket and waits out 429s). Shutting
 * someone out of a private channel is a member overwrite denying View Channel (and Connect on voice); out of a
 * thread, removing the thread member; out of an area, taking the area's role. Membership is computed from the
 * overwrites the way Discord computes it. Every step is checked against the bot's own permissions first, so
 * that the bot does not collect 403s (Discord bans IPs for 10,000 invalid requests in 10 minutes). The server
 * itself (`discord:G`) is a room too, for an offboarding: out of it is a kick.
 */
export class DiscordRemover implements Remover {
  readonly system = DISCORD;
  readonly #dir: DiscordLookups;
  readonly #access: DiscordAccess;
  readonly #server: DiscordServer;

  constructor(options: { rest: REST; lookups: DiscordLookups }) {
    this.#dir = options.lookups;
    this.#access = new DiscordAccess(options.rest, options.lookups);
    this.#server = new DiscordServer(options.rest, options.lookups);
  }

  async room(room: Id): Promise<RoomInfo | undefined> {
    const { guild: guildId, local } = splitDiscordId(room);
    if (local === '') return this.#server.room(guildId);
    const guild = await this.#dir.guild(guildId);
    if (!guild) return undefined;
    const role = roleOf(local);
    if (role) {
      const r = guild.roles.get(role);
      return r ? { id: room, name: r.name, type: 'group', owners: 0, label: `<@&${role}>` } : undefined;
    }
    const channel = await this.#dir.channel(guildId, local);
    if (!channel) return undefined;
    const name = 'name' in channel && channel.name ? channel.name : local;
    const base = { id: room, name, owners: 0, label: `<#${local}>` };
    if (channel.type === ChannelType.DM || channel.type === ChannelType.GroupDM)
      return { ...base, type: 'direct' };
    if (channel.type === ChannelType.GuildCategory) {
      return {
        ...base,
        type: 'public',
        unsupported: { code: 'category', hint: 'a category is not a channel; name its channels' },
      };
    }
    if (THREADS.has(channel.type))
      return { ...base, type: channel.type === ChannelType.PrivateThread ? 'private' : 'public' };
    if (everyoneSees(guild, overwritesOf(channel))) {
      return {
        ...base,
        type: 'public',
        unsupported: {
          code: 'public-channel',
          hint: `everyone can see #${name}: kickbot shuts people out of private channels, or takes an area's role (/remove-area)`,
        },
      };
    }
    return { ...base, type: 'private' };
  }

  async members(room: Id, users: readonly Id[]): Promise<Map<Id, Membership>> {
    const { guild: guildId, local } = splitDiscordId(room);
    if (local === '') return this.#server.members(guildId, users);
    const out = new Map<Id, Membership>();
    const guild = await this.#dir.guild(guildId);
    if (!guild) return out;
    const role = roleOf(local);
    const channel = role ? undefined : await this.#dir.channel(guildId, local);
    const parent =
      channel && THREADS.has(channel.type) && 'parent_id' in channel && channel.parent_id
        ? await this.#dir.channel(guildId, channel.parent_id)
        : undefined;
    const lookup = await this.#dir.lookup(guildId, users.length);
    await Promise.all(
      users.map(async (user) => {
        const id = splitDiscordId(user).local;
        const member = await lookup(id);
        if (!member) return;
        if (role) {
          if (member.roles.includes(role)) out.set(user, { roles: [] });
          return;
        }
        if (!channel) return;
        if (THREADS.has(channel.type)) {
          const roles = roomRoles(guild, member, parent);
          if (await this.#dir.inThread(channel as APIThreadChannel, id)) out.set(user, { roles });
          else if (channel.type === ChannelType.PrivateThread && seesPrivateThreads(guild, member, parent))
            out.set(user, { roles: ['moderator'], presence: 'seen' }); // Manage Threads sees it without joining
          return;
        }
        const perms = channelPermissions(guild, facts(member), overwritesOf(channel));
        if (perms & P.ViewChannel) out.set(user, { roles: roomRoles(guild, member, channel) });
      }),
    );
    return out;
  }

  remove(target: RemovalTarget): Promise<RemoveResult> {
    return isServer(target.room) ? this.#server.remove(target) : this.#access.remove(target);
  }

  restore(target: RemovalTarget, _roles: readonly RoomRole[], undo?: UndoData): Promise<RestoreResult> {
    return isServer(target.room) ? this.#server.restore() : this.#access.restore(target, undo);
  }

  /** The server itself, for a member of it: on Discord an offboarding is a kick (user ids belong to one guild). */
  memberships(user: Id): AsyncIterable<readonly HeldRoom[]> {
    return this.#server.memberships(user);
  }
}

const isServer = (room: Id) => splitDiscordId(room).local === '';
