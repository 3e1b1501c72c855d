import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { checkText, type Logger, type Reply, tokenize, UsageError } from '../../src/core/index.js';
import { SMALL_WORKSPACE, testConsole } from '../helpers/console.js';

const NUM_RUNS = 200;
const ANSWERS: readonly Reply['kind'][] = ['usage', 'result', 'confirm', 'info', 'refused'];

/** Pieces people (and Slack) type: mentions of known and unknown users and rooms, escapes, flags, `;`, words. */
const piece = fc.oneof(
  fc.constantFrom('@bob', '@carol', '@olga', '@ada', '@mo', '@kickbot', '@zed', '@', '@@bob'),
  fc.constantFrom(
    '<@U1>',
    '<@U123|bob>',
    '<@>',
    '<@|bob>',
    '<!subteam^S1|@team>',
    '<!here>',
    '<@U1 x>',
    '<@',
  ),
  fc.constantFrom(
    '#general',
    '#secret',
    '#lobby',
    '#dm',
    '#nowhere',
    '#',
    '#12',
    '<#C1|general>',
    '<#C1|>',
    '<#>',
  ),
  fc.constantFrom('--yes', '--force', '--', '-', ';', ';;', '<', '>'),
  fc.constantFrom(
    'help',
    'undo',
    'cases',
    'payments',
    'nope',
    '1',
    '2',
    '12',
    '0',
    '-1',
    'spam',
    'x'.repeat(600),
  ),
  fc.string({ maxLength: 6 }),
);
const gap = fc.constantFrom(' ', '  ', '\t', '\n', '', ';', ' ; ');
const commandLike = fc
  .array(fc.tuple(piece, gap), { maxLength: 12 })
  .map((parts) => parts.map(([p, g]) => p + g).join(''));

const TEXTS = {
  'fc.string()': fc.string(),
  "fc.string({ unit: 'grapheme' })": fc.string({ unit: 'grapheme' }),
  "fc.string({ unit: 'binary' })": fc.string({ unit: 'binary' }),
  'command-like text': commandLike,
} as const;

const texts = Object.entries(TEXTS);
const users = ['mo', 'ada', 'olga', 'bob', 'kickbot'];
const rooms = ['general', 'secret', 'lobby', 'dm'];

describe.each(commands.map((c) => c.name))('/%s', (name) => {
  it.each(texts)('never fails on %s: every reply is an answer, never an error', async (_what, text) => {
    const errors: unknown[] = [];
    const logger: Logger = {
      debug: () => {},
      info: () => {},
      warn: () => {},
      error: (obj) => errors.push(obj),
      child: () => logger,
    };
    // One console for the whole property: removals and undos change its state, and the property must hold anyway.
    const app = testConsole(SMALL_WORKSPACE, { logger });
    await fc.assert(
      fc.asyncProperty(
        text,
        fc.constantFrom(...users),
        fc.constantFrom(...rooms),
        async (input, as, room) => {
          // As typed in the console (the session trims the line) and as the exact text a platform would send.
          const typed = await app.core.handle(app.invocation(as, room, `/${name} ${input}`));
          const exact = await app.core.handle({
            ...app.invocation(as, room, `/${name}`),
            input: { text: input },
          });
          for (const reply of [typed, exact]) {
            expect(ANSWERS, JSON.stringify({ reply, errors })).toContain(reply.kind);
          }
          expect(errors).toStrictEqual([]);
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });
});

describe('tokenize', () => {
  it.each([
    ...texts,
    ["fc.string({ unit: 'grapheme-composite' })", fc.string({ unit: 'grapheme-composite' })],
  ])(
    'on %s: never throws, and every token is where its start says, in order, with only whitespace between',
    (_what, text) => {
      fc.assert(
        fc.property(text, (input) => {
          const tokens = tokenize(input);
          let end = 0;
          for (const token of tokens) {
            expect(token.raw.length).toBeGreaterThan(0);
            expect(token.start).toBeGreaterThanOrEqual(end);
            expect(input.slice(token.start, token.start + token.raw.length)).toBe(token.raw);
            expect(input.slice(end, token.start)).toMatch(/^\s*$/);
            end = token.start + token.raw.length;
          }
          expect(input.slice(end)).toMatch(/^\s*$/);
        }),
        { numRuns: NUM_RUNS },
      );
    },
  );

  it('classifies each token by how its raw text starts', () => {
    fc.assert(
      fc.property(commandLike, (input) => {
        for (const token of tokenize(input)) {
          if (token.kind === 'separator') expect(token.raw).toBe(';');
          // only a `<…>` escape may hold a `;`
          else if (!/^<.*>$/s.test(token.raw)) expect(token.raw).not.toContain(';');
          if (token.kind === 'user') expect(token.raw).toMatch(/^(@|<@|<!subteam)/);
          if (token.kind === 'room') expect(token.raw).toMatch(/^(#|<#)/);
          if (token.kind === 'flag') {
            expect(token.raw).toMatch(/^--./s);
            expect(token.name).toBe(token.raw.slice(2));
          }
          if (token.kind === 'word') expect(token.raw).not.toMatch(/^(@|<@|<!subteam|#|<#|--.)/s);
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });
});

describe('checkText', () => {
  it.each(texts)('on %s: passes, or throws a UsageError and nothing else', (_what, text) => {
    fc.assert(
      fc.property(text, (input) => {
        try {
          checkText(input);
        } catch (error) {
          expect(error).toBeInstanceOf(UsageError);
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
