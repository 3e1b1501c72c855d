import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../core/index.js';
import { type Route, readBody } from '../http/server.js';
import type { ScimActions } from './actions.js';
import { BackgroundWork } from './BackgroundWork.js';
import { listOf, serviceProviderConfig, userResourceType, userSchema } from './discovery.js';
import type { OffboardingDeps } from './offboarding.js';
import { scimBase, scimError } from './responses.js';
import type { ScimStore } from './ScimStore.js';
import { USER_SCHEMA } from './schema.js';
import {
  createUser,
  getUser,
  listUsers,
  patchUserRoute,
  removeUser,
  replaceUser,
  type UserCall,
} from './users.js';

export interface ScimRoutesOptions {
  /** KICKBOT_SCIM_TOKEN: what the identity provider sends as `Authorization: Bearer`. */
  token: string;
  store: ScimStore;
  actions: ScimActions;
  logger: Logger;
  /** The public URL `kickbot serve` is reached at (https://kickbot.example.org): meta.location is built from it. Default: the request's Host. */
  baseUrl?: string;
  /** Where offboardings run after the answer; share one with the Okta hook, and await `settled()` at shutdown. */
  work?: BackgroundWork;
}

export const SCIM_PREFIX = '/scim/v2';
const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const JSON_TYPES = /^application\/(scim\+)?json\s*(;|$)/i;

const digest = (s: string) => createHash('sha256').update(s).digest();

/** The bearer token compared in constant time (through digests, so that lengths do not show either). */
export function bearerMatches(req: IncomingMessage, token: string): boolean {
  const given = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
  return timingSafeEqual(digest(given), digest(token));
}

type Endpoint = (call: UserCall, id: string) => Promise<void> | void;

/** Per path shape, per method. */
function endpoints(path: string): { methods: Record<string, Endpoint>; id: string } | undefined {
  const [first, second, ...rest] = path.split('/').filter((s) => s !== '');
  if (rest.length > 0 || first === undefined) return undefined;
  const discovery = (document: (base: string) => unknown): Record<string, Endpoint> => ({
    GET: (call) => sendDocument(call, document(call.base)),
  });
  switch (first) {
    case 'ServiceProviderConfig':
      return second === undefined ? { methods: discovery(serviceProviderConfig), id: '' } : undefined;
    case 'ResourceTypes':
      if (second === undefined) return { methods: discovery((b) => listOf([userResourceType(b)])), id: '' };
      return second === 'User' ? { methods: discovery(userResourceType), id: '' } : undefined;
    case 'Schemas':
      if (second === undefined) return { methods: discovery((b) => listOf([userSchema(b)])), id: '' };
      return safeDecode(second) === USER_SCHEMA ? { methods: discovery(userSchema), id: '' } : undefined;
    case 'Users':
      if (second === undefined) return { methods: { GET: listUsers, POST: createUser }, id: '' };
      return {
        methods: { GET: getUser, PUT: replaceUser, PATCH: patchUserRoute, DELETE: removeUser },
        id: second,
      };
    default:
      return undefined;
  }
}

function safeDecode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

function sendDocument(call: UserCall, document: unknown): void {
  call.res
    .writeHead(200, { 'content-type': 'application/scim+json; charset=utf-8' })
    .end(JSON.stringify(document));
}

/**
 * kickbot's SCIM 2.0 service provider (RFC 7643 / RFC 7644), mounted at `/scim/v2`: discovery, and Users whose
 * deactivation (or deletion) offboards the linked person in the background through `actions`.
 */
export function scimRoutes(opts: ScimRoutesOptions): Record<string, Route> {
  const deps: OffboardingDeps = {
    store: opts.store,
    actions: opts.actions,
    logger: opts.logger,
    work: opts.work ?? new BackgroundWork(),
  };
  const handler = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!bearerMatches(req, opts.token)) {
      return scimError(res, 401, 'missing or wrong bearer token (Authorization: Bearer …)', undefined, {
        'www-authenticate': 'Bearer realm="kickbot SCIM"',
      });
    }
    const url = new URL(req.url ?? '/', 'http://kickbot');
    const found = endpoints(url.pathname.slice(SCIM_PREFIX.length));
    if (!found) return scimError(res, 404, `no SCIM endpoint at ${url.pathname.slice(0, 200)}`);
    const endpoint = found.methods[req.method ?? ''];
    if (!endpoint) {
      const allow = Object.keys(found.methods).join(', ');
      return scimError(res, 405, `${req.method} is not allowed here; use ${allow}`, undefined, { allow });
    }
    if (found.id !== '' && !ID.test(found.id))
      return scimError(res, 404, `no User with id ${JSON.stringify(found.id.slice(0, 64))}`);
    const call: UserCall = { req, res, deps, base: scimBase(req, opts.baseUrl), query: url.searchParams };
    if (req.method === 'POST' || req.method === 'PUT' || req.method === 'PATCH') {
      const body = await jsonBody(req, res);
      if (body === undefined) return;
      call.body = body.json;
    }
    await endpoint(call, found.id);
  };
  return { [`${SCIM_PREFIX}/*`]: handler };
}

/** The request's JSON, or undefined once a SCIM error was answered (415, 413, 400 invalidSyntax). */
async function jsonBody(req: IncomingMessage, res: ServerResponse): Promise<{ json: unknown } | undefined> {
  const type = req.headers['content-type'] ?? '';
  if (!JSON_TYPES.test(type)) {
    scimError(
      res,
      415,
      `send application/scim+json (or application/json), not ${JSON.stringify(type.slice(0, 80))}`,
    );
    return undefined;
  }
  const raw = await readBody(req);
  if (!raw) {
    scimError(res, 413, 'the request body is too large');
    return undefined;
  }
  try {
    const json: unknown = JSON.parse(raw.toString('utf8'));
    if (typeof json === 'object' && json !== null && !Array.isArray(json)) return { json };
    scimError(res, 400, 'the body must be a JSON object', 'invalidSyntax');
  } catch {
    scimError(res, 400, 'the body is not JSON', 'invalidSyntax');
  }
  return undefined;
}
