import type { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import type { ResultReply } from '../../src/core/index.js';
import { silentLogger } from '../../src/core/index.js';
import { BullBulkRunner } from '../../src/jobs/BullBulkRunner.js';
import { startBulkWorker } from '../../src/jobs/bulk-worker.js';
import { bullConnection } from '../../src/jobs/bull.js';
import { RedisWorkspace } from '../../src/platforms/console/RedisWorkspace.js';
import { parseWorkspace } from '../../src/platforms/console/workspace-file.js';
import { RedisStore } from '../../src/store/RedisStore.js';
import { consoleCore, roomIds } from '../helpers/jobs.js';
import { redisUrl, testClient, testPrefix } from '../helpers/redis.js';

/**
 * An offboarding on Redis whose pages are bigger than the bulk threshold: each page runs as a BullMQ job on a
 * worker with its own core, every pair is removed once and recorded once (action `offboard`), the worker posts
 * no per-room notice, and the front end posts the one notice of the run.
 */

const WS = 'offbulk';
const ROOMS = 250; // three pages (the console lists 100 rooms a page)
let cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step().catch(() => {});
  cleanup = [];
});

const workspace = () =>
  [
    `name: ${WS}`,
    'bot: kickbot',
    'users:',
    '  - { id: ada, roles: [admin] }',
    '  - { id: kickbot, roles: [bot] }',
    '  - { id: bob }',
    'rooms:',
    ...roomIds(ROOMS).map((r) => `  - { id: ${r}, members: [ada, kickbot, bob] }`),
    '',
  ].join('\n');

describe('an offboarding as bulk jobs', () => {
  it('GIVEN bob in 250 rooms and a bulk threshold of 20 THEN a worker removes each once, one audit record each, one notice', async () => {
    const url = redisUrl();
    const prefix = testPrefix();
    const data = parseWorkspace(workspace(), `${WS}.yaml`);
    const client: Redis = testClient(url);
    cleanup.push(() => client.quit());
    const store = new RedisStore(client, { prefix });
    const queueConnection = bullConnection(url);
    cleanup.push(() => queueConnection.quit());
    const runner = new BullBulkRunner({ connection: queueConnection, store, prefix, sliceSize: 40 });
    cleanup.push(() => runner.close());
    const front = consoleCore(data, new RedisWorkspace(client, data, { prefix }), store, {
      bulk: runner,
      bulkThreshold: 20,
    });
    const back = consoleCore(data, new RedisWorkspace(client, data, { prefix }), store);
    const workerConnection = bullConnection(url);
    cleanup.push(() => workerConnection.quit());
    const worker = startBulkWorker({
      core: back.core,
      store,
      connection: workerConnection,
      logger: silentLogger,
      prefix,
      lockMs: 5_000,
    });
    cleanup.push(() => worker.close());

    const reply = (await front.core.handle(
      front.inv('ada', 'r00', '/offboard @bob left --yes'),
    )) as ResultReply;
    expect(reply).toMatchObject({ kind: 'result', action: 'offboard', status: 'ok' });
    expect(reply.results).toHaveLength(ROOMS);
    expect(front.connector.removals).toEqual([]);
    const calls = back.connector.removals.map((t) => t.room);
    expect(new Set(calls).size).toBe(ROOMS);
    expect(calls).toHaveLength(ROOMS);

    const audit = await store.readAudit({ workspace: `console:${WS}`, caseId: reply.caseId });
    expect(audit).toHaveLength(ROOMS);
    expect(new Set(audit.map((r) => r.room)).size).toBe(ROOMS);
    expect(new Set(audit.map((r) => `${r.action} ${r.outcome}`))).toEqual(new Set(['offboard removed']));
    expect(back.notices).toEqual([]);
    expect(front.notices.map((n) => n.text)).toEqual([
      `bob was offboarded by ada (reason: left) · case ${reply.caseId} · Removed ${ROOMS} | Not a member 0 | Denied 0 | Failed 0`,
    ]);
  });
});
