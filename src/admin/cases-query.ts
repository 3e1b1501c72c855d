import { OUTCOME_WORDS, sinceProblem, sinceTime } from '../core/index.js';

/**
 * The search form's fields as they come in the URL of `/admin/cases`, checked: every field bounded, dates real
 * days, the paging cursor (`before`) and the trail of the pages before it (`trail`, for Previous) whole numbers.
 */

/** The longest query string the search takes (the form's fields, the cursor and its trail). */
export const MAX_QUERY = 2_000;
/** The longest user, moderator or room reference. */
const MAX_REF = 200;
/** Pages remembered for Previous. */
const MAX_TRAIL = 100;
const DAY_MS = 86_400_000;

export interface SearchForm {
  ws: string;
  user: string;
  by: string;
  room: string;
  outcome: string;
  from: string;
  to: string;
  /** Opened at or after, before (ms): the days of `from` and `to`, `to` whole. */
  fromMs?: number;
  toMs?: number;
  before?: number;
  /** Where each earlier page started, oldest first (0: the first page, from the newest case). */
  trail: number[];
}

export const FIELDS = ['ws', 'user', 'by', 'room', 'outcome', 'from', 'to'] as const;

export function readSearch(url: URL): { ok: true; form: SearchForm } | { ok: false; problem: string } {
  if (url.search.length > MAX_QUERY)
    return { ok: false, problem: `the search is too long (at most ${MAX_QUERY} characters)` };
  const get = (name: string) => (url.searchParams.get(name) ?? '').trim();
  const form: SearchForm = {
    ws: get('ws'),
    user: get('user'),
    by: get('by'),
    room: get('room'),
    outcome: get('outcome'),
    from: get('from'),
    to: get('to'),
    trail: [],
  };
  for (const [name, label] of [
    ['user', 'user'],
    ['by', 'moderator'],
    ['room', 'room'],
  ] as const) {
    if (form[name].length > MAX_REF) return { ok: false, problem: `the ${label} is too long` };
  }
  if (form.outcome !== '' && !(form.outcome in OUTCOME_WORDS))
    return { ok: false, problem: `there is no outcome "${form.outcome.slice(0, 40)}"` };
  for (const name of ['from', 'to'] as const) {
    if (form[name] === '') continue;
    const at = dayOf(form[name]);
    if (at === undefined) return { ok: false, problem: `${name} is not a date (YYYY-MM-DD)` };
    if (name === 'from') form.fromMs = at;
    else form.toMs = at + DAY_MS;
  }
  const before = get('before');
  if (before !== '') {
    if (!/^\d{1,9}$/.test(before) || Number(before) < 1)
      return { ok: false, problem: 'the page to start at is not a case number' };
    form.before = Number(before);
  }
  const trail = get('trail');
  if (trail !== '') {
    const parts = trail.split(',');
    if (parts.length > MAX_TRAIL || parts.some((p) => !/^\d{1,9}$/.test(p)))
      return { ok: false, problem: 'the earlier pages are not case numbers' };
    form.trail = parts.map(Number);
  }
  return { ok: true, form };
}

/** UTC midnight of a `YYYY-MM-DD` that names a real day (as `since 2026-11-01` reads it). */
function dayOf(text: string): number | undefined {
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && sinceProblem(text) === undefined
    ? sinceTime(text, 0)
    : undefined;
}

/** `/admin/cases?…` with the form's filters and a place to start (`before`; 0 or none: the newest), `trail`. */
export function searchHref(form: SearchForm, page: { before?: number; trail: number[] }): string {
  const q = new URLSearchParams();
  for (const name of FIELDS) if (form[name] !== '') q.set(name, form[name]);
  if (page.before) q.set('before', String(page.before)); // 0: the top (the first page)
  if (page.trail.length > 0) q.set('trail', page.trail.join(','));
  const text = q.toString();
  return text === '' ? '/admin/cases' : `/admin/cases?${text}`;
}
