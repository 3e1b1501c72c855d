import type { Id } from '../../core/index.js';

/** Slack ids in kickbot: `slack:T123` for a workspace, `slack:T123/U456` for a user, channel or user group in it. */
export const SLACK = 'slack';

export const workspaceId = (team: string): Id => `${SLACK}:${team}`;
export const slackId = (team: string, local: string): Id => `${SLACK}:${team}/${local}`;

/** `slack:T1/U2` → { team: 'T1', local: 'U2' }; `slack:T1` → { team: 'T1', local: '' }. */
export function splitSlackId(id: Id): { team: string; local: string } {
  const rest = id.slice(SLACK.length + 1);
  const slash = rest.indexOf('/');
  return slash < 0 ? { team: rest, local: '' } : { team: rest.slice(0, slash), local: rest.slice(slash + 1) };
}

/** A user group stands in for a room when an area has one: its id starts with S. */
export const isUsergroup = (local: string) => /^S[A-Z0-9]+$/.test(local);
