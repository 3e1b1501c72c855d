import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { BullBulkRunner } from '../../src/jobs/BullBulkRunner.js';
import { bullConnection } from '../../src/jobs/bull.js';
import { RedisWorkspace } from '../../src/platforms/console/RedisWorkspace.js';
import { loadWorkspaceFile } from '../../src/platforms/console/workspace-file.js';
import { RedisStore } from '../../src/store/RedisStore.js';
import type { RedisClient } from '../../src/store/redis-target.js';
import { bulkWorkspace, consoleCore, ROOT } from './jobs.js';
import { redisUrl, testClient, testPrefix } from './redis.js';

/** What a test undoes afterwards, in reverse order: workers first, then the runner, then its connections. */
export type Cleanup = (() => Promise<unknown>)[];

/** `kickbot worker` processes run the compiled CLI: a test that starts them needs `dist/`. */
export function requireCompiled(): void {
  const compiled = join(ROOT, 'dist', 'src', 'cli', 'main.js');
  if (!existsSync(compiled)) throw new Error(`${compiled} is missing: build first (npx tsc -p .)`);
}

/** The shape of a job rig's bulk job: a workspace of `users` × `rooms`, paced at `rate`. */
export interface JobRigOptions {
  name: string;
  users: number;
  rooms: number;
  rate?: number;
  sliceSize?: number;
}

/**
 * A bulk job on a Redis or a cluster (`client` for the store and the workspace, `queue` for BullMQ): a workspace
 * file of `users` × `rooms`, a key prefix of its own, and a front end (a console core) whose bulk jobs go to
 * BullMQ; it works no job itself. `env` is what a `kickbot worker` process needs to share it all.
 */
export function jobRigOn(
  redis: { client: RedisClient; queue: RedisClient; env: Record<string, string> },
  opts: JobRigOptions,
  cleanup: Cleanup,
) {
  const prefix = testPrefix();
  const dir = mkdtempSync(join(tmpdir(), `kickbot-${opts.name}-`));
  cleanup.push(async () => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, `${opts.name}.yaml`);
  writeFileSync(file, bulkWorkspace(opts));
  const data = loadWorkspaceFile(file);
  const { client } = redis;
  const store = new RedisStore(client, { prefix });
  const runner = new BullBulkRunner({
    connection: redis.queue,
    store,
    prefix,
    pollMs: 50,
    ...(opts.sliceSize ? { sliceSize: opts.sliceSize } : {}),
  });
  cleanup.push(() => runner.close());
  const front = consoleCore(data, new RedisWorkspace(client, data, { prefix }), store, { bulk: runner });
  return {
    prefix,
    file,
    data,
    client,
    store,
    runner,
    front,
    env: { ...redis.env, KICKBOT_REDIS_PREFIX: prefix },
  };
}

/** A bulk job for `kickbot worker` processes on the run's Redis (jobRigOn). */
export function processJobRig(opts: JobRigOptions & { rate: number }, cleanup: Cleanup) {
  const url = redisUrl();
  const client: Redis = testClient(url);
  cleanup.push(() => client.quit());
  const queue = bullConnection(url);
  cleanup.push(() => queue.quit());
  return { url, ...jobRigOn({ client, queue, env: { REDIS_URL: url } }, opts, cleanup) };
}
