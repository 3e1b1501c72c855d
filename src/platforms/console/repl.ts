import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { type Reply, StoreUnavailableError, UsageError } from '../../core/index.js';
import { progressReporter } from '../../render/progress.js';
import { renderText } from '../../render/text.js';
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
export async function runRepl({ app, session, input, output, storeLabel }: ReplOptions): Promise<void> {
  const interactive = Boolean(output.isTTY && (input as Readable & { isTTY?: boolean }).isTTY);
  const rl = createInterface({ input, output, terminal: interactive });
  if (interactive) handleCtrlC(rl, output);
  const say = (text: string) => output.write(`${text}\n`);
  const prompt = () => {
    if (!interactive) return;
    rl.setPrompt(`${session.actor} #${session.room}> `);
    rl.prompt();
  };
  let pending: string | undefined;

  const show = (reply: Reply) => {
    pending = reply.kind === 'confirm' ? reply.confirmId : undefined;
    const text = renderText(reply);
    say(
      reply.kind === 'confirm'
        ? `${text}\nType yes to run it or no to cancel (the prompt expires in 5 minutes).`
        : text,
    );
  };

  say(`kickbot console · workspace "${app.data.name}" (${app.file}) · ${storeLabel}`);
  say(
    `You are ${session.actor} in #${session.room}. Type /kickbot help for commands, :help for console commands, :quit to leave.`,
  );
  prompt();

  for await (const raw of rl) {
    const line = raw.trim();
    try {
      if (line === '') {
        // nothing to do
      } else if (line === ':quit' || line === ':exit' || line === ':q') {
        break;
      } else if (pending && /^(y|yes|n|no)$/i.test(line)) {
        const id = pending;
        const progress = progressReporter(output, 10);
        const reply = await app.core.handle(session.answer(id, /^y/i.test(line)), progress);
        progress.stop();
        show(reply);
        // Someone else's answer is refused and changes nothing: the prompt still waits for its moderator.
        if (reply.kind === 'refused' && reply.code === 'not-yours') pending = id;
      } else if (line.startsWith('/')) {
        const progress = progressReporter(output, 10);
        show(await app.core.handle(session.invocation(line), progress));
        progress.stop();
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
