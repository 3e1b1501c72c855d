import { describe, expect, it } from 'vitest';
import kick from '../../commands/kick.js';
import removeArea from '../../commands/remove-area.js';
import type { CommandDefinition, Refs } from '../../src/core/index.js';

/**
 * Ids already split one per reference (what the HTTP API builds) reach the commands as they are: nothing is
 * tokenized again, and a reason with control characters is refused on every path (text, options, refs).
 */

function fromRefs<A>(command: CommandDefinition<A>, refs: Refs) {
  if (!command.fromRefs) throw new Error(`/${command.name} takes no refs`);
  return command.args.safeParse(command.fromRefs(refs));
}

describe('commands from refs', () => {
  it('GIVEN /kick refs THEN users and rooms are taken as given, one each', () => {
    const parsed = fromRefs(kick, { users: ['@bob', '@carol'], rooms: ['#general'], reason: 'spam' });
    expect(parsed.data).toEqual({
      users: ['@bob', '@carol'],
      rooms: ['#general'],
      reason: 'spam',
      yes: false,
    });
  });

  it('GIVEN /remove-area refs THEN one batch of the area and its users', () => {
    const parsed = fromRefs(removeArea, { area: 'payments', users: ['@bob'], rooms: [] });
    expect(parsed.data).toEqual({ batches: [{ area: 'payments', users: ['@bob'] }], yes: false });
  });

  it.each([
    ['refs of /kick', () => fromRefs(kick, { users: ['@bob'], rooms: [], reason: 'spam\u001b[2J' })],
    [
      'options of /kick (Discord)',
      () => kick.args.safeParse(kick.fromOptions?.({ user: '<@1>', reason: 'a\u0000' })),
    ],
    [
      'refs of /remove-area',
      () => fromRefs(removeArea, { area: 'payments', users: ['@bob'], rooms: [], reason: '\u202Emaps' }),
    ],
  ])('GIVEN a reason with a control character in the %s THEN a usage message naming it', (_what, run) => {
    const parsed = run();
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toMatch(
      /^the reason contains a control character \(U\+(001B at position 5|0000 at position 2|202E at position 1)\)$/,
    );
  });
});
