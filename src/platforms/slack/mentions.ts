/**
 * What a Slack mention in command text means. With "Escape channels, users, and links" on (the manifest sets
 * `should_escape: true`) Slack sends ids: `<@U123|name>`, `<#C123|name>`, `<#C123|>` for a private channel,
 * `<!subteam^S123|@team>`; with it off, the plain `@name` / `#name` the user typed.
 */
export type SlackMention =
  | { kind: 'user'; id: string }
  | { kind: 'usergroup'; id: string; handle?: string }
  | { kind: 'channel'; id: string; name?: string }
  | { kind: 'user-name'; name: string }
  | { kind: 'channel-name'; name: string }
  | { kind: 'invalid'; reason: string };

const USER = /^<@([UW][A-Z0-9]{2,})(?:\|([^>]*))?>$/;
const USERGROUP = /^<!subteam\^([A-Z0-9]{2,})(?:\|@?([^>]*))?>$/;
const CHANNEL = /^<#([CGD][A-Z0-9]{2,})(?:\|([^>]*))?>$/;
const SPECIAL = /^<!(here|channel|everyone)(?:\|[^>]*)?>$/;
const USER_NAME = /^@([\p{L}\p{N}_.'-]{1,80})$/u;
const CHANNEL_NAME = /^#([\p{Ll}\p{Lo}\p{N}_-]{1,80})$/u;

export function parseSlackMention(raw: string): SlackMention {
  let m = USER.exec(raw);
  if (m?.[1]) return { kind: 'user', id: m[1] };
  m = USERGROUP.exec(raw);
  if (m?.[1]) return { kind: 'usergroup', id: m[1], ...(m[2] ? { handle: m[2] } : {}) };
  m = CHANNEL.exec(raw);
  if (m?.[1]) return { kind: 'channel', id: m[1], ...(m[2] ? { name: m[2] } : {}) };
  m = SPECIAL.exec(raw);
  if (m?.[1]) return { kind: 'invalid', reason: `@${m[1]} names no one in particular; mention the users` };
  m = USER_NAME.exec(raw);
  if (m?.[1]) return { kind: 'user-name', name: m[1] };
  m = CHANNEL_NAME.exec(raw);
  if (m?.[1]) return { kind: 'channel-name', name: m[1] };
  return { kind: 'invalid', reason: `"${raw}" is not a Slack mention` };
}
