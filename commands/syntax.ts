import parseDuration from 'parse-duration';
import { z } from 'zod';
import {
  controlIn,
  type OptionSpec,
  type Refs,
  type RemovalFlags,
  type Token,
  tokenize,
  UsageError,
} from '../src/core/index.js';

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
  /** The values of the flags that take one (`--for 2h`, `--for=2h`). */
  values: Map<string, string>;
  /** The free text after the mentions, trimmed; undefined when there is none. */
  reason: string | undefined;
}

/**
 * Reads `@users #rooms --flags` from the start of `tokens`; whatever follows the first plain word is the reason.
 * Known flags may also end the text (`/kick @bob spam --yes`). A flag named in `valued` takes the next token as
 * its value (`--for 2h`), or the part after `=` (`--for=2h`).
 */
export function readLeading(
  tokens: readonly Token[],
  text: string,
  knownFlags: readonly string[],
  valued: readonly string[] = [],
): Leading {
  const out: Leading = { users: [], rooms: [], flags: new Set(), values: new Map(), reason: undefined };
  const known = [...knownFlags, ...valued];
  let end = tokens.length;
  // Flags ending the text, read from the end: `--yes`, `--for=2h`, or `--for 2h` (a value after its flag).
  for (;;) {
    const last = tokens[end - 1];
    const before = tokens[end - 2];
    if (last?.kind === 'flag' && known.includes(nameOf(last))) {
      take(out, last, undefined, valued, known);
      end--;
    } else if (last && before?.kind === 'flag' && valued.includes(before.name)) {
      take(out, before, last, valued, known);
      end -= 2;
    } else break;
  }
  const body = tokens.slice(0, end);
  for (let i = 0; i < body.length; i++) {
    const token = body[i] as Token;
    if (token.kind === 'word') {
      // The reason runs to the end of the last token given (a batch of /remove-area ends before its ";").
      const last = body.at(-1) as Token;
      out.reason = text.slice(token.start, last.start + last.raw.length).trim() || undefined;
      return checkFlags(out, known);
    }
    if (token.kind === 'separator') {
      throw new UsageError(`";" separates batches only in /remove-area (found at token ${i + 1})`);
    }
    if (token.kind === 'flag') {
      const takesNext = valued.includes(token.name);
      take(out, token, takesNext ? body[i + 1] : undefined, valued, known);
      if (takesNext) i++;
      continue;
    }
    for (const part of commaParts(token)) {
      if (part.kind === 'user') out.users.push(mention(part.raw, 'user'));
      else if (part.kind === 'room') out.rooms.push(mention(part.raw, 'room'));
      else throw new UsageError(`"${part.raw}" in "${token.raw}" is no mention; write @name or #room`);
    }
  }
  return checkFlags(out, known);
}

/** `--for=2h` is the flag `for`. */
const nameOf = (flag: Extract<Token, { kind: 'flag' }>) => flag.name.split('=')[0] as string;

/** Notes a flag (and its value: after `=`, or the next token); a value given twice is a usage error. */
function take(
  out: Leading,
  flag: Extract<Token, { kind: 'flag' }>,
  next: Token | undefined,
  valued: readonly string[],
  known: readonly string[],
): void {
  const name = nameOf(flag);
  // A repeated switch is harmless (`--yes --yes`); two values are a contradiction.
  if (out.flags.has(name) && valued.includes(name)) throw new UsageError(`--${name} is given twice`);
  out.flags.add(name);
  if (!valued.includes(name)) {
    if (flag.name.includes('=') && known.includes(name))
      throw new UsageError(`--${name} takes no value (found "${flag.raw}")`);
    return;
  }
  const value = flag.name.includes('=') ? flag.name.slice(name.length + 1) : next?.raw;
  if (!value || (!flag.name.includes('=') && next?.kind !== 'word')) {
    const found = next && !flag.name.includes('=') ? ` (found "${next.raw}")` : '';
    throw new UsageError(`--${name} needs a value, e.g. --${name} ${VALUE_EXAMPLES[name] ?? '…'}${found}`);
  }
  out.values.set(name, value);
}

const VALUE_EXAMPLES: Record<string, string> = { for: '2h' };

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

/** The flags of /kick and /remove-area (`--for` too) and of /offboard (`--dm`, `--no-dm`), besides `--yes`. */
export const REMOVAL_FLAGS = ['yes', 'dm', 'no-dm'] as const;
export const VALUED_FLAGS = ['for'] as const;

export const MIN_DURATION_MS = 60_000;
export const MAX_DURATION_MS = 365 * 24 * 60 * 60_000;
const DURATION_RANGE = 'from 1 minute to 365 days, e.g. 30m, 2h, 1d, 1w or 1h30m';

/**
 * A duration as a moderator writes it (`30m`, `2h`, `1d`, `1w`, `1h30m`, `90 minutes`), in ms. Every number needs
 * its unit (a bare `30` says neither minutes nor days), and it must lie from 1 minute to 365 days.
 */
export function durationMs(value: string, what = '--for'): number {
  const text = value.trim();
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)\s*([a-zA-Z]+)\s*/g)];
  const whole = parts.map((m) => m[0]).join('') === text.replace(/^\s+/, '');
  const ms = whole && parts.length > 0 ? parseDuration(text) : null;
  const unitsKnown = parts.every((m) => parseDuration(`1${m[2]}`) !== null);
  if (ms === null || ms === undefined || !unitsKnown || !Number.isFinite(ms)) {
    throw new UsageError(`${what} takes a duration ${DURATION_RANGE} (got "${value}")`);
  }
  if (ms < MIN_DURATION_MS || ms > MAX_DURATION_MS) {
    throw new UsageError(
      `${what} must be from 1 minute to 365 days (got "${value}"); e.g. ${what === '--for' ? '--for 2h' : '2h'}`,
    );
  }
  return Math.round(ms);
}

/**
 * `--for`, `--dm` and `--no-dm` as the request carries them (`forMs`, `dm`); `--dm` with `--no-dm` is a usage error.
 * `timed: false` (an offboarding) refuses `--for`: a Discord server kick cannot be undone by a timer.
 */
export function removalFlags(leading: Pick<Leading, 'flags' | 'values'>, timed = true): RemovalFlags {
  const out: RemovalFlags = {};
  const forText = leading.values.get('for');
  if (forText !== undefined) {
    if (!timed) throw new UsageError(NO_TIMED_OFFBOARDING);
    out.forMs = durationMs(forText);
  }
  const dm = dmFlag(leading.flags.has('dm'), leading.flags.has('no-dm'));
  if (dm !== undefined) out.dm = dm;
  return out;
}

/** `--dm` (true), `--no-dm` (false), neither (undefined: the config says); both is a usage error. */
export function dmFlag(dm: boolean, noDm: boolean): boolean | undefined {
  if (dm && noDm) throw new UsageError('--dm and --no-dm contradict each other; give one');
  return dm ? true : noDm ? false : undefined;
}

export const NO_TIMED_OFFBOARDING =
  '/offboard takes no --for: an offboarding cannot be timed (a Discord server kick cannot be undone); use /kick or /remove-area --for for a timed removal';

/** `forMs` and `dm` in the parsed args of the removal commands. */
export const FlagArgs = {
  forMs: z.number().int().min(MIN_DURATION_MS).max(MAX_DURATION_MS).optional(),
  dm: z.boolean().optional(),
};

/** The flags as a request carries them: only those given. */
export const flagsOf = (args: RemovalFlags): RemovalFlags => ({
  ...(args.forMs !== undefined ? { forMs: args.forMs } : {}),
  ...(args.dm !== undefined ? { dm: args.dm } : {}),
});

/** The typed options of the flags (Discord): `for: 2h`, `dm: True`. */
export const FOR_OPTION: OptionSpec = {
  name: 'for',
  description: 'Timed: restore them after this long (30m, 2h, 1d, 1w; 1 minute to 365 days)',
  type: 'string',
  maxLength: 32,
};
export const DM_OPTION: OptionSpec = {
  name: 'dm',
  description: 'Tell each removed person by direct message first (default: the config)',
  type: 'boolean',
};

/** The API's `for` and `dm` fields (already split from the ids) to the request's flags. */
export function refFlags(refs: Refs, timed = true): RemovalFlags {
  const out: RemovalFlags = {};
  if (refs.for !== undefined) {
    if (!timed) throw new UsageError(NO_TIMED_OFFBOARDING);
    out.forMs = durationMs(refs.for, 'for');
  }
  if (refs.dm !== undefined) out.dm = refs.dm;
  return out;
}

/** The typed options (Discord) `for` and `dm` to the request's flags. */
export function flagOptions(o: Record<string, string | number | boolean>, timed = true): RemovalFlags {
  const out: RemovalFlags = {};
  const forText = str(o.for);
  if (forText !== undefined) {
    if (!timed) throw new UsageError(NO_TIMED_OFFBOARDING);
    out.forMs = durationMs(forText, 'for');
  }
  if (typeof o.dm === 'boolean') out.dm = o.dm;
  return out;
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
