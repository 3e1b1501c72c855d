import { ConnectorError } from '../../core/errors.js';

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

export interface Refusal {
  outcome: 'denied' | 'failed';
  code: string;
  hint: string;
}

/**
 * What a non-200 answer about a group means. The hints name the credential, never its value: they end up in
 * replies and the audit log.
 */
export function refusal(status: number, group: string): Refusal {
  switch (status) {
    case 404:
      return { outcome: 'denied', code: 'room-not-found', hint: `DocSpace has no group ${group}` };
    case 401:
      return { outcome: 'failed', code: 'unauthorized', hint: "DocSpace refused kickbot's API key" };
    case 403:
      return {
        outcome: 'failed',
        code: 'forbidden',
        hint: "kickbot's DocSpace API key needs the permission to edit groups (add and remove their members)",
      };
    default:
      return { outcome: 'failed', code: `docspace-${status}`, hint: `DocSpace answered ${status}` };
  }
}

/** The same refusal as an error, where a method has no result to carry it (`getRoom`, `getMembers`). */
export function refusalError(status: number, group: string): ConnectorError {
  const { code, hint } = refusal(status, group);
  return new ConnectorError(code, { message: `DocSpace answered ${status} about group ${group}`, hint });
}
