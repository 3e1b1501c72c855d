/**
 * What a Discord mention in command text means. A slash command's User, Channel and Role options arrive as ids,
 * which `interactions.ts` writes as mentions (`<@id>`, `<#id>`, `<@&id>`); text carries what was typed: `<@id>` or
 * the older nickname form `<@!id>` when someone was picked from the @ list, else the plain `@name` / `#name`.
 */
export type DiscordMention =
  | { kind: 'user'; id: string }
  | { kind: 'role'; id: string }
  | { kind: 'channel'; id: string }
  | { kind: 'user-name'; name: string }
  | { kind: 'channel-name'; name: string }
  | { kind: 'invalid'; reason: string };

/** Ids are snowflakes: digits only, 5 to 25 of them. */
const USER = /^<@!?(\d{5,25})>$/;
const ROLE = /^<@&(\d{5,25})>$/;
const CHANNEL = /^<#(\d{5,25})>$/;
/** A username, global name or nickname (up to 32 characters), as typed: its case is kept. */
const USER_NAME = /^@([^\s@#<>]{1,32})$/;
const CHANNEL_NAME = /^#([^\s#<>]{1,100})$/;

export function parseDiscordMention(raw: string): DiscordMention {
  let m = USER.exec(raw);
  if (m?.[1]) return { kind: 'user', id: m[1] };
  m = ROLE.exec(raw);
  if (m?.[1]) return { kind: 'role', id: m[1] };
  m = CHANNEL.exec(raw);
  if (m?.[1]) return { kind: 'channel', id: m[1] };
  m = USER_NAME.exec(raw);
  if (m?.[1]) return { kind: 'user-name', name: m[1] };
  m = CHANNEL_NAME.exec(raw);
  if (m?.[1]) return { kind: 'channel-name', name: m[1] };
  return { kind: 'invalid', reason: `"${raw}" is not a Discord mention` };
}
