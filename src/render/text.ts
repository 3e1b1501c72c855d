import type {
  ConfirmReply,
  Id,
  PairResult,
  PlanGroup,
  Reply,
  ResultReply,
  SystemPlan,
  SystemResult,
} from '../core/index.js';

/** Plain-text rendering of a reply: the console's output and every platform's fallback text. */

const MAX_LINES = 30;

const CODE_TEXT: Record<string, string> = {
  'room-not-found': 'no such room, or you cannot see it',
  'not-allowed': 'you may not remove users there',
  self: 'use /leave to leave a room yourself',
  protected: 'this user is protected',
  hierarchy: 'their highest role is not below yours and the bot’s',
  'last-owner': 'they are the last owner of the room',
};

/**
 * Where a pair's line goes: problems first (denied, failed, unsupported, then cancelled: not done, but nothing went
 * wrong), then done, then nothing to do.
 */
const ORDER: Record<string, number> = {
  denied: 0,
  failed: 1,
  unsupported: 2,
  cancelled: 3,
  removed: 4,
  restored: 4,
  not_member: 5,
  already_member: 5,
};
const OK_OUTCOMES = new Set(['removed', 'restored', 'not_member', 'already_member']);
/** Problem lines shown however long the list is; past this, a count. */
export const MAX_PROBLEM_LINES = 50;

const OUTCOME_WORDS: Record<string, string> = {
  removed: 'removed',
  restored: 're-added',
  not_member: 'not a member',
  already_member: 'already a member',
  cancelled: 'cancelled',
};

/**
 * The lines of a result, problems first. When the list is cut at `max` lines, every problem is still shown (up to
 * {@link MAX_PROBLEM_LINES}, then a count), and the lines left out are counted by outcome.
 */
export function resultLines(
  results: readonly PairResult<string>[],
  label: (id: Id) => string,
  max: number,
  /** After a count of lines left out (a result's summary line counts them all; a prompt has none). */
  countedIn = ' (the summary counts them all)',
): string[] {
  const sorted = results
    .map((r, i) => ({ r, i }))
    .sort((a, b) => (ORDER[a.r.outcome] ?? 3) - (ORDER[b.r.outcome] ?? 3) || a.i - b.i)
    .map(({ r }) => r);
  if (sorted.length <= max) return sorted.map((r) => pairLine(r, label));
  const problems = sorted.filter((r) => !OK_OUTCOMES.has(r.outcome));
  const fine = sorted.filter((r) => OK_OUTCOMES.has(r.outcome));
  const lines = problems.slice(0, MAX_PROBLEM_LINES).map((r) => pairLine(r, label));
  if (problems.length > MAX_PROBLEM_LINES) {
    const left = problems.slice(MAX_PROBLEM_LINES);
    const what = left.every((r) => r.outcome === 'cancelled')
      ? 'cancelled'
      : left.some((r) => r.outcome === 'cancelled')
        ? 'refused, failed, unsupported or cancelled'
        : 'refused, failed or unsupported';
    lines.push(`…and ${fmt(left.length)} more ${what}${countedIn}`);
  }
  const room = Math.max(0, max - lines.length - 1);
  lines.push(...fine.slice(0, room).map((r) => pairLine(r, label)));
  const hidden = fine.slice(room);
  if (hidden.length > 0) {
    const counts = new Map<string, number>();
    for (const r of hidden) counts.set(r.outcome, (counts.get(r.outcome) ?? 0) + 1);
    const parts = [...counts].map(([o, n]) => `${fmt(n)} ${OUTCOME_WORDS[o] ?? o}`);
    lines.push(`…and ${fmt(hidden.length)} more: ${parts.join(', ')}${countedIn}`);
  }
  return lines;
}

const fmt = (n: number) => n.toLocaleString('en');

export function pairLine(r: PairResult<string>, label: (id: Id) => string): string {
  const user = label(r.user);
  const room = label(r.room);
  const why = r.hint ?? (r.code ? CODE_TEXT[r.code] : undefined);
  const detail = `${r.code ? ` (${r.code})` : ''}${why ? `: ${why}` : ''}`;
  switch (r.outcome) {
    case 'removed':
      return `✓ ${user} removed from ${room}`;
    case 'restored':
      return `✓ ${user} re-added to ${room}`;
    case 'not_member':
      return `· ${user} was not in ${room}`;
    case 'already_member':
      return `· ${user} was already in ${room}`;
    case 'cancelled':
      return `✗ ${user} in ${room}: cancelled before it started`;
    default:
      return `✗ ${user} in ${room}: ${r.outcome.replace('_', ' ')}${detail}`;
  }
}

function resultText(reply: ResultReply): string {
  const label = (id: Id) => reply.labels[id] ?? id;
  const lines = resultLines(reply.results, label, MAX_LINES);
  for (const a of reply.areas ?? []) {
    const parts = [`removed ${a.users.map(label).join(', ') || 'nobody'}`];
    if (a.usersNotUpdated.length) parts.push(`not in the area: ${a.usersNotUpdated.map(label).join(', ')}`);
    if (a.errors.length) parts.push(`${a.errors.length} not removed`);
    lines.push(`area ${a.area}: ${parts.join('; ')}`);
  }
  for (const sys of reply.systems ?? []) lines.push(systemLine(sys));
  lines.push(`${reply.summary} · case ${reply.caseId}`);
  if (reply.note) lines.push(reply.note);
  return lines.join('\n');
}

/** An offboarding's (or its undo's) line for one system: `Slack: Removed 3 | … (no undo: …)`. */
export function systemLine(sys: SystemResult): string {
  const note = sys.hint ? ` (${sys.undo ? '' : 'no undo: '}${sys.hint})` : '';
  return `${sys.name}: ${sys.summary}${note}`;
}

/** An offboarding plan's line for one system: rooms, removals, who is protected, what cannot be undone. */
export function systemPlanLine(sys: SystemPlan, label: (id: Id) => string): string {
  const parts = [`${fmt(sys.rooms)} room${sys.rooms === 1 ? '' : 's'}, would remove ${fmt(sys.removals)}`];
  if (sys.protectedUsers.length > 0) parts.push(`protected: ${sys.protectedUsers.map(label).join(', ')}`);
  const refused = Object.entries(sys.refused).map(([code, n]) => `${code} ${fmt(n)}`);
  if (refused.length > 0) parts.push(`not removed: ${refused.join(', ')}`);
  if (!sys.undo) parts.push(`cannot be undone${sys.hint ? ` (${sys.hint})` : ''}`);
  else if (sys.hint) parts.push(sys.hint);
  return `${sys.name}: ${parts.join('; ')}`;
}

export function renderText(reply: Reply): string {
  switch (reply.kind) {
    case 'result':
      return resultText(reply);
    case 'usage':
      return reply.usage ? `${reply.message}\nUsage: ${reply.usage}` : reply.message;
    case 'confirm':
      return [reply.message, ...confirmLines(reply).map((l) => `  ${l}`)].join('\n');
    case 'info':
    case 'refused':
    case 'error':
      return reply.message;
  }
}

/** Refused pairs listed in a confirmation prompt; the others are counted. */
const MAX_REFUSED_LINES = 20;

/** The plan of a confirmation prompt: who would be removed from where, who is already absent, who is refused and why. */
export function confirmLines(reply: ConfirmReply): string[] {
  const label = (id: Id) => reply.labels[id] ?? id;
  const group = (g: PlanGroup) =>
    `${label(g.room)}: ${g.users.map(label).join(', ')}${g.more > 0 ? ` and ${fmt(g.more)} more` : ''}`;
  const lines = [
    ...(reply.systems ?? []).map((sys) => systemPlanLine(sys, label)),
    ...(reply.removing ?? []).map((g) => `Would remove from ${group(g)}`),
    ...(reply.absent ?? []).map((g) => `Already absent from ${group(g)}`),
  ];
  lines.push(...resultLines(reply.refused, label, MAX_REFUSED_LINES, ''));
  return lines;
}
