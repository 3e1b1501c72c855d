import { describe, expect, it } from 'vitest';
import kick from '../../commands/kick.js';
import kickbot from '../../commands/kickbot.js';
import leave from '../../commands/leave.js';
import removeArea from '../../commands/remove-area.js';
import { type CommandDefinition, checkText, tokenize, UsageError } from '../../src/core/index.js';

/**
 * The text of a command (what follows `/name`) to its args, the way the core's dispatch does it:
 * checkText, tokenize, fromText, then args.safeParse; a UsageError or a failed parse is a usage message.
 */
type Parsed<A> = { ok: true; args: A } | { ok: false; message: string };

function parse<A>(command: CommandDefinition<A>, text: string): Parsed<A> {
  try {
    checkText(text);
    const parsed = command.args.safeParse(command.fromText(tokenize(text), text));
    if (parsed.success) return { ok: true, args: parsed.data };
    return { ok: false, message: [...new Set(parsed.error.issues.map((issue) => issue.message))].join('; ') };
  } catch (error) {
    if (error instanceof UsageError) return { ok: false, message: error.message };
    throw error;
  }
}

function argsOf<A>(command: CommandDefinition<A>, text: string): A {
  const parsed = parse(command, text);
  if (!parsed.ok) throw new Error(`/${command.name} ${text}: unexpected usage error: ${parsed.message}`);
  return parsed.args;
}

function usageOf<A>(command: CommandDefinition<A>, text: string): string {
  const parsed = parse(command, text);
  if (parsed.ok)
    throw new Error(
      `/${command.name} ${text}: parsed, expected a usage error: ${JSON.stringify(parsed.args)}`,
    );
  return parsed.message;
}

const mentions = (sigil: '@' | '#', n: number, prefix = sigil === '@' ? 'u' : 'r') =>
  Array.from({ length: n }, (_, i) => `${sigil}${prefix}${i}`).join(' ');
/** Table rows with a short label first, so that 10,000 mentions do not make a 60 kB test name. */
const labelled = <T>(rows: readonly (readonly [string, T])[]) =>
  rows.map(
    ([text, expected]) => [text.length > 60 ? `${text.slice(0, 57)}…` : text, expected, text] as const,
  );

describe('/kick', () => {
  it.each(
    labelled([
      [
        '@a @b #r1 #r2 reason words',
        { users: ['@a', '@b'], rooms: ['#r1', '#r2'], reason: 'reason words', yes: false },
      ],
      ['@a', { users: ['@a'], rooms: [], yes: false }],
      ['@a,@b', { users: ['@a', '@b'], rooms: [], yes: false }],
      ['@a, @b,#r1 spam, eggs', { users: ['@a', '@b'], rooms: ['#r1'], reason: 'spam, eggs', yes: false }],
      ['@a,,@b,', { users: ['@a', '@b'], rooms: [], yes: false }],
      ['#r1,#r2 @a', { users: ['@a'], rooms: ['#r1', '#r2'], yes: false }],
      ['@a @b spam', { users: ['@a', '@b'], rooms: [], reason: 'spam', yes: false }],
      ['@a #r1', { users: ['@a'], rooms: ['#r1'], yes: false }],
      ['--yes @a #r1', { users: ['@a'], rooms: ['#r1'], yes: true }],
      ['@a #r1 --yes spam', { users: ['@a'], rooms: ['#r1'], reason: 'spam', yes: true }],
      // after the first word everything is the reason: #hashtags, `;`, mentions
      ['@a spam about #hashtag', { users: ['@a'], rooms: [], reason: 'spam about #hashtag', yes: false }],
      ['@a spam; and more', { users: ['@a'], rooms: [], reason: 'spam; and more', yes: false }],
      ['@a spam;more', { users: ['@a'], rooms: [], reason: 'spam;more', yes: false }],
      ['@a spam @b', { users: ['@a'], rooms: [], reason: 'spam @b', yes: false }],
      // the reason keeps its inner spacing and loses the outer
      [
        '  @a \n #r1\tspam  and\neggs  ',
        { users: ['@a'], rooms: ['#r1'], reason: 'spam  and\neggs', yes: false },
      ],
      // Slack escapes stay raw; only the platform's connector reads them
      [
        '<@U123|bob> <!subteam^S1|@team> <#C1|general> <#C2|> spam',
        {
          users: ['<@U123|bob>', '<!subteam^S1|@team>'],
          rooms: ['<#C1|general>', '<#C2|>'],
          reason: 'spam',
          yes: false,
        },
      ],
      // duplicates are the plan's business
      ['@a @a', { users: ['@a', '@a'], rooms: [], yes: false }],
      // how many users and rooms one command may name is the plan's to check, against the configured limits
      [`${mentions('@', 1_000)}`, { users: mentions('@', 1_000).split(' '), rooms: [], yes: false }],
      [`@a ${mentions('#', 100)}`, { users: ['@a'], rooms: mentions('#', 100).split(' '), yes: false }],
      [`${mentions('@', 1_001)}`, { users: mentions('@', 1_001).split(' '), rooms: [], yes: false }],
      [`@a ${mentions('#', 101)}`, { users: ['@a'], rooms: mentions('#', 101).split(' '), yes: false }],
      [`@a ${'x'.repeat(512)}`, { users: ['@a'], rooms: [], reason: 'x'.repeat(512), yes: false }],
    ]),
  )('GIVEN /kick %j THEN the args are as expected', (_label, expected, text) => {
    expect(argsOf(kick, text)).toStrictEqual(expected);
  });

  // The usage line puts --yes last (`… [reason…] [--yes]`): there it is the flag, not the end of the reason.
  it('takes a trailing --yes as the flag, as the usage line shows', () => {
    expect(kick.usage).toMatch(/\[reason…\] \[--for 2h\] \[--dm\|--no-dm\] \[--yes\]$/);
    expect(argsOf(kick, '@a #r1 spam --yes')).toStrictEqual({
      users: ['@a'],
      rooms: ['#r1'],
      reason: 'spam',
      yes: true,
    });
    expect(argsOf(kick, '@a spam --yes --yes')).toStrictEqual({
      users: ['@a'],
      rooms: [],
      reason: 'spam',
      yes: true,
    });
    // inside the reason it is a word like any other
    expect(argsOf(kick, '@a spam --yes more')).toStrictEqual({
      users: ['@a'],
      rooms: [],
      reason: 'spam --yes more',
      yes: false,
    });
  });

  it.each(
    labelled([
      ['', 'name at least one user, e.g. @bob'],
      ['#r1 spam', 'name at least one user, e.g. @bob'],
      ['spam @a', 'name at least one user, e.g. @bob'],
      ['--yes', 'name at least one user, e.g. @bob'],
      ['--force @a', 'unknown flag --force (known: --yes, --dm, --no-dm, --for)'],
      ['@a #r1 --force spam', 'unknown flag --force (known: --yes, --dm, --no-dm, --for)'],
      ['@', '"@" alone names no user; write @name'],
      ['@a @ spam', '"@" alone names no user; write @name'],
      ['<@>', '"<@>" alone names no user; write @name'],
      ['<@|bob>', '"<@|bob>" alone names no user; write @name'],
      ['@a #', '"#" alone names no room; write #room'],
      ['@a,bob', '"bob" in "@a,bob" is no mention; write @name or #room'],
      ['@a,@', '"@" alone names no user; write @name'],
      ['@a <#>', '"<#>" alone names no room; write #room'],
      [`@a ${'x'.repeat(513)}`, 'the reason is too long: 513 characters (limit 512)'],
      [`@a ${'x'.repeat(5_000)}`, 'the reason is too long: 5,000 characters (limit 512)'],
      ['@a \u0007', 'the command contains a control character (U+0007) at position 4'],
      ['@a spam\u001B[0m', 'the command contains a control character (U+001B) at position 8'],
      ['@a \u007F', 'the command contains a control character (U+007F) at position 4'],
      ['@a \u202Emaps', 'the command contains a control character (U+202E) at position 4'],
      ['@a; @b', '";" separates batches only in /remove-area (found at token 2)'],
      ['@a;@b', '";" separates batches only in /remove-area (found at token 2)'],
      ['@a #r1 ; spam', '";" separates batches only in /remove-area (found at token 3)'],
    ]),
  )('GIVEN /kick %j THEN the usage error is %j', (_label, message, text) => {
    expect(usageOf(kick, text)).toBe(message);
  });
});

describe('/remove-area', () => {
  it.each(
    labelled([
      ['payments @a @b', { batches: [{ area: 'payments', users: ['@a', '@b'] }], yes: false }],
      ['payments @a spam', { batches: [{ area: 'payments', users: ['@a'], reason: 'spam' }], yes: false }],
      ['payments --yes @a', { batches: [{ area: 'payments', users: ['@a'] }], yes: true }],
      [
        'payments @a spam #hashtag',
        { batches: [{ area: 'payments', users: ['@a'], reason: 'spam #hashtag' }], yes: false },
      ],
      // a batch's reason ends before its `;`
      [
        'payments @a spam; support @c abuse',
        {
          batches: [
            { area: 'payments', users: ['@a'], reason: 'spam' },
            { area: 'support', users: ['@c'], reason: 'abuse' },
          ],
          yes: false,
        },
      ],
      // a batch without a reason takes the reason of the last batch that gives one, earlier batches included
      [
        'payments @a @b; support @c left',
        {
          batches: [
            { area: 'payments', users: ['@a', '@b'], reason: 'left' },
            { area: 'support', users: ['@c'], reason: 'left' },
          ],
          yes: false,
        },
      ],
      [
        'payments @a spam; support @c',
        {
          batches: [
            { area: 'payments', users: ['@a'], reason: 'spam' },
            { area: 'support', users: ['@c'], reason: 'spam' },
          ],
          yes: false,
        },
      ],
      // "the last batch that gives one" is the last of the command, not the last before the batch
      [
        'a @x spam; b @y; c @z abuse',
        {
          batches: [
            { area: 'a', users: ['@x'], reason: 'spam' },
            { area: 'b', users: ['@y'], reason: 'abuse' },
            { area: 'c', users: ['@z'], reason: 'abuse' },
          ],
          yes: false,
        },
      ],
      // `;` without spaces, empty batches dropped, --yes in any batch
      [
        ';payments @a;support @b;; ',
        {
          batches: [
            { area: 'payments', users: ['@a'] },
            { area: 'support', users: ['@b'] },
          ],
          yes: false,
        },
      ],
      [
        'payments @a; support --yes @c',
        {
          batches: [
            { area: 'payments', users: ['@a'] },
            { area: 'support', users: ['@c'] },
          ],
          yes: true,
        },
      ],
      [
        'pay.ments_2-x <@U1|bob> <!subteam^S1|@team>',
        { batches: [{ area: 'pay.ments_2-x', users: ['<@U1|bob>', '<!subteam^S1|@team>'] }], yes: false },
      ],
    ]),
  )('GIVEN /remove-area %j THEN the args are as expected', (_label, expected, text) => {
    expect(argsOf(removeArea, text)).toStrictEqual(expected);
  });

  it('takes a trailing --yes as the flag, as the usage line shows', () => {
    expect(removeArea.usage).toMatch(/\[--yes\]$/);
    expect(argsOf(removeArea, 'payments @a spam --yes')).toStrictEqual({
      batches: [{ area: 'payments', users: ['@a'], reason: 'spam' }],
      yes: true,
    });
    // the end of a batch counts too
    expect(argsOf(removeArea, 'payments @a spam --yes; support @c')).toStrictEqual({
      batches: [
        { area: 'payments', users: ['@a'], reason: 'spam' },
        { area: 'support', users: ['@c'], reason: 'spam' },
      ],
      yes: true,
    });
  });

  it.each(
    labelled([
      ['', 'name an area and at least one user, e.g. /remove-area payments @bob'],
      [';', 'name an area and at least one user, e.g. /remove-area payments @bob'],
      ['payments', 'name at least one user, e.g. @bob'],
      ['payments spam', 'name at least one user, e.g. @bob'],
      ['payments #general @a', 'an area brings its own rooms; to remove from #general use /kick'],
      ['payments @a #general', 'an area brings its own rooms; to remove from #general use /kick'],
      ['@a payments', 'start each batch with an area name, e.g. /remove-area payments @bob (found "@a")'],
      ['payments @a; @b', 'start each batch with an area name, e.g. /remove-area payments @bob (found "@b")'],
      [
        '#payments @a',
        'start each batch with an area name, e.g. /remove-area payments @bob (found "#payments")',
      ],
      ['payments @a --force', 'unknown flag --force (known: --yes, --dm, --no-dm, --for)'],
      ['payments @', '"@" alone names no user; write @name'],
      ['payments! @a', 'an area name is letters, digits, ".", "_" and "-" (at most 64)'],
      [`${'a'.repeat(65)} @a`, 'an area name is letters, digits, ".", "_" and "-" (at most 64)'],
      [`payments @a ${'x'.repeat(513)}`, 'the reason is too long: 513 characters (limit 512)'],
      // a reason handed on to another batch is checked there too; the message is given once
      [`payments @a; support @b ${'x'.repeat(513)}`, 'the reason is too long: 513 characters (limit 512)'],
      ['payments @a \u0007', 'the command contains a control character (U+0007) at position 13'],
    ]),
  )('GIVEN /remove-area %j THEN the usage error is %j', (_label, message, text) => {
    expect(usageOf(removeArea, text)).toBe(message);
  });
});

describe('/leave', () => {
  it.each(
    labelled([
      ['', {}],
      ['   ', {}],
      ['#room', { room: '#room' }],
      ['<#C1|general>', { room: '<#C1|general>' }],
      ['<#C1|>', { room: '<#C1|>' }],
    ]),
  )('GIVEN /leave %j THEN the args are as expected', (_label, expected, text) => {
    expect(argsOf(leave, text)).toStrictEqual(expected);
  });

  it.each(
    labelled([
      ['foo', '/leave takes at most one #room (found "foo")'],
      ['@bob', '/leave takes at most one #room (found "@bob")'],
      ['--yes', '/leave takes at most one #room (found "--yes")'],
      ['#a #b', '/leave takes at most one #room (found "#b")'],
      ['#a bye', '/leave takes at most one #room (found "bye")'],
      ['#', '"#" alone names no room; write #room'],
      ['#a \u202E', 'the command contains a control character (U+202E) at position 4'],
    ]),
  )('GIVEN /leave %j THEN the usage error is %j', (_label, message, text) => {
    expect(usageOf(leave, text)).toBe(message);
  });
});

describe('/kickbot', () => {
  it.each(
    labelled([
      ['', { sub: 'help' }],
      ['help', { sub: 'help' }],
      ['HELP', { sub: 'help' }],
      ['undo 12', { sub: 'undo', caseId: 12 }],
      ['undo #12', { sub: 'undo', caseId: 12 }],
      ['Undo 007', { sub: 'undo', caseId: 7 }],
      ['undo 999999999', { sub: 'undo', caseId: 999_999_999 }],
      ['cases', { sub: 'cases' }],
      ['cases @bob', { sub: 'cases', user: '@bob' }],
      ['cases <@U123|bob>', { sub: 'cases', user: '<@U123|bob>' }],
      ['cases page 2', { sub: 'cases', page: 2 }],
      ['cases @bob Page 3', { sub: 'cases', user: '@bob', page: 3 }],
      ['cases page 2 @bob', { sub: 'cases', user: '@bob', page: 2 }],
      ['cases by @mo', { sub: 'cases', by: '@mo' }],
      ['cases BY <@U1|mo> @bob', { sub: 'cases', user: '@bob', by: '<@U1|mo>' }],
      ['cases since 7d', { sub: 'cases', since: '7d' }],
      ['cases since 30m', { sub: 'cases', since: '30m' }],
      ['cases since 12H', { sub: 'cases', since: '12H' }],
      ['cases since 2w', { sub: 'cases', since: '2w' }],
      ['cases since 2026-11-01', { sub: 'cases', since: '2026-11-01' }],
      ['cases since 2028-02-29', { sub: 'cases', since: '2028-02-29' }],
      ['cases page 2 since 7d by @mo @bob', { sub: 'cases', user: '@bob', by: '@mo', since: '7d', page: 2 }],
      ['case 12', { sub: 'case', caseId: 12 }],
      ['Case #3', { sub: 'case', caseId: 3 }],
      ['cancel 4', { sub: 'cancel', caseId: 4 }],
      ['note 12 warned twice before', { sub: 'note', caseId: 12, text: 'warned twice before' }],
      [
        'note #12   spam; and  #general @bob  ',
        { sub: 'note', caseId: 12, text: 'spam; and  #general @bob' },
      ],
      ['reason 7 links to a scam --yes', { sub: 'reason', caseId: 7, text: 'links to a scam --yes' }],
      [`note 1 ${'x'.repeat(512)}`, { sub: 'note', caseId: 1, text: 'x'.repeat(512) }],
    ]),
  )('GIVEN /kickbot %j THEN the args are as expected', (_label, expected, text) => {
    expect(argsOf(kickbot, text)).toStrictEqual(expected);
  });

  it.each(
    labelled([
      ['undo x', '"x" is not a case number'],
      ['undo -1', '"-1" is not a case number'],
      ['undo 1.5', '"1.5" is not a case number'],
      ['undo 1234567890', '"1234567890" is not a case number'],
      ['undo', 'undo needs a case number, e.g. /kickbot undo 12'],
      ['undo 0', 'case numbers start at 1'],
      ['undo 1 2', 'unexpected "2" after /kickbot undo'],
      ['help me', 'unexpected "me" after /kickbot help'],
      ['cases @bob @carol', 'cases takes one @user (found "@carol" too; for a moderator write by @carol)'],
      ['cases bob', 'cases takes @user, by @moderator, since 7d|2026-11-01 and page N, not "bob"'],
      ['cases #general', 'cases takes @user, by @moderator, since 7d|2026-11-01 and page N, not "#general"'],
      ['cases page', 'page needs a number, e.g. /kickbot cases page 2'],
      ['cases page two', '"two" is not a page number'],
      ['cases page 0', 'pages start at 1'],
      ['cases page 2 page 3', 'cases takes one page (found "3" too)'],
      ['cases @', '"@" alone names no user; write @name'],
      ['cases by', 'by needs a moderator, e.g. /kickbot cases by @mo'],
      ['cases by mo', 'by needs a moderator, e.g. /kickbot cases by @mo (found "mo")'],
      ['cases by @mo by @ada', 'cases takes one by @moderator (found "@ada" too)'],
      ['cases since', 'since needs a time back or a date, e.g. /kickbot cases since 7d or since 2026-11-01'],
      ['cases since 7', 'since takes a time back (30m, 12h, 7d, 2w) or a date (2026-11-01), not "7"'],
      ['cases since 3y', 'since takes a time back (30m, 12h, 7d, 2w) or a date (2026-11-01), not "3y"'],
      ['cases since 0d', 'since 0d is no time back: count from 1'],
      ['cases since 2026-02-30', 'since 2026-02-30: there is no such date'],
      [
        'cases since 2026-1-5',
        'since takes a time back (30m, 12h, 7d, 2w) or a date (2026-11-01), not "2026-1-5"',
      ],
      ['cases since 7d since 2d', 'cases takes one since (found "2d" too)'],
      ['case', 'case needs a case number, e.g. /kickbot case 12'],
      ['case twelve', '"twelve" is not a case number'],
      ['case 0', 'case numbers start at 1'],
      ['case 1 2', 'unexpected "2" after /kickbot case'],
      ['cancel', 'cancel needs a case number, e.g. /kickbot cancel 12'],
      ['cancel 3 now', 'unexpected "now" after /kickbot cancel'],
      ['note', 'note needs a case number, e.g. /kickbot note 12 warned twice before'],
      ['note 12', 'note needs its text after the case number, e.g. /kickbot note 12 warned twice before'],
      ['note spam 12', '"spam" is not a case number'],
      ['reason 12', 'reason needs its text after the case number, e.g. /kickbot reason 12 spam links'],
      [`note 1 ${'x'.repeat(513)}`, 'the note is too long: 513 characters (limit 512)'],
      [`reason 1 ${'é'.repeat(600)}`, 'the reason is too long: 600 characters (limit 512)'],
      [
        'frobnicate',
        'unknown subcommand "frobnicate" (known: help, undo, cases, case, note, reason, cancel)',
      ],
      ['--yes', 'unknown subcommand "--yes" (known: help, undo, cases, case, note, reason, cancel)'],
      ['help \u0007', 'the command contains a control character (U+0007) at position 6'],
    ]),
  )('GIVEN /kickbot %j THEN the usage error is %j', (_label, message, text) => {
    expect(usageOf(kickbot, text)).toBe(message);
  });
});
