import { ConnectorError } from '../../core/index.js';
import { type SeedSystem, type StatusOutcome, statusError, statusOutcome } from '../seed/statuses.js';

/**
 * Reading DocSpace's answers. Every answer is wrapped as `{status, response, count, statusCode}`; the group
 * calls answer a `GroupDto` (`{id, name, manager, members:[{id, displayName…}]…}`). UUIDs are compared in
 * lower case: DocSpace writes them so, while an id typed into kickbot's config may not be.
 */

/** The parts of a `GroupDto` kickbot reads. */
export interface DocSpaceGroup {
  id: string;
  name: string;
  /** Lower-case user UUIDs; undefined when the answer carries no member list. */
  members: string[] | undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The group inside an envelope; undefined when the answer is not one (`response: true` on some portals). */
export function groupOf(body: unknown): DocSpaceGroup | undefined {
  if (!isRecord(body) || !isRecord(body.response)) return undefined;
  const { id, name, members } = body.response;
  if (typeof id !== 'string' || typeof name !== 'string') return undefined;
  return {
    id,
    name,
    members: Array.isArray(members)
      ? members.flatMap((m) => (isRecord(m) && typeof m.id === 'string' ? [m.id.toLowerCase()] : []))
      : undefined,
  };
}

/** A 200 that says nothing kickbot can read: retrying would not help, so it is not retryable. */
export function badAnswer(what: string): ConnectorError {
  return new ConnectorError('docspace-bad-answer', {
    message: `DocSpace answered ${what}`,
    hint: 'DocSpace answered in a shape kickbot does not know',
  });
}

/**
 * DocSpace's statuses (`statuses.ts`): a 404 is an unknown group, a 403 a key without the right to edit groups.
 * The hints name the credential, never its value: they end up in replies and the audit log.
 */
export const DOCSPACE: SeedSystem = {
  id: 'docspace',
  name: 'DocSpace',
  credential: 'API key',
  forbidden: {
    outcome: 'failed',
    code: 'forbidden',
    hint: () =>
      "kickbot's DocSpace API key needs the permission to edit groups (add and remove their members)",
  },
  room: 'group',
};

/** What a non-200 answer about a group means. */
export function refusal(status: number, group: string): StatusOutcome {
  return statusOutcome(DOCSPACE, status, { room: group });
}

/** The same refusal as an error, where a method has no result to carry it (`room`, `members`). */
export function refusalError(status: number, group: string): ConnectorError {
  return statusError(refusal(status, group), `DocSpace answered ${status} about group ${group}`);
}
