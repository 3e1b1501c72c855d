import { randomUUID } from 'node:crypto';
import { answerInvocation, fingerprintOf, type Invocation, makeId, UsageError } from '../../core/index.js';
import type { ConsoleApp } from './app.js';
import { CONSOLE } from './ConsoleConnector.js';

/** What a session needs of the app: the names of users and rooms. */
export type SessionApp = Pick<ConsoleApp, 'connector' | 'data' | 'file'>;

/** Who is typing, and where: the console's stand-in for a logged-in user in a channel. */
export class ConsoleSession {
  actor: string;
  room: string;

  constructor(
    readonly app: SessionApp,
    opts: { as?: string | undefined; in?: string | undefined } = {},
  ) {
    this.actor = opts.as !== undefined ? this.#user(opts.as) : defaultActor(app);
    this.room = opts.in !== undefined ? this.#room(opts.in) : defaultRoom(app, this.actor);
  }

  #user(ref: string): string {
    const user = this.app.connector.findUser(ref);
    if (!user) {
      const known = this.app.data.users.map((u) => u.id).join(', ');
      throw new UsageError(`no user "${ref.replace(/^@/, '')}" in ${this.app.file} (users: ${known})`);
    }
    return user.id.slice(CONSOLE.length + 1);
  }

  #room(ref: string): string {
    const name = ref.replace(/^#/, '');
    if (!this.app.data.rooms.some((r) => r.id === name)) {
      const known = this.app.data.rooms.map((r) => r.id).join(', ');
      throw new UsageError(`no room "${name}" in ${this.app.file} (rooms: ${known})`);
    }
    return name;
  }

  switchUser(ref: string): void {
    this.actor = this.#user(ref);
  }

  switchRoom(ref: string): void {
    this.room = this.#room(ref);
  }

  /** `/kick @bob spam` as the current user in the current room. */
  invocation(line: string, opts: { key?: string; confirmed?: boolean } = {}): Invocation {
    const match = /^\/(\S*)\s*([\s\S]*)$/.exec(line.trim());
    if (!match?.[1]) throw new UsageError('type a command after "/", e.g. /kickbot help');
    const inv: Invocation = {
      id: makeId(CONSOLE, opts.key ?? randomUUID()),
      platform: CONSOLE,
      workspace: makeId(CONSOLE, this.app.data.name),
      actor: makeId(CONSOLE, this.actor),
      channel: makeId(CONSOLE, this.room),
      command: match[1].toLowerCase(),
      input: { text: match[2] ?? '' },
      ...(opts.confirmed ? { confirmed: true } : {}),
      receivedAt: Date.now(),
    };
    if (opts.key === undefined) return inv;
    // A key the user chose is bound to this command: who, where, what (spacing aside) and whether confirmed.
    const text = (match[2] ?? '').trim().replace(/\s+/g, ' ');
    const what = [inv.actor, inv.workspace, inv.channel, inv.command, text, inv.confirmed === true];
    return { ...inv, fingerprint: fingerprintOf(['kickbot run', ...what]) };
  }

  /** `yes` or `no` to a confirmation prompt, as the current user. */
  answer(confirmId: string, yes: boolean): Invocation {
    const { command: _, input: __, ...base } = this.invocation('/answer');
    return answerInvocation(base, confirmId, yes);
  }
}

function defaultActor(app: SessionApp): string {
  const users = app.data.users;
  const pick =
    users.find((u) => u.roles.includes('moderator')) ??
    users.find((u) => u.roles.includes('admin')) ??
    users[0];
  return pick?.id ?? app.data.bot;
}

function defaultRoom(app: SessionApp, actor: string): string {
  const rooms = app.data.rooms;
  return (rooms.find((r) => r.members.includes(actor)) ?? rooms[0])?.id ?? '';
}
