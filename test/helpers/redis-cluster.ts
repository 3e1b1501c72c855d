import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { scanKeys } from '../../src/store/redis-client.js';
import type { RedisClient } from '../../src/store/redis-target.js';
import { freePort, hasRedisServer } from './redis-server.js';
import { waitFor } from './wait.js';

const run = promisify(execFile);

/** A throwaway Redis Cluster of three masters on free loopback ports, owned by the test that started it. */
export interface RedisCluster {
  ports: number[];
  /** `REDIS_CLUSTER_NODES` for it: `127.0.0.1:P1,127.0.0.1:P2,127.0.0.1:P3`. */
  nodes: string;
  stop(): Promise<void>;
}

/** One `redis-server --cluster-enabled yes`, resolved once it accepts connections. */
function startNode(port: number, dir: string): Promise<ChildProcess> {
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--cluster-enabled',
    'yes',
    '--cluster-config-file',
    join(dir, `nodes-${port}.conf`),
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    dir,
  ];
  return new Promise((resolve, reject) => {
    const proc = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    proc.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('Ready to accept connections')) resolve(proc);
    });
    proc.once('exit', (code) =>
      reject(new Error(`redis-server ${port} exited (${code}): ${out.slice(-500)}`)),
    );
    proc.once('error', reject);
  });
}

/** Whether every node says `cluster_state:ok`. */
async function clusterOk(ports: number[]): Promise<true | undefined> {
  for (const port of ports) {
    const client = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0 });
    try {
      await client.connect();
      const info = await client.cluster('INFO');
      if (!/^cluster_state:ok\s*$/m.test(info)) return undefined;
    } finally {
      client.disconnect();
    }
  }
  return true;
}

/** Starts three masters, joins them (`redis-cli --cluster create`), and waits for `cluster_state:ok` on each. */
export async function startRedisCluster(): Promise<RedisCluster> {
  if (!hasRedisServer())
    throw new Error(
      'The Redis Cluster tests start a cluster of their own: they need redis-server and redis-cli on the PATH ' +
        '(Debian: apt-get install -y redis-server; .ci/run does this).',
    );
  const dir = mkdtempSync(join(tmpdir(), 'kickbot-cluster-'));
  const ports = [await freePort(), await freePort(), await freePort()];
  const procs: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(
      procs.map(
        (proc) =>
          new Promise<void>((resolve) => {
            if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
            proc.removeAllListeners('exit');
            proc.once('exit', () => resolve());
            proc.kill('SIGKILL');
          }),
      ),
    );
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const port of ports) procs.push(await startNode(port, dir));
    const nodes = ports.map((p) => `127.0.0.1:${p}`);
    await run('redis-cli', ['--cluster', 'create', ...nodes, '--cluster-replicas', '0', '--cluster-yes']);
    await waitFor('cluster_state:ok on every node', () => clusterOk(ports), {
      timeoutMs: 20_000,
      everyMs: 100,
    });
    return { ports, nodes: nodes.join(','), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The keys under `prefix` on every master, for a test's `elapse` (SCAN, never KEYS). */
export async function clusterKeys(client: RedisClient, prefix: string): Promise<string[]> {
  return scanKeys(client, `${prefix}:*`);
}
