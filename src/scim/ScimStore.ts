import type { Filter } from 'scim2-parse-filter';
import type { OffboardingRef } from './actions.js';
import type { ScimEmail, ScimName } from './schema.js';

/** What kickbot keeps of a SCIM user, as the identity provider last set it. */
export interface ScimUserData {
  userName: string;
  externalId?: string;
  displayName?: string;
  name?: ScimName;
  emails: ScimEmail[];
  active: boolean;
}

export interface StoredScimUser extends ScimUserData {
  /** A UUID kickbot minted. */
  id: string;
  /** ISO 8601. */
  created: string;
  lastModified: string;
  /** Goes up by one with every change (meta.version). */
  version: number;
  /** The version that last made this user inactive (the deactivation an offboarding belongs to). */
  deactivatedIn?: number;
  /** The case of the last offboarding, while there is one to undo. */
  offboarding?: OffboardingRef;
}

/** How a change moved `active`: the one call that turned it gets the transition, every other call none. */
export type Transition = 'deactivated' | 'reactivated' | undefined;

export type ReplaceResult =
  | {
      user: StoredScimUser;
      transition: Transition;
      /** On a reactivation: the offboarding it had (now cleared from the user), to undo. */
      undo?: OffboardingRef;
    }
  | 'gone'
  | 'conflict'
  | 'taken';

export interface ScimQuery {
  filter?: Filter;
  /** 1-based (RFC 7644 §3.4.2.4). */
  startIndex: number;
  count: number;
}

/**
 * The SCIM users (DESIGN §6: a hash per user, indexes by userName, case-insensitive, and by externalId). Every
 * change is atomic and conditional on the version it was computed from, so that replicas never both make one
 * transition: the loser gets `conflict` and computes again from the new version.
 */
export interface ScimStore {
  /** `taken` when another user has this userName (compared case-insensitively). */
  create(id: string, data: ScimUserData, at: string): Promise<StoredScimUser | 'taken'>;
  get(id: string): Promise<StoredScimUser | undefined>;
  /** The users the filter matches, in creation order, from `startIndex`, at most `count`, and how many match. */
  list(query: ScimQuery): Promise<{ total: number; users: StoredScimUser[] }>;
  /** Replaces the user's data if it is still at `ifVersion`. */
  replace(id: string, data: ScimUserData, ifVersion: number, at: string): Promise<ReplaceResult>;
  /** Deletes the user if it is still at `ifVersion`. */
  delete(id: string, ifVersion: number): Promise<'deleted' | 'gone' | 'conflict'>;
  /**
   * Keeps the case of the offboarding that the deactivation `deactivatedIn` started. `reactivated` when the
   * user was made active again since (nothing is kept: the caller undoes the case), `gone` when deleted.
   */
  setOffboarding(
    id: string,
    ref: OffboardingRef,
    deactivatedIn: number,
  ): Promise<'stored' | 'reactivated' | 'gone'>;
}

/** What the store computes on a replace: the transition, and what the user keeps of its offboarding. */
export function transitionOf(
  before: StoredScimUser,
  data: ScimUserData,
): { transition: Transition; version: number } {
  const version = before.version + 1;
  if (before.active && !data.active) return { transition: 'deactivated', version };
  if (!before.active && data.active) return { transition: 'reactivated', version };
  return { transition: undefined, version };
}

/** Only the data of a user (a StoredScimUser passed as data must not carry its id, version or case along). */
export function userData(data: ScimUserData): ScimUserData {
  return {
    userName: data.userName,
    ...(data.externalId !== undefined ? { externalId: data.externalId } : {}),
    ...(data.displayName !== undefined ? { displayName: data.displayName } : {}),
    ...(data.name !== undefined ? { name: data.name } : {}),
    emails: data.emails,
    active: data.active,
  };
}
