import type { Cluster, Redis } from 'ioredis';

/** Where Redis is, and what kind of client talks to it; no ioredis loaded here (a start without Redis loads none). */

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

/** The target of an environment, or undefined without Redis. */
export function redisTarget(env: {
  REDIS_URL?: string | undefined;
  REDIS_CLUSTER_NODES?: string | undefined;
}): RedisTarget | undefined {
  if (!env.REDIS_URL && !env.REDIS_CLUSTER_NODES) return undefined;
  return { url: env.REDIS_URL, clusterNodes: env.REDIS_CLUSTER_NODES };
}

/** The nodes of `host:port,host:port`. */
export function clusterNodes(nodes: string): { host: string; port: number }[] {
  return nodes.split(',').map((node) => {
    const at = node.lastIndexOf(':');
    return { host: node.slice(0, at), port: Number(node.slice(at + 1)) };
  });
}

export function isCluster(client: RedisClient): client is Cluster {
  return client.isCluster;
}

/** For the banner and errors, never with a password: `at redis://***@host:6379` or `on redis cluster (3 nodes)`. */
export function describeTarget(target: RedisTarget): string {
  if (target.clusterNodes) {
    const n = clusterNodes(target.clusterNodes).length;
    return `on redis cluster (${n} node${n === 1 ? '' : 's'})`;
  }
  return `at ${(target.url ?? '').replace(/\/\/[^@/]*@/, '//***@')}`;
}
