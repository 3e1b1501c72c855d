import type { Interface } from 'node:readline';
import type { Writable } from 'node:stream';

export const LEAVE_HINT = '(To leave, press Ctrl-C again, or type :quit)';

/**
 * Ctrl-C in the interactive console, as in shells: on a half-typed line it drops the line (not run) and gives a
 * fresh prompt; on an empty line it says how to leave. Either way a second Ctrl-C in a row leaves (closes the
 * line reader, which ends the console as `:quit` does); a line typed in between, or a Ctrl-C that drops text
 * typed since, does not. While a batch runs, `interrupt` takes it first (it cancels the batch) and answers
 * whether it did.
 */
export function handleCtrlC(rl: Interface, output: Writable, interrupt?: () => boolean): void {
  let armed = false;
  rl.on('line', () => {
    armed = false;
  });
  rl.on('SIGINT', () => {
    if (interrupt?.()) return;
    if (rl.line.length > 0) {
      armed = true;
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
