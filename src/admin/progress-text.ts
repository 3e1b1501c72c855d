import type { BatchProgress } from '../core/index.js';
import { OUTCOME_WORDS } from '../core/index.js';

/** `30 of 60 pairs settled · removed 28, failed 2`: a running batch's progress in a line (page and events alike). */
export function progressText(p: BatchProgress): string {
  const n = (x: number) => x.toLocaleString('en');
  const settled =
    p.total !== undefined
      ? `${n(p.settled)} of ${n(p.total)} pairs settled`
      : `${n(p.settled)} pairs settled`;
  const counts = Object.entries(p.counts)
    .map(([outcome, count]) => `${OUTCOME_WORDS[outcome] ?? outcome} ${n(count)}`)
    .join(', ');
  return `${p.running ? '' : 'Finished: '}${settled}${counts ? ` · ${counts}` : ''}`;
}
