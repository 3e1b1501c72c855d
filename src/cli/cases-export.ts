import type { Writable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import {
  type CaseStory,
  describeCommand,
  type Id,
  localOf,
  readStory,
  type Store,
  sinceProblem,
  sinceTime,
  timerData,
  UsageError,
} from '../core/index.js';
import { RedisStore } from '../store/RedisStore.js';
import { firstConnect } from '../store/redis-errors.js';
import { describeTarget, redisTarget } from '../store/redis-target.js';
import type { Env } from './env.js';

/** Cases read at once; the next batch is read while this one is written, so at most twice this many are held. */
const BATCH = 16;

export interface ExportFlags {
  format?: string;
  since?: string;
}

/** One case as the JSON export writes it (one object per line): ids as kickbot keeps them, times ISO 8601. */
export interface CaseRecord {
  workspace: Id;
  case: number;
  at: string;
  by: Id | null;
  command: string;
  action: string | null;
  byHand?: { via: string; detail?: string };
  reason: string | null;
  reasonHistory: { text: string; by: Id; at: string }[];
  notes: { text: string; by: Id; at: string }[];
  until?: string;
  timer?: { state: string; at: string; durable?: boolean; restoreCase?: number };
  undoneBy?: number;
  cancelled?: { by: Id; at: string };
  dms: { user: Id; ok: boolean; code?: string; at: string }[];
  counts: Record<string, number>;
  pairs: { room: Id; user: Id; area?: string; outcome: string; code?: string; at: string }[];
}

/**
 * `kickbot cases export [--format json|csv] [--since 7d|2026-11-01]`: every case of every workspace with its pairs,
 * oldest first, streamed: a few cases are read at a time and written as they come, so a ledger of a million audit
 * records is never held in memory. A reader that goes away (`| head`) ends the export quietly.
 */
export async function exportCases(
  env: Env,
  flags: ExportFlags,
  out: Writable = process.stdout,
  now = Date.now(),
): Promise<number> {
  const format = flags.format ?? 'json';
  if (format !== 'json' && format !== 'csv')
    throw new UsageError(`--format takes json or csv (got "${format}")`);
  const problem = flags.since === undefined ? undefined : sinceProblem(flags.since);
  if (problem) throw new UsageError(`--${problem}`);
  const since = flags.since === undefined ? undefined : sinceTime(flags.since, now);
  const target = redisTarget(env);
  if (!target) {
    throw new UsageError(
      'kickbot cases export reads the cases kept in Redis: set REDIS_URL (the memory store forgets them at exit)',
    );
  }
  const store = RedisStore.connect(target, { prefix: env.KICKBOT_REDIS_PREFIX });
  const sink = new Sink(out);
  try {
    if (!(await firstConnect(store.client, 2_000)))
      throw new UsageError(`cannot reach Redis ${describeTarget(target)}`);
    if (format === 'csv') await sink.write(stringify([CSV_COLUMNS]));
    const line = format === 'csv' ? csvRows : (r: CaseRecord) => `${JSON.stringify(r)}\n`;
    for (const workspace of (await store.workspaces()).sort()) {
      for await (const story of cases(store, workspace, since))
        await sink.write(line(caseRecord(workspace, story)));
    }
    return 0;
  } catch (error) {
    if (sink.gone(error)) return 0;
    throw error;
  } finally {
    await store.close();
  }
}

/** A workspace's cases at or after `since`, oldest first, read `BATCH` at a time (the next batch while this one is used). */
async function* cases(store: Store, workspace: Id, since: number | undefined): AsyncGenerator<CaseStory> {
  const top = await store.lastCaseId(workspace);
  const first = since === undefined ? 1 : await firstCaseSince(store, workspace, top, since);
  const read = (from: number) =>
    Promise.all(
      Array.from({ length: Math.max(0, Math.min(BATCH, top - from + 1)) }, (_, i) =>
        readStory(store, workspace, from + i),
      ),
    );
  let next = read(first);
  for (let from = first; from <= top; from += BATCH) {
    const batch = await next;
    next = read(from + BATCH);
    for (const story of batch) if (story && (since === undefined || story.at >= since)) yield story;
  }
  await next;
}

/**
 * The first case number opened at or after `since`, by bisection (case numbers grow with time); a number nothing
 * was written under counts as the next case that has something.
 */
async function firstCaseSince(store: Store, workspace: Id, top: number, since: number): Promise<number> {
  const timeFrom = async (id: number): Promise<number> => {
    for (let n = id; n <= top; n++) {
      const story = await readStory(store, workspace, n);
      if (story) return story.at;
    }
    return Number.POSITIVE_INFINITY;
  };
  let lo = 1;
  let hi = top + 1;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if ((await timeFrom(mid)) >= since) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

const iso = (ms: number) => new Date(ms).toISOString();

export function caseRecord(workspace: Id, story: CaseStory): CaseRecord {
  const counts: Record<string, number> = {};
  for (const r of story.records) counts[r.outcome] = (counts[r.outcome] ?? 0) + 1;
  const entry = (e: { text: string; by: Id; at: number }) => ({ text: e.text, by: e.by, at: iso(e.at) });
  const undo = story.undone.at(-1);
  const t = story.timer;
  return {
    workspace,
    case: story.caseId,
    at: iso(story.at),
    by: story.by ?? null,
    command:
      story.command ??
      describeCommand([...story.records].reverse(), (id, kind) =>
        kind === 'room' ? `#${localOf(id)}` : localOf(id),
      ),
    action: story.action ?? null,
    ...(story.byHand ? { byHand: story.byHand } : {}),
    reason: story.reason ?? null,
    reasonHistory: story.reasonHistory.map(entry),
    notes: story.notes.map(entry),
    ...(story.until !== undefined ? { until: iso(story.until) } : {}),
    ...(t ? { timer: timerData(t) } : {}),
    ...(undo ? { undoneBy: undo.restoreCase } : {}),
    ...(story.cancel ? { cancelled: { by: story.cancel.by, at: iso(story.cancel.at) } } : {}),
    dms: story.dms.map((d) => ({
      user: d.user,
      ok: d.ok,
      ...(d.code ? { code: d.code } : {}),
      at: iso(d.at),
    })),
    counts,
    pairs: story.records.map((r) => ({
      room: r.room,
      user: r.target,
      ...(r.area !== undefined ? { area: r.area } : {}),
      outcome: r.outcome,
      ...(r.code ? { code: r.code } : {}),
      at: iso(r.at),
    })),
  };
}

export const CSV_COLUMNS = [
  'workspace',
  'case',
  'case_at',
  'by',
  'command',
  'action',
  'by_hand',
  'reason',
  'reason_history',
  'notes',
  'until',
  'timer',
  'undone_by',
  'cancelled_by',
  'cancelled_at',
  'dms',
  'room',
  'user',
  'area',
  'outcome',
  'code',
  'pair_at',
];

/**
 * A case as CSV: one row per pair, the case's columns repeated (a case with no pairs: one row). Cells that start
 * like a formula (`=HYPERLINK(…)`, `+`, `-`, `@`) are written with a leading `'`, so a spreadsheet shows them.
 */
export function csvRows(c: CaseRecord): string {
  const dated = (list: { text: string; by: Id; at: string }[]) =>
    list.map((e) => `${e.at} ${e.by}: ${e.text}`).join('\n');
  const head = [
    c.workspace,
    c.case,
    c.at,
    c.by ?? '',
    c.command,
    c.action ?? '',
    c.byHand ? `${c.byHand.via}${c.byHand.detail ? `: ${c.byHand.detail}` : ''}` : '',
    c.reason ?? '',
    dated(c.reasonHistory),
    dated(c.notes),
    c.until ?? '',
    c.timer
      ? `${c.timer.state}${c.timer.restoreCase !== undefined ? ` (case ${c.timer.restoreCase})` : ''}`
      : '',
    c.undoneBy ?? '',
    c.cancelled?.by ?? '',
    c.cancelled?.at ?? '',
    c.dms.map((d) => `${d.user} ${d.ok ? 'sent' : `failed${d.code ? ` (${d.code})` : ''}`}`).join('; '),
  ];
  const pairs = c.pairs.length > 0 ? c.pairs : [undefined];
  return stringify(
    pairs.map((p) => [
      ...head,
      ...(p ? [p.room, p.user, p.area ?? '', p.outcome, p.code ?? '', p.at] : ['', '', '', '', '', '']),
    ]),
    { escape_formulas: true },
  );
}

/**
 * stdout with backpressure: a write waits for `drain` when the reader is behind. A reader that has gone (EPIPE:
 * `| head` had enough) surfaces as an error that `gone` recognises.
 */
class Sink {
  #error: Error | undefined;

  constructor(readonly out: Writable) {
    out.on('error', (error: Error) => {
      this.#error = error;
    });
  }

  async write(chunk: string): Promise<void> {
    if (this.#error) throw this.#error;
    if (!this.out.write(chunk)) await this.#drained();
    if (this.#error) throw this.#error;
  }

  /** Resolves on `drain`, or when the stream closes or fails (the caller then finds the error). */
  #drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.out.off('drain', done).off('close', done).off('error', done);
        resolve();
      };
      this.out.on('drain', done).on('close', done).on('error', done);
    });
  }

  /** Whether `error` is the reader going away (then the export ends quietly). */
  gone(error: unknown): boolean {
    const code = (error as { code?: string } | undefined)?.code;
    return error === this.#error && (code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED');
  }
}
