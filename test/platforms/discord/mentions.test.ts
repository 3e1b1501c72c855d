import { describe, expect, it } from 'vitest';
import { type DiscordMention, parseDiscordMention } from '../../../src/platforms/discord/mentions.js';

/**
 * `parseDiscordMention` as a table: what Discord sends when someone is picked from the @ or # list (ids, and the
 * ids `interactions.ts` writes for User, Channel and Role options), what a user types by hand (plain names), and
 * what is not a mention at all.
 */

interface Row {
  given: string;
  raw: string;
  means: string;
  expected: DiscordMention;
}

const SNOWFLAKE = '1300000000000000201';

const ROWS: Row[] = [
  // Users
  {
    given: 'a user id',
    raw: `<@${SNOWFLAKE}>`,
    means: 'a user',
    expected: { kind: 'user', id: SNOWFLAKE },
  },
  {
    given: 'a user id in the old nickname form',
    raw: `<@!${SNOWFLAKE}>`,
    means: 'the same user',
    expected: { kind: 'user', id: SNOWFLAKE },
  },
  {
    given: 'the shortest id taken (5 digits)',
    raw: '<@12345>',
    means: 'a user',
    expected: { kind: 'user', id: '12345' },
  },
  {
    given: 'the longest id taken (25 digits)',
    raw: `<@${'9'.repeat(25)}>`,
    means: 'a user',
    expected: { kind: 'user', id: '9'.repeat(25) },
  },

  // Roles and channels
  {
    given: 'a role id',
    raw: `<@&${SNOWFLAKE}>`,
    means: 'a role',
    expected: { kind: 'role', id: SNOWFLAKE },
  },
  {
    given: 'a channel id',
    raw: `<#${SNOWFLAKE}>`,
    means: 'a channel',
    expected: { kind: 'channel', id: SNOWFLAKE },
  },

  // Plain names
  {
    given: 'a plain @name',
    raw: '@alice',
    means: 'a user name to resolve',
    expected: { kind: 'user-name', name: 'alice' },
  },
  {
    given: 'a plain @Name in capitals',
    raw: '@ALICE',
    means: 'a user name, its case kept (the lookup ignores it)',
    expected: { kind: 'user-name', name: 'ALICE' },
  },
  {
    given: 'a plain @name with dots, dashes, underscores and digits',
    raw: '@first.last_2-b',
    means: 'a user name',
    expected: { kind: 'user-name', name: 'first.last_2-b' },
  },
  {
    given: 'a plain @name of 32 characters',
    raw: `@${'n'.repeat(32)}`,
    means: 'a user name',
    expected: { kind: 'user-name', name: 'n'.repeat(32) },
  },
  {
    given: 'a plain #name',
    raw: '#general',
    means: 'a channel name to resolve',
    expected: { kind: 'channel-name', name: 'general' },
  },
  {
    given: 'a plain #Name with capitals and a dash',
    raw: '#Mod-Log',
    means: 'a channel name, its case kept (the lookup ignores it)',
    expected: { kind: 'channel-name', name: 'Mod-Log' },
  },
  {
    given: 'a plain #name with accents',
    raw: '#général',
    means: 'a channel name, accents kept',
    expected: { kind: 'channel-name', name: 'général' },
  },
  {
    given: 'a plain #name of 100 characters',
    raw: `#${'c'.repeat(100)}`,
    means: 'a channel name',
    expected: { kind: 'channel-name', name: 'c'.repeat(100) },
  },
];

/** Not a mention: invalid, and the reason quotes what was typed. */
const GARBAGE: { given: string; raw: string }[] = [
  { given: 'a user mention without an id', raw: '<@>' },
  { given: 'a role mention without an id', raw: '<@&>' },
  { given: 'a channel mention without an id', raw: '<#>' },
  { given: 'a bare @', raw: '@' },
  { given: 'a bare #', raw: '#' },
  { given: 'a user mention with letters', raw: '<@abc>' },
  { given: 'an id too short (4 digits)', raw: '<@1234>' },
  { given: 'an id too long (26 digits)', raw: `<@${'1'.repeat(26)}>` },
  { given: 'an unterminated user mention', raw: `<@${SNOWFLAKE}` },
  { given: 'a channel mention with a label (Slack’s form)', raw: `<#${SNOWFLAKE}|general>` },
  { given: 'a mention with trailing text', raw: `<@${SNOWFLAKE}>x` },
  { given: 'a mention with a leading space', raw: ` <@${SNOWFLAKE}>` },
  { given: 'a nickname-form role', raw: `<@!&${SNOWFLAKE}>` },
  { given: 'a @name with a space', raw: '@two words' },
  { given: 'a @name of 33 characters', raw: `@${'n'.repeat(33)}` },
  { given: 'a @@name', raw: '@@alice' },
  { given: 'a #name with a space', raw: '#two words' },
  { given: 'a #name of 101 characters', raw: `#${'c'.repeat(101)}` },
  { given: 'a #name with a <', raw: '#a<b' },
  { given: 'a plain word', raw: 'hello' },
  { given: 'a bare id', raw: SNOWFLAKE },
  { given: 'the empty string', raw: '' },
];

describe('parseDiscordMention', () => {
  it.each(ROWS)('GIVEN $given ($raw) THEN $means', ({ raw, expected }) => {
    expect(parseDiscordMention(raw)).toEqual(expected);
  });

  it.each(GARBAGE)('GIVEN $given ($raw) THEN invalid, quoting the input', ({ raw }) => {
    expect(parseDiscordMention(raw)).toEqual({
      kind: 'invalid',
      reason: `"${raw}" is not a Discord mention`,
    });
  });

  it('GIVEN any row THEN a mention never carries an empty id or name', () => {
    for (const { raw } of ROWS) {
      const m = parseDiscordMention(raw);
      if ('id' in m) expect(m.id).toMatch(/^\d+$/);
      if ('name' in m) expect(m.name).not.toBe('');
    }
  });
});
