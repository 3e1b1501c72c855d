import { silentLogger } from '../../src/core/index.js';
import { startBulkWorker } from '../../src/jobs/bulk-worker.js';
import { bullConnection } from '../../src/jobs/bull.js';
import { RedisWorkspace } from '../../src/platforms/console/RedisWorkspace.js';
import { RedisStore } from '../../src/store/RedisStore.js';
import { createRedisClient } from '../../src/store/redis-client.js';
import { whenReady } from '../../src/store/redis-errors.js';
import type { RedisClient } from '../../src/store/redis-target.js';
import { consoleCore, type TestCore } from '../helpers/jobs.js';
import { type Cleanup, type JobRigOptions, jobRigOn } from '../helpers/worker-rig.js';

export type { Cleanup };

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
export async function clusterJobRig(nodes: string, opts: JobRigOptions, cleanup: Cleanup) {
  const client = await clusterClient(nodes, cleanup);
  const queue = bullConnection({ clusterNodes: nodes });
  cleanup.push(() => queue.quit());
  const rig = jobRigOn({ client, queue, env: { REDIS_CLUSTER_NODES: nodes } }, opts, cleanup);
  const { data, prefix } = rig;
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
  return { ...rig, workers, addWorker };
}
