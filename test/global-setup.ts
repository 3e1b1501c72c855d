import type { TestProject } from 'vitest/node';
import { hasRedisServer, NO_REDIS, type RedisServer, startRedisServer } from './helpers/redis-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A Redis the tests may use; every test namespaces its keys. */
    redisUrl: string;
  }
}

let server: RedisServer | undefined;

/** One throwaway redis-server for the whole run (tests that stop Redis start their own). */
export async function setup(project: TestProject): Promise<void> {
  if (hasRedisServer()) {
    server = await startRedisServer();
    project.provide('redisUrl', server.url);
  } else if (process.env.REDIS_URL) {
    project.provide('redisUrl', process.env.REDIS_URL);
  } else {
    throw new Error(NO_REDIS);
  }
}

export async function teardown(): Promise<void> {
  await server?.stop();
}
