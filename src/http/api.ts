import type { z } from 'zod';
import { areaResults, makeId, type PairResult } from '../core/index.js';
import { Body, type Removal, requestFingerprint } from './api-body.js';
import {
  type ApiOptions,
  type Batch,
  batchRoute,
  besideActor,
  type ItemContext,
  pairEntry,
  userMention,
} from './api-route.js';
import type { Handler } from './server.js';

/**
 * kickbot's own HTTP API for scripts: `POST /api/v1/removals`, in the feedback.house style, through the route
 * every API call shares (api-route.ts; `POST /api/v1/offboardings` is offboardings.ts). Each removal runs on its own,
 * as a command of the actor's (`/remove-area` for an area, `/kick` for a room) with the same permission checks,
 * and the answer carries one result per area or room and a summary. The call itself is the confirmation:
 * batches over the threshold run without asking.
 */

export type { ApiOptions } from './api-route.js';

/** `POST /api/v1/removals`. */
export function apiRoute(opts: ApiOptions): Handler {
  return batchRoute(opts, REMOVALS);
}

const REMOVALS: Batch<z.infer<typeof Body>, Removal> = {
  body: Body,
  actor: (body) => body.actor,
  items: (body) => body.removals,
  fingerprint: (body, home) => requestFingerprint(body.actor, body.removals, home),
  invocation: removalInvocation,
  entry(reply, removal, show) {
    const area = removal.area === undefined ? undefined : areaResults(reply.results as PairResult[])[0];
    return {
      ...(removal.area !== undefined ? { area: removal.area } : { room: removal.room as string }),
      ...pairEntry(reply, show, area),
    };
  },
  shown: (removal) => removal,
};

/** The removal as a command of the actor's platform, built from its ids (never from text), or what is wrong with it. */
function removalInvocation(ctx: ItemContext, removal: Removal) {
  const { actor, home } = ctx;
  const users: string[] = [];
  for (const ref of removal.users) {
    const mention = userMention(ctx, ref);
    if (typeof mention !== 'string') return mention.error;
    users.push(mention);
  }
  // A room of the actor's platform as it writes it (`<#C1>`, `#general`); `#<system>:<id>` names another system's.
  const bare = removal.room?.replace(/^#/, '');
  const here = bare === undefined || /^[a-z]+:\S+$/.test(bare) ? undefined : besideActor(actor, bare);
  const room =
    here !== undefined ? ctx.opts.core.mention(here, 'room') : bare === undefined ? undefined : `#${bare}`;
  const reason = {
    ...(removal.reason ? { reason: removal.reason } : {}),
    ...(removal.for !== undefined ? { for: removal.for } : {}),
    ...(removal.dm !== undefined ? { dm: removal.dm } : {}),
  };
  return {
    platform: home,
    workspace: ctx.workspace,
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
  };
}
