import type { REST } from '@discordjs/rest';
import {
  type APIChannel,
  type APIGuildMember,
  type APIOverwrite,
  ChannelType,
  OverwriteType,
  Routes,
} from 'discord-api-types/v10';
import {
  type RemovalTarget,
  type RemoveResult,
  type RestoreResult,
  SCIM_ACTOR,
  type UndoData,
} from '../../core/index.js';
import { missingPermission, removeOutcome, restoreOutcome, type Step } from './answers.js';
import type { DiscordLookups } from './DiscordLookups.js';
import { DISCORD, roleOf, splitDiscordId } from './ids.js';
import {
  ALL,
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

const actorName = (actor: string) =>
  actor.startsWith(`${DISCORD}:`)
    ? splitDiscordId(actor).local
    : actor === SCIM_ACTOR
      ? 'identity provider'
      : actor;

export const facts = (m: APIGuildMember): MemberFacts => ({ id: m.user?.id ?? '', roles: m.roles });
export const overwritesOf = (channel: APIChannel): APIOverwrite[] =>
  'permission_overwrites' in channel ? (channel.permission_overwrites ?? []) : [];

/**
 * The audit-log reason, at most 512 characters, never cutting one in half (the header is URI-encoded). An actor
 * from elsewhere (a Slack admin's offboarding, the identity provider) is named by their id there.
 */
export const auditReason = (t: RemovalTarget) =>
  Array.from(`kickbot case ${t.caseId} by ${actorName(t.actor)}${t.reason ? `: ${t.reason}` : ''}`)
    .slice(0, 512)
    .join('');

type Checked =
  | { ok: true }
  | { ok: false; result: { outcome: 'failed' | 'unsupported'; code: string; hint: string } };
const refuse = (step: Step): Checked => ({
  ok: false,
  result: { outcome: 'failed', code: 'missing-permissions', hint: missingPermission(step) },
});

/**
 * Who can get into what, changed through REST with an audit-log reason: a private channel's member overwrite
 * (View Channel, and Connect on voice), a thread's members, an area's role. Every write, undo included, is
 * checked against the bot's own permissions first, so that the bot does not collect 403s.
 */
export class DiscordAccess {
  readonly #rest: REST;
  readonly #dir: DiscordLookups;

  constructor(rest: REST, dir: DiscordLookups) {
    this.#rest = rest;
    this.#dir = dir;
  }

  async remove(target: RemovalTarget): Promise<RemoveResult> {
    const where = await this.#where(target);
    if ('result' in where) return where.result;
    const { guild, bot, user, role, channel, parent } = where;
    const checked = this.#check(guild, bot, role, channel, parent, undefined);
    if (!checked.ok) return checked.result;
    const reason = auditReason(target);
    if (role) {
      try {
        await this.#rest.delete(Routes.guildMemberRole(guild.id, user, role), { reason });
        this.#dir.forget('member', guild.id, user);
        return { outcome: 'removed' };
      } catch (error) {
        return removeOutcome(error, 'role');
      }
    }
    if (channel && THREADS.has(channel.type)) {
      try {
        await this.#rest.delete(Routes.threadMembers(channel.id, user), { reason });
        return { outcome: 'removed' };
      } catch (error) {
        return removeOutcome(error, 'thread');
      }
    }
    return this.#shutOut(guild, bot, channel as APIChannel, user, target);
  }

  async restore(target: RemovalTarget, undo?: UndoData): Promise<RestoreResult> {
    const where = await this.#where(target);
    if ('result' in where)
      return { outcome: 'failed', code: 'code' in where.result ? where.result.code : 'not-found' };
    const { guild, bot, user, role, channel, parent } = where;
    const overwrite =
      undo?.overwrite === 'member'
        ? { id: user, type: OverwriteType.Member, allow: undo.allow ?? '0', deny: undo.deny ?? '0' }
        : undefined;
    const checked = this.#check(guild, bot, role, channel, parent, overwrite);
    if (!checked.ok) return checked.result;
    const reason = auditReason(target);
    try {
      if (role) {
        await this.#rest.put(Routes.guildMemberRole(guild.id, user, role), { reason });
        this.#dir.forget('member', guild.id, user);
      } else if (channel && THREADS.has(channel.type)) {
        await this.#rest.put(Routes.threadMembers(channel.id, user), { reason });
      } else if (overwrite) {
        await this.#rest.put(Routes.channelPermission(channel?.id ?? '', user), {
          body: { type: overwrite.type, allow: overwrite.allow, deny: overwrite.deny },
          reason,
        });
        await this.#dir.noteOverwrite(channel?.id ?? '', user, overwrite);
      } else {
        await this.#rest.delete(Routes.channelPermission(channel?.id ?? '', user), { reason });
        await this.#dir.noteOverwrite(channel?.id ?? '', user, undefined);
      }
      return { outcome: 'restored' };
    } catch (error) {
      if (channel) this.#dir.forget('channel', channel.id);
      return restoreOutcome(
        error,
        role ? 'role' : channel && THREADS.has(channel.type) ? 'thread' : 'overwrite',
      );
    }
  }

  /** The guild, the bot, and the role or channel (read fresh: an overwrite is rewritten from what is there now). */
  async #where(target: RemovalTarget): Promise<
    | {
        guild: GuildFacts;
        bot: MemberFacts;
        user: string;
        role?: string;
        channel?: APIChannel;
        parent?: APIChannel;
      }
    | { result: RemoveResult & { outcome: 'denied' } }
  > {
    const { guild: guildId, local } = splitDiscordId(target.room);
    const user = splitDiscordId(target.user).local;
    const guild = await this.#dir.guild(guildId);
    if (!guild) return { result: { outcome: 'denied', code: 'room-not-found' } };
    const me = await this.#dir.me();
    const member = me ? await this.#dir.member(guildId, me.id) : undefined;
    const bot = member ? facts(member) : { id: me?.id ?? '', roles: [] };
    const role = roleOf(local);
    if (role)
      return guild.roles.has(role)
        ? { guild, bot, user, role }
        : { result: { outcome: 'denied', code: 'room-not-found' } };
    const channel = await this.#dir.freshChannel(guildId, local);
    if (!channel) return { result: { outcome: 'denied', code: 'room-not-found' } };
    // A thread takes its permissions from its parent channel.
    const parentId = THREADS.has(channel.type) && 'parent_id' in channel ? channel.parent_id : undefined;
    const parent = parentId ? await this.#dir.channel(guildId, parentId) : undefined;
    return { guild, bot, user, channel, ...(parent ? { parent } : {}) };
  }

  /** Whether the bot may make the change at all; if not, the outcome that says why, with no call made. */
  #check(
    guild: GuildFacts,
    bot: MemberFacts,
    role: string | undefined,
    channel: APIChannel | undefined,
    parent: APIChannel | undefined,
    overwrite: APIOverwrite | undefined,
  ): Checked {
    if (role) {
      const r = guild.roles.get(role);
      const position = r?.position ?? Number.POSITIVE_INFINITY; // #where answered for an unknown role already
      if (!(basePermissions(guild, bot) & P.ManageRoles) || position >= highestPosition(guild, bot))
        return refuse('role');
      if (r?.managed) {
        return {
          ok: false,
          result: {
            outcome: 'unsupported',
            code: 'managed-role',
            hint: "an integration's role cannot be taken away",
          },
        };
      }
      return { ok: true };
    }
    if (!channel) return { ok: true };
    if (THREADS.has(channel.type)) {
      return channelPermissions(guild, bot, parent ? overwritesOf(parent) : []) & P.ManageThreads
        ? { ok: true }
        : refuse('thread');
    }
    const perms = channelPermissions(guild, bot, overwritesOf(channel));
    if (perms === ALL) return { ok: true };
    const shut = VOICE.has(channel.type) ? P.ViewChannel | P.Connect : P.ViewChannel;
    // Discord lets a bot set in an overwrite only the bits it has itself (unless it holds Manage Roles in the
    // channel's own overwrites): the member's other bits are written back too.
    const written = shut | BigInt(overwrite?.allow ?? '0') | BigInt(overwrite?.deny ?? '0');
    if (!(perms & P.ManageRoles) || (written & ~perms) !== 0n) return refuse('overwrite');
    return { ok: true };
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
    const previous = overwritesOf(channel).find((o) => o.type === OverwriteType.Member && o.id === user);
    const overwrite = {
      id: user,
      type: OverwriteType.Member,
      allow: (BigInt(previous?.allow ?? '0') & ~shut).toString(),
      deny: (BigInt(previous?.deny ?? '0') | shut).toString(),
    };
    const checked = this.#check(guild, bot, undefined, channel, undefined, overwrite);
    if (!checked.ok) return checked.result;
    try {
      await this.#rest.put(Routes.channelPermission(channel.id, user), {
        body: { type: overwrite.type, allow: overwrite.allow, deny: overwrite.deny },
        reason: auditReason(target),
      });
      await this.#dir.noteOverwrite(channel.id, user, overwrite);
    } catch (error) {
      this.#dir.forget('channel', channel.id); // whatever happened, read it again next time
      return removeOutcome(error, 'overwrite');
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
}
