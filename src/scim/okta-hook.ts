import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { Logger } from '../core/index.js';
import { type Route, readBody, sendJson } from '../http/server.js';
import type { ScimActions } from './actions.js';
import { BackgroundWork } from './BackgroundWork.js';
import { changeUser, type OffboardingDeps, offboardInBackground } from './offboarding.js';
import { type ScimStore, type StoredScimUser, userData } from './ScimStore.js';
import { describeIssues } from './schema.js';
import { parseFilter } from './scim-filter.js';

const now = () => new Date().toISOString();

export interface OktaHookOptions {
  /** KICKBOT_OKTA_HOOK_SECRET: the value Okta sends in `header` with every event. */
  secret: string;
  /** KICKBOT_OKTA_HOOK_HEADER: the header Okta is configured to send it in (default Authorization). */
  header?: string;
  store: ScimStore;
  actions: ScimActions;
  logger: Logger;
  /** Share the SCIM routes' one, so that shutdown and tests wait for both. */
  work?: BackgroundWork;
}

export const OKTA_HOOK_PATH = '/hooks/okta';
export const DEACTIVATE = 'user.lifecycle.deactivate';

const Id = z.string().min(1).max(256);
/** Okta's event hook request (the System Log events it batches, up to 50); only what kickbot reads is checked. */
const HookBody = z.object({
  data: z.object({
    events: z
      .array(
        z.object({
          uuid: Id,
          eventType: z.string().max(256),
          target: z
            .array(
              z.object({
                id: Id,
                type: z.string().max(256),
                alternateId: z.string().max(1024).nullish(),
                displayName: z.string().max(1024).nullish(),
              }),
            )
            .max(20, 'at most 20 targets')
            .nullish(),
        }),
      )
      .max(100, 'at most 100 events'),
  }),
});
type OktaEvent = z.infer<typeof HookBody>['data']['events'][number];
type OktaTarget = NonNullable<OktaEvent['target']>[number];

const digest = (s: string) => createHash('sha256').update(s).digest();

/** A verification challenge fit to echo back: what Okta sends (a token), nothing longer or stranger. */
const CHALLENGE = /^[\w.~+/=-]{1,512}$/;

/**
 * Okta's Event Hook (`POST /hooks/okta`): each `user.lifecycle.deactivate` event offboards its user, as SCIM does.
 * A user that SCIM provisioned (same externalId or userName) goes through the same atomic deactivation, so the
 * hook and a SCIM PATCH for one deactivation make one case; anyone else is offboarded under the event's uuid.
 */
export function oktaHookRoutes(opts: OktaHookOptions): Record<string, Route> {
  const header = (opts.header ?? 'authorization').toLowerCase();
  const deps: OffboardingDeps = {
    store: opts.store,
    actions: opts.actions,
    logger: opts.logger,
    work: opts.work ?? new BackgroundWork(),
  };
  // The one-time verification echoes a challenge; it proves the URL is ours and reveals nothing, so needs no secret.
  const verify = (req: IncomingMessage, res: ServerResponse) => {
    const challenge = req.headers['x-okta-verification-challenge'];
    if (typeof challenge !== 'string' || !CHALLENGE.test(challenge)) {
      return sendJson(res, 400, {
        error:
          'expected an X-Okta-Verification-Challenge header (Okta sends it once, when the hook is verified)',
      });
    }
    sendJson(res, 200, { verification: challenge });
  };
  const receive = async (req: IncomingMessage, res: ServerResponse) => {
    const given = req.headers[header];
    if (typeof given !== 'string' || !timingSafeEqual(digest(given), digest(opts.secret))) {
      return sendJson(res, 401, { error: `missing or wrong secret in the ${header} header` });
    }
    const raw = await readBody(req);
    if (!raw) return sendJson(res, 413, { error: 'the request body is too large' });
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      return sendJson(res, 400, { error: 'the body is not JSON' });
    }
    const parsed = HookBody.safeParse(json);
    if (!parsed.success)
      return sendJson(res, 400, { error: `not an Okta event hook: ${describeIssues(parsed.error)}` });
    // Okta waits 3 s and then retries: the answer comes first, the offboardings after.
    res.writeHead(200).end();
    for (const event of parsed.data.data.events) {
      if (event.eventType !== DEACTIVATE) continue;
      for (const target of event.target ?? []) {
        if (target.type === 'User') deps.work.run(() => deactivate(deps, event, target));
      }
    }
  };
  return { [OKTA_HOOK_PATH]: { GET: verify, POST: receive } };
}

async function deactivate(deps: OffboardingDeps, event: OktaEvent, target: OktaTarget): Promise<void> {
  try {
    const user = await scimUserOf(deps, target);
    if (user) {
      const done = await changeUser<never>(
        deps,
        user.id,
        (u) => ({ data: { ...userData(u), active: false } }),
        now,
      );
      if (done === 'busy')
        deps.logger.warn(
          { scimUser: user.id, event: event.uuid },
          'okta hook: user kept changing; not deactivated',
        );
      if (done !== 'gone') return;
    }
    const login = target.alternateId ?? undefined;
    const person = { id: target.id, userName: login ?? target.id, emails: login ? [login] : [] };
    offboardInBackground(deps, person, `okta:${event.uuid}`);
  } catch (error) {
    deps.logger.error(
      { oktaUser: target.id, event: event.uuid, error: (error as Error).name },
      'okta hook: deactivation failed',
    );
  }
}

/** The SCIM user Okta provisioned for this target: its externalId is the Okta id, its userName the login. */
async function scimUserOf(deps: OffboardingDeps, target: OktaTarget): Promise<StoredScimUser | undefined> {
  const byId = await deps.store.list({
    filter: parseFilter(`externalId eq ${JSON.stringify(target.id)}`),
    startIndex: 1,
    count: 1,
  });
  if (byId.users[0]) return byId.users[0];
  if (!target.alternateId) return undefined;
  const byLogin = await deps.store.list({
    filter: parseFilter(`userName eq ${JSON.stringify(target.alternateId)}`),
    startIndex: 1,
    count: 1,
  });
  return byLogin.users[0];
}
