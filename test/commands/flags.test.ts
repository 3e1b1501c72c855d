import { describe, expect, it } from 'vitest';
import kick from '../../commands/kick.js';
import offboard from '../../commands/offboard.js';
import removeArea from '../../commands/remove-area.js';
import { durationMs } from '../../commands/syntax.js';
import { type CommandDefinition, type Request, tokenize, UsageError } from '../../src/core/index.js';

/** The text of a command to its request, as the core's dispatch does it; a usage error as its message. */
function requestOf(command: CommandDefinition, text: string): Request | string {
  try {
    const parsed = command.args.safeParse(command.fromText(tokenize(text), text));
    if (!parsed.success) return parsed.error.issues.map((i) => i.message).join('; ');
    return command.request(parsed.data, []);
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
}

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

describe('--for, --dm and --no-dm on /kick', () => {
  it.each([
    ['@bob --for 2h #general spam', { forMs: 2 * HOUR }, ['#general'], 'spam'],
    ['@bob #general spam --for 2h --dm', { forMs: 2 * HOUR, dm: true }, ['#general'], 'spam'],
    ['@bob spam --dm --for=30m', { forMs: 30 * MIN, dm: true }, [], 'spam'],
    ['--for=1h30m @bob spam', { forMs: 90 * MIN }, [], 'spam'],
    ['@bob --no-dm spam', { dm: false }, [], 'spam'],
    ['@bob --for 1w', { forMs: 7 * DAY }, [], undefined],
    ['@bob spam --yes --for 1d', { forMs: DAY }, [], 'spam'],
    // inside the reason a flag is a word like any other
    ['@bob spam --for 2h more words', {}, [], 'spam --for 2h more words'],
  ])('GIVEN /kick %s THEN the request carries %j', (text, flags, rooms, reason) => {
    const request = requestOf(kick as CommandDefinition, text);
    expect(request).toMatchObject({
      kind: 'remove',
      batches: [{ users: ['@bob'], rooms, ...(reason ? { reason } : {}) }],
    });
    const { forMs, dm } = request as { forMs?: number; dm?: boolean };
    expect({ ...(forMs !== undefined ? { forMs } : {}), ...(dm !== undefined ? { dm } : {}) }).toEqual(flags);
  });

  it.each([
    ['@bob --dm --no-dm spam', '--dm and --no-dm contradict each other; give one'],
    ['@bob spam --for', '--for needs a value, e.g. --for 2h'],
    ['@bob --for #general spam', '--for needs a value, e.g. --for 2h (found "#general")'],
    ['@bob --for 2h --for 3h spam', '--for is given twice'],
    ['@bob --yes=1 spam', '--yes takes no value (found "--yes=1")'],
    ['@bob --for 59s spam', '--for must be from 1 minute to 365 days (got "59s"); e.g. --for 2h'],
    ['@bob --for 366d spam', '--for must be from 1 minute to 365 days (got "366d"); e.g. --for 2h'],
    ['@bob --for 1y spam', '--for must be from 1 minute to 365 days (got "1y"); e.g. --for 2h'],
    [
      '@bob --for soon spam',
      '--for takes a duration from 1 minute to 365 days, e.g. 30m, 2h, 1d, 1w or 1h30m (got "soon")',
    ],
    [
      '@bob --for 30 spam',
      '--for takes a duration from 1 minute to 365 days, e.g. 30m, 2h, 1d, 1w or 1h30m (got "30")',
    ],
  ])('GIVEN /kick %s THEN the usage error is %j', (text, message) => {
    expect(requestOf(kick as CommandDefinition, text)).toBe(message);
  });
});

describe('durations', () => {
  it.each([
    ['1m', MIN],
    ['60s', MIN],
    ['30m', 30 * MIN],
    ['2h', 2 * HOUR],
    ['1h30m', 90 * MIN],
    ['1h 30m', 90 * MIN],
    ['1d', DAY],
    ['1w', 7 * DAY],
    ['90 minutes', 90 * MIN],
    ['1.5h', 90 * MIN],
    ['365d', 365 * DAY],
  ])('GIVEN %s THEN it is %d ms', (text, ms) => {
    expect(durationMs(text)).toBe(ms);
  });

  it.each(['59s', '366d', '0m', '', 'garbage', '2', '2x', 'h2', '-5m', '2h garbage', '1e9h'])(
    'GIVEN %j THEN it is a usage error that names the range',
    (text) => {
      expect(() => durationMs(text)).toThrow(/1 minute to 365 days/);
    },
  );
});

describe('the flags on /remove-area and /offboard', () => {
  it('GIVEN /remove-area with --for in one batch THEN it holds for the whole command', () => {
    expect(
      requestOf(removeArea as CommandDefinition, 'payments @a spam --for 2h; support @c --dm'),
    ).toMatchObject({
      kind: 'remove',
      forMs: 2 * HOUR,
      dm: true,
      batches: [
        { area: 'payments', users: ['@a'], reason: 'spam' },
        { area: 'support', users: ['@c'], reason: 'spam' },
      ],
    });
    expect(requestOf(removeArea as CommandDefinition, 'payments @a --for 2h; support @c --for 1h')).toBe(
      '--for is given twice',
    );
  });

  it('GIVEN /offboard --dm THEN it is carried; GIVEN --for THEN a usage error says an offboarding cannot be timed', () => {
    expect(requestOf(offboard as CommandDefinition, '@bob leaving --dm')).toMatchObject({
      kind: 'offboard',
      dm: true,
    });
    expect(requestOf(offboard as CommandDefinition, '@bob --no-dm leaving')).toMatchObject({ dm: false });
    expect(requestOf(offboard as CommandDefinition, '@bob leaving --for 2h')).toBe(
      '/offboard takes no --for: an offboarding cannot be timed (a Discord server kick cannot be undone); use /kick or /remove-area --for for a timed removal',
    );
  });

  it('GIVEN typed options (Discord) THEN for: and dm: are read by the same rules', () => {
    expect((kick as CommandDefinition).fromOptions?.({ user: '<@1>', for: '2h', dm: true })).toMatchObject({
      forMs: 2 * HOUR,
      dm: true,
    });
    expect(() => (kick as CommandDefinition).fromOptions?.({ user: '<@1>', for: '400d' })).toThrow(
      'for must be from 1 minute to 365 days (got "400d"); e.g. 2h',
    );
    expect(() => (offboard as CommandDefinition).fromOptions?.({ user: '<@1>', for: '2h' })).toThrow(
      /cannot be timed/,
    );
  });

  it('GIVEN refs (the HTTP API) THEN for and dm are read by the same rules', () => {
    expect(
      (kick as CommandDefinition).fromRefs?.({ users: ['@bob'], rooms: [], for: '1d', dm: false }),
    ).toMatchObject({ forMs: DAY, dm: false });
  });
});
