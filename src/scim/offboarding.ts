import type { Logger } from '../core/index.js';
import type { OffboardingRef, ScimActions, ScimPerson } from './actions.js';
import type { BackgroundWork } from './BackgroundWork.js';
import type { ReplaceResult, ScimStore, ScimUserData, StoredScimUser } from './ScimStore.js';

/** What the SCIM routes and the Okta hook share: the store, the actions, and one place to run them in the background. */
export interface OffboardingDeps {
  store: ScimStore;
  actions: ScimActions;
  logger: Logger;
  work: BackgroundWork;
}

/** The person a SCIM user stands for; the primary email first. */
export function personOf(user: StoredScimUser): ScimPerson {
  const emails = [...user.emails].sort((a, b) => Number(b.primary ?? false) - Number(a.primary ?? false));
  return {
    id: user.id,
    userName: user.userName,
    ...(user.externalId !== undefined ? { externalId: user.externalId } : {}),
    emails: [...new Set(emails.map((e) => e.value))],
  };
}

/** Why an action failed, without its message (which may name people): the error's name and code. */
function failure(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { error: typeof error };
  const code = (error as { code?: unknown }).code;
  return { error: error.name, ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}) };
}

/** Runs the offboarding of a person in the background; a ref it resolves with is kept on the SCIM user. */
export function offboardInBackground(
  deps: OffboardingDeps,
  person: ScimPerson,
  key: string,
  keep?: { id: string; deactivatedIn: number },
): void {
  deps.work.run(async () => {
    let ref: OffboardingRef | undefined;
    try {
      ref = await deps.actions.offboard(person, key);
    } catch (error) {
      deps.logger.error({ scimUser: person.id, key, ...failure(error) }, 'scim: offboarding failed');
      return;
    }
    if (!ref)
      return void deps.logger.info({ scimUser: person.id, key }, 'scim: nobody is linked; no offboarding');
    deps.logger.info({ scimUser: person.id, key, case: ref.caseId }, 'scim: offboarded');
    if (!keep) return;
    try {
      const kept = await deps.store.setOffboarding(keep.id, ref, keep.deactivatedIn);
      // Reactivated while the offboarding ran: the reactivation found no case to undo, so it is undone now.
      if (kept === 'reactivated') restoreInBackground(deps, ref, person, `${key}:undo`);
    } catch (error) {
      deps.logger.error(
        { scimUser: person.id, key, ...failure(error) },
        'scim: could not keep the offboarding case',
      );
    }
  });
}

export function restoreInBackground(
  deps: OffboardingDeps,
  ref: OffboardingRef,
  person: ScimPerson,
  key: string,
): void {
  deps.work.run(async () => {
    try {
      await deps.actions.restore(ref, person, key);
      deps.logger.info({ scimUser: person.id, key, case: ref.caseId }, 'scim: offboarding undone');
    } catch (error) {
      deps.logger.error(
        { scimUser: person.id, key, case: ref.caseId, ...failure(error) },
        'scim: undo failed',
      );
    }
  });
}

/** What a replace that moved `active` starts: an offboarding, or the undo of the last one. */
export function afterReplace(deps: OffboardingDeps, result: Exclude<ReplaceResult, string>): void {
  const { user, transition, undo } = result;
  if (transition === 'deactivated') {
    offboardInBackground(deps, personOf(user), `${user.id}:deactivated:${user.version}`, {
      id: user.id,
      deactivatedIn: user.version,
    });
  } else if (transition === 'reactivated' && undo) {
    restoreInBackground(deps, undo, personOf(user), `${user.id}:reactivated:${user.version}`);
  }
}

/** How many times a change is computed again when another replica changed the user meanwhile. */
const ATTEMPTS = 10;

/**
 * Changes a user with `change` (computed from its latest version), as one atomic step per attempt, and starts
 * what its transition calls for. `busy` when other writers kept winning.
 */
export async function changeUser<E>(
  deps: OffboardingDeps,
  id: string,
  change: (user: StoredScimUser) => { data: ScimUserData } | { refused: E },
  at: () => string,
): Promise<Exclude<ReplaceResult, 'conflict'> | 'busy' | { refused: E }> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const user = await deps.store.get(id);
    if (!user) return 'gone';
    const next = change(user);
    if ('refused' in next) return next;
    const result = await deps.store.replace(id, next.data, user.version, at());
    if (result === 'conflict') continue;
    if (typeof result === 'object') afterReplace(deps, result);
    return result;
  }
  return 'busy';
}

/** Deletes a user (at its latest version); deleting an active one offboards it. */
export async function deleteUser(deps: OffboardingDeps, id: string): Promise<'deleted' | 'gone' | 'busy'> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const user = await deps.store.get(id);
    if (!user) return 'gone';
    const result = await deps.store.delete(id, user.version);
    if (result === 'conflict') continue;
    if (result === 'deleted' && user.active) offboardInBackground(deps, personOf(user), `${id}:deleted`);
    return result;
  }
  return 'busy';
}
