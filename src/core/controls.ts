/** Characters no person types and no log or terminal should receive raw. */

// C0 controls except tab, LF and CR; DEL; C1 controls; bidi overrides and isolates.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is this regex's job
export const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: as CONTROL, every match, and tab, LF and CR too
const UNPRINTABLE = /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

const codeOf = (ch: string) => `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;

/** The first control character in `text`, as `U+001B at position 5` (1-based, in characters), or undefined. */
export function controlIn(text: string): string | undefined {
  const match = CONTROL.exec(text);
  if (!match) return undefined;
  return `${codeOf(match[0])} at position ${[...text.slice(0, match.index)].length + 1}`;
}

/** `text` for one line of a log or a terminal: every control character (tab and newlines too) as `\u{1B}`. */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (ch) => `\\u{${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase()}}`);
}
