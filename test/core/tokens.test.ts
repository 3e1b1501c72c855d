import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { checkText, MAX_TEXT_LENGTH, type Token, tokenize } from '../../src/core/tokens.js';

const user = (raw: string, start: number): Token => ({ kind: 'user', raw, start });
const room = (raw: string, start: number): Token => ({ kind: 'room', raw, start });
const flag = (raw: string, start: number): Token => ({ kind: 'flag', name: raw.slice(2), raw, start });
const sep = (start: number): Token => ({ kind: 'separator', raw: ';', start });
const word = (raw: string, start: number): Token => ({ kind: 'word', raw, start });

describe('tokenize', () => {
  it.each<[string, Token[]]>([
    ['', []],
    ['   \n\t ', []],
    // users
    ['@bob', [user('@bob', 0)]],
    ['<@U123|bob>', [user('<@U123|bob>', 0)]],
    ['<@U123>', [user('<@U123>', 0)]],
    ['<!subteam^S1|@team>', [user('<!subteam^S1|@team>', 0)]],
    ['@', [user('@', 0)]],
    // rooms
    ['#room', [room('#room', 0)]],
    ['<#C1|general>', [room('<#C1|general>', 0)]],
    ['<#C1|>', [room('<#C1|>', 0)]],
    ['#', [room('#', 0)]],
    // flags: `--` followed by something; `--` alone and `-x` are words
    ['--yes', [flag('--yes', 0)]],
    ['--force', [flag('--force', 0)]],
    ['--', [word('--', 0)]],
    ['-y', [word('-y', 0)]],
    // separators, with and without spaces
    [';', [sep(0)]],
    ['@a;@b', [user('@a', 0), sep(2), user('@b', 3)]],
    ['@a ; @b', [user('@a', 0), sep(3), user('@b', 5)]],
    ['a;;b', [word('a', 0), sep(1), sep(2), word('b', 3)]],
    // words: anything else, including escapes Slack sends that are no mention
    ['spam words', [word('spam', 0), word('words', 5)]],
    ['<!here>', [word('<!here>', 0)]],
    ['spam@bob', [word('spam@bob', 0)]],
    // a whole command, with offsets
    [
      '@a <@U1|b> #r1 <#C2|> --yes spam #tag',
      [
        user('@a', 0),
        user('<@U1|b>', 3),
        room('#r1', 11),
        room('<#C2|>', 15),
        flag('--yes', 22),
        word('spam', 28),
        room('#tag', 33),
      ],
    ],
    ['  @bob   #general  ', [user('@bob', 2), room('#general', 9)]],
    // newline and tab separate tokens like spaces
    ['@a\n#b\tc', [user('@a', 0), room('#b', 3), word('c', 6)]],
    // a `<…>` escape stays one token even with spaces; without its `>` it is read like any other token
    ['<@U1 with space> x', [user('<@U1 with space>', 0), word('x', 17)]],
    ['<@U1|bob>spam', [user('<@U1|bob>', 0), word('spam', 9)]],
    ['<@U1 x', [user('<@U1', 0), word('x', 5)]],
    // offsets count UTF-16 code units, the same as String.prototype.slice
    ['😀 @bob', [word('😀', 0), user('@bob', 3)]],
  ])('tokenizes %j', (text, expected) => {
    expect(tokenize(text)).toStrictEqual(expected);
  });

  it('keeps every raw value where its start says', () => {
    const text = '  @a;@b <@U1|x y> #r  --yes\tspam;  more ';
    for (const token of tokenize(text)) {
      expect(text.slice(token.start, token.start + token.raw.length)).toBe(token.raw);
    }
  });
});

function usageMessage(text: string): string | undefined {
  try {
    checkText(text);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as UsageError).message;
  }
}

describe('checkText', () => {
  it.each([
    ['plain text', '@bob #general spam'],
    ['a newline', '@bob\nspam'],
    ['a tab', '@bob\tspam'],
    ['CR LF', '@bob\r\nspam'],
    ['letters from other scripts and emoji', 'ünïcödé 日本語 😀 👩‍👩‍👧'],
    ['the empty text', ''],
    ['exactly the length limit', 'x'.repeat(MAX_TEXT_LENGTH)],
  ])('GIVEN %s THEN it passes', (_what, text) => {
    expect(() => checkText(text)).not.toThrow();
  });

  it.each([
    ['U+0007 (bell)', '@bob \u0007', 'U+0007', 6],
    ['U+001B (escape)', '\u001B[31m@bob', 'U+001B', 1],
    ['U+007F (delete)', '@bob sp\u007Fam', 'U+007F', 8],
    ['U+202E (right-to-left override)', '@bob \u202Emaps', 'U+202E', 6],
    ['U+0000 (NUL)', 'a\u0000', 'U+0000', 2],
    ['U+000B (vertical tab)', 'a\u000Bb', 'U+000B', 2],
    ['U+0085 (a C1 control)', 'ab\u0085', 'U+0085', 3],
    ['U+2066 (a bidi isolate)', '\u2066x', 'U+2066', 1],
  ])('GIVEN %s THEN it is rejected naming the code point and its position', (_what, text, code, position) => {
    expect(usageMessage(text)).toBe(
      `the command contains a control character (${code}) at position ${position}`,
    );
  });

  it('names the first control character when there are several', () => {
    expect(usageMessage('ok \u001B then \u0007')).toBe(
      'the command contains a control character (U+001B) at position 4',
    );
  });

  // Fails today: the position is a UTF-16 index (3 here), so every emoji before the character shifts it by one.
  it('counts the position in characters, not UTF-16 code units', () => {
    expect(usageMessage('😀\u0007')).toBe('the command contains a control character (U+0007) at position 2');
  });

  it.each([
    [MAX_TEXT_LENGTH + 1, 'the command is too long: 200,001 characters (limit 200,000)'],
    [1_000_000, 'the command is too long: 1,000,000 characters (limit 200,000)'],
  ])(
    'GIVEN a text of %i characters THEN it is rejected naming the length and the limit',
    (length, message) => {
      expect(usageMessage('x'.repeat(length))).toBe(message);
    },
  );
});

describe('tokenize: cost grows linearly with the text', () => {
  /** The fastest of a few rounds, per call: the least disturbed by the other work on the machine. */
  function timePerCall(text: string, calls: number): number {
    let best = Number.POSITIVE_INFINITY;
    for (let round = 0; round < 5; round++) {
      const start = process.hrtime.bigint();
      for (let c = 0; c < calls; c++) tokenize(text);
      best = Math.min(best, Number(process.hrtime.bigint() - start) / calls);
    }
    return best;
  }

  it.each([
    ['unmatched "<"', '< '],
    ['unmatched "<" glued to words', '<a '],
    ['mentions', '<@U1|bob> '],
  ])(
    'GIVEN 10k and 200k characters of %s THEN 20× the text costs at most ~20× the time (slack 3×)',
    (_what, unit) => {
      const small = unit.repeat(Math.ceil(10_000 / unit.length)).slice(0, 10_000);
      const large = unit.repeat(Math.ceil(200_000 / unit.length)).slice(0, 200_000);
      timePerCall(small, 5); // warm up the JIT
      const ratio = timePerCall(large, 2) / timePerCall(small, 20);
      expect(ratio).toBeLessThan(60);
    },
  );
});
