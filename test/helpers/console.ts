import type { Clock, Id, Invocation, Logger, Store } from '../../src/core/index.js';
import {
  type ConsoleApp,
  type ConsoleAppOptions,
  createConsoleApp,
} from '../../src/platforms/console/app.js';
import { ConsoleSession } from '../../src/platforms/console/session.js';
import { parseWorkspace } from '../../src/platforms/console/workspace-file.js';

export interface TestConsole extends ConsoleApp {
  notices: { room: Id; text: string }[];
  /** An invocation of `line` by `as` in `room`. */
  invocation(as: string, room: string, line: string, key?: string): Invocation;
}

/** A console app on an inline workspace (YAML text), recording room notices. */
export function testConsole(
  yaml: string,
  opts: { store?: Store; clock?: Clock; logger?: Logger; core?: ConsoleAppOptions['core'] } = {},
): TestConsole {
  const notices: { room: Id; text: string }[] = [];
  const app = createConsoleApp({
    workspaceFile: 'test.yaml',
    workspaceData: parseWorkspace(yaml, 'test.yaml'),
    onNotice: (room, text) => notices.push({ room, text }),
    ...opts,
  });
  return {
    ...app,
    notices,
    invocation(as, room, line, key) {
      return new ConsoleSession(app, { as, in: room }).invocation(line, key !== undefined ? { key } : {});
    },
  };
}

/** A small workspace with every role and room type. */
export const SMALL_WORKSPACE = `
name: small
bot: kickbot
owner: ada
users:
  - { id: ada, roles: [admin] }
  - { id: mo, roles: [moderator] }
  - { id: olga }
  - { id: bob }
  - { id: carol }
  - { id: kickbot, roles: [bot] }
rooms:
  - { id: general, type: public, members: [ada, mo, olga, bob, carol, kickbot], owners: [ada] }
  - { id: secret, type: private, members: [ada, olga, bob], owners: [olga] }
  - { id: lobby, type: public, members: [ada, mo, bob], undeletable: true }
  - { id: dm, type: direct, members: [ada, bob] }
areas:
  - { id: payments, rooms: [general, secret], members: [bob, carol], managers: [olga] }
`;
