import { localOf, type RemovalTarget, type RemoveResult } from '../../core/index.js';
import type { SeedSystem } from '../seed/statuses.js';

/**
 * What feedback.house answers to `POST /api/planning/area/v1/user-remove`, back to one result per target. Pure,
 * so that the doc's own example answers can be replayed against it; `requests.ts` builds what is sent.
 */

/**
 * feedback.house's statuses (`statuses.ts`): a 403 is a key that is not an admin's, refused as a 401 is. A 404
 * names no area: one request carries many, and an unknown one is reported in `errors[]`.
 */
export const FEEDBACKHOUSE: SeedSystem = {
  id: 'feedbackhouse',
  name: 'feedback.house',
  credential: 'API key',
  forbidden: 'credentials',
};

/** What one area's parts of the answer said (an area may show up in several elements). */
interface AreaReport {
  removed: Set<string>;
  notUpdated: Set<string>;
  error?: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
const records = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v.filter(isObject) : []);

/** Whether the body reports on some area (a non-empty `data[]` or `errors[]`, the documented shape). */
export function isAreaAnswer(body: unknown): boolean {
  return isObject(body) && (records(body.data).length > 0 || records(body.errors).length > 0);
}

/** The answer's top-level `message` (the summary, or the reason of a refused request), when it has one. */
export function messageOf(body: unknown): string | undefined {
  return isObject(body) && typeof body.message === 'string' && body.message ? body.message : undefined;
}

function reportsOf(body: unknown): Map<string, AreaReport> {
  const reports = new Map<string, AreaReport>();
  const report = (areaId: string): AreaReport => {
    let r = reports.get(areaId);
    if (!r) {
      r = { removed: new Set(), notUpdated: new Set() };
      reports.set(areaId, r);
    }
    return r;
  };
  if (!isObject(body)) return reports;
  for (const item of records(body.data)) {
    if (typeof item.areaId !== 'string') continue;
    const r = report(item.areaId);
    for (const u of strings(item.users)) r.removed.add(u);
    for (const u of strings(item.usersNotUpdated)) r.notUpdated.add(u);
  }
  for (const item of records(body.errors)) {
    // An error the API could not tie to an area ("Missing areaId") says nothing about any target.
    const areaId = isObject(item.data) ? item.data.areaId : undefined;
    if (typeof areaId !== 'string') continue;
    const r = report(areaId);
    r.error ??= typeof item.message === 'string' && item.message ? item.message : 'area rejected';
  }
  return reports;
}

/** The API's words for an area it does not have; the docs give none, so this is what the fake and we agree on. */
const UNKNOWN_AREA = /not found|unknown area/i;

/**
 * One result per target, in the order of `targets`. A user the answer names in the area's `users` was removed;
 * in `usersNotUpdated` was not in it (the API's `not_member`). An area in `errors[]` fails each of its targets
 * that the answer does not name otherwise: an unknown area is `room-not-found`, anything else `area-error` with
 * the API's message. A target the answer does not mention at all failed: kickbot cannot tell what happened.
 */
export function resultsOf(targets: readonly RemovalTarget[], body: unknown): RemoveResult[] {
  const reports = reportsOf(body);
  return targets.map((t): RemoveResult => {
    const areaId = localOf(t.room);
    const user = localOf(t.user);
    const r = reports.get(areaId);
    // Removed wins: if a repeated area both removed and skipped the user, the user is out either way.
    if (r?.removed.has(user)) return { outcome: 'removed' };
    if (r?.notUpdated.has(user)) return { outcome: 'not_member' };
    if (r?.error !== undefined) {
      if (UNKNOWN_AREA.test(r.error)) return { outcome: 'denied', code: 'room-not-found' };
      return { outcome: 'failed', code: 'area-error', hint: r.error };
    }
    return { outcome: 'failed', code: 'no-answer', hint: 'feedback.house did not report on this user' };
  });
}
