import {
  type APIApplicationCommandOption,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ChannelType,
  InteractionContextType,
  PermissionFlagsBits as P,
  type RESTPutAPIApplicationCommandsJSONBody,
} from 'discord-api-types/v10';
import type { CommandDefinition, OptionSpec } from '../../core/index.js';

/** The application commands (`kickbot manifest discord`), generated from the command list. */

/** What each command needs to be seen in the command picker (admins see everything). */
const VISIBLE_TO = {
  kick: P.KickMembers,
  'manage-roles': P.ManageRoles,
  everyone: undefined,
} as const;

/** Channels a `channel:` option offers: the ones kickbot can shut someone out of. */
const CHANNEL_TYPES = [
  ChannelType.GuildText,
  ChannelType.GuildVoice,
  ChannelType.GuildAnnouncement,
  ChannelType.GuildStageVoice,
  ChannelType.GuildForum,
  ChannelType.PublicThread,
  ChannelType.PrivateThread,
  ChannelType.AnnouncementThread,
];

function option(spec: OptionSpec): APIApplicationCommandOption {
  const base = { name: spec.name, description: spec.description };
  switch (spec.type) {
    case 'subcommand':
      return {
        ...base,
        type: ApplicationCommandOptionType.Subcommand,
        ...(spec.options ? { options: spec.options.map(option) as never } : {}),
      };
    case 'user':
      return { ...base, type: ApplicationCommandOptionType.User, required: spec.required ?? false };
    case 'channel':
      return {
        ...base,
        type: ApplicationCommandOptionType.Channel,
        required: spec.required ?? false,
        channel_types: CHANNEL_TYPES as never,
      };
    case 'integer':
      return {
        ...base,
        type: ApplicationCommandOptionType.Integer,
        required: spec.required ?? false,
        ...(spec.minValue !== undefined ? { min_value: spec.minValue } : {}),
      };
    case 'boolean':
      return { ...base, type: ApplicationCommandOptionType.Boolean, required: spec.required ?? false };
    case 'string':
      return {
        ...base,
        type: ApplicationCommandOptionType.String,
        required: spec.required ?? false,
        ...(spec.maxLength ? { max_length: spec.maxLength } : {}),
        ...(spec.autocomplete ? { autocomplete: true } : {}),
      };
  }
}

export function discordCommands(
  commands: readonly CommandDefinition[],
): RESTPutAPIApplicationCommandsJSONBody {
  return commands.map((c) => {
    const permission = VISIBLE_TO[c.visibleTo ?? 'everyone'];
    return {
      name: c.name,
      type: ApplicationCommandType.ChatInput,
      description: c.description.slice(0, 100),
      options: (c.options ?? []).map(option),
      default_member_permissions: permission === undefined ? null : permission.toString(),
      contexts: [InteractionContextType.Guild],
    };
  });
}

export function discordCommandsJson(commands: readonly CommandDefinition[]): string {
  return `${JSON.stringify(discordCommands(commands), null, 2)}\n`;
}

/**
 * The permissions the bot asks for at install, each for a step of the connector: seeing channels and posting
 * confirmations, member overwrites and area roles (Manage Roles = "Manage Permissions"), thread members,
 * disconnecting someone shut out of a voice channel, the kick out of the server that an offboarding is, and the
 * audit log (Discord sends its entries over the gateway only to a bot that may view it: removals made by hand).
 */
export const BOT_PERMISSIONS: Record<string, bigint> = {
  'View Channels': P.ViewChannel,
  'Send Messages': P.SendMessages,
  'Send Messages in Threads': P.SendMessagesInThreads,
  'Embed Links': P.EmbedLinks,
  Connect: P.Connect,
  'Manage Roles (channel overwrites and area roles)': P.ManageRoles,
  'Manage Threads (thread members)': P.ManageThreads,
  'Move Members (voice disconnect)': P.MoveMembers,
  'Kick Members (offboarding: out of the server)': P.KickMembers,
  'View Audit Log (removals made by hand)': P.ViewAuditLog,
};

export const BOT_PERMISSION_INTEGER = Object.values(BOT_PERMISSIONS).reduce((a, b) => a | b, 0n);

export function inviteUrl(applicationId: string): string {
  const params = new URLSearchParams({
    client_id: applicationId,
    scope: 'bot applications.commands',
    permissions: BOT_PERMISSION_INTEGER.toString(),
  });
  return `https://discord.com/oauth2/authorize?${params}`;
}
