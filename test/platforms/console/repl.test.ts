import { PassThrough } from 'node:stream';
import { finished } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { type ConsoleApp, createConsoleApp } from '../../../src/platforms/console/app.js';
import { runRepl } from '../../../src/platforms/console/repl.js';
import { ConsoleSession } from '../../../src/platforms/console/session.js';
import { parseWorkspace } from '../../../src/platforms/console/workspace-file.js';
import { SMALL_WORKSPACE } from '../../helpers/console.js';

const STORE_LABEL = 'memory store (test)';
const NOT_A_COMMAND =
  'Commands start with "/" (try /kickbot help); console commands start with ":" (try :help).';

/** mo (moderator) and twelve plain users in one room: a kick of eleven of them is over the threshold of 10. */
const USERS = Array.from({ length: 12 }, (_, i) => `u${i + 1}`);
const BIG_WORKSPACE = `
name: big
bot: kickbot
users:
  - { id: mo, roles: [moderator] }
  - { id: kickbot, roles: [bot] }
${USERS.map((u) => `  - { id: ${u} }`).join('\n')}
rooms:
  - { id: general, members: [mo, kickbot, ${USERS.join(', ')}] }
`;
const KICK_ELEVEN = `/kick ${USERS.slice(0, 11)
  .map((u) => `@${u}`)
  .join(' ')} spam`;

interface Repl {
  app: ConsoleApp;
  session: ConsoleSession;
  /** Types lines (no TTY: the REPL reads them as a pipe would give them). */
  send(...lines: string[]): void;
  /** Resolves once the output contains `text`. */
  waitFor(text: string): Promise<void>;
  /** Ends the input, waits for the REPL to return, and gives everything it wrote. */
  end(): Promise<string>;
  /** Waits for the REPL to return without ending the input (after :quit). */
  done(): Promise<string>;
  output(): string;
}

/** The console as the CLI wires it: room notices are printed on the REPL's output. */
function startRepl(yaml = SMALL_WORKSPACE, opts: { as?: string; in?: string } = {}): Repl {
  const input = new PassThrough();
  const output = new PassThrough();
  output.setEncoding('utf8');
  let text = '';
  const waiters: { want: string; resolve: () => void }[] = [];
  output.on('data', (chunk: string) => {
    text += chunk;
    for (const w of [...waiters]) {
      if (text.includes(w.want)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  });
  const app = createConsoleApp({
    workspaceFile: 'test.yaml',
    workspaceData: parseWorkspace(yaml, 'test.yaml'),
    onNotice: (_room, notice) => output.write(`${notice}\n`),
  });
  const session = new ConsoleSession(app, opts);
  const running = runRepl({ app, session, input, output, storeLabel: STORE_LABEL });
  const done = async () => {
    await running;
    output.end();
    await finished(output);
    return text;
  };
  return {
    app,
    session,
    send: (...lines) => input.write(lines.map((l) => `${l}\n`).join('')),
    waitFor: (want) =>
      text.includes(want) ? Promise.resolve() : new Promise((resolve) => waiters.push({ want, resolve })),
    end: () => {
      input.end();
      return done();
    },
    done,
    output: () => text,
  };
}

/** Runs `lines` through a fresh REPL and returns the output after the two banner lines. */
async function runLines(lines: string[], yaml = SMALL_WORKSPACE, opts: { as?: string; in?: string } = {}) {
  const repl = startRepl(yaml, opts);
  repl.send(...lines);
  const out = await repl.end();
  return { repl, out, lines: out.split('\n').slice(2, -1) };
}

const members = async (app: ConsoleApp, room: string) => [...(await app.state.allMembers(room)).keys()];

describe('runRepl', () => {
  it('prints the banner: workspace, file, store, user and room', async () => {
    const { out } = await runLines([]);
    expect(out.split('\n').slice(0, 2)).toEqual([
      `kickbot console · workspace "small" (test.yaml) · ${STORE_LABEL}`,
      'You are mo in #general. Type /kickbot help for commands, :help for console commands, :quit to leave.',
    ]);
    const { out: other } = await runLines([], SMALL_WORKSPACE, { as: 'ada', in: '#secret' });
    expect(other.split('\n')[1]).toMatch(/^You are ada in #secret\. /);
  });

  it('/kick prints the room confirmation, the result of each pair and the summary', async () => {
    const { repl, lines } = await runLines(['/kick @bob spam']);
    expect(lines).toEqual([
      '#general: bob was removed by mo (reason: spam) · case 1',
      '✓ bob removed from #general',
      'Removed 1 | Not a member 0 | Denied 0 | Failed 0 · case 1',
    ]);
    expect(await members(repl.app, 'general')).not.toContain('bob');
  });

  it('prints refusals, unsupported rooms and users who were not members', async () => {
    const { lines } = await runLines([
      '/kick @ada',
      '/kick @bob #secret',
      '/kick @bob #lobby',
      '/kick @carol',
      '/kick @carol',
    ]);
    expect(lines[0]).toMatch(/^✗ ada in #general: denied \(protected\)/);
    expect(lines[1]).toBe('Removed 0 | Not a member 0 | Denied 1 | Failed 0 · case 1');
    expect(lines[2]).toMatch(/^✗ bob in #secret: denied \(room-not-found\)/);
    expect(lines[3]).toBe('Removed 0 | Not a member 0 | Denied 1 | Failed 0 · case 2');
    expect(lines[4]).toMatch(/^✗ bob in #lobby: unsupported \(undeletable\)/);
    expect(lines[5]).toMatch(
      /^Removed 0 \| Not a member 0 \| Denied 0 \| Failed 0 \| Unsupported 1 · case 3$/,
    );
    expect(lines.slice(6)).toEqual([
      '#general: carol was removed by mo · case 4',
      '✓ carol removed from #general',
      'Removed 1 | Not a member 0 | Denied 0 | Failed 0 · case 4',
      '· carol was not in #general',
      'Removed 0 | Not a member 1 | Denied 0 | Failed 0 · case 5',
    ]);
  });

  it(':as switches the user who types the next commands', async () => {
    const { repl, lines } = await runLines([':as ada', '/kick @bob #secret', ':as @MO']);
    expect(lines).toEqual([
      'You are now ada (in #general).',
      '#secret: bob was removed by ada · case 1',
      '✓ bob removed from #secret',
      'Removed 1 | Not a member 0 | Denied 0 | Failed 0 · case 1',
      'You are now mo (in #general).',
    ]);
    expect(repl.session.actor).toBe('mo');
    expect(await members(repl.app, 'secret')).toEqual(['ada', 'olga']);
  });

  it(':in moves to another room, where commands then run', async () => {
    const { repl, lines } = await runLines([':as ada', ':in #secret', '/kick @bob', ':in general']);
    expect(lines).toEqual([
      'You are now ada (in #general).',
      'You are now in #secret.',
      '#secret: bob was removed by ada · case 1',
      '✓ bob removed from #secret',
      'Removed 1 | Not a member 0 | Denied 0 | Failed 0 · case 1',
      'You are now in #general.',
    ]);
    expect(await members(repl.app, 'general')).toContain('bob');
  });

  it(':who lists the members of this room with their room roles, and every user', async () => {
    const { lines } = await runLines([':who', ':in #secret', ':who']);
    expect(lines).toEqual([
      'In #general: ada (owner), mo, olga, bob, carol, kickbot',
      'Users: ada [admin], mo [moderator], olga, bob, carol, kickbot [bot]',
      'You are now in #secret.',
      'In #secret: ada, olga (owner), bob',
      'Users: ada [admin], mo [moderator], olga, bob, carol, kickbot [bot]',
    ]);
  });

  it(':who shows removals', async () => {
    const { lines } = await runLines(['/kick @bob @carol', ':who']);
    expect(lines).toContain('In #general: ada (owner), mo, olga, kickbot');
  });

  it(':rooms lists the rooms, their types and sizes, and area groups', async () => {
    const { lines } = await runLines([':rooms']);
    expect(lines).toEqual([
      'Rooms:',
      '  #general · public · 6 members',
      '  #secret · private · 3 members',
      '  #lobby · public, undeletable · 3 members',
      '  #dm · direct · 2 members',
      '  payments (group of area payments) · group · 2 members',
    ]);
  });

  it(':help lists the console commands', async () => {
    const { lines } = await runLines([':help']);
    expect(lines[0]).toBe('Console commands:');
    for (const command of [':as <user>', ':in #<room>', ':who', ':rooms', 'yes | no', ':quit']) {
      expect(lines.some((l) => l.trimStart().startsWith(command))).toBe(true);
    }
  });

  it('/kickbot help runs as a command', async () => {
    const { lines } = await runLines(['/kickbot help']);
    expect(lines[0]).toBe('kickbot commands:');
    expect(lines.some((l) => l.startsWith('/kick @user'))).toBe(true);
  });

  it('answers an unknown console command and a line that is not a command', async () => {
    const { lines } = await runLines([':x', 'kick bob', '   ', '']);
    expect(lines).toEqual(['unknown console command :x (try :help)', NOT_A_COMMAND]);
  });

  it(':as zed says there is no such user and keeps the current one', async () => {
    const { repl, lines } = await runLines([':as zed', ':in #nowhere', ':as', ':in']);
    expect(lines).toEqual([
      'no user "zed" in test.yaml (users: ada, mo, olga, bob, carol, kickbot)',
      'no room "nowhere" in test.yaml (rooms: general, secret, lobby, dm)',
      'Usage: :as <user>',
      'Usage: :in #<room>',
    ]);
    expect(repl.session.actor).toBe('mo');
    expect(repl.session.room).toBe('general');
  });

  it('usage errors print a message, never a stack trace, and the console goes on', async () => {
    const { lines, out } = await runLines([
      '/kick',
      '/',
      '/nope @bob',
      '/kick @zed',
      '/kickbot undo 42',
      '/kick @bob',
    ]);
    expect(lines.slice(0, 2)).toEqual([
      'name at least one user, e.g. @bob',
      'Usage: /kick @user [@user…] [#room…] [reason…] [--for 2h] [--dm|--no-dm] [--yes]',
    ]);
    expect(lines).toContain('type a command after "/", e.g. /kickbot help');
    expect(lines.some((l) => l.startsWith('unknown command /nope'))).toBe(true);
    expect(lines.some((l) => l.includes('@zed'))).toBe(true);
    expect(lines.some((l) => l.includes('42'))).toBe(true);
    expect(lines.at(-1)).toBe('Removed 1 | Not a member 0 | Denied 0 | Failed 0 · case 1');
    expect(out).not.toContain('    at ');
    expect(out).not.toMatch(/\bError\b/);
  });

  it('a batch over the threshold asks first; yes runs it', async () => {
    const repl = startRepl(BIG_WORKSPACE);
    repl.send(KICK_ELEVEN);
    await repl.waitFor('Type yes to run it or no to cancel');
    expect(repl.output().split('\n').slice(2, -1)).toEqual([
      'This would remove 11 (room, user) pairs. Batches over 10 need a confirmation.',
      '  Would remove from #general: u1, u2, u3, u4, u5, u6, u7, u8, u9, u10, u11',
      'Type yes to run it or no to cancel (the prompt expires in 5 minutes).',
    ]);
    expect(await members(repl.app, 'general')).toHaveLength(14);

    repl.send('yes');
    const lines = (await repl.end()).split('\n').slice(5, -1);
    expect(lines[0]).toBe(
      '#general: u1, u2, u3, u4, u5 and 6 others were removed by mo (reason: spam) · case 1',
    );
    expect(lines.filter((l) => l.startsWith('✓ '))).toHaveLength(11);
    expect(lines.at(-1)).toBe('Removed 11 | Not a member 0 | Denied 0 | Failed 0 · case 1');
    expect(await members(repl.app, 'general')).toEqual(['mo', 'kickbot', 'u12']);
  });

  it('a batch over the threshold asks first; no cancels it and nothing is removed', async () => {
    const repl = startRepl(BIG_WORKSPACE);
    repl.send(KICK_ELEVEN);
    await repl.waitFor('Type yes to run it or no to cancel');
    repl.send('no', 'yes');
    const out = await repl.end();
    expect(out.split('\n').slice(5, -1)).toEqual(['Cancelled; nobody was removed.', NOT_A_COMMAND]);
    expect(out).not.toContain('Removed');
    expect(out).not.toContain('✓');
    expect(await members(repl.app, 'general')).toHaveLength(14);
  });

  it('GIVEN a prompt WHEN another user answers yes or no THEN they are refused and the prompt still waits for its moderator', async () => {
    const repl = startRepl(BIG_WORKSPACE);
    repl.send(KICK_ELEVEN);
    await repl.waitFor('Type yes to run it or no to cancel');
    repl.send(':as u12', 'yes', 'no', ':as mo', 'yes');
    const lines = (await repl.end()).split('\n').slice(5, -1);
    expect(lines.slice(0, 4)).toEqual([
      'You are now u12 (in #general).',
      'Only the moderator who asked can answer this confirmation.',
      'Only the moderator who asked can answer this confirmation.',
      'You are now mo (in #general).',
    ]);
    expect(lines).not.toContain(NOT_A_COMMAND);
    expect(lines.at(-1)).toBe('Removed 11 | Not a member 0 | Denied 0 | Failed 0 · case 1');
    expect(await members(repl.app, 'general')).toEqual(['mo', 'kickbot', 'u12']);
  });

  it('GIVEN /kick @bob,@carol THEN commas separate the mentions and both are removed', async () => {
    const repl = startRepl();
    repl.send('/kick @bob,@carol spam');
    const out = await repl.end();
    expect(out).toContain('Removed 2 | Not a member 0 | Denied 0 | Failed 0 · case 1');
    expect(await members(repl.app, 'general')).not.toContain('bob');
    expect(await members(repl.app, 'general')).not.toContain('carol');
  });

  it('GIVEN a room typo THEN a usage error naming it (suggesting only public rooms), no case opens, and the next command is case 1', async () => {
    const repl = startRepl();
    repl.send('/kick @bob #generl spam', '/kick @bob #secrt', '/kick @carol');
    const lines = (await repl.end()).split('\n').slice(2, -1);
    expect(lines.slice(0, 2)).toEqual([
      'no room #generl in this workspace (did you mean #general?)',
      'Usage: /kick @user [@user…] [#room…] [reason…] [--for 2h] [--dm|--no-dm] [--yes]',
    ]);
    // #secret is private: a typo of it is not answered with its name
    expect(lines.slice(2, 4)).toEqual([
      'no room #secrt in this workspace',
      'Usage: /kick @user [@user…] [#room…] [reason…] [--for 2h] [--dm|--no-dm] [--yes]',
    ]);
    expect(lines.at(-1)).toBe('Removed 1 | Not a member 0 | Denied 0 | Failed 0 · case 1');
    expect(await repl.app.store.readAudit({})).toHaveLength(1);
  });

  it('yes with nothing to confirm is not a command', async () => {
    const { lines } = await runLines(['yes']);
    expect(lines).toEqual([NOT_A_COMMAND]);
  });

  it(':quit leaves without waiting for the input to end; later lines are not run', async () => {
    const repl = startRepl();
    repl.send(':quit', '/kick @bob');
    const out = await repl.done();
    expect(out.split('\n').slice(2, -1)).toEqual([]);
    expect(await members(repl.app, 'general')).toContain('bob');
  });
});
