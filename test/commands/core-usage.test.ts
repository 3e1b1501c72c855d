import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import type { Limits, Reply } from '../../src/core/index.js';
import { SMALL_WORKSPACE, type TestConsole, testConsole } from '../helpers/console.js';
import { kit } from '../helpers/kit.js';

/** Bad input runs end to end through the core: a usage reply with the command's usage line, never an error. */

const mentions = (sigil: '@' | '#', n: number) =>
  Array.from({ length: n }, (_, i) => `${sigil}${sigil === '@' ? 'u' : 'r'}${i}`).join(' ');

const usageLine = (line: string): string => {
  const name = /^\/(\S+)/.exec(line)?.[1];
  const command = commands.find((c) => c.name === name);
  if (!command) throw new Error(`no command in ${line}`);
  return command.usage;
};

const label = (line: string) => (line.length > 60 ? `${line.slice(0, 57)}…` : line);

/** Every room's members, to show that a usage error changed nothing. */
async function snapshot(app: TestConsole) {
  const rooms = await app.state.rooms();
  return Promise.all(rooms.map(async (r) => [r.id, [...(await app.state.allMembers(r.id)).keys()].sort()]));
}

async function handle(app: TestConsole, line: string, as = 'mo', room = 'general'): Promise<Reply> {
  return app.core.handle(app.invocation(as, room, line));
}

const BAD_INPUT: readonly (readonly [string, string])[] = [
  ['/kick', 'name at least one user, e.g. @bob'],
  ['/kick #general spam', 'name at least one user, e.g. @bob'],
  ['/kick --force @bob', 'unknown flag --force (known: --yes, --dm, --no-dm, --for)'],
  ['/kick @', '"@" alone names no user; write @name'],
  ['/kick @bob #', '"#" alone names no room; write #room'],
  [`/kick ${mentions('@', 1_001)}`, 'too many users: 1,001 (limit 1,000)'],
  [`/kick ${mentions('@', 10_000)}`, 'too many users: 10,000 (limit 1,000)'],
  [`/kick @bob ${mentions('#', 101)}`, 'too many rooms: 101 (limit 100)'],
  [`/kick ${mentions('@', 101)} ${mentions('#', 100)}`, 'too many removals: 10,100 (limit 10,000)'],
  [`/kick ${mentions('@', 1_000)} ${mentions('#', 11)}`, 'too many removals: 11,000 (limit 10,000)'],
  // 11 × 1,000 is over 10,000 removals too, but the removals are counted only once users and rooms are within
  // their limits, so the message names the rooms: fix that and 11 × 100 is allowed.
  [`/kick ${mentions('@', 11)} ${mentions('#', 1_000)}`, 'too many rooms: 1,000 (limit 100)'],
  [`/kick @bob ${'x'.repeat(513)}`, 'the reason is too long: 513 characters (limit 512)'],
  ['/kick @bob \u0007', 'the command contains a control character (U+0007) at position 6'],
  ['/kick @bob \u001B[2J', 'the command contains a control character (U+001B) at position 6'],
  ['/kick @bob sp\u007Fam', 'the command contains a control character (U+007F) at position 8'],
  ['/kick @bob \u202Emaps', 'the command contains a control character (U+202E) at position 6'],
  [`/kick @bob ${'x'.repeat(200_001)}`, 'the command is too long: 200,006 characters (limit 200,000)'],
  ['/kick @bob; @carol', '";" separates batches only in /remove-area (found at token 2)'],
  ['/kick @bob;@carol', '";" separates batches only in /remove-area (found at token 2)'],
  ['/remove-area', 'name an area and at least one user, e.g. /remove-area payments @bob'],
  ['/remove-area payments', 'name at least one user, e.g. @bob'],
  ['/remove-area payments #general @bob', 'an area brings its own rooms; to remove from #general use /kick'],
  [
    '/remove-area @bob payments',
    'start each batch with an area name, e.g. /remove-area payments @bob (found "@bob")',
  ],
  [
    '/remove-area payments @bob; @carol',
    'start each batch with an area name, e.g. /remove-area payments @bob (found "@carol")',
  ],
  ['/remove-area payments @bob --force', 'unknown flag --force (known: --yes, --dm, --no-dm, --for)'],
  ['/remove-area payments! @bob', 'an area name is letters, digits, ".", "_" and "-" (at most 64)'],
  [`/remove-area payments ${mentions('@', 1_001)}`, 'too many users: 1,001 (limit 1,000)'],
  [`/remove-area payments ${mentions('@', 10_000)}`, 'too many users: 10,000 (limit 1,000)'],
  [`/remove-area payments @bob ${'x'.repeat(513)}`, 'the reason is too long: 513 characters (limit 512)'],
  ['/leave foo', '/leave takes at most one #room (found "foo")'],
  ['/leave #general #lobby', '/leave takes at most one #room (found "#lobby")'],
  ['/leave #', '"#" alone names no room; write #room'],
  ['/kickbot undo x', '"x" is not a case number'],
  ['/kickbot undo', 'undo needs a case number, e.g. /kickbot undo 12'],
  ['/kickbot undo 0', 'case numbers start at 1'],
  ['/kickbot undo 99', 'there is no case 99'],
  [
    '/kickbot frobnicate',
    'unknown subcommand "frobnicate" (known: help, undo, cases, case, note, reason, cancel)',
  ],
  ['/kickbot cases bob', 'cases takes @user, by @moderator, since 7d|2026-11-01 and page N, not "bob"'],
];

describe('bad input through the core', () => {
  it.each(BAD_INPUT.map(([line, message]) => [label(line), message, line] as const))(
    'GIVEN %j THEN a usage reply says %j',
    async (_label, message, line) => {
      const app = testConsole(SMALL_WORKSPACE);
      const before = await snapshot(app);
      const reply = await handle(app, line);
      expect(reply).toStrictEqual({ kind: 'usage', message, usage: usageLine(line) });
      expect(await snapshot(app)).toStrictEqual(before);
      expect(app.notices).toStrictEqual([]);
    },
  );

  it('answers a redelivered bad invocation with the same usage reply', async () => {
    const app = testConsole(SMALL_WORKSPACE);
    const first = await app.core.handle(app.invocation('mo', 'general', '/kick --force @bob', 'k1'));
    const again = await app.core.handle(app.invocation('mo', 'general', '/kick --force @bob', 'k1'));
    expect(first.kind).toBe('usage');
    expect(again).toStrictEqual({ ...first, redelivered: true });
  });
});

describe('names that do not resolve', () => {
  it('answers an unknown area with a usage error listing the known areas', async () => {
    const app = testConsole(SMALL_WORKSPACE);
    expect(await handle(app, '/remove-area nope @bob', 'olga')).toStrictEqual({
      kind: 'usage',
      message: 'unknown area "nope" (areas: payments)',
      usage: usageLine('/remove-area'),
    });
  });

  it.each([
    ['/kick @zed'],
    ['/kick @zed spam'],
    ['/kick @bob @zed #general'],
    ['/remove-area payments @zed'],
    ['/kickbot cases @zed'],
  ])('GIVEN %j THEN a usage error names @zed and nobody is removed', async (line) => {
    const app = testConsole(SMALL_WORKSPACE);
    const before = await snapshot(app);
    const reply = await handle(app, line);
    expect(reply).toStrictEqual({ kind: 'usage', message: 'unknown user @zed', usage: usageLine(line) });
    expect(await snapshot(app)).toStrictEqual(before);
  });

  // Failed once: src/core/remove/plan.ts pushed one problem per occurrence (failed lookups were not cached), so the
  // message read "unknown user @zed; unknown user @zed".
  it('names an unknown user once however often it is mentioned', async () => {
    const app = testConsole(SMALL_WORKSPACE);
    expect(await handle(app, '/kick @zed @zed')).toStrictEqual({
      kind: 'usage',
      message: 'unknown user @zed',
      usage: usageLine('/kick'),
    });
  });

  // Fails today, for the same reason: one "unknown area" per batch.
  it('names an unknown area once however many batches name it', async () => {
    const app = testConsole(SMALL_WORKSPACE);
    expect(await handle(app, '/remove-area nope @bob; nope @carol', 'olga')).toStrictEqual({
      kind: 'usage',
      message: 'unknown area "nope" (areas: payments)',
      usage: usageLine('/remove-area'),
    });
  });

  it('answers an unknown command with a usage error listing the commands', async () => {
    const app = testConsole(SMALL_WORKSPACE);
    const reply = await handle(app, '/frob @bob');
    expect(reply).toStrictEqual({
      kind: 'usage',
      message: 'unknown command /frob; kickbot knows /kick, /remove-area, /leave, /offboard, /kickbot',
    });
    const message = reply.kind === 'usage' ? reply.message : '';
    for (const command of commands) expect(message).toContain(`/${command.name}`);
  });
});

/** The limits are the configured ones, checked in the plan only: a raised limit is not cut by the syntax first. */
describe('configured limits', () => {
  const usage = async (limits: Partial<Limits>, line: string) => {
    const k = kit(SMALL_WORKSPACE, { limits });
    const reply = await k.core.handle(k.inv('ada', 'general', line));
    return reply.kind === 'usage' ? reply.message : `not a usage reply: ${reply.kind}`;
  };

  it('GIVEN users raised to 2,000 THEN 1,001 mentions get past the limit to the lookups', async () => {
    expect(await usage({ users: 2_000 }, `/kick ${mentions('@', 1_001)}`)).toMatch(
      /^unknown user @u0; unknown user @u1; /,
    );
  });

  it('GIVEN rooms raised to 200 and removals to 20,000 THEN 101 rooms × 101 users get past them', async () => {
    const line = `/kick ${mentions('@', 101)} ${mentions('#', 101)}`;
    expect(await usage({ rooms: 200, removals: 20_000 }, line)).toMatch(/^unknown user @u0; /);
  });

  it.each([
    [{ users: 2 }, '/kick @bob @carol @olga', 'too many users: 3 (limit 2)'],
    [{ users: 2 }, '/remove-area payments @bob @carol @olga', 'too many users: 3 (limit 2)'],
    [{ rooms: 1 }, '/kick @bob #general #lobby', 'too many rooms: 2 (limit 1)'],
    [{ removals: 3 }, '/kick @bob @carol #general #lobby', 'too many removals: 4 (limit 3)'],
    // an area's rooms count once the area is looked up: its 3 rooms (general, secret, its group) × 2 users
    [{ removals: 3 }, '/remove-area payments @bob @carol', 'too many removals: 6 (limit 3)'],
  ])('GIVEN limits %j THEN %j is refused: %j', async (limits, line, message) => {
    expect(await usage(limits, line)).toBe(message);
  });
});
