import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { BullBulkRunner } from '../../src/jobs/BullBulkRunner.js';
import { bullConnection } from '../../src/jobs/bull.js';
import { RedisWorkspace } from '../../src/platforms/console/RedisWorkspace.js';
import { loadWorkspaceFile } from '../../src/platforms/console/workspace-file.js';
import { RedisStore } from '../../src/store/RedisStore.js';
import { bulkWorkspace, consoleCore, ROOT } from './jobs.js';
import { redisUrl, testClient, testPrefix } from './redis.js';

/** What a test undoes afterwards, in reverse order: workers first, then the runner, then its connections. */
export type Cleanup = (() => Promise<unknown>)[];

/** `kickbot worker` processes run the compiled CLI: a test that starts them needs `dist/`. */
export function requireCompiled(): void {
  const compiled = join(ROOT, 'dist', 'src', 'cli', 'main.js');
  if (!existsSync(compiled)) throw new Error(`${compiled} is missing: build first (npx tsc -p .)`);
}

/**
 * A bulk job for `kickbot worker` processes: a workspace file of `users` × `rooms` (paced at `rate`), a key
 * prefix of its own on the run's Redis, and a front end (a console core) whose bulk jobs go to BullMQ; it works
 * no job itself. `env` is what a worker process needs to share it all.
 */
export function processJobRig(
  opts: { name: string; users: number; rooms: number; rate: number; sliceSize?: number },
  cleanup: Cleanup,
) {
  const url = redisUrl();
  const prefix = testPrefix();
  const dir = mkdtempSync(join(tmpdir(), `kickbot-${opts.name}-`));
  cleanup.push(async () => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, `${opts.name}.yaml`);
  writeFileSync(file, bulkWorkspace(opts));
  const data = loadWorkspaceFile(file);
  const client: Redis = testClient(url);
  cleanup.push(() => client.quit());
  const store = new RedisStore(client, { prefix });
  const queueConnection = bullConnection(url);
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
  return {
    url,
    prefix,
    file,
    data,
    client,
    store,
    runner,
    front,
    env: { REDIS_URL: url, KICKBOT_REDIS_PREFIX: prefix },
  };
}
