import { setImmediate as tick } from 'node:timers/promises';
import { commands } from '../../commands/index.js';
import {
  type Core,
  type CoreOptions,
  createCore,
  DEFAULT_GRANTS,
  type Directory,
  type Id,
  type Invocation,
  type RemovalTarget,
  type RemoveResult,
  type Remover,
  withOverrides,
} from '../../src/core/index.js';
import { ConsoleConnector } from '../../src/platforms/console/ConsoleConnector.js';
import { ConsoleSession } from '../../src/platforms/console/session.js';
import { parseWorkspace } from '../../src/platforms/console/workspace-file.js';
import { MemoryWorkspace } from '../../src/platforms/console/workspace-state.js';
import { MemoryStore } from '../../src/store/MemoryStore.js';
import { FakeClock } from './clock.js';
import { SMALL_WORKSPACE } from './console.js';
import { loggerTo } from './log-capture.js';

type Script = Error | RemoveResult;

/**
 * A real console connector (directory and remover) with a script on top: queued errors or results per (room,
 * user), a count of calls and of the most removals in flight at once. Everything else is the console's own.
 */
export class ScriptedConnector implements Directory, Remover {
  readonly platform: string;
  readonly system: string;
  ratePerSecond?: number;
  readonly removals: RemovalTarget[] = [];
  readonly scripts = new Map<string, Script[]>();
  inFlight = 0;
  maxInFlight = 0;

  constructor(readonly inner: ConsoleConnector) {
    this.platform = inner.platform;
    this.system = inner.system;
    if (inner.ratePerSecond !== undefined) this.ratePerSecond = inner.ratePerSecond;
  }

  /** The next calls for this pair answer these, in order, before the real connector is used. */
  script(room: Id, user: Id, ...answers: Script[]): void {
    this.scripts.set(`${room}|${user}`, answers);
  }

  bot: Directory['bot'] = () => this.inner.bot();
  resolveUsers: Directory['resolveUsers'] = (ref) => this.inner.resolveUsers(ref);
  resolveRoom: Directory['resolveRoom'] = (ref) => this.inner.resolveRoom(ref);
  area: Directory['area'] = (name) => this.inner.area(name);
  areas: Directory['areas'] = () => this.inner.areas();
  users: Directory['users'] = (ids) => this.inner.users(ids);
  label: Directory['label'] = (id, kind) => this.inner.label(id, kind);
  mention: Directory['mention'] = (id, kind) => this.inner.mention(id, kind);
  notice: Directory['notice'] = (room, text) => this.inner.notice(room, text);
  modLog: Directory['modLog'] = (workspace, text) => this.inner.modLog(workspace, text);
  /** Absent after `delete`: a platform that sends no direct messages. */
  dm?: Directory['dm'] = (user, text) => this.inner.dm(user, text);
  room: Remover['room'] = (id) => this.inner.room(id);
  members = (room: Id, users: readonly Id[]) => this.inner.members(room, users);
  memberships = (user: Id) => this.inner.memberships(user);
  /** Absent after `delete`: a remover that cannot re-add. */
  restore?: Remover['restore'] = (target, roles) => this.inner.restore(target, roles);

  async remove(target: RemovalTarget): Promise<RemoveResult> {
    this.removals.push(target);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await tick();
      const next = this.scripts.get(`${target.room}|${target.user}`)?.shift();
      if (next instanceof Error) throw next;
      if (next) return next;
      return await this.inner.remove(target);
    } finally {
      this.inFlight--;
    }
  }
}

export interface Kit {
  core: Core;
  connector: ScriptedConnector;
  store: MemoryStore;
  clock: FakeClock;
  notices: { room: Id; text: string }[];
  errors: object[];
  inv(as: string, room: string, line: string, key?: string): Invocation;
}

/** A core on a console workspace with a fake clock, a memory store and a scripted connector. */
export function kit(yaml = SMALL_WORKSPACE, options: Partial<CoreOptions> = {}): Kit {
  const data = parseWorkspace(yaml, 'test.yaml');
  const notices: { room: Id; text: string }[] = [];
  const errors: object[] = [];
  const clock = new FakeClock();
  const store = new MemoryStore({ clock });
  const logger = loggerTo(({ level, obj }) => {
    if (level === 'error') errors.push(obj);
  });
  const connector = new ScriptedConnector(
    new ConsoleConnector({
      data,
      state: new MemoryWorkspace(data),
      onNotice: (room, text) => notices.push({ room, text }),
    }),
  );
  const core = createCore({
    directories: [connector],
    removers: [connector],
    store,
    commands,
    clock,
    logger,
    grants: withOverrides(DEFAULT_GRANTS, data.permissions),
    ...options,
  });
  const app = { connector: connector.inner, data, file: 'test.yaml' };
  return {
    core,
    connector,
    store,
    clock,
    notices,
    errors,
    inv(as, room, line, key) {
      const session = new ConsoleSession(app, { as, in: room });
      return session.invocation(line, key !== undefined ? { key } : {});
    },
  };
}
