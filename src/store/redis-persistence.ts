import type { RedisClient } from './redis-target.js';

/**
 * What Redis keeps on disk: `aof` (append-only file), `rdb` (snapshots), both, `none` (a restart loses every
 * key: the audit log, the case counter), or `unknown` (CONFIG is disabled and INFO cannot tell about snapshots).
 */
export type Persistence = 'aof' | 'rdb' | 'aof+rdb' | 'none' | 'unknown';

/** From `CONFIG GET appendonly` and `CONFIG GET save` (`save ""` turns snapshots off). */
export function fromConfig(appendonly: string | undefined, save: string | undefined): Persistence {
  const aof = appendonly === 'yes';
  const rdb = save !== undefined && save.trim() !== '';
  if (aof && rdb) return 'aof+rdb';
  if (aof) return 'aof';
  return rdb ? 'rdb' : 'none';
}

/** From `INFO persistence` (when CONFIG is renamed away, as managed Redis services do): only AOF shows there. */
export function fromInfo(info: string): Persistence {
  return /^aof_enabled:1\s*$/m.test(info) ? 'aof' : 'unknown';
}

/** Asks Redis how it persists; CONFIG first, INFO when CONFIG is not allowed. */
export async function readPersistence(client: RedisClient): Promise<Persistence> {
  try {
    const [, appendonly] = (await client.call('CONFIG', 'GET', 'appendonly')) as string[];
    const [, save] = (await client.call('CONFIG', 'GET', 'save')) as string[];
    return fromConfig(appendonly, save);
  } catch {
    return fromInfo(await client.info('persistence'));
  }
}

/** The warning for the banner and the log, or undefined when Redis persists. */
export function persistenceWarning(persistence: Persistence): string | undefined {
  if (persistence === 'none')
    return 'Redis keeps nothing on disk (no AOF, no snapshots), so a Redis restart loses the audit log: run Redis with --appendonly yes';
  if (persistence === 'unknown')
    return 'kickbot cannot tell whether Redis keeps its data (CONFIG is disabled, AOF is off): make sure Redis runs with AOF';
  return undefined;
}
