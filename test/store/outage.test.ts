import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import {
  type AuditRecord,
  type Core,
  createCore,
  DEFAULT_GRANTS,
  type Id,
  type Invocation,
  type Logger,
  type RemovalTarget,
  type RemoveResult,
  type Reply,
  type ResultReply,
  withOverrides,
} from '../../src/core/index.js';
import { ConsoleConnector } from '../../src/platforms/console/ConsoleConnector.js';
import { ConsoleSession } from '../../src/platforms/console/session.js';
import { parseWorkspace } from '../../src/platforms/console/workspace-file.js';
import { MemoryWorkspace, type WorkspaceState } from '../../src/platforms/console/workspace-state.js';
import { RedisStore } from '../../src/store/RedisStore.js';
import { SMALL_WORKSPACE, testConsole } from '../helpers/console.js';
import { ScriptedConnector } from '../helpers/kit.js';
import { loggerTo } from '../helpers/log-capture.js';
import { redisUrl, testPrefix } from '../helpers/redis.js';
import { type RedisServer, startRedisServer } from '../helpers/redis-server.js';

/**
 * Redis stopped mid-run and restarted, on a redis-server of the test's own (append-only file, fsync on every
 * write, so that a restart keeps what was written): refusal while it is down, correct service after, nothing
 * half-recorded. No fake clock: the store's reconnect and the executor's waits run on real time, and every
 * stop and start happens at a chosen point of the run (a connector call, a store call, a log line).
 */

const WAITING = 'waiting for the store to record an outcome';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
});

/** A redis-server of the test's own (its data kept across a restart), stopped after the test. */
async function ownServer(): Promise<RedisServer> {
  const server = await startRedisServer({ persist: true });
  cleanups.push(server.stop);
  return server;
}

function ownStore(server: RedisServer, prefix = testPrefix()): RedisStore {
  const store = RedisStore.fromUrl(server.url, { prefix });
  cleanups.push(() => store.close());
  return store;
}

/** Resolves on the client's next 'ready' event: register it before starting Redis again. */
function nextReady(store: RedisStore, timeoutMs = 15_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      store.client.off('ready', onReady);
      reject(new Error(`the Redis client was not ready again within ${timeoutMs} ms`));
    }, timeoutMs);
    store.client.once('ready', onReady);
  });
}

/** Every room's members, for "nobody was removed". */
async function snapshot(state: WorkspaceState): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const room of await state.rooms()) out[room.id] = [...(await state.allMembers(room.id)).keys()].sort();
  return out;
}

/** A logger that keeps what it is told, and calls `onWarn` for each warning. */
function recordingLogger(onWarn: (msg: string) => void = () => {}) {
  const warns: string[] = [];
  const errors: { obj: object; msg: string | undefined }[] = [];
  const logger = loggerTo(({ level, obj, msg }) => {
    if (level === 'warn') {
      warns.push(msg ?? '');
      onWarn(msg ?? '');
    }
    if (level === 'error') errors.push({ obj, msg });
  });
  return { logger, warns, errors };
}

function asResult(reply: Reply): ResultReply {
  expect(reply.kind, JSON.stringify(reply)).toBe('result');
  return reply as ResultReply;
}

describe('Redis stopped between two commands', () => {
  it('GIVEN Redis is down THEN a command is refused (store-unavailable), nobody is removed, and the same command runs once Redis is back', async () => {
    const server = await ownServer();
    const store = ownStore(server);
    const app = testConsole(SMALL_WORKSPACE, { store });

    const first = await app.core.handle(app.invocation('mo', 'general', '/kick @bob spam', 'first'));
    expect(asResult(first)).toMatchObject({
      status: 'ok',
      caseId: 1,
      results: [{ room: 'console:general', user: 'console:bob', outcome: 'removed' }],
    });
    const noticesBefore = app.notices.length;

    await server.stop();
    const before = await snapshot(app.state);
    const second = app.invocation('mo', 'general', '/kick @carol spam', 'second');
    const refused = await app.core.handle(second);
    expect(refused).toEqual({
      kind: 'refused',
      code: 'store-unavailable',
      message: expect.stringMatching(/cannot reach its state store \(Redis\), so nothing was done/),
    });
    expect(await snapshot(app.state)).toEqual(before);
    expect(before.general).toContain('carol');
    expect(app.notices).toHaveLength(noticesBefore); // no room was told about a removal
    expect(await store.ping()).toBe(false);

    const ready = nextReady(store);
    await server.start();
    await ready;
    expect(await store.ping()).toBe(true);

    // The refusal claimed nothing: the same invocation id now runs (a redelivery would too).
    const again = await app.core.handle(second);
    expect(asResult(again)).toMatchObject({
      status: 'ok',
      caseId: 2,
      results: [{ room: 'console:general', user: 'console:carol', outcome: 'removed' }],
    });
    expect((await snapshot(app.state)).general).not.toContain('carol');
    // What was recorded before the outage survived the restart; the refusal recorded nothing.
    const audit = (await store.readAudit({})).reverse();
    expect(audit.map((r) => [r.caseId, r.target, r.outcome])).toEqual([
      [1, 'console:bob', 'removed'],
      [2, 'console:carol', 'removed'],
    ]);
    // And the first command's result is still there for its redeliveries.
    expect(await app.core.handle(app.invocation('mo', 'general', '/kick @bob spam', 'first'))).toEqual({
      ...first,
      redelivered: true,
    });
  });
});

// ---------------------------------------------------------------------------------------------------
// Mid-run: a batch of 30 removals, one at a time, with Redis stopped at chosen points.
// ---------------------------------------------------------------------------------------------------

const USERS = Array.from({ length: 30 }, (_, i) => `u${String(i + 1).padStart(2, '0')}`);
const CROWD = `
name: crowd
bot: kickbot
owner: ada
users:
  - { id: ada, roles: [admin] }
  - { id: mo, roles: [moderator] }
  - { id: kickbot, roles: [bot] }
${USERS.map((u) => `  - { id: ${u} }`).join('\n')}
rooms:
  - { id: general, type: public, members: [ada, mo, kickbot, ${USERS.join(', ')}], owners: [ada] }
`;
const KICK_ALL = `/kick ${USERS.map((u) => `@${u}`).join(' ')} spam`;
const uid = (u: string): Id => `console:${u}`;

/** The console connector, plus a hook that runs after each removal (and before the executor records it). */
class HookedConnector extends ScriptedConnector {
  afterRemove: (target: RemovalTarget, result: RemoveResult) => Promise<void> = async () => {};

  override async remove(target: RemovalTarget): Promise<RemoveResult> {
    const result = await super.remove(target);
    await this.afterRemove(target, result);
    return result;
  }
}

interface Crowd {
  core: Core;
  connector: HookedConnector;
  state: MemoryWorkspace;
  inv(line: string, key?: string): Invocation;
}

function crowd(store: RedisStore, logger: Logger): Crowd {
  const data = parseWorkspace(CROWD, 'crowd.yaml');
  const state = new MemoryWorkspace(data);
  const inner = new ConsoleConnector({ data, state });
  const connector = new HookedConnector(inner);
  const core = createCore({
    directories: [connector],
    removers: [connector],
    store,
    commands,
    logger,
    grants: withOverrides(DEFAULT_GRANTS, data.permissions),
    confirmThreshold: 100,
    // One pair at a time, so that "after the 10th removal" is a point of the run; a generous settle wait
    // (the restart takes well under a second) so that a recorded removal never depends on timing.
    execute: { concurrency: 1, settleWaitMs: 20_000 },
  });
  const app = { connector: inner, data, file: 'crowd.yaml' };
  return {
    core,
    connector,
    state,
    inv: (line, key) =>
      new ConsoleSession(app, { as: 'mo', in: 'general' }).invocation(line, key ? { key } : {}),
  };
}

/** Checks the audit log against the workspace: each removal that happened is recorded exactly once, as removed. */
async function expectRecordsMatchWorkspace(store: RedisStore, state: MemoryWorkspace) {
  const members = new Set((await state.allMembers('general')).keys());
  const audit = await store.readAudit({});
  const removed = audit.filter((r) => r.outcome === 'removed').map((r) => r.target);
  const gone = USERS.filter((u) => !members.has(u)).map(uid);
  expect([...removed].sort()).toEqual(gone); // no removal without a record, no record twice
  for (const r of audit.filter((a) => a.outcome === 'removed'))
    expect(members.has(r.target.slice('console:'.length)), `${r.target} is recorded removed`).toBe(false);
  return audit;
}

/** The records of one case, oldest first: the stream and the case list must hold the same ones. */
async function caseRecords(store: RedisStore, caseId: number): Promise<AuditRecord[]> {
  const fromStream = (await store.readAudit({})).filter((r) => r.caseId === caseId);
  const fromCase = await store.readAudit({ workspace: 'console:crowd', caseId });
  expect(fromCase).toEqual(fromStream);
  return fromStream.reverse();
}

describe('Redis stopped in the middle of a batch', () => {
  it('GIVEN Redis stops right after a removal and is back while the executor waits to record it THEN that removal is recorded once and the batch finishes', async () => {
    const server = await ownServer();
    const prefix = testPrefix();
    const store = ownStore(server, prefix);
    let restarted: Promise<void> | undefined;
    const { logger, warns, errors } = recordingLogger((msg) => {
      if (msg !== WAITING || restarted) return;
      restarted = server.start(); // the executor is waiting to record u10's removal: bring Redis back
      restarted.catch(() => {}); // awaited below
    });
    const c = crowd(store, logger);
    let stops = 0;
    c.connector.afterRemove = async (target, result) => {
      if (target.user !== uid('u10')) return;
      expect(result).toEqual({ outcome: 'removed' }); // the removal happened on the platform
      stops++;
      await server.stop();
    };

    const inv = c.inv(KICK_ALL, 'batch');
    const reply = asResult(await c.core.handle(inv));
    await restarted;

    expect(stops).toBe(1);
    expect(warns).toContain(WAITING);
    expect(errors).toEqual([]); // in particular no "audit record NOT written"
    expect(reply.status).toBe('ok');
    expect(reply.results.map((r) => [r.user, r.outcome])).toEqual(USERS.map((u) => [uid(u), 'removed']));
    expect(reply.note).toBeUndefined();
    expect(c.connector.removals.map((t) => t.user)).toEqual(USERS.map(uid)); // each pair tried once

    expect([...(await c.state.allMembers('general')).keys()].sort()).toEqual(['ada', 'kickbot', 'mo']);
    await expectRecordsMatchWorkspace(store, c.state);
    const records = await caseRecords(store, reply.caseId);
    expect(records).toHaveLength(30);
    expect(new Set(records.map((r) => r.target)).size).toBe(30);
    expect(records.every((r) => r.outcome === 'removed' && r.invocation === inv.id)).toBe(true);
    // Every lock was released with its record: nothing left half-done.
    expect(await store.client.keys(`${prefix}:{${prefix}}:lock:*`)).toEqual([]);
    // The result was kept: a redelivery gets it and removes nothing again.
    expect(await c.core.handle(inv)).toEqual({ ...reply, redelivered: true });
    expect(c.connector.removals).toHaveLength(30);
  });

  it('GIVEN Redis is lost between two pairs and stays away until the batch ends THEN the rest are not tried (failed, store-unavailable, with a note) and every removal that happened is recorded once', async () => {
    const server = await ownServer();
    const prefix = testPrefix();
    const store = ownStore(server, prefix);
    let restarted: Promise<void> | undefined;
    const { logger, warns, errors } = recordingLogger((msg) => {
      if (msg !== WAITING || restarted) return;
      restarted = server.start();
      restarted.catch(() => {});
    });
    const c = crowd(store, logger);

    // First outage: right after u10 is removed, before it is recorded; back while the executor waits.
    c.connector.afterRemove = async (target) => {
      if (target.user === uid('u10')) await server.stop();
    };
    // Second outage: right after u20's record is written, before u21's lock is taken; it stays away.
    let lost = false;
    const settlePair = store.settlePair.bind(store);
    store.settlePair = async (record, opts) => {
      const settled = await settlePair(record, opts);
      if (record.target === uid('u20') && !lost) {
        lost = true;
        await restarted; // the first outage is over (it is: u11…u20 were recorded)
        await server.stop();
      }
      return settled;
    };

    const reply = asResult(await c.core.handle(c.inv(KICK_ALL, 'batch')));
    expect(lost).toBe(true);
    expect(warns).toContain(WAITING);
    expect(errors).toEqual([]);

    const tried = USERS.slice(0, 20);
    const untried = USERS.slice(20);
    expect(c.connector.removals.map((t) => t.user)).toEqual(tried.map(uid));
    expect(reply.status).toBe('partial');
    expect(reply.results.map((r) => [r.user, r.outcome, r.code])).toEqual([
      ...tried.map((u) => [uid(u), 'removed', undefined]),
      ...untried.map((u) => [uid(u), 'failed', 'store-unavailable']),
    ]);
    expect(reply.summary).toBe('Removed 20 | Not a member 0 | Denied 0 | Failed 10');
    expect(reply.note).toMatch(/lost its state store \(Redis\).*10 removals were not tried/);
    const members = [...(await c.state.allMembers('general')).keys()].sort();
    expect(members).toEqual(['ada', 'kickbot', 'mo', ...untried]);

    // Redis back, with what it had written before it went away.
    const ready = nextReady(store);
    await server.start();
    await ready;
    await expectRecordsMatchWorkspace(store, c.state);
    const records = await caseRecords(store, reply.caseId);
    expect(records.map((r) => [r.target, r.outcome])).toEqual(tried.map((u) => [uid(u), 'removed']));
    expect(await store.client.keys(`${prefix}:{${prefix}}:lock:*`)).toEqual([]);

    // Correct service after: running the command again (as the note says) removes the rest, once.
    const rerun = asResult(await c.core.handle(c.inv(KICK_ALL, 'batch-again')));
    expect(rerun.status).toBe('ok');
    expect(rerun.note).toBeUndefined();
    expect(rerun.results.map((r) => [r.user, r.outcome])).toEqual([
      ...tried.map((u) => [uid(u), 'not_member']),
      ...untried.map((u) => [uid(u), 'removed']),
    ]);
    expect([...(await c.state.allMembers('general')).keys()].sort()).toEqual(['ada', 'kickbot', 'mo']);
    expect(c.connector.removals).toHaveLength(30);
    await expectRecordsMatchWorkspace(store, c.state);
    expect(errors).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------
// The worst moment: Redis has written a record, and the connection is lost before the reply arrives.
// ---------------------------------------------------------------------------------------------------

/**
 * A TCP relay in front of a real Redis. Armed with a marker, it forwards the next client chunk holding the
 * marker, then cuts the connection as Redis answers (the answer is dropped): what the client sees when
 * Redis dies, or the network fails, after a write but before its reply. New connections relay normally.
 */
class ReplyCutter {
  readonly server: Server;
  #marker: string | undefined;
  cuts = 0;

  constructor(target: URL) {
    this.server = createServer((client: Socket) => {
      const upstream = connect(Number(target.port), target.hostname);
      let cutting = false;
      client.on('data', (chunk) => {
        if (this.#marker !== undefined && chunk.toString().includes(this.#marker)) {
          this.#marker = undefined;
          cutting = true;
        }
        upstream.write(chunk);
      });
      upstream.on('data', (chunk) => {
        if (!cutting) return void client.write(chunk);
        this.cuts++;
        client.destroy();
        upstream.destroy();
      });
      for (const socket of [client, upstream]) socket.on('error', () => {});
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `redis://127.0.0.1:${(this.server.address() as { port: number }).port}`;
  }

  arm(marker: string): void {
    this.#marker = marker;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

describe('the connection lost between a write and its reply', () => {
  it('GIVEN the reply to the write of a removal record is lost THEN the record is still written once', async () => {
    const cutter = new ReplyCutter(new URL(redisUrl()));
    const url = await cutter.listen();
    cleanups.push(() => cutter.close());
    const store = RedisStore.fromUrl(url, { prefix: testPrefix() });
    cleanups.push(() => store.close());
    const { logger, errors } = recordingLogger();
    const c = crowd(store, logger);
    c.connector.afterRemove = async (target) => {
      if (target.user === uid('u10')) cutter.arm(`"target":"${uid('u10')}"`); // u10's record is next
    };

    const reply = asResult(await c.core.handle(c.inv(KICK_ALL, 'batch')));
    expect(cutter.cuts).toBe(1);
    expect(errors).toEqual([]);
    expect(reply.status).toBe('ok');
    expect(reply.results.every((r) => r.outcome === 'removed')).toBe(true);
    expect([...(await c.state.allMembers('general')).keys()].sort()).toEqual(['ada', 'kickbot', 'mo']);

    const records = await caseRecords(store, reply.caseId);
    const u10 = records.filter((r) => r.target === uid('u10'));
    expect(u10, 'records of u10 (its write was applied, and then applied again)').toHaveLength(1);
    expect(records.map((r) => r.target)).toEqual(USERS.map(uid));
    await expectRecordsMatchWorkspace(store, c.state);
  });
});
