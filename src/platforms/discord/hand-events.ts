import {
  AuditLogEvent,
  AuditLogOptionsType,
  type Client,
  Events,
  type GuildAuditLogsEntry,
  GuildMember,
  Routes,
} from 'discord.js';
import type { Core, HandRemoval, Logger, RoomJoin, UndoData } from '../../core/index.js';
import { safeError } from '../log-safe.js';
import { overwritesOf } from './DiscordAccess.js';
import { DISCORD, discordId, guildId, roleRoom } from './ids.js';
import { Permission as P } from './permissions.js';

/** What kickbot learns from the audit log is told to the core as coming from here. */
export const DISCORD_AUDIT_VIA = 'discord-audit-log';

/** kickbot's own writes carry this audit-log reason (DiscordAccess.auditReason): never a by-hand case. */
const OWN_REASON = 'kickbot case';

/** An audit log entry as kickbot reads it: plain data out of discord.js's parsed entry. */
export interface AuditEntry {
  id: string;
  guild: string;
  action: number;
  executor: string | null;
  /** The user (kick, roles) or the channel (overwrites) acted on. */
  target: string | null;
  reason: string | null;
  changes: readonly { key: string; old?: unknown; new?: unknown }[];
  /** CHANNEL_OVERWRITE_*: whose overwrite it is (`options.id`), and whether that is a member (`options.type` "1"). */
  overwrite?: { id: string; member: boolean };
  at: number;
}

export type HandEvent = { removal: HandRemoval } | { join: RoomJoin };

export interface HandContext {
  /** The bot's own user id: what it does is never by hand. */
  bot?: string;
  /** The roles of the config's areas (`areas[].groups.discord`): only taking one of those is a removal. */
  areaRoles: ReadonlySet<string>;
  /**
   * The member's overwrite in the channel now, for an update that did not change `allow` (the audit log lists only
   * what changed, and an undo puts back both halves as they were).
   */
  overwriteNow(channel: string, user: string): Promise<{ allow: string; deny: string } | undefined>;
}

const bits = (v: unknown): bigint => {
  try {
    return typeof v === 'string' || typeof v === 'number' ? BigInt(v) : 0n;
  } catch {
    return 0n;
  }
};
const sees = (deny: unknown) => (bits(deny) & P.ViewChannel) === 0n;

/** What an audit log entry means to kickbot: removals made by hand, people let back in, or nothing. */
export async function handEvents(entry: AuditEntry, ctx: HandContext): Promise<HandEvent[]> {
  if (entry.reason?.startsWith(OWN_REASON) || (ctx.bot && entry.executor === ctx.bot)) return [];
  const g = entry.guild;
  const base = {
    platform: DISCORD,
    workspace: guildId(g),
    ...(entry.executor ? { actor: discordId(g, entry.executor) } : {}),
    at: entry.at,
  };
  const removal = (r: Pick<HandRemoval, 'eventId' | 'target' | 'room' | 'detail'> & { undo?: UndoData }) => ({
    removal: {
      ...base,
      ...r,
      via: DISCORD_AUDIT_VIA,
      ...(entry.reason ? { reason: entry.reason } : {}),
    },
  });
  const join = (j: Pick<RoomJoin, 'eventId' | 'user' | 'room'>) => ({ join: { ...base, ...j } });
  const change = (key: string) => entry.changes.find((c) => c.key === key);

  switch (entry.action) {
    case AuditLogEvent.MemberKick:
      if (!entry.target) return [];
      return [
        removal({
          eventId: entry.id,
          target: discordId(g, entry.target),
          room: guildId(g),
          detail: 'member kick',
        }),
      ];
    case AuditLogEvent.MemberRoleUpdate: {
      if (!entry.target) return [];
      const user = discordId(g, entry.target);
      const roles = (key: '$add' | '$remove') => {
        const value = change(key)?.new;
        return (Array.isArray(value) ? value : []).filter(
          (r): r is { id: string; name?: string } => typeof r?.id === 'string' && ctx.areaRoles.has(r.id),
        );
      };
      return [
        ...roles('$remove').map((r) =>
          removal({
            eventId: `${entry.id}/${r.id}`,
            target: user,
            room: roleRoom(g, r.id),
            detail: `role ${r.name ?? r.id} taken away`,
          }),
        ),
        ...roles('$add').map((r) => join({ eventId: `${entry.id}/${r.id}`, user, room: roleRoom(g, r.id) })),
      ];
    }
    case AuditLogEvent.ChannelOverwriteCreate:
    case AuditLogEvent.ChannelOverwriteUpdate:
    case AuditLogEvent.ChannelOverwriteDelete: {
      if (!entry.target || !entry.overwrite?.member) return [];
      const channel = entry.target;
      const user = entry.overwrite.id;
      const where = { eventId: entry.id, room: discordId(g, channel) };
      const deny = change('deny');
      if (entry.action === AuditLogEvent.ChannelOverwriteDelete)
        return deny && !sees(deny.old) ? [join({ ...where, user: discordId(g, user) })] : [];
      if (!deny) return []; // only `allow` changed
      const [before, after] = [sees(deny.old), sees(deny.new)];
      if (before && !after) {
        const undo = await undoOf(entry, ctx, channel, user);
        return [removal({ ...where, target: discordId(g, user), detail: 'View Channel denied', undo })];
      }
      return !before && after ? [join({ ...where, user: discordId(g, user) })] : [];
    }
    default:
      return [];
  }
}

/** The member's overwrite as it was before the entry: none for a create; for an update, both halves before it. */
async function undoOf(entry: AuditEntry, ctx: HandContext, channel: string, user: string): Promise<UndoData> {
  if (entry.action === AuditLogEvent.ChannelOverwriteCreate) return { overwrite: 'none' };
  const allow = entry.changes.find((c) => c.key === 'allow');
  const deny = entry.changes.find((c) => c.key === 'deny');
  const allowBefore = allow ? String(allow.old ?? '0') : (await ctx.overwriteNow(channel, user))?.allow;
  return { overwrite: 'member', allow: allowBefore ?? '0', deny: String(deny?.old ?? '0') };
}

/** discord.js's parsed entry as plain data (the overwrite's owner is in `extra`, a member or `{ id, type }`). */
export function auditEntryOf(entry: GuildAuditLogsEntry, guild: string): AuditEntry {
  const extra = entry.extra as { id?: string; type?: string } | null;
  const overwrite =
    extra && typeof extra === 'object' && typeof extra.id === 'string'
      ? { id: extra.id, member: extra instanceof GuildMember || extra.type === AuditLogOptionsType.Member }
      : undefined;
  return {
    id: entry.id,
    guild,
    action: entry.action,
    executor: entry.executorId,
    target: entry.targetId,
    reason: entry.reason,
    changes: entry.changes.map((c) => ({ key: c.key, old: c.old, new: c.new })),
    ...(overwrite ? { overwrite } : {}),
    at: entry.createdTimestamp,
  };
}

export interface DiscordHandEventsOptions {
  core: Core;
  logger: Logger;
  /** The config's `byHand.discord` (false: no by-hand cases; rejoin alerts still work). */
  byHand: boolean;
  /** The roles of the config's areas. */
  areaRoles: () => ReadonlySet<string>;
  /** Member joins (GUILD_MEMBER_ADD, the privileged Server Members intent): rejoin alerts after a kick. */
  memberEvents: boolean;
}

/**
 * The gateway's moderation events, transport only: GUILD_AUDIT_LOG_ENTRY_CREATE (the Guild Moderation intent; Discord
 * sends it only to a bot with View Audit Log) → by-hand cases and rejoins, and with `memberEvents` GUILD_MEMBER_ADD
 * → a rejoin of the server.
 */
export function listenForHandEvents(client: Client, opts: DiscordHandEventsOptions): void {
  const fail = (error: unknown, id: string) =>
    opts.logger.error({ err: safeError(error), entry: id }, 'discord: audit log entry not handled');
  client.on(Events.GuildAuditLogEntryCreate, (entry, guild) => {
    const ctx: HandContext = {
      ...(client.user ? { bot: client.user.id } : {}),
      areaRoles: opts.areaRoles(),
      overwriteNow: async (channel, user) => {
        const found = await client.rest.get(Routes.channel(channel)).catch(() => undefined);
        const ow = found ? overwritesOf(found as never).find((o) => o.id === user) : undefined;
        return ow ? { allow: ow.allow, deny: ow.deny } : undefined;
      },
    };
    void handEvents(auditEntryOf(entry, guild.id), ctx)
      .then(async (events) => {
        for (const e of events) {
          if ('removal' in e) {
            if (opts.byHand) await opts.core.byHand(e.removal);
          } else await opts.core.joined(e.join);
        }
      })
      .catch((error: unknown) => fail(error, entry.id));
  });
  if (!opts.memberEvents) return;
  client.on(Events.GuildMemberAdd, (member) => {
    const g = member.guild.id;
    void opts.core
      .joined({
        eventId: `member-add/${g}/${member.id}/${member.joinedTimestamp ?? ''}`,
        platform: DISCORD,
        workspace: guildId(g),
        room: guildId(g),
        user: discordId(g, member.id),
        at: member.joinedTimestamp ?? Date.now(),
      })
      .catch((error: unknown) => fail(error, `member-add ${member.id}`));
  });
}
