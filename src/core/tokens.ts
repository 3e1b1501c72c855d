import { CONTROL } from './controls.js';
import { UsageError } from './errors.js';

/**
 * Command text split into tokens. Mentions are kept raw (`@bob`, `<@U123|bob>`, `#general`, `<#C1|>`,
 * `<!subteam^S1|@team>`): only the connector of the platform that produced them interprets them.
 */
export type Token =
  | { kind: 'user'; raw: string; start: number }
  | { kind: 'room'; raw: string; start: number }
  | { kind: 'flag'; name: string; raw: string; start: number }
  | { kind: 'separator'; raw: ';'; start: number }
  | { kind: 'word'; raw: string; start: number };

export const MAX_TEXT_LENGTH = 200_000;

/** Rejects text no person types: control characters and absurd lengths. */
export function checkText(text: string): void {
  if (text.length > MAX_TEXT_LENGTH) {
    throw new UsageError(
      `the command is too long: ${text.length.toLocaleString('en')} characters (limit ${MAX_TEXT_LENGTH.toLocaleString('en')})`,
    );
  }
  const match = CONTROL.exec(text);
  if (match) {
    const code = match[0].codePointAt(0) ?? 0;
    throw new UsageError(
      `the command contains a control character (U+${code.toString(16).toUpperCase().padStart(4, '0')}) at position ${[...text.slice(0, match.index)].length + 1}`,
    );
  }
}

function classify(raw: string, start: number): Token {
  if (raw.startsWith('<@') || raw.startsWith('<!subteam') || raw.startsWith('@'))
    return { kind: 'user', raw, start };
  if (raw.startsWith('<#') || raw.startsWith('#')) return { kind: 'room', raw, start };
  if (raw.startsWith('--') && raw.length > 2) return { kind: 'flag', name: raw.slice(2), raw, start };
  return { kind: 'word', raw, start };
}

/** Splits on whitespace and `;`; a `<…>` escape stays one token even if it contains spaces. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  // The next `>` at or after i, found once and reused: one scan of the text in all, also on many unmatched `<`.
  let close = -2;
  while (i < text.length) {
    const ch = text.charAt(i);
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === ';') {
      tokens.push({ kind: 'separator', raw: ';', start: i });
      i++;
      continue;
    }
    const start = i;
    if (ch === '<') {
      if (close !== -1 && close < i) close = text.indexOf('>', i);
      if (close >= 0) {
        i = close + 1;
        tokens.push(classify(text.slice(start, i), start));
        continue;
      }
    }
    while (i < text.length && !/[\s;]/.test(text.charAt(i))) i++;
    tokens.push(classify(text.slice(start, i), start));
  }
  return tokens;
}
