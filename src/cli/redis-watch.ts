import type { Logger } from '../core/index.js';
import type { RedisStore } from '../store/RedisStore.js';
import { type Persistence, persistenceWarning, readPersistence } from '../store/redis-persistence.js';

export interface RedisWatch {
  /** What Redis keeps on disk, as last read (`unknown` until Redis has answered). */
  persistence(): Persistence;
}

/**
 * Reads Redis's persistence settings and writes (or checks) kickbot's epoch key, at start and on every reconnect:
 * a Redis that keeps nothing on disk is warned about in the log, one that came back empty is noticed (the store
 * logs that and keeps case numbers above every one this process has seen).
 */
export async function watchRedis(store: RedisStore, logger: Logger, reachable: boolean): Promise<RedisWatch> {
  let persistence: Persistence = 'unknown';
  let warned: Persistence | undefined;
  const check = async () => {
    persistence = await readPersistence(store.client);
    const warning = persistenceWarning(persistence);
    if (warning && warned !== persistence) logger.warn({ persistence }, warning);
    warned = persistence;
    await store.checkEpoch();
  };
  if (reachable) await check().catch(() => {});
  store.client.on('ready', () => void check().catch(() => {}));
  return { persistence: () => persistence };
}

/** The error logged when Redis came back empty. */
export function dataLostMessage(highestCase: number): string {
  return (
    'Redis lost its data: it came back empty (restarted without AOF?), so audit records written before are gone. ' +
    `New cases continue above case ${highestCase}, so that no case number is reused. Run Redis with --appendonly yes.`
  );
}
