import type { Id } from '../core/ids.js';
import type { PairResult } from '../core/outcomes.js';
import type { Reply, ResultReply } from '../core/reply.js';

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
    default:
      return `✗ ${user} in ${room}: ${r.outcome.replace('_', ' ')}${detail}`;
  }
}

function resultText(reply: ResultReply): string {
  const label = (id: Id) => reply.labels[id] ?? id;
  const lines = reply.results.slice(0, MAX_LINES).map((r) => pairLine(r, label));
  if (reply.results.length > MAX_LINES)
    lines.push(`…and ${reply.results.length - MAX_LINES} more (the summary counts them all)`);
  for (const a of reply.areas ?? []) {
    const parts = [`removed ${a.users.map(label).join(', ') || 'nobody'}`];
    if (a.usersNotUpdated.length) parts.push(`not in the area: ${a.usersNotUpdated.map(label).join(', ')}`);
    if (a.errors.length) parts.push(`${a.errors.length} not removed`);
    lines.push(`area ${a.area}: ${parts.join('; ')}`);
  }
  lines.push(`${reply.summary} · case ${reply.caseId}`);
  if (reply.note) lines.push(reply.note);
  return lines.join('\n');
}

export function renderText(reply: Reply): string {
  switch (reply.kind) {
    case 'result':
      return resultText(reply);
    case 'usage':
      return reply.usage ? `${reply.message}\nUsage: ${reply.usage}` : reply.message;
    case 'confirm': {
      const label = (id: Id) => reply.labels[id] ?? id;
      const refused = reply.refused.slice(0, 10).map((r) => `  ${pairLine({ ...r }, label)}`);
      if (reply.refused.length > 10) refused.push(`  …and ${reply.refused.length - 10} more`);
      return [reply.message, ...refused].join('\n');
    }
    case 'info':
    case 'refused':
    case 'error':
      return reply.message;
  }
}
