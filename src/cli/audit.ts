import { type AuditRecord, localOf, printable, UsageError } from '../core/index.js';
import { RedisStore } from '../store/RedisStore.js';
import { firstConnect } from '../store/redis-errors.js';
import { describeTarget, redisTarget } from '../store/redis-target.js';
import type { Env } from './env.js';

/** One record as a line; control characters a record may carry (ESC, NUL) are written as escapes, never raw. */
export function auditLine(r: AuditRecord): string {
  const when = new Date(r.at).toISOString().replace('T', ' ').slice(0, 19);
  const where = r.area ? `${localOf(r.room)} (area ${r.area})` : localOf(r.room);
  const reason = r.reason ? ` · reason: ${r.reason}` : '';
  const undo = r.undoOf !== undefined ? ` · undo of case ${r.undoOf}` : '';
  return printable(
    `${when} ${r.workspace} case ${r.caseId} · ${localOf(r.actor)} ${r.action} ${localOf(r.target)} @ ${where}: ${r.outcome}${r.code ? ` (${r.code})` : ''}${reason}${undo}`,
  );
}

/** `kickbot audit`: the audit log, oldest first, as lines or JSON lines. */
export async function printAudit(env: Env, opts: { json?: boolean; limit?: number }): Promise<number> {
  const target = redisTarget(env);
  if (!target) {
    throw new UsageError(
      'the audit log outlives a process only in Redis: set REDIS_URL (the memory store forgets it at exit)',
    );
  }
  if (opts.limit !== undefined && !(opts.limit > 0)) throw new UsageError('--limit takes a positive number');
  const store = RedisStore.connect(target, { prefix: env.KICKBOT_REDIS_PREFIX });
  try {
    if (!(await firstConnect(store.client, 2_000)))
      throw new UsageError(`cannot reach Redis ${describeTarget(target)}`);
    const records = await store.readAudit(opts.limit !== undefined ? { limit: opts.limit } : {});
    for (const r of records.reverse())
      process.stdout.write(`${opts.json ? JSON.stringify(r) : auditLine(r)}\n`);
    return 0;
  } finally {
    await store.close();
  }
}
