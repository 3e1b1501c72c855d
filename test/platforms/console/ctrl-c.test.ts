import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { RemovalTarget, RemoveResult } from '../../../src/core/index.js';
import { createConsoleApp } from '../../../src/platforms/console/app.js';
import { LEAVE_HINT } from '../../../src/platforms/console/ctrl-c.js';
import { runRepl } from '../../../src/platforms/console/repl.js';
import { ConsoleSession } from '../../../src/platforms/console/session.js';
import { parseWorkspace } from '../../../src/platforms/console/workspace-file.js';
import { FakeClock } from '../../helpers/clock.js';
import { SMALL_WORKSPACE } from '../../helpers/console.js';
import { waitFor } from '../../helpers/wait.js';

const CTRL_C = '\x03';

/** The console on a terminal: input and output say they are TTYs, so readline reads keys (Ctrl-C is a key). */
function terminalRepl(opts: { yaml?: string; clock?: FakeClock } = {}) {
  const input = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => input });
  const output = Object.assign(new PassThrough(), { isTTY: true, columns: 200 });
  output.setEncoding('utf8');
  let text = '';
  const waiters: { want: RegExp; from: number; resolve: () => void }[] = [];
  output.on('data', (chunk: string) => {
    text += chunk;
    for (const w of [...waiters]) {
      if (w.want.test(text.slice(w.from))) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  });
  const app = createConsoleApp({
    workspaceFile: 'test.yaml',
    workspaceData: parseWorkspace(opts.yaml ?? SMALL_WORKSPACE, 'test.yaml'),
    onNotice: (_room, notice) => output.write(`${notice}\n`),
    ...(opts.clock ? { clock: opts.clock } : {}),
  });
  const session = new ConsoleSession(app, {});
  let ended = false;
  const running = runRepl({ app, session, input, output, storeLabel: 'memory store (test)' }).then(() => {
    ended = true;
  });
  return {
    app,
    running,
    ended: () => ended,
    /** Types keys; resolves once the output after this point matches `want`. */
    type(keys: string, want: RegExp): Promise<void> {
      const from = text.length;
      const seen = new Promise<void>((resolve) => waiters.push({ want, from, resolve }));
      input.write(keys);
      return seen;
    },
    /** Types keys without waiting for an answer. */
    press(keys: string): void {
      input.write(keys);
    },
    output: () => text,
  };
}

describe('Ctrl-C in the interactive console', () => {
  it('GIVEN a half-typed line WHEN Ctrl-C THEN the line is dropped, not run, and the next line runs on its own', async () => {
    const repl = terminalRepl();
    await repl.type('/kick @bob', /\/kick @bob/);
    await repl.type(CTRL_C, /\^C\n/);
    await repl.type(':rooms\r', /^Rooms:$/m);
    expect([...(await repl.app.state.allMembers('general')).keys()]).toContain('bob'); // the /kick never ran
    expect(repl.output()).not.toContain('unknown console command');
    expect(repl.ended()).toBe(false);
  });

  it('GIVEN a half-typed line WHEN Ctrl-C twice THEN the line is dropped and the second Ctrl-C leaves', async () => {
    const repl = terminalRepl();
    await repl.type('/kick @bob', /\/kick @bob/);
    await repl.type(CTRL_C, /\^C\n/);
    expect(repl.ended()).toBe(false);
    repl.press(CTRL_C);
    await repl.running;
    expect(repl.ended()).toBe(true);
    expect([...(await repl.app.state.allMembers('general')).keys()]).toContain('bob');
  });

  it('GIVEN Ctrl-C dropped a line and more text was typed WHEN Ctrl-C THEN only that text is dropped', async () => {
    const repl = terminalRepl();
    await repl.type('/kick @bob', /\/kick @bob/);
    await repl.type(CTRL_C, /\^C\n/);
    await repl.type('/kick @carol', /\/kick @carol/);
    await repl.type(CTRL_C, /\^C\n/);
    expect(repl.ended()).toBe(false);
    await repl.type(':rooms\r', /^Rooms:$/m);
    expect(repl.ended()).toBe(false);
  });

  it('GIVEN an empty line WHEN Ctrl-C THEN a hint says how to leave; a second Ctrl-C leaves', async () => {
    const repl = terminalRepl();
    await repl.type(CTRL_C, new RegExp(LEAVE_HINT.replace(/[()]/g, '\\$&')));
    expect(repl.ended()).toBe(false);
    repl.press(CTRL_C);
    await repl.running;
    expect(repl.ended()).toBe(true);
  });

  it('GIVEN Ctrl-C on an empty line THEN a line typed next disarms it: the following Ctrl-C only hints again', async () => {
    const repl = terminalRepl();
    await repl.type(CTRL_C, /To leave/);
    await repl.type(':help\r', /^Console commands:$/m);
    await repl.type(CTRL_C, /To leave/);
    expect(repl.ended()).toBe(false);
    repl.press(':quit\r');
    await repl.running;
    expect(repl.ended()).toBe(true);
  });
});

const CROWD = `
name: crowd
bot: kickbot
users:
  - { id: mo, roles: [moderator] }
  - { id: kickbot, roles: [bot] }
${Array.from({ length: 12 }, (_, i) => `  - { id: u${i} }`).join('\n')}
rooms:
  - { id: general, type: public, members: [mo, kickbot, ${Array.from({ length: 12 }, (_, i) => `u${i}`).join(', ')}] }
`;

describe('Ctrl-C while a batch runs', () => {
  it('GIVEN a batch of 12 with 2 done and 4 in flight WHEN Ctrl-C THEN the case is cancelled: the 4 finish, 6 end cancelled, and the console stays', async () => {
    const clock = new FakeClock(Date.now());
    const repl = terminalRepl({ yaml: CROWD, clock });
    // The first two removals answer; the next ones wait until released.
    let open!: () => void;
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    let calls = 0;
    let waiting = 0;
    const remove = repl.app.connector.remove.bind(repl.app.connector);
    repl.app.connector.remove = async (target: RemovalTarget): Promise<RemoveResult> => {
      if (++calls > 2) {
        waiting++;
        await gate;
      }
      return remove(target);
    };
    const everyone = Array.from({ length: 12 }, (_, i) => `@u${i}`).join(' ');
    await repl.type(`/kick ${everyone} --yes spam\r`, /\/kick/);
    await waitFor('4 removals in flight', () => (waiting === 4 ? true : undefined));

    await repl.type(
      CTRL_C,
      /Cancelling case 1: pairs not yet started will end cancelled; pairs in flight finish\./,
    );
    clock.advance(1_000); // the run reads the case again
    open();
    await repl.type('', /Removed 6 \| Not a member 0 \| Denied 0 \| Failed 0 \| Cancelled 6 · case 1/);
    expect(repl.output()).not.toContain(LEAVE_HINT);
    expect(repl.ended()).toBe(false);
    const members = [...(await repl.app.state.allMembers('general')).keys()];
    expect(members.filter((m) => m.startsWith('u'))).toHaveLength(6);
    const records = await repl.app.store.readAudit({ caseId: 1 });
    expect(records).toHaveLength(12);
    expect(records.filter((r) => r.outcome === 'cancelled')).toHaveLength(6);

    // Back at the prompt, Ctrl-C is the shell's again.
    await repl.type(CTRL_C, /To leave, press Ctrl-C again/);
    expect(repl.ended()).toBe(false);
  });
});
