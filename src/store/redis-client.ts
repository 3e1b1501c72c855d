import { Cluster, type ClusterOptions, Redis, type RedisOptions } from 'ioredis';
import { CONNECT_OPTIONS } from './redis-errors.js';
import { clusterNodes, isCluster, type RedisClient, type RedisTarget } from './redis-target.js';

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
export function createRedisClient(
  target: RedisTarget,
  role: ClientRole,
  extra: RedisOptions = {},
): RedisClient {
  const options: RedisOptions = { ...CONNECT_OPTIONS, ...ROLE_OPTIONS[role], ...extra };
  let client: RedisClient;
  if (target.clusterNodes) {
    // Offline queueing and retries are the cluster's, not each node connection's.
    const { enableOfflineQueue, retryStrategy: _, ...nodeOptions } = options;
    const redisOptions = { ...nodeOptions, ...credentials(target.url) };
    const cluster: ClusterOptions = {
      clusterRetryStrategy: retry,
      enableOfflineQueue: enableOfflineQueue ?? true,
      redisOptions,
      // With TLS, nodes are reached by the names the cluster gives (managed services need it), not re-resolved.
      ...(redisOptions.tls ? { dnsLookup: (address, done) => done(null, address) } : {}),
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
