import type { REST } from '@discordjs/rest';
import { type APIGuildMember, type APIThreadChannel, ChannelType, Routes } from 'discord-api-types/v10';
import type { Config } from '../../config/config-file.js';
import type {
  AreaInfo,
  Capabilities,
  Connector,
  GlobalRole,
  Id,
  Logger,
  Membership,
  RemovalTarget,
  RemoveResult,
  Resolved,
  RestoreResult,
  RoomInfo,
  RoomRole,
  Scope,
  UndoData,
  UserInfo,
} from '../../core/index.js';
import { configArea } from '../config-area.js';
import { PlatformCallError } from '../log-safe.js';
import { DiscordAccess, facts, overwritesOf, THREADS } from './DiscordAccess.js';
import { DiscordDirectory } from './DiscordDirectory.js';
import { DISCORD, discordId, roleOf, roleRoom, splitDiscordId } from './ids.js';
import { parseDiscordMention } from './mentions.js';
import {
  basePermissions,
  channelPermissions,
  everyoneSees,
  type GuildFacts,
  highestPosition,
  Permission as P,
} from './permissions.js';
import { roomRoles, seesPrivateThreads } from './room-roles.js';

export interface DiscordConnectorOptions {
  rest: REST;
  config: Config;
  logger: Logger;
  cacheTtlMs?: number;
}

/**
 * The Discord connector, on REST (`@discordjs/rest` queues every route's bucket and waits out 429s). Shutting
 * someone out of a private channel is a member overwrite denying View Channel (and Connect on voice); out of a
 * thread, removing the thread member; out of an area, taking the area's role. Membership is computed from the
 * overwrites the way Discord computes it. Every step is checked against the bot's own permissions first, so
 * that the bot does not collect 403s (Discord bans IPs for 10,000 invalid requests in 10 minutes).
 */
export class DiscordConnector implements Connector {
  readonly platform = DISCORD;
  readonly capabilities: Capabilities = { undo: true, concurrency: 4 };
  readonly #rest: REST;
  readonly #config: Config;
  readonly #logger: Logger;
  readonly #dir: DiscordDirectory;
  readonly #access: DiscordAccess;

  constructor(options: DiscordConnectorOptions) {
    this.#rest = options.rest;
    this.#config = options.config;
    this.#logger = options.logger;
    this.#dir = new DiscordDirectory(options.rest, options.cacheTtlMs ?? 30_000);
    this.#access = new DiscordAccess(options.rest, this.#dir);
  }

  async bot(scope: Scope): Promise<Id | undefined> {
    const me = await this.#dir.me();
    return me ? discordId(splitDiscordId(`${scope.workspace}/`).guild, me.id) : undefined;
  }

  async resolveUsers(ref: string, scope: Scope): Promise<Resolved<Id[]>> {
    const guild = splitDiscordId(`${scope.workspace}/`).guild;
    const mention = parseDiscordMention(ref);
    if (mention.kind === 'user') return { ok: true, value: [discordId(guild, mention.id)] };
    const role = mention.kind === 'role' ? mention.id : undefined;
    const name = mention.kind === 'user-name' ? mention.name.toLowerCase() : undefined;
    if (!role && !name) return { ok: false, message: `"${ref}" is not a Discord user mention` };
    const everyone = await this.#dir.members(guild);
    if (!everyone) {
      return {
        ok: false,
        message: `${ref} stands for members kickbot cannot list: turn on the Server Members intent (Developer Portal › Bot › Privileged Gateway Intents), or mention the users`,
      };
    }
    if (role) {
      const members = everyone.filter((m) => m.roles.includes(role) && m.user);
      return { ok: true, value: members.map((m) => discordId(guild, m.user?.id ?? '')) };
    }
    const found = everyone.find((m) =>
      [m.user?.username, m.user?.global_name, m.nick].some((n) => n?.toLowerCase() === name),
    );
    if (found?.user) return { ok: true, value: [discordId(guild, found.user.id)] };
    return {
      ok: false,
      message: `no member named @${name} (pick them from the @ list so that Discord sends their id)`,
    };
  }

  async resolveRoom(ref: string, scope: Scope): Promise<Resolved<Id>> {
    const guild = splitDiscordId(`${scope.workspace}/`).guild;
    const mention = parseDiscordMention(ref);
    if (mention.kind === 'channel') return { ok: true, value: discordId(guild, mention.id) };
    if (mention.kind === 'channel-name')
      return { ok: true, value: discordId(guild, await this.#channelByName(guild, mention.name)) };
    return { ok: false, message: `"${ref}" is not a Discord channel mention` };
  }

  async #channelByName(guild: string, name: string): Promise<string> {
    const channel = (await this.#dir.channels(guild)).find(
      (c) => 'name' in c && c.name?.toLowerCase() === name.toLowerCase(),
    );
    return channel?.id ?? `#${name}`;
  }

  async getArea(name: string, scope: Scope): Promise<AreaInfo | undefined> {
    const guild = splitDiscordId(`${scope.workspace}/`).guild;
    return configArea(this.#config, name, 'discord', {
      room: async (ref) =>
        discordId(
          guild,
          /^\d{5,25}$/.test(ref) ? ref : await this.#channelByName(guild, ref.replace(/^#/, '')),
        ),
      group: (id) => roleRoom(guild, id),
      user: (id) => discordId(guild, id),
    });
  }

  async listAreas(_scope?: Scope): Promise<string[]> {
    return this.#config.areas.map((a) => a.id);
  }

  async getUsers(ids: readonly Id[]): Promise<Map<Id, UserInfo>> {
    const out = new Map<Id, UserInfo>();
    const byGuild = new Map<string, Id[]>();
    for (const id of ids) {
      const { guild } = splitDiscordId(id);
      byGuild.set(guild, [...(byGuild.get(guild) ?? []), id]);
    }
    for (const [guildId, wanted] of byGuild) {
      const guild = await this.#dir.guild(guildId);
      if (!guild) continue;
      const lookup = await this.#dir.lookup(guildId, wanted.length);
      await Promise.all(
        wanted.map(async (id) => {
          const member = await lookup(splitDiscordId(id).local);
          if (member?.user) out.set(id, this.#userInfo(id, guild, member));
        }),
      );
    }
    return out;
  }

  #userInfo(id: Id, guild: GuildFacts, member: APIGuildMember): UserInfo {
    const user = member.user;
    const perms = basePermissions(guild, facts(member));
    const roles = new Set<GlobalRole>();
    if (perms & P.Administrator) roles.add('admin');
    if (perms & (P.KickMembers | P.ManageChannels)) roles.add('moderator');
    if (user?.bot) roles.add('bot');
    for (const role of this.#config.grants?.discord?.[user?.id ?? ''] ?? []) roles.add(role);
    if (roles.size === 0) roles.add('user');
    return {
      id,
      name: member.nick ?? user?.global_name ?? user?.username ?? id,
      roles: [...roles],
      rank: highestPosition(guild, facts(member)),
      label: `<@${user?.id}>`,
      ...(user?.id === guild.ownerId ? { owner: true } : {}),
      ...(user?.bot ? { bot: true } : {}),
    };
  }

  async getRoom(room: Id): Promise<RoomInfo | undefined> {
    const { guild: guildId, local } = splitDiscordId(room);
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

  async getMembers(room: Id, users: readonly Id[]): Promise<Map<Id, Membership>> {
    const out = new Map<Id, Membership>();
    const { guild: guildId, local } = splitDiscordId(room);
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
    return this.#access.remove(target);
  }

  restore(target: RemovalTarget, _roles: readonly RoomRole[], undo?: UndoData): Promise<RestoreResult> {
    return this.#access.restore(target, undo);
  }

  async postNotice(room: Id, text: string): Promise<void> {
    const { guild, local } = splitDiscordId(room);
    if (roleOf(local) || local.startsWith('#')) return;
    const body = { content: Array.from(text).slice(0, 2000).join(''), allowed_mentions: { parse: [] } }; // tell, never ping
    for (const channel of new Set([local, this.#config.modLog?.discord].filter((c): c is string => !!c))) {
      // A channel the bot may not write in is skipped rather than answered with a 403.
      if (await this.#maySpeak(guild, channel))
        await this.#rest.post(Routes.channelMessages(channel), { body }).catch((error: unknown) => {
          throw new PlatformCallError(error); // the core logs it: not the text it carried
        });
      else this.#logger.warn({ channel }, 'discord: no Send Messages permission; confirmation not posted');
    }
  }

  async #maySpeak(guildId: string, channelId: string): Promise<boolean> {
    const [guild, channel, me] = await Promise.all([
      this.#dir.guild(guildId),
      this.#dir.channel(guildId, channelId),
      this.#dir.me(),
    ]);
    const bot = me ? await this.#dir.member(guildId, me.id) : undefined;
    if (!guild || !channel || !bot) return false;
    const thread = THREADS.has(channel.type);
    const parentId = thread && 'parent_id' in channel ? channel.parent_id : undefined;
    const source = parentId ? await this.#dir.channel(guildId, parentId) : channel;
    const perms = channelPermissions(guild, facts(bot), source ? overwritesOf(source) : []);
    const need = thread ? P.SendMessagesInThreads : P.SendMessages;
    return (perms & need) === need;
  }

  label(target: Id, kind: 'user' | 'room'): string {
    const { local } = splitDiscordId(target);
    if (kind === 'user') return `<@${local}>`;
    const role = roleOf(local);
    if (role) return `<@&${role}>`;
    return local.startsWith('#') ? local : `<#${local}>`;
  }
}
