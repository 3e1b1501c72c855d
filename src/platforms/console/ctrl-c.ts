import type { Interface } from 'node:readline';
import type { Writable } from 'node:stream';

export const LEAVE_HINT = '(To leave, press Ctrl-C again on an empty line, or type :quit)';

/**
 * Ctrl-C in the interactive console, as in Node's own REPL and in shells: on a half-typed line it drops the line
 * and gives a fresh prompt; on an empty line it says how to leave, and a second Ctrl-C in a row leaves (closes
 * the line reader, which ends the console as `:quit` does).
 */
export function handleCtrlC(rl: Interface, output: Writable): void {
  let armed = false;
  rl.on('line', () => {
    armed = false;
  });
  rl.on('SIGINT', () => {
    if (rl.line.length > 0) {
      armed = false;
      rl.write(null, { ctrl: true, name: 'e' }); // the cursor to the end of the line…
      output.write('^C\n'); // …the line stays on screen as typed, marked, and is not run
      rl.write(null, { ctrl: true, name: 'u' }); // the buffer is emptied and the prompt drawn again
      return;
    }
    if (armed) {
      rl.close();
      return;
    }
    armed = true;
    output.write(`^C\n${LEAVE_HINT}\n`);
    rl.prompt();
  });
}
