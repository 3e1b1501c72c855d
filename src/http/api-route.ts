import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { z } from 'zod';
import {
  ConnectorError,
  type Core,
  displayId,
  type Id,
  type Identities,
  type Invocation,
  localOf,
  makeId,
  platformOf,
  type ResultReply,
  StoreUnavailableError,
} from '../core/index.js';
import { renderText } from '../render/text.js';
import { describe, idempotencyKey, userId } from './api-body.js';
import { type Handler, readBody, sendJson } from './server.js';

/**
 * What every route of kickbot's HTTP API for scripts shares (`/api/v1/removals` in api.ts, `/api/v1/offboardings`
 * in offboardings.ts): the API key, the body's bounds, the actor's check, the Idempotency-Key bound to its request,
 * each item run as a command of the actor's, and the answer in the feedback.house style with a summary.
 */

export interface ApiOptions {
  core: Core;
  /** The expected key (KICKBOT_API_KEY). */
  apiKey: string;
  identities: Identities;
  /** The platforms that can act here, with the workspace of each one that has a single one (the console's). */
  platforms: ReadonlyMap<string, Id | undefined>;
}

/** Per area, room or offboarded user, as feedback.house answers per area. */
export interface EntryResult {
  area?: string;
  room?: string;
  /** An offboarding's user, as the request named them. */
  user?: string;
  case: number;
  users: string[];
  usersNotUpdated: string[];
  results: { room: string; user: string; outcome: string; code?: string; hint?: string }[];
  /** An offboarding's line per system. */
  systems?: { system: string; name: string; summary: string; undo: boolean; hint?: string }[];
  /** An offboarding's summary line. */
  message?: string;
  /** An offboarding's pairs by outcome, all of them (its `results` list at most 1,000). */
  counts?: Record<string, number>;
  /** A timed removal: when its pairs come back (ISO 8601). */
  until?: string;
  /** What the moderator would read about the run as a whole (a timer, direct messages not delivered). */
  note?: string;
  /** An offboarding's pairs not listed in `results`; its case holds them. */
  more?: number;
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

/**
 * One kind of request the API takes (removals, offboardings): its body, the request a key binds, and each of its
 * items as a command of the actor's. Everything else (the key, the body's bounds, the actor, the key's binding,
 * running the items one by one, the answer) is the same for every kind: `batchRoute`.
 */
export interface Batch<B, I> {
  body: z.ZodType<B>;
  actor(body: B): Id;
  items(body: B): readonly I[];
  fingerprint(body: B, home: string): string;
  /** The item as an invocation (its id and fingerprint are added), or what is wrong with it. */
  invocation(ctx: ItemContext, item: I): Omit<Invocation, 'id' | 'fingerprint' | 'receivedAt'> | string;
  /** The item's entry in `data` from its command's result. */
  entry(reply: ResultReply, item: I, show: (id: Id) => string): EntryResult;
  /** The item as `errors[].data` shows it. */
  shown(item: I): unknown;
}

/** What an item's command is built from: the actor, its platform and workspace, and how ids are written there. */
export interface ItemContext {
  opts: ApiOptions;
  actor: Id;
  home: string;
  workspace: Id;
}

export function batchRoute<B, I>(opts: ApiOptions, batch: Batch<B, I>): Handler {
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
    const parsed = batch.body.safeParse(json);
    if (!parsed.success) return sendJson(res, 400, { status: 'error', message: describe(parsed.error) });
    const body = parsed.data;
    const actor = batch.actor(body);
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
    const fingerprint = key === undefined ? undefined : batch.fingerprint(body, home);
    if (key !== undefined && fingerprint !== undefined) {
      const bound = await bindKey(opts.core, key, fingerprint);
      if (bound !== true) {
        if (bound === 503) res.setHeader('retry-after', '5');
        return sendJson(res, bound, bound === 422 ? KEY_REUSED : STORE_DOWN);
      }
    }
    const idem = key ?? randomUUID();
    const ctx: ItemContext = {
      opts,
      actor,
      home,
      workspace: opts.platforms.get(home) ?? makeId(home, localOf(actor).split('/')[0] ?? ''),
    };
    const show = (id: Id) => displayId(id, home);
    const data: EntryResult[] = [];
    const errors: { data: unknown; message: string; code?: string }[] = [];
    for (const [i, item] of batch.items(body).entries()) {
      const inv = batch.invocation(ctx, item);
      if (typeof inv === 'string') {
        errors.push({ data: batch.shown(item), message: inv });
        continue;
      }
      const reply = await opts.core.handle({
        ...inv,
        id: makeId('api', `${idem}#${i}`),
        ...(fingerprint !== undefined ? { fingerprint } : {}),
        receivedAt: Date.now(),
      });
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
      if (reply.kind === 'result') data.push(batch.entry(reply, item, show));
      else {
        errors.push({
          data: batch.shown(item),
          message: renderText(reply),
          ...(reply.kind === 'refused' ? { code: reply.code } : {}),
        });
      }
    }
    if (errors.length > 0 && errors.every((e) => e.code === 'store-unavailable')) {
      res.setHeader('retry-after', '5');
      return sendJson(res, 503, { status: 'error', data, errors, message: errors[0]?.message });
    }
    const count = (o: string) =>
      data.reduce(
        (n, d) => n + (d.counts ? (d.counts[o] ?? 0) : d.results.filter((r) => r.outcome === o).length),
        0,
      );
    // A cancelled pair (`/kickbot cancel` stopped the batch) was not done as asked: it counts like a refusal, and the
    // line names it only when there is one, as the core's summary line does.
    const cancelled = count('cancelled');
    const bad = count('denied') + count('unsupported') + count('failed') + cancelled + errors.length;
    sendJson(res, 200, {
      status: bad === 0 ? 'ok' : count('removed') > 0 ? 'partial' : 'error',
      data,
      errors,
      message: `Removed ${count('removed')} | Not a member ${count('not_member')} | Denied ${count('denied')} | Failed ${count('failed') + count('unsupported')}${cancelled > 0 ? ` | Cancelled ${cancelled}` : ''} | Errors ${errors.length}`,
    });
  };
}

/**
 * A user named by id, as the actor's platform writes a mention of them (through the identity links for a user of
 * another system), or what is wrong with it.
 */
export function userMention(ctx: ItemContext, ref: string): string | { error: string } {
  const keyThere = ctx.opts.identities.keyOn(userId(ctx.home, ref), ctx.home);
  if (keyThere === undefined)
    return { error: `users: ${ref} is not linked to a ${ctx.home} user (identities)` };
  return ctx.opts.core.mention(besideActor(ctx.actor, keyThere), 'user');
}

/** The parts of an entry every kind has: the case, who was removed and who was not there, one result per pair. */
export function pairEntry(
  reply: ResultReply,
  show: (id: Id) => string,
  area?: { users: Id[]; usersNotUpdated: Id[] },
): Pick<EntryResult, 'case' | 'users' | 'usersNotUpdated' | 'results' | 'until' | 'note'> {
  const users = area?.users ?? reply.results.filter((r) => r.outcome === 'removed').map((r) => r.user);
  const notUpdated =
    area?.usersNotUpdated ?? reply.results.filter((r) => r.outcome === 'not_member').map((r) => r.user);
  return {
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
    ...(reply.until !== undefined ? { until: new Date(reply.until).toISOString() } : {}),
    ...(reply.note ? { note: reply.note } : {}),
  };
}

/**
 * The id on the actor's platform, in the actor's workspace, of what its key there names: the actor's id with its
 * last segment replaced (`slack:T1/U1` and `U2` → `slack:T1/U2`; `console:ada` and `bob` → `console:bob`).
 */
export const besideActor = (actor: Id, key: string): Id => actor.replace(/[^/:]*$/, key);
