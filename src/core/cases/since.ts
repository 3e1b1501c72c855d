/**
 * `since 7d` / `since 2026-11-01` of `/kickbot cases` and `kickbot cases export --since`: a time back from now
 * (minutes, hours, days, weeks) or a date (UTC midnight). Commands have no clock, so they check the text with
 * `sinceProblem` and pass it on as typed; the use case turns it into a time with its clock (`sinceTime`).
 */

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };
const RELATIVE = /^(\d{1,6})([mhdw])$/i;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** What is wrong with a `since` value, or undefined when it is one. */
export function sinceProblem(raw: string): string | undefined {
  const relative = RELATIVE.exec(raw);
  if (relative) return Number(relative[1]) > 0 ? undefined : `since ${raw} is no time back: count from 1`;
  const date = DATE.exec(raw);
  if (date) return dateOf(date) === undefined ? `since ${raw}: there is no such date` : undefined;
  return `since takes a time back (30m, 12h, 7d, 2w) or a date (2026-11-01), not "${raw}"`;
}

/** The time (ms since the epoch) a valid `since` value means at `now`. Throws on a value `sinceProblem` refuses. */
export function sinceTime(raw: string, now: number): number {
  const problem = sinceProblem(raw);
  if (problem) throw new Error(problem);
  const relative = RELATIVE.exec(raw);
  if (relative) return now - Number(relative[1]) * (UNITS[(relative[2] as string).toLowerCase()] as number);
  return dateOf(DATE.exec(raw) as RegExpExecArray) as number;
}

/** UTC midnight of a `YYYY-MM-DD` that names a real day (not 2026-02-30). */
function dateOf(match: RegExpExecArray): number | undefined {
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const at = Date.UTC(y, m - 1, d);
  const back = new Date(at);
  return back.getUTCFullYear() === y && back.getUTCMonth() === m - 1 && back.getUTCDate() === d
    ? at
    : undefined;
}
