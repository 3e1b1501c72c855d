import {
  type Core,
  type Id,
  type Invocation,
  type Logger,
  makeId,
  platformOf,
  SCIM_ACTOR,
} from '../core/index.js';
import type { OffboardingRef, ScimActions, ScimPerson } from './actions.js';

/** The reason an identity provider's offboarding carries in the case. */
export const SCIM_REASON = 'deactivated in the identity provider';

export interface CoreActionsOptions {
  core: Core;
  /** The platforms this kickbot serves, with the workspace of each one that has a single one (the console's). */
  platforms: ReadonlyMap<string, Id | undefined>;
  logger: Logger;
}

/**
 * What a deactivation does: the linked person is offboarded everywhere by the core, as the actor "identity
 * provider", confirmed (the identity provider asked). The invocation id comes from the SCIM key, so a redelivered
 * request, a second replica or the Okta hook for the same deactivation never opens a second case.
 */
export function coreActions(opts: CoreActionsOptions): ScimActions {
  const { core, logger } = opts;

  /** The person on a platform people type in: by `userName`, then each email (primary first). */
  async function find(person: ScimPerson): Promise<Id | undefined> {
    for (const email of new Set([person.userName, ...person.emails])) {
      if (!email.includes('@')) continue;
      const id = await core.personByEmail(email);
      if (id !== undefined && opts.platforms.has(platformOf(id))) return id;
    }
    return undefined;
  }

  const invocation = (
    key: string,
    workspace: Id,
    rest: Pick<Invocation, 'command' | 'input'>,
  ): Invocation => {
    const platform = platformOf(workspace);
    return {
      id: `scim:${key}`,
      platform,
      workspace,
      actor: SCIM_ACTOR,
      channel: makeId(platform, 'scim'),
      ...rest,
      confirmed: true,
      receivedAt: Date.now(),
    };
  };

  return {
    async offboard(person, key): Promise<OffboardingRef | undefined> {
      const id = await find(person);
      if (id === undefined) return undefined;
      const workspace = opts.platforms.get(platformOf(id)) ?? id.slice(0, id.lastIndexOf('/'));
      const reply = await core.handle(
        invocation(key, workspace, {
          command: 'offboard',
          input: { refs: { users: [core.mention(id, 'user')], rooms: [], reason: SCIM_REASON } },
        }),
      );
      if (reply.kind === 'result') return { workspace, caseId: reply.caseId };
      // The platform no longer knows them (a usage error names them): nobody to offboard there.
      if (reply.kind === 'usage') return undefined;
      throw new ScimActionError(reply.kind === 'refused' ? reply.code : reply.kind);
    },

    async restore(ref, _person, key): Promise<void> {
      const reply = await core.handle(
        invocation(key, ref.workspace, { command: 'kickbot', input: { text: `undo ${ref.caseId}` } }),
      );
      if (reply.kind === 'result') {
        logger.info({ key, case: ref.caseId, undo: reply.caseId }, 'scim: offboarding case undone');
        return;
      }
      if (reply.kind === 'info') return; // nothing left to undo
      throw new ScimActionError(reply.kind === 'refused' ? reply.code : reply.kind);
    },
  };
}

/** The core did not run an identity provider's request (its store away, say); the code says why, nothing personal. */
export class ScimActionError extends Error {
  override readonly name = 'ScimActionError';
  constructor(readonly code: string) {
    super(`the core did not run it: ${code}`);
  }
}
