import { displayId, makeId, platformOf, type ResultReply } from '../core/index.js';
import { type Offboarding, OffboardingBody, offboardingFingerprint, userId } from './api-body.js';
import { type ApiOptions, type Batch, batchRoute, pairEntry, userMention } from './api-route.js';
import type { Handler } from './server.js';

/**
 * `POST /api/v1/offboardings`: `{"actor", "users", "reason"}`, each user out of everything kickbot reaches. Each
 * user runs as its own `/offboard` of the actor's, confirmed by the call itself, so each gets its own case; the
 * answer is the removals' one (api.ts) with one entry per user, its line per system and its summary.
 */
export function offboardingsRoute(opts: ApiOptions): Handler {
  return batchRoute(opts, OFFBOARDINGS);
}

/**
 * Every pair of the offboarding by outcome, from its lines per system (which count the pairs not listed too). Every
 * outcome is always there, `cancelled` too (0 unless `/kickbot cancel` stopped it), so a script reads fixed keys.
 */
function countsOf(reply: ResultReply): Record<string, number> {
  const out: Record<string, number> = {
    removed: 0,
    not_member: 0,
    denied: 0,
    unsupported: 0,
    failed: 0,
    cancelled: 0,
  };
  for (const s of reply.systems ?? []) {
    for (const [k, n] of Object.entries(s.counts)) {
      const outcome = k === 'notMember' ? 'not_member' : k;
      out[outcome] = (out[outcome] ?? 0) + n;
    }
  }
  return out;
}

/** One user of the request: as given, and as the answer names them (the same however the request wrote them). */
interface Item {
  ref: string;
  user: string;
  reason: string | undefined;
  dm: boolean | undefined;
}

const OFFBOARDINGS: Batch<Offboarding, Item> = {
  body: OffboardingBody,
  actor: (body) => body.actor,
  items(body) {
    const home = platformOf(body.actor);
    return body.users.map((ref) => ({
      ref,
      user: displayId(userId(home, ref), home),
      reason: body.reason,
      dm: body.dm,
    }));
  },
  fingerprint: (body, home) => offboardingFingerprint(body, home),
  invocation(ctx, { ref, reason, dm }) {
    const mention = userMention(ctx, ref);
    if (typeof mention !== 'string') return mention.error;
    return {
      platform: ctx.home,
      workspace: ctx.workspace,
      actor: ctx.actor,
      // Typed in no room: the case and this answer carry the results.
      channel: makeId(ctx.home, 'api'),
      command: 'offboard',
      input: {
        refs: {
          users: [mention],
          rooms: [],
          ...(reason ? { reason } : {}),
          ...(dm !== undefined ? { dm } : {}),
        },
      },
      confirmed: true,
    };
  },
  entry: (reply, { user }, show) => ({
    user,
    ...pairEntry(reply, show),
    systems: (reply.systems ?? []).map((s) => ({
      system: s.system,
      name: s.name,
      summary: s.summary,
      undo: s.undo,
      ...(s.hint ? { hint: s.hint } : {}),
    })),
    counts: countsOf(reply),
    ...(reply.more ? { more: reply.more } : {}),
    message: reply.summary,
  }),
  shown: ({ user }) => ({ user }),
};
