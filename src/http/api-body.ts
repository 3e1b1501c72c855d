import { z } from 'zod';
import { durationMs, NO_TIMED_OFFBOARDING } from '../../commands/syntax.js';
import {
  controlIn,
  DEFAULT_LIMITS,
  fingerprintOf,
  type Id,
  makeId,
  printable,
  UsageError,
} from '../core/index.js';

/**
 * What `POST /api/v1/removals` and `POST /api/v1/offboardings` accept. Every id field holds exactly one id: the API builds the command from
 * these ids (never from text), so an id with a space, a mention sigil or a separator in it is refused here,
 * naming the field, rather than read as more users or rooms.
 */

/** One id: no whitespace, no `@ # ; < > | ,`, no control or format characters (bidi overrides, zero widths). */
const ONE_ID = /^[^\s@#;<>|,\p{Cc}\p{Cf}]+$/u;

/** The value as the message shows it: at most 40 characters, control characters escaped. */
function shown(value: unknown): string {
  const chars = [...String(value)];
  return `"${printable(chars.length > 40 ? `${chars.slice(0, 40).join('')}…` : chars.join(''))}"`;
}

/** One id of `kind`; one leading `sigil` (`@bob`, `#general`) is accepted and dropped. */
function oneId(kind: string, max: number, sigil?: '@' | '#') {
  return z
    .string()
    .max(max)
    .refine((v) => ONE_ID.test(sigil !== undefined && v.startsWith(sigil) ? v.slice(1) : v), {
      error: (issue) => `one ${kind} id, got ${shown(issue.input)}`,
    })
    .transform((v) => (sigil !== undefined && v.startsWith(sigil) ? v.slice(1) : v));
}

/** Users, one id each (`bob`, `@bob`, `rocketchat:rc-bob`), as many as one command may name. */
const Users = z
  .array(oneId('user', 200, '@'))
  .min(1, 'name at least one user')
  .max(DEFAULT_LIMITS.users);

const Reason = z
  .string()
  .max(512)
  .refine((v) => controlIn(v) === undefined, {
    error: (issue) => `no control characters (found ${controlIn(String(issue.input))})`,
  });

/** A timed removal's duration (`"2h"`), by the rules of `--for` (1 minute to 365 days). */
const For = z
  .string()
  .max(32)
  .superRefine((v, ctx) => {
    try {
      durationMs(v, 'for');
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      ctx.addIssue({ code: 'custom', message: error.message.replace(/^for /, '') });
    }
  });

/** Tell the removed people by direct message first (true) or not (false); absent: the config's `notify.dm`. */
const Dm = z.boolean({ error: 'true or false' });

const Removal = z
  .strictObject({
    area: oneId('area', 64).optional(),
    room: oneId('room', 200, '#').optional(),
    users: Users,
    reason: Reason.optional(),
    for: For.optional(),
    dm: Dm.optional(),
  })
  .refine((r) => (r.area === undefined) !== (r.room === undefined), 'give either "area" or "room"');

const ACTOR = 'a platform-prefixed user id such as console:ada or slack:T1/U2';

/** Who acts: a user of a platform this kickbot serves (`console:ada`, `slack:T1/U2`, `discord:G1/123`). */
const Actor = z.string().refine((v) => /^[a-z]+:/.test(v) && ONE_ID.test(v.slice(v.indexOf(':') + 1)), {
  error: (issue) => `${ACTOR}, got ${shown(issue.input)}`,
});

export const Body = z.strictObject({ actor: Actor, removals: z.array(Removal).min(1).max(100) });

/** A removal as validated: ids without their sigil (`room: "general"`, `users: ["bob", "rocketchat:rc-bob"]`). */
export type Removal = z.infer<typeof Removal>;

/**
 * `POST /api/v1/offboardings`: each user out of everything, as one `/offboard` each. A user named twice (`bob`
 * and `@bob`, or `bob` and `console:bob`) is refused rather than offboarded twice.
 */
export const OffboardingBody = z
  .strictObject({
    actor: Actor,
    users: Users,
    reason: Reason.optional(),
    for: z.unknown().optional(),
    dm: Dm.optional(),
  })
  .superRefine((body, ctx) => {
    if (body.for !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['for'],
        message: NO_TIMED_OFFBOARDING.replace('/offboard takes no --for: ', ''),
      });
    const home = body.actor.slice(0, body.actor.indexOf(':'));
    const seen = new Set<Id>();
    for (const [i, user] of body.users.entries()) {
      const id = userId(home, user);
      if (seen.has(id))
        ctx.addIssue({ code: 'custom', path: ['users', i], message: `${user} is named twice` });
      seen.add(id);
    }
  });

export type Offboarding = z.infer<typeof OffboardingBody>;

/** The first problem, naming its field: `removals[0].room: one room id, got "r0 @u610…"`. */
export function describe(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'bad request body';
  const path = issue.path
    .map((k, i) => (typeof k === 'number' ? `[${k}]` : `${i ? '.' : ''}${String(k)}`))
    .join('');
  const what =
    issue.code === 'unrecognized_keys' ? `unknown key "${issue.keys.join('", "')}"` : issue.message;
  return path ? `${path}: ${what}` : what;
}

/** A user as given, as a platform-prefixed id: `bob` on the actor's platform, or `rocketchat:rc-bob` as it is. */
export function userId(home: string, ref: string): Id {
  return /^[a-z]+:/.test(ref) ? ref : makeId(home, ref);
}

/**
 * The `Idempotency-Key` header (IETF draft-ietf-httpapi-idempotency-key-header: a string, which may come quoted
 * as a structured-field string): 1 to 255 printable ASCII characters (Stripe's bound). Absent: no key.
 */
export function idempotencyKey(header: string | string[] | undefined): { key?: string } | { error: string } {
  if (header === undefined) return {};
  if (Array.isArray(header)) return { error: 'Idempotency-Key: send one key' };
  const key = /^"(.*)"$/.exec(header)?.[1] ?? header;
  if (/^[\x20-\x7E]{1,255}$/.test(key) && !/["\\]/.test(key)) return { key };
  return {
    error: `Idempotency-Key: 1 to 255 printable ASCII characters without quotes or backslashes inside (got ${[...key].length} characters)`,
  };
}

/**
 * The request a key is bound to: the actor and every removal with its ids normalised (sigils dropped, users
 * prefixed), in order. The same removals written `@bob` or `console:bob` are the same request.
 */
export function requestFingerprint(actor: Id, removals: readonly Removal[], home: string): string {
  return fingerprintOf([
    'POST /api/v1/removals',
    actor,
    removals.map((r) => [
      r.area ?? null,
      r.room ?? null,
      r.users.map((u) => userId(home, u)),
      r.reason ?? '',
      // Only when given, so that a request without them keeps the fingerprint it had before they existed.
      ...(r.for !== undefined ? [`for:${r.for}`] : []),
      ...(r.dm !== undefined ? [`dm:${r.dm}`] : []),
    ]),
  ]);
}

/** The offboarding a key is bound to: its actor, its users normalised and in order, its reason. */
export function offboardingFingerprint(body: Offboarding, home: string): string {
  return fingerprintOf([
    'POST /api/v1/offboardings',
    body.actor,
    body.users.map((u) => userId(home, u)),
    body.reason ?? '',
    ...(body.dm !== undefined ? [`dm:${body.dm}`] : []),
  ]);
}
