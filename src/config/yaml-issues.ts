import type { z } from 'zod';

/** zod's issues in plain words: `a number, got "high"` rather than `Invalid input: expected number, received string`. */

export type Path = (string | number)[];

/** One problem of a file, at a path of its document. */
export interface Problem {
  path: Path;
  message: string;
}

const KINDS: Record<string, string> = {
  number: 'a number',
  int: 'a whole number',
  string: 'text',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping (key: value)',
  record: 'a mapping (key: value)',
};

const FORMATS: Record<string, string> = {
  url: 'a URL',
  regex: 'text of the expected form',
  email: 'an email address',
};

/** A message zod wrote itself (ours are plain words already, so they are kept). */
const isZodDefault = (message: string) => /^(Invalid|Too (small|big)|Unrecognized|Expected)/.test(message);

const quote = (value: unknown) => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 59)}…"` : text;
};

/** What was found instead, for the end of a message (empty when nothing useful can be said). */
function got(input: unknown): string {
  if (input === undefined) return '';
  if (input === null) return ', got nothing';
  if (Array.isArray(input)) return input.length ? ', got a list' : ', got an empty list';
  if (typeof input === 'object') return ', got a mapping';
  return `, got ${quote(input)}`;
}

function size(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig): string {
  const least = issue.code === 'too_small';
  const n = Number(issue.code === 'too_small' ? issue.minimum : issue.maximum);
  const limit = least ? 'at least' : 'at most';
  if (issue.origin === 'array') return `${limit} ${n} entr${n === 1 ? 'y' : 'ies'}`;
  if (issue.origin === 'string') return least && n === 1 ? 'not empty' : `${limit} ${n} characters`;
  if (issue.inclusive) return `${n} or ${least ? 'more' : 'less'}`;
  return `${least ? 'more' : 'less'} than ${n}`;
}

/** What the value should be, in plain words. */
function expected(issue: z.core.$ZodIssue): string {
  if (!isZodDefault(issue.message)) return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      return KINDS[issue.expected] ?? issue.expected;
    case 'invalid_value':
      return issue.values.length === 1
        ? quote(issue.values[0])
        : `one of ${issue.values.map(quote).join(', ')}`;
    case 'invalid_format':
      return FORMATS[issue.format] ?? `text in ${issue.format} format`;
    case 'too_small':
      return size(issue);
    case 'too_big':
      return size(issue);
    case 'not_multiple_of':
      return `a multiple of ${issue.divisor}`;
    case 'invalid_union': {
      if ('options' in issue && Array.isArray(issue.options))
        return `one of ${(issue.options as unknown[]).map(quote).join(', ')}`;
      const custom = issue.errors.flat().find((e) => !isZodDefault(e.message));
      return custom?.message ?? 'none of the accepted forms';
    }
    default:
      return issue.message;
  }
}

/** One zod issue as problems (an unknown-keys issue is one problem per key, each on its own line). */
export function plainIssue(issue: z.core.$ZodIssue): Problem[] {
  const path = issue.path.filter((k): k is string | number => typeof k !== 'symbol');
  if (issue.code === 'unrecognized_keys')
    return issue.keys.map((key) => ({ path: [...path, key], message: `unknown key "${key}"` }));
  if (issue.code === 'invalid_type' && issue.input === undefined)
    return [{ path, message: `missing: expected ${expected(issue)}` }];
  if (issue.code === 'too_small' && issue.origin === 'array')
    return [
      {
        path,
        message: `${expected(issue)}${Array.isArray(issue.input) && issue.input.length === 0 ? ', got none' : ''}`,
      },
    ];
  if (issue.code === 'invalid_union' && 'discriminator' in issue) {
    // The path names the discriminator; the input is the whole mapping: quote the value that matched nothing.
    const input = issue.input as Record<string, unknown> | undefined;
    return [{ path, message: `${expected(issue)}${got(input?.[String(issue.discriminator)])}` }];
  }
  const what = 'input' in issue ? got(issue.input) : '';
  return [{ path, message: `${expected(issue)}${what}` }];
}

/**
 * Reading a raw document without trusting its shape, for checks that run beside the schema's (references between
 * entries): a list or nothing, a mapping's entries or none, one field, a string or nothing.
 */
export const raw = {
  list: (value: unknown): unknown[] => (Array.isArray(value) ? value : []),
  entries: (value: unknown): [string, unknown][] =>
    value && typeof value === 'object' && !Array.isArray(value) ? Object.entries(value) : [],
  field: (value: unknown, key: string): unknown =>
    value && typeof value === 'object' && !Array.isArray(value) && Object.hasOwn(value, key)
      ? (value as Record<string, unknown>)[key]
      : undefined,
  text: (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined),
};
