import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import {
  areaResults,
  ConnectorError,
  type Core,
  displayId,
  type Id,
  type Identities,
  type Invocation,
  localOf,
  makeId,
  type PairResult,
  platformOf,
  type Reply,
  StoreUnavailableError,
} from '../core/index.js';
import { renderText } from '../render/text.js';
import { Body, describe, idempotencyKey, type Removal, requestFingerprint, userId } from './api-body.js';
import { type Handler, readBody, sendJson } from './server.js';

/**
 * kickbot's own HTTP API for scripts (offboarding): `POST /api/v1/removals`, in the feedback.house style. Each
 * removal is evaluated on its own, as a command of the actor's (`/remove-area` for an area, `/kick` for a
 * room) with the same permission checks, and the answer carries one result per area or room and a summary.
 * The call itself is the confirmation: batches over the threshold run without asking.
 */

export interface ApiOptions {
  core: Core;
  /** The expected key (KICKBOT_API_KEY). */
  apiKey: string;
  identities: Identities;
  /** The platforms that can act here, with the workspace of each one that has a single one (the console's). */
  platforms: ReadonlyMap<string, Id | undefined>;
}

/** Per area or room, as feedback.house answers per area. */
interface EntryResult {
  area?: string;
  room?: string;
  case: number;
  users: string[];
  usersNotUpdated: string[];
  results: { room: string; user: string; outcome: string; code?: string; hint?: string }[];
}

/** 422, as the IETF Idempotency-Key draft and Stripe answer a used key sent with another request. */
const KEY_REUSED = {
  status: 'error',
  code: 'key-reused',
  message:
    'This Idempotency-Key was already used for a different request, so nothing more was done. Use a new key for a new request.',
};

/** The actor must be a user their platform knows: 400 when not, 503 when the platform cannot say. */
async function actorKnown(core: Core, actor: Id): Promise<true | { status: number; message: string }> {
  try {
    return (await core.userExists(actor)) || { status: 400, message: `actor: no such user ${actor}` };
  } catch (error) {
    if (!(error instanceof ConnectorError)) throw error;
    return {
      status: 503,
      message: `kickbot could not reach ${platformOf(actor)} to check the actor (${error.code}); nothing was done. Try again in a moment.`,
    };
  }
}

const STORE_DOWN = {
  status: 'error',
  code: 'store-unavailable',
  message: 'kickbot cannot reach its state store (Redis), so nothing was done. Try again in a moment.',
};

/** Binds the key to this request before anything runs: 422 when it was used for another one. */
async function bindKey(core: Core, key: string, fingerprint: string): Promise<true | 422 | 503> {
  try {
    return (await core.bindKey(`api-key:${key}`, fingerprint)) || 422;
  } catch (error) {
    if (error instanceof StoreUnavailableError) return 503;
    throw error;
  }
}

const digest = (s: string) => createHash('sha256').update(s).digest();

function authorized(req: IncomingMessage, key: string): boolean {
  const given = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
  return timingSafeEqual(digest(given), digest(key));
}

export function apiRoute(opts: ApiOptions): Handler {
  return async (req, res) => {
    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST');
      return sendJson(res, 405, { status: 'error', message: 'use POST' });
    }
    if (!authorized(req, opts.apiKey)) {
      res.setHeader('www-authenticate', 'Bearer');
      return sendJson(res, 401, {
        status: 'error',
        message: 'missing or wrong API key (Authorization: Bearer …)',
      });
    }
    const idempotency = idempotencyKey(req.headers['idempotency-key']);
    if ('error' in idempotency) return sendJson(res, 400, { status: 'error', message: idempotency.error });
    const { key } = idempotency;
    const raw = await readBody(req);
    if (!raw) return sendJson(res, 413, { status: 'error', message: 'the body is larger than 1 MB' });
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      return sendJson(res, 400, { status: 'error', message: 'the body is not JSON' });
    }
    const parsed = Body.safeParse(json);
    if (!parsed.success) return sendJson(res, 400, { status: 'error', message: describe(parsed.error) });
    const { actor, removals } = parsed.data;
    const home = platformOf(actor);
    if (!opts.platforms.has(home)) {
      const served = [...opts.platforms.keys()].join(', ');
      return sendJson(res, 400, {
        status: 'error',
        message: `actor: ${home} is not served here (${served})`,
      });
    }
    const known = await actorKnown(opts.core, actor);
    if (known !== true) {
      if (known.status === 503) res.setHeader('retry-after', '5');
      return sendJson(res, known.status, { status: 'error', message: known.message });
    }
    const fingerprint = key === undefined ? undefined : requestFingerprint(actor, removals, home);
    if (key !== undefined && fingerprint !== undefined) {
      const bound = await bindKey(opts.core, key, fingerprint);
      if (bound !== true) {
        if (bound === 503) res.setHeader('retry-after', '5');
        return sendJson(res, bound, bound === 422 ? KEY_REUSED : STORE_DOWN);
      }
    }
    const idem = key ?? randomUUID();
    const data: EntryResult[] = [];
    const errors: { data: Removal; message: string; code?: string }[] = [];
    for (const [i, removal] of removals.entries()) {
      const inv = invocationFor(opts, actor, removal, `${idem}#${i}`, fingerprint);
      if (typeof inv === 'string') {
        errors.push({ data: removal, message: inv });
        continue;
      }
      const reply = await opts.core.handle(inv);
      if (reply.kind === 'refused' && reply.code === 'key-reused') return sendJson(res, 422, KEY_REUSED);
      if (reply.kind === 'refused' && reply.code === 'already-running') {
        res.setHeader('retry-after', '5');
        return sendJson(res, 409, {
          status: 'error',
          code: 'key-in-use',
          message:
            'A request with this Idempotency-Key is still running; send it again later for its answer.',
        });
      }
      const entry = entryOf(reply, removal, home);
      if ('message' in entry) errors.push({ data: removal, ...entry });
      else data.push(entry);
    }
    if (errors.length > 0 && errors.every((e) => e.code === 'store-unavailable')) {
      res.setHeader('retry-after', '5');
      return sendJson(res, 503, { status: 'error', data, errors, message: errors[0]?.message });
    }
    const all = data.flatMap((d) => d.results);
    const count = (o: string) => all.filter((r) => r.outcome === o).length;
    const bad = count('denied') + count('unsupported') + count('failed') + errors.length;
    sendJson(res, 200, {
      status: bad === 0 ? 'ok' : count('removed') > 0 ? 'partial' : 'error',
      data,
      errors,
      message: `Removed ${count('removed')} | Not a member ${count('not_member')} | Denied ${count('denied')} | Failed ${count('failed') + count('unsupported')} | Errors ${errors.length}`,
    });
  };
}

/** The removal as a command of the actor's platform, built from its ids (never from text), or what is wrong with it. */
function invocationFor(
  opts: ApiOptions,
  actor: Id,
  removal: Removal,
  key: string,
  fingerprint: string | undefined,
): Invocation | string {
  const home = platformOf(actor);
  const workspace = opts.platforms.get(home) ?? makeId(home, localOf(actor).split('/')[0] ?? '');
  const users: string[] = [];
  for (const ref of removal.users) {
    const keyThere = opts.identities.keyOn(userId(home, ref), home);
    if (keyThere === undefined) return `users: ${ref} is not linked to a ${home} user (identities)`;
    users.push(opts.core.mention(besideActor(actor, keyThere), 'user'));
  }
  // A room of the actor's platform as it writes it (`<#C1>`, `#general`); `#<system>:<id>` names another system's.
  const bare = removal.room?.replace(/^#/, '');
  const here = bare === undefined || /^[a-z]+:\S+$/.test(bare) ? undefined : besideActor(actor, bare);
  const room =
    here !== undefined ? opts.core.mention(here, 'room') : bare === undefined ? undefined : `#${bare}`;
  const reason = removal.reason ? { reason: removal.reason } : {};
  return {
    id: makeId('api', key),
    platform: home,
    workspace,
    actor,
    channel: here ?? makeId(home, 'api'),
    command: removal.area !== undefined ? 'remove-area' : 'kick',
    input: {
      refs:
        removal.area !== undefined
          ? { area: removal.area, users, rooms: [], ...reason }
          : { users, rooms: room === undefined ? [] : [room], ...reason },
    },
    confirmed: true,
    ...(fingerprint !== undefined ? { fingerprint } : {}),
    receivedAt: Date.now(),
  };
}

/**
 * The id on the actor's platform, in the actor's workspace, of what its key there names: the actor's id with its
 * last segment replaced (`slack:T1/U1` and `U2` → `slack:T1/U2`; `console:ada` and `bob` → `console:bob`).
 */
const besideActor = (actor: Id, key: string): Id => actor.replace(/[^/:]*$/, key);

function entryOf(
  reply: Reply,
  removal: Removal,
  home: string,
): EntryResult | { message: string; code?: string } {
  if (reply.kind !== 'result') {
    return { message: renderText(reply), ...(reply.kind === 'refused' ? { code: reply.code } : {}) };
  }
  const show = (id: Id) => displayId(id, home);
  const area = removal.area === undefined ? undefined : areaResults(reply.results as PairResult[])[0];
  const users = area?.users ?? reply.results.filter((r) => r.outcome === 'removed').map((r) => r.user);
  const notUpdated =
    area?.usersNotUpdated ?? reply.results.filter((r) => r.outcome === 'not_member').map((r) => r.user);
  return {
    ...(removal.area !== undefined ? { area: removal.area } : { room: removal.room as string }),
    case: reply.caseId,
    users: [...new Set(users)].map(show),
    usersNotUpdated: [...new Set(notUpdated)].map(show),
    results: reply.results.map((r) => ({
      room: show(r.room),
      user: show(r.user),
      outcome: r.outcome,
      ...(r.code ? { code: r.code } : {}),
      ...(r.hint ? { hint: r.hint } : {}),
    })),
  };
}
