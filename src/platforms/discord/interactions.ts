import { ApplicationCommandOptionType } from 'discord-api-types/v10';
import { answerInvocation, type Invocation, type OptionValues } from '../../core/index.js';
import { DISCORD, discordId, guildId } from './ids.js';
import { CANCEL, CONFIRM, STOP } from './render.js';

/** An option as both a raw interaction and discord.js carry it. */
export interface RawOption {
  name: string;
  type: number;
  value?: string | number | boolean;
  options?: RawOption[];
  focused?: boolean;
}

/**
 * Typed options as the commands take them: a user or channel is a mention (`<@id>`, `<#id>`), a role `<@&id>`,
 * a subcommand's name goes under `subcommand` and its own options beside it.
 */
export function flattenOptions(options: readonly RawOption[] | undefined): OptionValues {
  const out: OptionValues = {};
  for (const o of options ?? []) {
    if (
      o.type === ApplicationCommandOptionType.Subcommand ||
      o.type === ApplicationCommandOptionType.SubcommandGroup
    ) {
      out.subcommand = o.name;
      Object.assign(out, flattenOptions(o.options));
    } else if (o.value !== undefined) {
      if (o.type === ApplicationCommandOptionType.User) out[o.name] = `<@${o.value}>`;
      else if (o.type === ApplicationCommandOptionType.Channel) out[o.name] = `<#${o.value}>`;
      else if (o.type === ApplicationCommandOptionType.Role) out[o.name] = `<@&${o.value}>`;
      else out[o.name] = o.value;
    }
  }
  return out;
}

export interface CommandInput {
  id: string;
  guild: string;
  channel: string;
  user: string;
  command: string;
  options: readonly RawOption[] | undefined;
}

export function invocation(input: CommandInput): Invocation {
  return {
    // One interaction id per command typed: a redelivery (another replica, a retry) carries it again.
    id: `${DISCORD}:${input.id}`,
    platform: DISCORD,
    workspace: guildId(input.guild),
    actor: discordId(input.guild, input.user),
    channel: discordId(input.guild, input.channel),
    command: input.command,
    input: { options: flattenOptions(input.options) },
    receivedAt: Date.now(),
  };
}

/** A Confirm or Cancel click as the answer to its prompt (one interaction id per click). */
export function answerFor(
  input: Omit<CommandInput, 'command' | 'options'>,
  customId: string,
): Invocation | undefined {
  const yes = customId.startsWith(CONFIRM);
  if (!yes && !customId.startsWith(CANCEL)) return undefined;
  const base = invocation({ ...input, command: 'answer', options: undefined });
  const confirmId = customId.slice(customId.indexOf(':', 'kickbot:'.length) + 1);
  return answerInvocation(base, confirmId, yes);
}

/**
 * A Cancel click on a progress message as `/kickbot cancel <N>` from whoever clicked (the core checks they may);
 * undefined for any other button.
 */
export function cancelFor(
  input: Omit<CommandInput, 'command' | 'options'>,
  customId: string,
): Invocation | undefined {
  if (!customId.startsWith(STOP)) return undefined;
  const base = invocation({ ...input, command: 'kickbot', options: undefined });
  return { ...base, input: { text: `cancel ${customId.slice(STOP.length)}` } };
}

/** The value being typed into an autocompleted option. */
export function focusedValue(options: readonly RawOption[] | undefined): string {
  for (const o of options ?? []) {
    if (o.focused) return String(o.value ?? '');
    const inner = focusedValue(o.options);
    if (inner) return inner;
  }
  return '';
}
