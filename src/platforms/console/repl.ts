import { clearLine, createInterface, cursorTo } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import {
  type Invocation,
  type Logger,
  type Reply,
  StoreUnavailableError,
  silentLogger,
  UsageError,
} from '../../core/index.js';
import { progressReporter } from '../../render/progress.js';
import { renderText } from '../../render/text.js';
import { createAfterAck } from '../after-ack.js';
import type { ConsoleApp } from './app.js';
import { handleCtrlC } from './ctrl-c.js';
import type { ConsoleSession } from './session.js';

export interface ReplOptions {
  app: ConsoleApp;
  session: ConsoleSession;
  input: Readable;
  output: Writable & { isTTY?: boolean };
  /** One line about the store in use, for the banner. */
  storeLabel: string;
  /**
   * Hands the REPL the way room confirmations are printed, so that one arriving while nobody's command runs (a
   * timed removal's restore) is printed above the prompt, which is drawn again with what was being typed.
   */
  takeNotices?: (write: (text: string) => void) => void;
}

const STORE_DOWN = 'kickbot cannot reach its state store (Redis) right now; try again in a moment.';

const HELP = [
  'Console commands:',
  '  /<command> …   run a kickbot command (/kickbot help lists them)',
  '  :as <user>     act as another user',
  '  :in #<room>    move to another room',
  '  :who           who is in this room, and every user with their roles',
  '  :rooms         the rooms of the workspace',
  '  yes | no       answer a confirmation',
  '  :quit          leave',
].join('\n');

/** The interactive console: each `/` line runs as a command of the current user in the current room. */
export async function runRepl({
  app,
  session,
  input,
  output,
  storeLabel,
  takeNotices,
}: ReplOptions): Promise<void> {
  const interactive = Boolean(output.isTTY && (input as Readable & { isTTY?: boolean }).isTTY);
  const rl = createInterface({ input, output, terminal: interactive });
  const say = (text: string) => output.write(`${text}\n`);
  /** The command running now: its case once progress names it, and whether Ctrl-C has cancelled it. */
  let batch: { caseId?: number; cancelling?: boolean } | undefined;
  // Ctrl-C while a batch runs cancels it (`/kickbot cancel <N>` as the same user): the pairs not yet started end
  // cancelled, those in flight finish, and the batch's own answer follows. The console stays.
  const interrupt = (): boolean => {
    if (!batch) return false;
    const { caseId } = batch;
    if (caseId === undefined) {
      say('\nkickbot: the batch has no case yet; press Ctrl-C again in a moment to cancel it.');
    } else if (batch.cancelling) {
      say(`\nCase ${caseId} is being cancelled; the removals in flight finish first.`);
    } else {
      batch.cancelling = true;
      const inv = session.invocation(`/kickbot cancel ${caseId}`);
      void app.core
        .handle(inv)
        .then((reply) => say(`\n${renderText(reply)}`))
        .catch(() => say(`\n${STORE_DOWN}`));
    }
    return true;
  };
  if (interactive) handleCtrlC(rl, output, interrupt);
  const prompt = () => {
    if (!interactive) return;
    rl.setPrompt(`${session.actor} #${session.room}> `);
    rl.prompt();
  };
  let pending: string | undefined;
  /** A line is being handled: its output goes out as it comes, and the prompt follows at the end. */
  let busy = false;
  takeNotices?.((text) => {
    if (busy || !interactive) {
      say(text);
      return;
    }
    clearLine(output, 0);
    cursorTo(output, 0);
    say(text);
    rl.prompt(true);
  });

  const show = (reply: Reply) => {
    pending = reply.kind === 'confirm' ? reply.confirmId : undefined;
    const text = renderText(reply);
    say(
      reply.kind === 'confirm'
        ? `${text}\nType yes to run it or no to cancel (the prompt expires in 5 minutes).`
        : text,
    );
  };

  // The console's way back is the terminal: every progress report drawn as a bar (or a line per 10%), then the reply.
  const after = createAfterAck({
    logger: terminalLogger(say),
    log: { front: 'console', id: 'invocation', progressFailed: 'progress not shown' },
    progressEveryMs: 0,
  });
  let lastReply: Reply | undefined;
  const runAndShow = async (inv: Invocation) => {
    const progress = progressReporter(output, 10, interactive ? 'Ctrl-C cancels' : undefined);
    lastReply = undefined;
    const running: NonNullable<typeof batch> = {};
    batch = running;
    try {
      await after.run({
        id: inv.id,
        call: (o) => app.core.handle(inv, o),
        watch: (p) => {
          running.caseId ??= p.caseId;
          progress.onProgress(p);
        },
        deliver: async (reply) => {
          progress.stop();
          lastReply = reply;
          show(reply);
        },
      });
    } finally {
      batch = undefined;
      progress.stop();
    }
  };

  say(`kickbot console · workspace "${app.data.name}" (${app.file}) · ${storeLabel}`);
  say(
    `You are ${session.actor} in #${session.room}. Type /kickbot help for commands, :help for console commands, :quit to leave.`,
  );
  prompt();

  for await (const raw of rl) {
    const line = raw.trim();
    busy = true;
    try {
      if (line === '') {
        // nothing to do
      } else if (line === ':quit' || line === ':exit' || line === ':q') {
        break;
      } else if (pending && /^(y|yes|n|no)$/i.test(line)) {
        const id = pending;
        await runAndShow(session.answer(id, /^y/i.test(line)));
        // Someone else's answer is refused and changes nothing: the prompt still waits for its moderator.
        if (lastReply?.kind === 'refused' && lastReply.code === 'not-yours') pending = id;
      } else if (line.startsWith('/')) {
        await runAndShow(session.invocation(line));
      } else if (line.startsWith(':')) {
        say(await meta(app, session, line));
      } else {
        say('Commands start with "/" (try /kickbot help); console commands start with ":" (try :help).');
      }
    } catch (error) {
      if (error instanceof StoreUnavailableError) say(STORE_DOWN);
      else if (error instanceof UsageError) say(error.message);
      else throw error;
    }
    busy = false;
    prompt();
  }
  rl.close();
}

async function meta(app: ConsoleApp, session: ConsoleSession, line: string): Promise<string> {
  const [word, ...args] = line.split(/\s+/);
  const arg = args.join(' ');
  switch (word) {
    case ':help':
      return HELP;
    case ':as':
      if (!arg) return 'Usage: :as <user>';
      session.switchUser(arg);
      return `You are now ${session.actor} (in #${session.room}).`;
    case ':in':
      if (!arg) return 'Usage: :in #<room>';
      session.switchRoom(arg);
      return `You are now in #${session.room}.`;
    case ':who': {
      const members = await app.state.allMembers(session.room);
      const inRoom = [...members].map(([id, roles]) => (roles.length ? `${id} (${roles.join(', ')})` : id));
      const users = app.data.users.map((u) =>
        u.roles.join() === 'user' ? u.id : `${u.id} [${u.roles.join(', ')}]`,
      );
      return `In #${session.room}: ${inRoom.join(', ') || 'nobody'}\nUsers: ${users.join(', ')}`;
    }
    case ':rooms': {
      const rooms = await app.state.rooms();
      const lines = await Promise.all(
        rooms.map(async (r) => {
          const n = (await app.state.allMembers(r.id)).size;
          const label =
            r.type === 'group' ? `${r.name} (group of area ${r.id.slice('group/'.length)})` : `#${r.id}`;
          return `  ${label} · ${r.type}${r.undeletable ? ', undeletable' : ''} · ${n} member${n === 1 ? '' : 's'}`;
        }),
      );
      return ['Rooms:', ...lines].join('\n');
    }
    default:
      return `unknown console command ${word} (try :help)`;
  }
}

/** The runner's log lines in the terminal: what went wrong, in one line (the error itself stays out of it). */
function terminalLogger(say: (text: string) => void): Logger {
  const logger: Logger = {
    ...silentLogger,
    warn: (_obj, msg) => say(`kickbot: ${msg ?? 'warning'}`),
    error: (_obj, msg) => say(`kickbot: ${msg ?? 'error'}`),
    child: () => logger,
  };
  return logger;
}
