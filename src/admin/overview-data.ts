import type { Health } from '../cli/health.js';
import type { AdminDeps } from './app.js';
import { type TodayCounts, todayCounts } from './today.js';

/** What the overview shows, each part read on its own with a deadline, so that one part down leaves the others. */

/** How long each part may take before the overview says it did not answer. */
const PART_MS = 2_000;

export type Part<T> = { ok: true; value: T } | { ok: false; why: string };

export type JobCounts = Record<string, number>;

export interface OverviewData {
  health: Part<Health>;
  /** Each front (Slack, Discord, the console) and where it stands. */
  fronts: { name: string; state: string; ok: boolean }[];
  /** BullMQ's job counts per queue, or undefined when jobs run in this process. */
  queues: Part<{ bulk: JobCounts; timers: JobCounts }> | undefined;
  today: Part<TodayCounts>;
}

/** The job states the overview counts. */
export const JOB_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

export async function overviewData(deps: AdminDeps): Promise<OverviewData> {
  const { runtime } = deps;
  const now = (deps.now ?? Date.now)();
  const queues = runtime.queues;
  const [health, counts, today] = await Promise.all([
    part(runtime.health()),
    queues
      ? part(
          Promise.all([
            queues.bulk.getJobCounts(...JOB_STATES),
            queues.timers.getJobCounts(...JOB_STATES),
          ]).then(([bulk, timers]) => ({ bulk, timers })),
        )
      : undefined,
    part(todayCounts(runtime.store, now)),
  ]);
  const fronts = runtime.fronts.map((f) => {
    const h = f.health?.();
    const state = h ? Object.values(h.fields).join(', ') || (h.ok ? 'connected' : 'not connected') : 'ready';
    return { name: f.name, state, ok: h?.ok ?? true };
  });
  return { health, fronts, queues: counts, today };
}

/** A part's value, or why there is none (from its error's name, never its message: that may quote a URL or a key). */
async function part<T>(promise: Promise<T>): Promise<Part<T>> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<Part<T>>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, why: `no answer within ${PART_MS / 1000} s` }), PART_MS);
  });
  try {
    return await Promise.race([promise.then((value): Part<T> => ({ ok: true, value })), late]);
  } catch (error) {
    const name = error instanceof Error ? error.name : 'Error';
    return {
      ok: false,
      why: name === 'StoreUnavailableError' ? 'the store does not answer' : `failed (${name})`,
    };
  } finally {
    clearTimeout(timer);
  }
}
