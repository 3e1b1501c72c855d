import { describe, expect, it } from 'vitest';
import kickbot from '../../commands/kickbot.js';
import type { OptionValues } from '../../src/core/index.js';

/** `/kickbot` from typed options (Discord), which never pass through the text checks: the args schema checks them. */
function parsed(options: OptionValues) {
  const result = kickbot.args.safeParse(kickbot.fromOptions?.(options));
  return result.success
    ? { ok: true as const, args: result.data }
    : { ok: false as const, message: result.error.issues.map((i) => i.message).join('; ') };
}

describe('/kickbot typed options', () => {
  it.each([
    [
      { subcommand: 'case', case: 12 },
      { sub: 'case', caseId: 12 },
    ],
    [
      { subcommand: 'cancel', case: 3 },
      { sub: 'cancel', caseId: 3 },
    ],
    [
      { subcommand: 'note', case: 12, text: ' warned before ' },
      { sub: 'note', caseId: 12, text: 'warned before' },
    ],
    [
      { subcommand: 'reason', case: 2, text: 'scam links' },
      { sub: 'reason', caseId: 2, text: 'scam links' },
    ],
    [
      { subcommand: 'cases', user: '<@1>', by: '<@2>', since: '2026-11-01', page: 2 },
      { sub: 'cases', user: '<@1>', by: '<@2>', since: '2026-11-01', page: 2 },
    ],
    [
      { subcommand: 'cases', since: '7d' },
      { sub: 'cases', since: '7d' },
    ],
  ] as const)('GIVEN %j THEN %j', (options, expected) => {
    expect(parsed(options)).toEqual({ ok: true, args: expected });
  });

  it.each([
    [
      { subcommand: 'note', case: 12, text: 'a\u0000b' },
      'the note contains a control character (U+0000 at position 2)',
    ],
    [
      { subcommand: 'reason', case: 12, text: '\u202Espam' },
      'the reason contains a control character (U+202E at position 1)',
    ],
    [{ subcommand: 'note', case: 12, text: '   ' }, 'the note is empty: write it after the case number'],
    [{ subcommand: 'note', case: 12 }, 'the note is empty: write it after the case number'],
    [
      { subcommand: 'reason', case: 1, text: 'x'.repeat(513) },
      'the reason is too long: 513 characters (limit 512)',
    ],
    [
      { subcommand: 'cases', since: 'last week' },
      'since takes a time back (30m, 12h, 7d, 2w) or a date (2026-11-01), not "last week"',
    ],
    [{ subcommand: 'case', case: 0 }, 'case numbers start at 1'],
  ] as const)('GIVEN %j THEN the usage error is %j', (options, message) => {
    expect(parsed(options)).toEqual({ ok: false, message });
  });

  it('GIVEN the request THEN each subcommand asks the core for its kind, since as typed', () => {
    const request = (args: unknown) => kickbot.request(kickbot.args.parse(args), []);
    expect(request({ sub: 'case', caseId: 4 })).toEqual({ kind: 'case', caseId: 4 });
    expect(request({ sub: 'cancel', caseId: 4 })).toEqual({ kind: 'cancel', caseId: 4 });
    expect(request({ sub: 'note', caseId: 4, text: 'hi' })).toEqual({ kind: 'note', caseId: 4, text: 'hi' });
    expect(request({ sub: 'reason', caseId: 4, text: 'spam' })).toEqual({
      kind: 'reason',
      caseId: 4,
      text: 'spam',
    });
    expect(request({ sub: 'cases', user: '@bob', by: '@mo', since: '7d', page: 2 })).toEqual({
      kind: 'cases',
      user: '@bob',
      by: '@mo',
      since: '7d',
      page: 2,
    });
  });
});
