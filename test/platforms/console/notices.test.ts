import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createConsoleApp } from '../../../src/platforms/console/app.js';
import { runRepl } from '../../../src/platforms/console/repl.js';
import { ConsoleSession } from '../../../src/platforms/console/session.js';
import { parseWorkspace } from '../../../src/platforms/console/workspace-file.js';
import { SMALL_WORKSPACE } from '../../helpers/console.js';
import { waitFor } from '../../helpers/wait.js';

/**
 * A room confirmation that arrives while nobody's command runs (a timed removal's restore) is printed above the
 * prompt on a terminal, and the prompt is drawn again with what was being typed.
 */
describe('console: a notice between commands', () => {
  it('GIVEN a half-typed line WHEN a notice arrives THEN it prints on its own line and the prompt comes back with the line', async () => {
    const input = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => input });
    const output = Object.assign(new PassThrough(), { isTTY: true, columns: 200 });
    output.setEncoding('utf8');
    let text = '';
    output.on('data', (chunk: string) => {
      text += chunk;
    });
    let notice: (text: string) => void = () => {};
    const app = createConsoleApp({
      workspaceFile: 'test.yaml',
      workspaceData: parseWorkspace(SMALL_WORKSPACE, 'test.yaml'),
      onNotice: (_room, t) => notice(t),
    });
    const running = runRepl({
      app,
      session: new ConsoleSession(app, {}),
      input,
      output,
      storeLabel: 'memory store (test)',
      takeNotices: (write) => {
        notice = write;
      },
    });
    await waitFor('the prompt', () => (text.includes('#general> ') ? true : undefined));
    input.write('/kickbot ca');
    await waitFor('the typing echoed', () => (text.includes('/kickbot ca') ? true : undefined));
    const from = text.length;
    notice('#general: bob was re-added by mo (undo of case 1) · case 2');
    const after = text.slice(from);
    // The line is cleared, the notice printed, then the prompt with the half-typed line again.
    const ESC = String.fromCharCode(27);
    expect(after.startsWith(`${ESC}[2K`)).toBe(true);
    const plain = after.replace(new RegExp(`${ESC}\\[[0-9]*[A-Za-z]`, 'g'), '');
    expect(plain).toBe(
      '#general: bob was re-added by mo (undo of case 1) · case 2\nmo #general> /kickbot ca',
    );
    input.write(`${String.fromCharCode(3).repeat(2)}`); // Ctrl-C twice on a line: leave
    input.end();
    await running;
  });
});
