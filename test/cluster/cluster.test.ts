import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readEnv } from '../../src/cli/env.js';
import { consoleApp, createRuntime } from '../../src/cli/runtime.js';
import { EMPTY_CONFIG } from '../../src/config/config-file.js';
import { type AuditRecord, type Progress, type ResultReply, silentLogger } from '../../src/core/index.js';
import { RedisWorkspace } from '../../src/platforms/console/RedisWorkspace.js';
import { ConsoleSession } from '../../src/platforms/console/session.js';
import { RedisScimStore } from '../../src/scim/RedisScimStore.js';
import { RedisStore } from '../../src/store/RedisStore.js';
import { scanKeys } from '../../src/store/redis-client.js';
import { isCluster, type RedisClient } from '../../src/store/redis-target.js';
import {
  bulkWorkspace,
  kickAll,
  roomIds,
  startWorkerProcess,
  stopWorkerProcess,
  userIds,
  type WorkerProcess,
} from '../helpers/jobs.js';
import { testPrefix } from '../helpers/redis.js';
import { type RedisCluster, startRedisCluster } from '../helpers/redis-cluster.js';
import { waitFor } from '../helpers/wait.js';
import { requireCompiled } from '../helpers/worker-rig.js';
import { scimStoreContract } from '../scim/store-contract.js';
import { storeContract } from '../store/contract.js';
import { type Cleanup, clusterClient, clusterJobRig } from './rig.js';

/**
 * kickbot on a local Redis Cluster of three masters this file starts: the store contract, the SCIM store, a bulk
 * job, a worker process killed mid-job, and exactly once (a redelivery, two workers racing on the same slices).
 */

let cluster: RedisCluster;
let shared: RedisClient;
const sharedCleanup: Cleanup = [];
beforeAll(async () => {
  cluster = await startRedisCluster();
  shared = await clusterClient(cluster.nodes, sharedCleanup);
}, 30_000);
afterAll(async () => {
  for (const step of sharedCleanup.reverse()) await step().catch(() => {});
  await cluster?.stop();
});

let cleanup: Cleanup = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step().catch(() => {});
  cleanup = [];
});

/** Lets time pass for the keys under `prefix`, on every master. */
async function elapse(prefix: string, ms: number): Promise<void> {
  for (const key of await scanKeys(shared, `${prefix}:*`)) {
    const ttl = await shared.pttl(key);
    if (ttl < 0) continue;
    if (ttl <= ms) await shared.del(key);
    else await shared.pexpire(key, ttl - ms);
  }
}

storeContract('RedisStore on Redis Cluster', async () => {
  const prefix = testPrefix();
  return { store: new RedisStore(shared, { prefix }), elapse: (ms) => elapse(prefix, ms) };
});

scimStoreContract(
  'RedisScimStore on Redis Cluster',
  async () => new RedisScimStore(shared, { prefix: testPrefix() }),
);

/** Each (room, user) of the job, and how many audit records it has. */
function recordsPerPair(audit: readonly AuditRecord[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of audit) counts.set(`${r.room}|${r.target}`, (counts.get(`${r.room}|${r.target}`) ?? 0) + 1);
  return counts;
}

/** Exactly one `removed` record for every pair of `users` × `rooms`, and nobody left in any room. */
async function expectEachPairOnce(
  rig: Awaited<ReturnType<typeof clusterJobRig>>,
  reply: ResultReply,
  users: number,
  rooms: number,
) {
  expect(reply.results).toHaveLength(users * rooms);
  expect(reply.results.filter((r) => r.outcome !== 'removed')).toEqual([]);
  const audit = await rig.store.readAudit({ workspace: `console:${rig.data.name}`, caseId: reply.caseId });
  const counts = recordsPerPair(audit);
  const twice = [...counts].filter(([, n]) => n !== 1);
  expect(twice, `pairs recorded more than once: ${JSON.stringify(twice.slice(0, 5))}`).toEqual([]);
  expect(counts.size).toBe(users * rooms);
  expect(audit.every((r) => r.outcome === 'removed')).toBe(true);
  const state = new RedisWorkspace(rig.client, rig.data, { prefix: rig.prefix });
  for (const room of roomIds(rooms)) {
    expect([...(await state.allMembers(room)).keys()].sort()).toEqual(['kickbot', 'mo']);
  }
}

describe('kickbot on Redis Cluster', () => {
  it('GIVEN the cluster THEN the client is a Cluster over three masters, and keys spread over them', async () => {
    expect(isCluster(shared)).toBe(true);
    if (!isCluster(shared)) return;
    expect(shared.nodes('master')).toHaveLength(3);
    const prefix = testPrefix();
    const store = new RedisStore(shared, { prefix });
    for (let i = 0; i < 30; i++) await store.claimInvocation(`console:k${i}`, 60_000);
    const perNode = await Promise.all(
      shared.nodes('master').map(async (node) => (await node.keys(`${prefix}:*`)).length),
    );
    expect(perNode.filter((n) => n > 0).length).toBeGreaterThan(1);
  });

  it('GIVEN REDIS_CLUSTER_NODES without REDIS_URL THEN kickbot runs on the cluster, and its banner and health say so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kickbot-crt-'));
    cleanup.push(async () => rmSync(dir, { recursive: true, force: true }));
    const workspaceFile = join(dir, 'crt.yaml');
    writeFileSync(workspaceFile, bulkWorkspace({ name: 'crt', users: 2, rooms: 1 }));
    const runtime = await createRuntime({
      env: readEnv({ REDIS_CLUSTER_NODES: cluster.nodes, KICKBOT_REDIS_PREFIX: testPrefix() }),
      config: EMPTY_CONFIG,
      logger: silentLogger,
      worker: true,
      console: { workspaceFile },
    });
    cleanup.push(() => runtime.close());
    // The test cluster keeps nothing on disk, and the banner says so.
    expect(runtime.storeLabel).toMatch(
      /^redis store on redis cluster \(3 nodes\) · WARNING: Redis keeps nothing/,
    );
    expect(await runtime.health()).toMatchObject({
      ok: true,
      store: 'redis',
      redis: 'up',
      cluster: { masters: 3 },
    });
    const app = consoleApp(runtime);
    const reply = await app.core.handle(
      new ConsoleSession(app, { as: 'mo', in: 'r00' }).invocation('/kick @u000 spam'),
    );
    expect(reply).toMatchObject({ kind: 'result', results: [{ outcome: 'removed' }] });
    expect(await runtime.store.readAudit({})).toHaveLength(1);
  });

  it('GIVEN a bulk job of 100 users × 2 rooms THEN a worker on the cluster removes each pair once and confirms', async () => {
    const rig = await clusterJobRig(
      cluster.nodes,
      { name: 'cbulk', users: 100, rooms: 2, sliceSize: 50 },
      cleanup,
    );
    const back = await rig.addWorker();
    const progress: Progress[] = [];
    const reply = (await rig.front.core.handle(rig.front.inv('mo', 'r00', kickAll(100, 2)), {
      onProgress: (p) => progress.push(p),
    })) as ResultReply;
    await expectEachPairOnce(rig, reply, 100, 2);
    expect(progress.at(-1)).toMatchObject({ done: 200, total: 200 });
    expect(rig.front.connector.removals).toEqual([]);
    expect(back.connector.removals).toHaveLength(200);
    expect(await rig.runner.queue.getJobCounts('completed', 'failed')).toEqual({ completed: 4, failed: 0 });
    expect(back.notices.map((n) => n.room).sort()).toEqual(['console:r00', 'console:r01']);
  });

  it('GIVEN the same invocation delivered three times at once THEN it runs once, and each delivery gets its reply', async () => {
    const rig = await clusterJobRig(
      cluster.nodes,
      { name: 'credeliver', users: 40, rooms: 2, sliceSize: 20 },
      cleanup,
    );
    const back = await rig.addWorker();
    const inv = rig.front.inv('mo', 'r00', kickAll(40, 2));
    const replies = (await Promise.all([1, 2, 3].map(() => rig.front.core.handle(inv)))) as (ResultReply & {
      redelivered?: true;
    })[];
    const first = replies.find((r) => !r.redelivered) as ResultReply & { redelivered?: true };
    expect(replies.filter((r) => r.redelivered)).toHaveLength(2);
    for (const r of replies)
      expect({ ...r, redelivered: undefined }).toEqual({ ...first, redelivered: undefined });
    expect(await rig.front.core.handle(inv)).toMatchObject({ redelivered: true, caseId: first.caseId });
    await expectEachPairOnce(rig, first, 40, 2);
    expect(back.connector.removals).toHaveLength(80);
  });

  it('GIVEN two workers racing on the same slices (each slice queued twice) THEN each pair is removed and recorded once', async () => {
    const rig = await clusterJobRig(
      cluster.nodes,
      { name: 'crace', users: 60, rooms: 2, sliceSize: 20 },
      cleanup,
    );
    const queue = rig.runner.queue;
    const addBulk = queue.addBulk.bind(queue);
    queue.addBulk = (jobs) =>
      addBulk([
        ...jobs,
        ...jobs.map((j) => ({ ...j, opts: { ...j.opts, jobId: `${j.opts?.jobId}-again` } })),
      ]);
    const [a, b] = [await rig.addWorker(), await rig.addWorker()];
    const reply = (await rig.front.core.handle(rig.front.inv('mo', 'r00', kickAll(60, 2)))) as ResultReply;
    await waitFor('every slice and its copy to end', async () =>
      (await queue.getJobCounts('completed')).completed === 12 ? true : undefined,
    );
    await expectEachPairOnce(rig, reply, 60, 2);
    const removals = [...a.connector.removals, ...b.connector.removals];
    expect(removals).toHaveLength(120);
    expect(a.connector.removals.length).toBeGreaterThan(0);
    expect(b.connector.removals.length).toBeGreaterThan(0);
  });

  it('GIVEN a worker process SIGKILLed mid-job THEN another finishes it and each pair has one audit record', async () => {
    requireCompiled();
    const rig = await clusterJobRig(
      cluster.nodes,
      { name: 'ccrash', users: 50, rooms: 10, rate: 200 },
      cleanup,
    );
    const env = { ...rig.env, KICKBOT_JOB_LOCK: '1s' };
    const first = await startWorkerProcess(rig.file, env);
    let second: WorkerProcess | undefined;
    cleanup.push(() => stopWorkerProcess(first, 'SIGKILL'));
    cleanup.push(() => stopWorkerProcess(second, 'SIGKILL'));
    expect(first.stderr()).toMatch(/redis store on redis cluster \(3 nodes\)/);

    let midway: () => void = () => {};
    const reachedMidway = new Promise<void>((resolve) => {
      midway = resolve;
    });
    const replied = rig.front.core.handle(rig.front.inv('mo', 'r00', kickAll(50, 10)), {
      onProgress: (p) => {
        if (p.done >= 100 && p.done < 500) midway();
      },
    });
    await Promise.race([
      reachedMidway,
      replied.then(() => {
        throw new Error('the job ended before it could be interrupted');
      }),
    ]);
    first.child.kill('SIGKILL');
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
    second = await startWorkerProcess(rig.file, env);
    const reply = (await replied) as ResultReply;
    await expectEachPairOnce(rig, reply, 50, 10);
    expect(reply.results.map(({ room, user }) => `${room}|${user}`)).toEqual(
      roomIds(10).flatMap((room) => userIds(50).map((user) => `console:${room}|console:${user}`)),
    );
    expect(await stopWorkerProcess(second, 'SIGTERM')).toEqual({ code: 0, signal: null });
  }, 30_000);
});
