import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../src/core/index.js';
import { BullBulkRunner } from '../../src/jobs/BullBulkRunner.js';
import { startBulkWorker } from '../../src/jobs/bulk-worker.js';
import { bullConnection } from '../../src/jobs/bull.js';
import { RedisWorkspace } from '../../src/platforms/console/RedisWorkspace.js';
import { loadWorkspaceFile } from '../../src/platforms/console/workspace-file.js';
import { RedisStore } from '../../src/store/RedisStore.js';
import { createRedisClient } from '../../src/store/redis-client.js';
import { whenReady } from '../../src/store/redis-errors.js';
import type { RedisClient } from '../../src/store/redis-target.js';
import { bulkWorkspace, consoleCore, type TestCore } from '../helpers/jobs.js';
import { testPrefix } from '../helpers/redis.js';

/** What a cluster test undoes afterwards, in reverse order. */
export type Cleanup = (() => Promise<unknown>)[];

/** A client on the cluster that is ready (the store's kind: it refuses while the cluster is away). */
export async function clusterClient(nodes: string, cleanup: Cleanup): Promise<RedisClient> {
  const client = createRedisClient({ clusterNodes: nodes }, 'store');
  cleanup.push(() => client.quit());
  if (!(await whenReady(client, 10_000))) throw new Error('the cluster client did not get ready');
  return client;
}

/**
 * A bulk job on the cluster: a workspace file of `users` × `rooms` (paced at `rate`), a prefix of its own, and a
 * front end (a console core) whose bulk jobs go to BullMQ on the cluster; `addWorker` starts an in-process worker
 * with its own core and connections. `env` is what a `kickbot worker` process needs to join.
 */
export async function clusterJobRig(
  nodes: string,
  opts: { name: string; users: number; rooms: number; rate?: number; sliceSize?: number },
  cleanup: Cleanup,
) {
  const prefix = testPrefix();
  const dir = mkdtempSync(join(tmpdir(), `kickbot-${opts.name}-`));
  cleanup.push(async () => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, `${opts.name}.yaml`);
  writeFileSync(file, bulkWorkspace(opts));
  const data = loadWorkspaceFile(file);
  const client = await clusterClient(nodes, cleanup);
  const store = new RedisStore(client, { prefix });
  const queueConnection = bullConnection({ clusterNodes: nodes });
  cleanup.push(() => queueConnection.quit());
  const runner = new BullBulkRunner({
    connection: queueConnection,
    store,
    prefix,
    pollMs: 50,
    ...(opts.sliceSize ? { sliceSize: opts.sliceSize } : {}),
  });
  cleanup.push(() => runner.close());
  const front = consoleCore(data, new RedisWorkspace(client, data, { prefix }), store, { bulk: runner });
  const workers: TestCore[] = [];
  const addWorker = async () => {
    const own = await clusterClient(nodes, cleanup);
    const back = consoleCore(
      data,
      new RedisWorkspace(own, data, { prefix }),
      new RedisStore(own, { prefix }),
    );
    const connection = bullConnection({ clusterNodes: nodes });
    cleanup.push(() => connection.quit());
    const worker = startBulkWorker({
      core: back.core,
      store: new RedisStore(own, { prefix }),
      connection,
      logger: silentLogger,
      prefix,
      lockMs: 5_000,
    });
    cleanup.push(() => worker.close());
    workers.push(back);
    return back;
  };
  return {
    prefix,
    file,
    data,
    client,
    store,
    runner,
    front,
    workers,
    addWorker,
    env: { REDIS_CLUSTER_NODES: nodes, KICKBOT_REDIS_PREFIX: prefix },
  };
}
