import type { REST } from '@discordjs/rest';
import { type APIGuildMember, Routes } from 'discord-api-types/v10';
import type {
  HeldRoom,
  Id,
  Membership,
  RemovalTarget,
  RemoveResult,
  RestoreResult,
  RoomInfo,
} from '../../core/index.js';
import { missingPermission, removeOutcome } from './answers.js';
import { auditReason, facts } from './DiscordAccess.js';
import type { DiscordLookups } from './DiscordLookups.js';
import { guildId, isSnowflake, splitDiscordId } from './ids.js';
import { basePermissions, type GuildFacts, highestPosition, Permission as P } from './permissions.js';

const NO_UNDO: RestoreResult & { hint: string } = {
  outcome: 'unsupported',
  code: 'no-undo',
  hint: 'Discord cannot re-add a member to a server: send them an invite link',
};

/**
 * The server itself as a room (`discord:G`), for an offboarding: its members are the guild's, and removing one is
 * Remove Guild Member (a kick, Kick Members). A kicked member comes back only through an invite, so there is no
 * undo. The bot's own Kick Members and rank are checked first, so that it does not collect 403s.
 */
export class DiscordServer {
  readonly #rest: REST;
  readonly #dir: DiscordLookups;

  constructor(rest: REST, dir: DiscordLookups) {
    this.#rest = rest;
    this.#dir = dir;
  }

  async room(guild: string): Promise<RoomInfo | undefined> {
    const facts = await this.#guild(guild);
    return facts && serverRoom(facts);
  }

  async members(guild: string, users: readonly Id[]): Promise<Map<Id, Membership>> {
    const out = new Map<Id, Membership>();
    if (!(await this.#guild(guild))) return out;
    const lookup = await this.#dir.lookup(guild, users.length);
    await Promise.all(
      users.map(async (user) => {
        const { local } = splitDiscordId(user);
        if (isSnowflake(local) && (await lookup(local))) out.set(user, { roles: [] });
      }),
    );
    return out;
  }

  /** The server, when the user is one of its members (a Discord user id belongs to one guild). */
  async *memberships(user: Id): AsyncIterable<readonly HeldRoom[]> {
    const { guild: id, local } = splitDiscordId(user);
    if (!isSnowflake(local)) return;
    const guild = await this.#guild(id);
    if (guild && (await this.#dir.member(id, local))) yield [{ room: serverRoom(guild), roles: [] }];
  }

  async remove(target: RemovalTarget): Promise<RemoveResult> {
    const { guild: id } = splitDiscordId(target.room);
    const user = splitDiscordId(target.user).local;
    const guild = await this.#guild(id);
    if (!guild) return { outcome: 'denied', code: 'room-not-found' };
    const member = isSnowflake(user) ? await this.#dir.member(id, user) : undefined;
    if (!member) return { outcome: 'not_member' };
    if (!(await this.#mayKick(guild, member))) {
      return { outcome: 'failed', code: 'missing-permissions', hint: missingPermission('kick') };
    }
    try {
      await this.#rest.delete(Routes.guildMember(id, user), { reason: auditReason(target) });
      return { outcome: 'removed' };
    } catch (error) {
      return removeOutcome(error, 'kick');
    } finally {
      this.#dir.forget('member', id, user);
    }
  }

  async restore(): Promise<RestoreResult> {
    return NO_UNDO;
  }

  /** The guild's facts; none for what is not a Discord id (nothing asked of Discord). */
  async #guild(id: string): Promise<GuildFacts | undefined> {
    return isSnowflake(id) ? this.#dir.guild(id) : undefined;
  }

  /** Kick Members, and the bot's highest role above the member's (Discord's hierarchy; the owner is above all). */
  async #mayKick(guild: GuildFacts, target: APIGuildMember): Promise<boolean> {
    const me = await this.#dir.me();
    const bot = me ? await this.#dir.member(guild.id, me.id) : undefined;
    if (!bot || !(basePermissions(guild, facts(bot)) & P.KickMembers)) return false;
    if (me?.id === guild.ownerId) return true;
    return (
      target.user?.id !== guild.ownerId &&
      highestPosition(guild, facts(target)) < highestPosition(guild, facts(bot))
    );
  }
}

function serverRoom(guild: GuildFacts): RoomInfo {
  const name = guild.name ?? guild.id;
  return { id: guildId(guild.id), name, type: 'group', owners: 0, label: name, noUndo: NO_UNDO.hint };
}
