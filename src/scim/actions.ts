/** What the SCIM front asks of kickbot: the lead's implementation runs the core's offboarding. */

/** The person a SCIM user (or an Okta event's target) stands for: what linking needs, nothing more. */
export interface ScimPerson {
  id: string;
  userName: string;
  externalId?: string;
  emails: string[];
}

/** The offboarding case opened for a person, so that a reactivation can undo it. */
export interface OffboardingRef {
  workspace: string;
  caseId: number;
}

export interface ScimActions {
  /** Offboards the person linked to this SCIM user everywhere; undefined when nobody is linked (no case). `key` is stable per transition (a redelivery gives the same key). */
  offboard(person: ScimPerson, key: string): Promise<OffboardingRef | undefined>;
  /** Undoes an offboarding case where it can (reactivation). */
  restore(ref: OffboardingRef, person: ScimPerson, key: string): Promise<void>;
}
