import { describe, expect, it } from 'vitest';
import { parseSlackMention, type SlackMention } from '../../../src/platforms/slack/mentions.js';

/**
 * `parseSlackMention` as a table: what Slack sends with "Escape channels, users, and links" on (ids), what a
 * user types with it off (plain names), and what is not a mention at all
 * (/work/shared/reference/platforms.md, SLACK §2).
 */

interface Row {
  given: string;
  raw: string;
  means: string;
  expected: SlackMention;
}

const ROWS: Row[] = [
  // Users (escaping on)
  { given: 'a user id', raw: '<@U123>', means: 'a user', expected: { kind: 'user', id: 'U123' } },
  {
    given: 'a user id with a label',
    raw: '<@U123|name>',
    means: 'a user, the label dropped',
    expected: { kind: 'user', id: 'U123' },
  },
  {
    given: 'an Enterprise user id (W…)',
    raw: '<@W123>',
    means: 'a user',
    expected: { kind: 'user', id: 'W123' },
  },
  {
    given: 'an Enterprise user id with a label',
    raw: '<@W0ABC12|first.last>',
    means: 'a user',
    expected: { kind: 'user', id: 'W0ABC12' },
  },

  // Channels (escaping on)
  {
    given: 'a public channel with its name',
    raw: '<#C123|name>',
    means: 'a channel with that name',
    expected: { kind: 'channel', id: 'C123', name: 'name' },
  },
  {
    given: 'a private channel (empty name)',
    raw: '<#C123|>',
    means: 'a channel without a name',
    expected: { kind: 'channel', id: 'C123' },
  },
  {
    given: 'a channel id without a label',
    raw: '<#C123>',
    means: 'a channel without a name',
    expected: { kind: 'channel', id: 'C123' },
  },
  {
    given: 'an old private channel id (G…)',
    raw: '<#G123|old-private>',
    means: 'a channel with that name',
    expected: { kind: 'channel', id: 'G123', name: 'old-private' },
  },

  // User groups
  {
    given: 'a user group with its @handle',
    raw: '<!subteam^S123|@team>',
    means: 'a user group, handle without the @',
    expected: { kind: 'usergroup', id: 'S123', handle: 'team' },
  },
  {
    given: 'a user group without a label',
    raw: '<!subteam^S123>',
    means: 'a user group without a handle',
    expected: { kind: 'usergroup', id: 'S123' },
  },

  // Plain names (escaping off)
  {
    given: 'a plain @name',
    raw: '@name',
    means: 'a user name to resolve',
    expected: { kind: 'user-name', name: 'name' },
  },
  {
    given: 'a plain @first.last',
    raw: '@first.last',
    means: 'a user name with the dot',
    expected: { kind: 'user-name', name: 'first.last' },
  },
  {
    given: 'a plain @name with a dash and digits',
    raw: '@bob-2',
    means: 'a user name',
    expected: { kind: 'user-name', name: 'bob-2' },
  },
  {
    given: 'a plain #name',
    raw: '#name',
    means: 'a channel name to resolve',
    expected: { kind: 'channel-name', name: 'name' },
  },
  {
    given: 'a plain #name in unicode lowercase',
    raw: '#général',
    means: 'a channel name, accents kept',
    expected: { kind: 'channel-name', name: 'général' },
  },
  {
    given: 'a plain #name with dashes, underscores and digits',
    raw: '#team_ops-2024',
    means: 'a channel name',
    expected: { kind: 'channel-name', name: 'team_ops-2024' },
  },
];

/** Special mentions name no one in particular: invalid, and the reason says so. */
const SPECIAL = ['<!here>', '<!channel>', '<!everyone>', '<!here|here>', '<!channel|@channel>'];

/** Not a mention: invalid, and the reason quotes what was typed. */
const GARBAGE: { given: string; raw: string }[] = [
  { given: 'a user mention without an id', raw: '<@>' },
  { given: 'a channel mention without an id', raw: '<#>' },
  { given: 'a bare @', raw: '@' },
  { given: 'a bare #', raw: '#' },
  { given: 'a lowercase user id', raw: '<@u123>' },
  { given: 'an unterminated user mention', raw: '<@U123' },
  { given: 'an unterminated channel mention', raw: '<#C123|name' },
  { given: 'a user mention with a non-user id', raw: '<@C123>' },
  { given: 'a channel mention with a user id', raw: '<#U123>' },
  { given: 'a plain word', raw: 'hello' },
  { given: 'the empty string', raw: '' },
  { given: 'a mention with trailing text', raw: '<@U123>x' },
  { given: 'a user group without an id', raw: '<!subteam^>' },
];

describe('parseSlackMention', () => {
  it.each(ROWS)('GIVEN $given ($raw) THEN $means', ({ raw, expected }) => {
    expect(parseSlackMention(raw)).toEqual(expected);
  });

  it.each(SPECIAL)('GIVEN the special mention %s THEN invalid: it names no one in particular', (raw) => {
    const m = parseSlackMention(raw);
    expect(m.kind).toBe('invalid');
    const word = /^<!(\w+)/.exec(raw)?.[1];
    expect(m).toEqual({ kind: 'invalid', reason: expect.stringContaining(`@${word}`) });
    expect(m).toEqual({ kind: 'invalid', reason: expect.stringMatching(/no one in particular/) });
    expect(m).toEqual({ kind: 'invalid', reason: expect.stringMatching(/mention the users/) });
  });

  it.each(GARBAGE)('GIVEN $given ($raw) THEN invalid, quoting the input', ({ raw }) => {
    expect(parseSlackMention(raw)).toEqual({
      kind: 'invalid',
      reason: `"${raw}" is not a Slack mention`,
    });
  });

  it('GIVEN any row THEN a mention never carries an empty name or handle', () => {
    for (const { raw } of ROWS) {
      const m = parseSlackMention(raw);
      if ('name' in m) expect(m.name).not.toBe('');
      if ('handle' in m) expect(m.handle).not.toBe('');
    }
  });
});
