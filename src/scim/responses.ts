import type { IncomingMessage, ServerResponse } from 'node:http';
import type { StoredScimUser } from './ScimStore.js';
import { ERROR_SCHEMA, LIST_SCHEMA, USER_SCHEMA } from './schema.js';

/** RFC 7644 §3.12's scimType values kickbot answers with. */
export type ScimType =
  | 'invalidFilter'
  | 'tooMany'
  | 'uniqueness'
  | 'mutability'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'noTarget'
  | 'invalidValue';

export function sendScim(
  res: ServerResponse,
  status: number,
  body?: unknown,
  headers: Record<string, string> = {},
): void {
  if (body === undefined) return void res.writeHead(status, headers).end();
  res
    .writeHead(status, { 'content-type': 'application/scim+json; charset=utf-8', ...headers })
    .end(JSON.stringify(body));
}

/** An error in the SCIM error schema (RFC 7644 §3.12): `status` is a string there. */
export function scimError(
  res: ServerResponse,
  status: number,
  detail: string,
  scimType?: ScimType,
  headers: Record<string, string> = {},
): void {
  sendScim(
    res,
    status,
    { schemas: [ERROR_SCHEMA], status: String(status), ...(scimType ? { scimType } : {}), detail },
    headers,
  );
}

/** A host header fit to build a URL from (a name or address, and a port). */
const HOST = /^(?:[a-z0-9.-]{1,253}|\[[0-9a-f:.]{2,45}\])(?::\d{1,5})?$/i;

/** Where the SCIM resources are: `<baseUrl>/scim/v2`, else from the request's Host, else a path. */
export function scimBase(req: IncomingMessage, baseUrl: string | undefined): string {
  if (baseUrl !== undefined) return `${baseUrl.replace(/\/+$/, '')}/scim/v2`;
  const host = req.headers.host;
  return host && HOST.test(host) ? `http://${host}/scim/v2` : '/scim/v2';
}

/** meta.version: a weak entity tag of the version number (RFC 7643 §3.1, RFC 9110 §8.8.3). */
export const versionTag = (user: StoredScimUser) => `W/"${user.version}"`;

/** The attributes kickbot keeps, as RFC 7643 §4.1 writes them (without `meta`). */
export function userAttributes(user: StoredScimUser) {
  return {
    schemas: [USER_SCHEMA],
    id: user.id,
    ...(user.externalId !== undefined ? { externalId: user.externalId } : {}),
    userName: user.userName,
    ...(user.name ? { name: user.name } : {}),
    ...(user.displayName !== undefined ? { displayName: user.displayName } : {}),
    emails: user.emails,
    active: user.active,
  };
}

/** The user as RFC 7643 §4.1 writes it, with the attributes kickbot keeps. */
export function userResource(user: StoredScimUser, base: string): Record<string, unknown> {
  return {
    ...userAttributes(user),
    meta: {
      resourceType: 'User',
      created: user.created,
      lastModified: user.lastModified,
      location: `${base}/Users/${user.id}`,
      version: versionTag(user),
    },
  };
}

export function listResponse(
  resources: unknown[],
  total: number,
  startIndex: number,
): Record<string, unknown> {
  return {
    schemas: [LIST_SCHEMA],
    totalResults: total,
    startIndex,
    itemsPerPage: resources.length,
    Resources: resources,
  };
}
