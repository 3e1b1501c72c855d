import type { Queue } from 'bullmq';

/** The BullMQ states of a slice no worker has taken yet. */
const QUEUED = ['waiting', 'delayed', 'prioritized', 'waiting-children'] as const;

/**
 * Pairs of bulk jobs in the queue, from BullMQ's counts of slices (one round trip, whatever the queue's length):
 * a slice holds `sliceSize` pairs except a job's last one, so the figure is an upper bound, by less than one slice
 * per job.
 */
export async function bulkPairs(
  queue: Queue,
  sliceSize: number,
): Promise<{ queued: number; running: number }> {
  const counts = await queue.getJobCounts(...QUEUED, 'active');
  const queued = QUEUED.reduce((sum, state) => sum + (counts[state] ?? 0), 0);
  return { queued: queued * sliceSize, running: (counts.active ?? 0) * sliceSize };
}
