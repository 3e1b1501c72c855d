import type { REST } from '@discordjs/rest';
import { type APIGuildMember, Routes } from 'discord-api-types/v10';
import type { Config } from '../../config/config-file.js';
import type {
  AreaInfo,
  Directory,
  GlobalRole,
  Id,
  Logger,
  Resolved,
  Scope,
  UserInfo,
} from '../../core/index.js';
import { configArea } from '../config-area.js';
import { PlatformCallError } from '../log-safe.js';
import { dmError } from './answers.js';
import { facts, overwritesOf, THREADS } from './DiscordAccess.js';
import type { DiscordLookups } from './DiscordLookups.js';
import { DISCORD, discordId, isSnowflake, roleOf, roleRoom, splitDiscordId } from './ids.js';
import { parseDiscordMention } from './mentions.js';
import {
  basePermissions,
  channelPermissions,
  type GuildFacts,
  highestPosition,
  Permission as P,
} from './permissions.js';

/**
 * Discord as moderators type in it: mentions to ids (members, roles, channels), the config's areas, members'
 * roles computed from the guild's permissions, and confirmations posted where the bot may speak (and to the
 * mod-log channel), never pinging anyone.
 */
export class DiscordDirectory implements Directory {
  readonly platform = DISCORD;
  readonly #rest: REST;
  readonly #config: Config;
  readonly #logger: Logger;
  readonly #dir: DiscordLookups;

  constructor(options: { rest: REST; config: Config; logger: Logger; lookups: DiscordLookups }) {
    this.#rest = options.rest;
    this.#config = options.config;
    this.#logger = options.logger;
    this.#dir = options.lookups;
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

  async area(name: string, scope: Scope): Promise<AreaInfo | undefined> {
    const guild = splitDiscordId(`${scope.workspace}/`).guild;
    return configArea(this.#config, name, 'discord', {
      room: async (ref) =>
        discordId(guild, isSnowflake(ref) ? ref : await this.#channelByName(guild, ref.replace(/^#/, ''))),
      group: (id) => roleRoom(guild, id),
      user: (id) => discordId(guild, id),
    });
  }

  async areas(_scope?: Scope): Promise<string[]> {
    return this.#config.areas.map((a) => a.id);
  }

  async users(ids: readonly Id[]): Promise<Map<Id, UserInfo>> {
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
      // Whoever may kick from the server may offboard from it: there an offboarding is that kick.
      ...(perms & P.KickMembers ? { grants: ['offboard-user' as const] } : {}),
    };
  }

  /** `discord:G/<key>` when the bot is in one server only; with several, a bare user id names no one for sure. */
  async personId(key: string): Promise<Id | undefined> {
    if (!isSnowflake(key)) return undefined;
    const guild = await this.#dir.soleGuild();
    return guild ? discordId(guild, key) : undefined;
  }

  /**
   * A direct message before a removal: the bot's DM channel with the user (`POST /users/@me/channels`), then the
   * message in it, pinging no one. People who close DMs from server members are common: that is `dm-closed`.
   */
  async dm(user: Id, text: string): Promise<void> {
    const { local } = splitDiscordId(user);
    try {
      const channel = (await this.#rest.post(Routes.userChannels(), {
        body: { recipient_id: local },
      })) as { id: string };
      const body = { content: Array.from(text).slice(0, 2000).join(''), allowed_mentions: { parse: [] } };
      await this.#rest.post(Routes.channelMessages(channel.id), { body });
    } catch (error) {
      throw dmError(error);
    }
  }

  async notice(room: Id, text: string): Promise<void> {
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

  /**
   * The config's `modLog.discord` channel only (removals made by hand, rejoins), never pinging anyone; false when
   * none is set, or when it is not a channel of this server the bot may write in (the core logs the line then).
   */
  async modLog(workspace: Id, text: string): Promise<boolean> {
    const channel = this.#config.modLog?.discord;
    if (!channel) return false;
    const guild = splitDiscordId(`${workspace}/`).guild;
    if (!(await this.#maySpeak(guild, channel))) {
      this.#logger.warn({ channel }, 'discord: cannot post in the mod-log channel of this server');
      return false;
    }
    const body = { content: Array.from(text).slice(0, 2000).join(''), allowed_mentions: { parse: [] } };
    await this.#rest.post(Routes.channelMessages(channel), { body }).catch((error: unknown) => {
      throw new PlatformCallError(error); // the core logs it: not the text it carried
    });
    return true;
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

  /** `<@123>`; `<#123>` for a channel id, `#name` for anything else (a name the directory resolves). */
  mention(target: Id, kind: 'user' | 'room'): string {
    const { local } = splitDiscordId(target);
    if (kind === 'user') return `<@${local}>`;
    const bare = local.replace(/^#/, '');
    return isSnowflake(bare) ? `<#${bare}>` : `#${bare}`;
  }
}
