import { Cluster, type ClusterOptions, Redis, type RedisOptions } from 'ioredis';
import { CONNECT_OPTIONS } from './redis-errors.js';

/** A client kickbot talks to Redis through: one server, or a Redis Cluster (both are ioredis Commanders). */
export type RedisClient = Redis | Cluster;

/**
 * Where Redis is: a URL (one server), or cluster nodes. With nodes, the URL (optional) gives only the username,
 * password and TLS (`rediss://:pass@any`): its host, port and database number are not used (a cluster has db 0).
 */
export interface RedisTarget {
  url?: string | undefined;
  clusterNodes?: string | undefined;
}

/**
 * What a client is for: `store` fails fast while Redis is away (commands are refused, not queued); `bull` is a
 * BullMQ connection (`maxRetriesPerRequest: null`, blocking commands); `state` waits a retry (console state).
 */
export type ClientRole = 'store' | 'bull' | 'state';

const retry = (times: number) => Math.min(times * 100, 2_000);

const ROLE_OPTIONS: Record<ClientRole, RedisOptions> = {
  store: { enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy: retry },
  bull: { maxRetriesPerRequest: null },
  state: { maxRetriesPerRequest: 1 },
};

/** The target of an environment, or undefined without Redis. */
export function redisTarget(env: {
  REDIS_URL?: string | undefined;
  REDIS_CLUSTER_NODES?: string | undefined;
}): RedisTarget | undefined {
  if (!env.REDIS_URL && !env.REDIS_CLUSTER_NODES) return undefined;
  return { url: env.REDIS_URL, clusterNodes: env.REDIS_CLUSTER_NODES };
}

export function isCluster(client: RedisClient): client is Cluster {
  return client instanceof Cluster;
}

/** The nodes of `host:port,host:port`. */
export function clusterNodes(nodes: string): { host: string; port: number }[] {
  return nodes.split(',').map((node) => {
    const at = node.lastIndexOf(':');
    return { host: node.slice(0, at), port: Number(node.slice(at + 1)) };
  });
}

/** Username, password and TLS from a URL, for every node of a cluster. */
function credentials(url: string | undefined): RedisOptions {
  if (!url) return {};
  const u = new URL(url);
  return {
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}

/**
 * Every Redis client kickbot makes (store, BullMQ queue and workers, console state, SCIM): a `Cluster` when the
 * target names cluster nodes, else a `Redis` on the URL. Errors are swallowed here (the client reconnects on its
 * own; the store reports outages to users).
 */
export function createRedisClient(target: RedisTarget, role: ClientRole, extra: RedisOptions = {}): RedisClient {
  const options: RedisOptions = { ...CONNECT_OPTIONS, ...ROLE_OPTIONS[role], ...extra };
  let client: RedisClient;
  if (target.clusterNodes) {
    // Offline queueing and retries are the cluster's, not each node connection's.
    const { enableOfflineQueue, retryStrategy: _, ...redisOptions } = options;
    const cluster: ClusterOptions = {
      clusterRetryStrategy: retry,
      enableOfflineQueue: enableOfflineQueue ?? true,
      redisOptions: { ...redisOptions, ...credentials(target.url) },
    };
    client = new Cluster(clusterNodes(target.clusterNodes), cluster);
  } else if (target.url) {
    client = new Redis(target.url, options);
  } else {
    throw new Error('no Redis: set REDIS_URL or REDIS_CLUSTER_NODES');
  }
  client.on('error', () => {});
  return client;
}

/** For the banner and errors, never with a password: `at redis://***@host:6379` or `on redis cluster (3 nodes)`. */
export function describeTarget(target: RedisTarget): string {
  if (target.clusterNodes) {
    const n = clusterNodes(target.clusterNodes).length;
    return `on redis cluster (${n} node${n === 1 ? '' : 's'})`;
  }
  return `at ${(target.url ?? '').replace(/\/\/[^@/]*@/, '//***@')}`;
}

/** The masters of a cluster, or the one server: what a SCAN has to cover. */
export function scanNodes(client: RedisClient): Redis[] {
  return isCluster(client) ? client.nodes('master') : [client];
}

/** Every key matching `pattern`, on every master (SCAN, never KEYS). */
export async function scanKeys(client: RedisClient, pattern: string, count = 500): Promise<string[]> {
  const out: string[] = [];
  for (const node of scanNodes(client)) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', count);
      cursor = next;
      out.push(...keys);
    } while (cursor !== '0');
  }
  return out;
}
