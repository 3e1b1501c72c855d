import { z } from 'zod';
import { controlIn, type Token, tokenize, UsageError } from '../src/core/index.js';

/** The text grammar shared by the commands: leading mentions and flags, then free reason words. */

const fmt = (n: number) => n.toLocaleString('en');
export const MAX_REASON = 512;

/** How many users, rooms and removals one command may ask for is the plan's to check, against the config. */
export const UserRefs = z.array(z.string()).min(1, 'name at least one user, e.g. @bob');

export const RoomRefs = z.array(z.string());

export const Reason = z
  .string()
  .max(MAX_REASON, {
    error: (issue) =>
      `the reason is too long: ${fmt(String(issue.input).length)} characters (limit ${fmt(MAX_REASON)})`,
  })
  .refine((reason) => controlIn(reason) === undefined, {
    error: (issue) => `the reason contains a control character (${controlIn(String(issue.input))})`,
  })
  .optional();

export interface Leading {
  users: string[];
  rooms: string[];
  flags: Set<string>;
  /** The free text after the mentions, trimmed; undefined when there is none. */
  reason: string | undefined;
}

/**
 * Reads `@users #rooms --flags` from the start of `tokens`; whatever follows the first plain word is the reason.
 * Known flags may also end the text (`/kick @bob spam --yes`).
 */
export function readLeading(tokens: readonly Token[], text: string, knownFlags: readonly string[]): Leading {
  const out: Leading = { users: [], rooms: [], flags: new Set(), reason: undefined };
  let end = tokens.length;
  for (
    let last = tokens[end - 1];
    last?.kind === 'flag' && knownFlags.includes(last.name);
    last = tokens[end - 1]
  ) {
    out.flags.add(last.name);
    end--;
  }
  const body = tokens.slice(0, end);
  for (const [i, token] of body.entries()) {
    if (token.kind === 'word') {
      // The reason runs to the end of the last token given (a batch of /remove-area ends before its ";").
      const last = body.at(-1) as Token;
      out.reason = text.slice(token.start, last.start + last.raw.length).trim() || undefined;
      return checkFlags(out, knownFlags);
    }
    if (token.kind === 'separator') {
      throw new UsageError(`";" separates batches only in /remove-area (found at token ${i + 1})`);
    }
    if (token.kind === 'flag') {
      out.flags.add(token.name);
      continue;
    }
    for (const part of commaParts(token)) {
      if (part.kind === 'user') out.users.push(mention(part.raw, 'user'));
      else if (part.kind === 'room') out.rooms.push(mention(part.raw, 'room'));
      else throw new UsageError(`"${part.raw}" in "${token.raw}" is no mention; write @name or #room`);
    }
  }
  return checkFlags(out, knownFlags);
}

function checkFlags(leading: Leading, known: readonly string[]): Leading {
  for (const flag of leading.flags) {
    if (!known.includes(flag)) {
      const list = known.length
        ? `known: ${known.map((f) => `--${f}`).join(', ')}`
        : 'this command takes no flags';
      throw new UsageError(`unknown flag --${flag} (${list})`);
    }
  }
  return leading;
}

/**
 * `@bob,@carol` (or `@bob, @carol`) is two mentions. A `<…>` escape stays whole: Slack writes those, and a display
 * name inside one may hold a comma.
 */
function commaParts(token: Token): { kind: Token['kind']; raw: string }[] {
  if (token.raw.startsWith('<') || !token.raw.includes(',')) return [token];
  return token.raw
    .split(',')
    .filter((raw) => raw !== '')
    .map((raw) => ({ raw, kind: raw.startsWith('@') ? 'user' : raw.startsWith('#') ? 'room' : 'word' }));
}

/** A mention with nothing after its sigil (`@`, `#`, `<@>`) names nobody. */
export function mention(raw: string, kind: 'user' | 'room'): string {
  const body = raw.replace(/^<[@#!]?|>$/g, '').replace(/^[@#]/, '');
  if (body.trim() === '' || body.startsWith('|')) {
    throw new UsageError(`"${raw}" alone names no ${kind}; write ${kind === 'user' ? '@name' : '#room'}`);
  }
  return raw;
}

/** Splits tokens at `;`, dropping empty batches. */
export function batches(tokens: readonly Token[]): Token[][] {
  const out: Token[][] = [[]];
  for (const t of tokens) {
    if (t.kind === 'separator') out.push([]);
    else out[out.length - 1]?.push(t);
  }
  return out.filter((b) => b.length > 0);
}

/** The mentions of an option that holds several (`more: <@1> <#2>`); anything else in it is a usage error. */
export function mentionsIn(
  text: string,
  option: string,
  allowed: readonly ('user' | 'room')[],
): { users: string[]; rooms: string[] } {
  const out = { users: [] as string[], rooms: [] as string[] };
  for (const token of tokenize(text)) {
    if (token.kind === 'user' && allowed.includes('user')) out.users.push(mention(token.raw, 'user'));
    else if (token.kind === 'room' && allowed.includes('room')) out.rooms.push(mention(token.raw, 'room'));
    else {
      const what = allowed.map((a) => (a === 'user' ? '@users' : '#channels')).join(' and ');
      throw new UsageError(`${option} takes only ${what} (found "${token.raw}")`);
    }
  }
  return out;
}

/** An option's string value, or undefined. */
export const str = (v: string | number | boolean | undefined): string | undefined =>
  v === undefined || v === '' ? undefined : String(v);
