import type { REST } from '@discordjs/rest';
import {
  type APIChannel,
  type APIGuildMember,
  type APIOverwrite,
  ChannelType,
  OverwriteType,
  Routes,
} from 'discord-api-types/v10';
import type { RemovalTarget, RemoveResult, RestoreResult, UndoData } from '../../core/ports.js';
import type { DiscordDirectory } from './DiscordDirectory.js';
import { missingPermission, removeOutcome, restoreOutcome } from './errors.js';
import { roleOf, splitDiscordId } from './ids.js';
import {
  basePermissions,
  channelPermissions,
  type GuildFacts,
  highestPosition,
  type MemberFacts,
  Permission as P,
} from './permissions.js';

export const THREADS = new Set<number>([
  ChannelType.PublicThread,
  ChannelType.PrivateThread,
  ChannelType.AnnouncementThread,
]);
const VOICE = new Set<number>([ChannelType.GuildVoice, ChannelType.GuildStageVoice]);

export const facts = (m: APIGuildMember): MemberFacts => ({ id: m.user?.id ?? '', roles: m.roles });
export const overwritesOf = (channel: APIChannel): APIOverwrite[] =>
  'permission_overwrites' in channel ? (channel.permission_overwrites ?? []) : [];
const auditReason = (t: RemovalTarget) =>
  `kickbot case ${t.caseId} by ${splitDiscordId(t.actor).local}${t.reason ? `: ${t.reason}` : ''}`.slice(
    0,
    512,
  );

/**
 * Who can get into what, changed through REST with an audit-log reason: a private channel's member overwrite
 * (View Channel, and Connect on voice), a thread's members, an area's role. Each step is checked against the
 * bot's own permissions first, so that the bot does not collect 403s.
 */
export class DiscordAccess {
  readonly #rest: REST;
  readonly #dir: DiscordDirectory;

  constructor(rest: REST, dir: DiscordDirectory) {
    this.#rest = rest;
    this.#dir = dir;
  }

  async remove(target: RemovalTarget): Promise<RemoveResult> {
    const { guild: guildId, local } = splitDiscordId(target.room);
    const user = splitDiscordId(target.user).local;
    const guild = await this.#dir.guild(guildId);
    if (!guild) return { outcome: 'denied', code: 'room-not-found' };
    const bot = await this.#botMember(guildId);
    const role = roleOf(local);
    if (role) return this.#takeRole(guild, bot, user, role, target);
    const channel = await this.#dir.channel(guildId, local);
    if (!channel) return { outcome: 'denied', code: 'room-not-found' };
    if (THREADS.has(channel.type)) {
      // A thread takes its permissions from its parent channel.
      const parentId = 'parent_id' in channel ? channel.parent_id : undefined;
      const parent = parentId ? await this.#dir.channel(guildId, parentId) : undefined;
      const perms = channelPermissions(guild, bot, parent ? overwritesOf(parent) : []);
      if (!(perms & P.ManageThreads)) return lacking('thread');
      try {
        await this.#rest.delete(Routes.threadMembers(channel.id, user), { reason: auditReason(target) });
        return { outcome: 'removed' };
      } catch (error) {
        return removeOutcome(error, 'thread');
      }
    }
    return this.#shutOut(guild, bot, channel, user, target);
  }

  async #botMember(guild: string): Promise<MemberFacts> {
    const me = await this.#dir.me();
    const member = me ? await this.#dir.member(guild, me.id) : undefined;
    return member ? facts(member) : { id: me?.id ?? '', roles: [] };
  }

  /** A private channel: the member's overwrite stops allowing and starts denying View Channel (and Connect). */
  async #shutOut(
    guild: GuildFacts,
    bot: MemberFacts,
    channel: APIChannel,
    user: string,
    target: RemovalTarget,
  ): Promise<RemoveResult> {
    const member = await this.#dir.member(guild.id, user);
    if (!member) return { outcome: 'not_member' };
    if (basePermissions(guild, facts(member)) & P.Administrator) {
      return {
        outcome: 'unsupported',
        code: 'administrator',
        hint: 'administrators and the server owner see every channel; no overwrite can shut them out',
      };
    }
    const voice = VOICE.has(channel.type);
    const shut = voice ? P.ViewChannel | P.Connect : P.ViewChannel;
    const botPerms = channelPermissions(guild, bot, overwritesOf(channel));
    if (!(botPerms & P.ManageRoles) || (botPerms & shut) !== shut) return lacking('overwrite');
    const previous = overwritesOf(channel).find((o) => o.type === OverwriteType.Member && o.id === user);
    const allow = BigInt(previous?.allow ?? '0') & ~shut;
    const deny = BigInt(previous?.deny ?? '0') | shut;
    try {
      await this.#rest.put(Routes.channelPermission(channel.id, user), {
        body: { type: OverwriteType.Member, allow: allow.toString(), deny: deny.toString() },
        reason: auditReason(target),
      });
    } catch (error) {
      return removeOutcome(error, 'overwrite');
    } finally {
      this.#dir.forget('channel', channel.id);
    }
    if (voice) await this.#disconnect(guild, bot, channel.id, user, target);
    const undo: UndoData = previous
      ? { overwrite: 'member', allow: previous.allow, deny: previous.deny }
      : { overwrite: 'none' };
    return { outcome: 'removed', undo };
  }

  /** Someone shut out of a voice channel they are talking in is disconnected too (if the bot may move members). */
  async #disconnect(
    guild: GuildFacts,
    bot: MemberFacts,
    channel: string,
    user: string,
    target: RemovalTarget,
  ): Promise<void> {
    const state = await this.#dir.voiceState(guild.id, user).catch(() => undefined);
    if (state?.channel_id !== channel || !(basePermissions(guild, bot) & P.MoveMembers)) return;
    await this.#rest
      .patch(Routes.guildMember(guild.id, user), { body: { channel_id: null }, reason: auditReason(target) })
      .catch(() => {}); // 40032: they left meanwhile
  }

  async #takeRole(
    guild: GuildFacts,
    bot: MemberFacts,
    user: string,
    role: string,
    target: RemovalTarget,
  ): Promise<RemoveResult> {
    const position = guild.roles.get(role)?.position;
    if (position === undefined) return { outcome: 'denied', code: 'room-not-found' };
    if (!(basePermissions(guild, bot) & P.ManageRoles) || position >= highestPosition(guild, bot))
      return lacking('role');
    try {
      await this.#rest.delete(Routes.guildMemberRole(guild.id, user, role), { reason: auditReason(target) });
      this.#dir.forget('member', guild.id, user);
      return { outcome: 'removed' };
    } catch (error) {
      return removeOutcome(error, 'role');
    }
  }

  async restore(target: RemovalTarget, undo?: UndoData): Promise<RestoreResult> {
    const { guild, local } = splitDiscordId(target.room);
    const user = splitDiscordId(target.user).local;
    const reason = auditReason(target);
    const role = roleOf(local);
    try {
      if (role) {
        await this.#rest.put(Routes.guildMemberRole(guild, user, role), { reason });
        this.#dir.forget('member', guild, user);
      } else if (!undo) {
        await this.#rest.put(Routes.threadMembers(local, user), { reason });
      } else if (undo.overwrite === 'none') {
        await this.#rest.delete(Routes.channelPermission(local, user), { reason });
      } else {
        await this.#rest.put(Routes.channelPermission(local, user), {
          body: { type: OverwriteType.Member, allow: undo.allow ?? '0', deny: undo.deny ?? '0' },
          reason,
        });
      }
      this.#dir.forget('channel', local);
      return { outcome: 'restored' };
    } catch (error) {
      return restoreOutcome(error, role ? 'role' : undo ? 'overwrite' : 'thread');
    }
  }
}

const lacking = (step: Parameters<typeof missingPermission>[0]): RemoveResult => ({
  outcome: 'failed',
  code: 'missing-permissions',
  hint: missingPermission(step),
});
