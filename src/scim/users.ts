import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { MAX_RESULTS } from './discovery.js';
import { changeUser, deleteUser, type OffboardingDeps } from './offboarding.js';
import { listResponse, scimError, sendScim, userResource, versionTag } from './responses.js';
import { describeIssues, PatchInput, UserInput } from './schema.js';
import { InvalidFilter, parseFilter } from './scim-filter.js';
import { dataOf, patchUser, type Refusal } from './user-patch.js';

/** The /Users endpoints (RFC 7644 §3.3–3.6). `body` is the parsed JSON of a POST, PUT or PATCH. */
export interface UserCall {
  req: IncomingMessage;
  res: ServerResponse;
  deps: OffboardingDeps;
  base: string;
  query: URLSearchParams;
  body?: unknown;
}

const now = () => new Date().toISOString();

function answerUser(call: UserCall, status: number, user: Parameters<typeof userResource>[0]): void {
  const resource = userResource(user, call.base);
  const headers: Record<string, string> = { etag: versionTag(user) };
  if (status === 201) headers.location = `${call.base}/Users/${user.id}`;
  sendScim(call.res, status, resource, headers);
}

const notFound = (call: UserCall, id: string) =>
  scimError(call.res, 404, `no User with id ${JSON.stringify(id)}`);

const busy = (call: UserCall) =>
  scimError(call.res, 503, 'this user is being changed by other requests; try again', undefined, {
    'retry-after': '1',
  });

/** A page parameter: a whole number, or 400 invalidValue naming it. */
function pageParam(query: URLSearchParams, name: string, fallback: number): number | string {
  const raw = query.get(name);
  if (raw === null || raw === '') return fallback;
  if (!/^-?\d{1,15}$/.test(raw))
    return `${name} must be a whole number, got ${JSON.stringify(raw.slice(0, 20))}`;
  return Number(raw);
}

export async function listUsers(call: UserCall): Promise<void> {
  const start = pageParam(call.query, 'startIndex', 1);
  const count = pageParam(call.query, 'count', MAX_RESULTS);
  if (typeof start === 'string') return scimError(call.res, 400, start, 'invalidValue');
  if (typeof count === 'string') return scimError(call.res, 400, count, 'invalidValue');
  // RFC 7644 §3.4.2.4: a startIndex below 1 is 1, a negative count is 0; kickbot caps the page at maxResults.
  const startIndex = Math.max(start, 1);
  const pageSize = Math.min(Math.max(count, 0), MAX_RESULTS);
  const text = call.query.get('filter');
  let filter: ReturnType<typeof parseFilter> | undefined;
  if (text !== null && text.trim() !== '') {
    try {
      filter = parseFilter(text);
    } catch (error) {
      if (!(error instanceof InvalidFilter)) throw error;
      return scimError(call.res, 400, error.message, 'invalidFilter');
    }
  }
  const page = await call.deps.store.list({ ...(filter ? { filter } : {}), startIndex, count: pageSize });
  sendScim(
    call.res,
    200,
    listResponse(
      page.users.map((u) => userResource(u, call.base)),
      page.total,
      startIndex,
    ),
  );
}

function userInput(call: UserCall): UserInput | undefined {
  const parsed = UserInput.safeParse(call.body);
  if (parsed.success) return parsed.data;
  scimError(call.res, 400, describeIssues(parsed.error), 'invalidValue');
  return undefined;
}

export async function createUser(call: UserCall): Promise<void> {
  const input = userInput(call);
  if (!input) return;
  const user = await call.deps.store.create(randomUUID(), dataOf(input, true), now());
  if (user === 'taken') {
    return scimError(
      call.res,
      409,
      `a User with userName ${JSON.stringify(input.userName)} already exists`,
      'uniqueness',
    );
  }
  answerUser(call, 201, user);
}

export async function getUser(call: UserCall, id: string): Promise<void> {
  const user = await call.deps.store.get(id);
  if (!user) return notFound(call, id);
  answerUser(call, 200, user);
}

/** PUT and PATCH: the change is computed from the latest version and made atomically; see changeUser. */
async function change(
  call: UserCall,
  id: string,
  compute: Parameters<typeof changeUser<Refusal>>[2],
): Promise<void> {
  const result = await changeUser<Refusal>(call.deps, id, compute, now);
  if (result === 'gone') return notFound(call, id);
  if (result === 'busy') return busy(call);
  if (result === 'taken') {
    return scimError(call.res, 409, 'another User already has this userName', 'uniqueness');
  }
  if ('refused' in result)
    return scimError(call.res, result.refused.status, result.refused.detail, result.refused.scimType);
  answerUser(call, 200, result.user);
}

export async function replaceUser(call: UserCall, id: string): Promise<void> {
  const input = userInput(call);
  if (!input) return;
  await change(call, id, (user) => ({ data: dataOf(input, user.active) }));
}

export async function patchUserRoute(call: UserCall, id: string): Promise<void> {
  const parsed = PatchInput.safeParse(call.body);
  if (!parsed.success) return scimError(call.res, 400, describeIssues(parsed.error), 'invalidSyntax');
  await change(call, id, (user) => patchUser(user, parsed.data));
}

export async function removeUser(call: UserCall, id: string): Promise<void> {
  const result = await deleteUser(call.deps, id);
  if (result === 'gone') return notFound(call, id);
  if (result === 'busy') return busy(call);
  sendScim(call.res, 204);
}
