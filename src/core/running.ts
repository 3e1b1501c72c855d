import type { Id } from './ids.js';
import type { Store } from './ports/store.js';

/**
 * Whether a case still has pairs to go, as a marker in the store that every process sees: the executor sets it
 * while it works a case's pairs (renewed as it goes, so that a process that dies lets it expire) and drops it once
 * the whole job is settled; an offboarding, which runs a job per page, holds it from its first page to its end.
 * `/kickbot cancel` reads it: no marker, nothing left to cancel.
 */

/** How long the marker outlives its last renewal (a dead process's case stops reading as running). */
export const RUNNING_MS = 10 * 60_000;
/** How often a run renews it at most. */
export const RUNNING_RENEW_MS = 30_000;

const keyOf = (workspace: Id, caseId: number) => `running:${workspace}:${caseId}`;

export async function markRunning(store: Store, workspace: Id, caseId: number): Promise<void> {
  await store.setMarker(keyOf(workspace, caseId), '1', RUNNING_MS);
}

export async function markFinished(store: Store, workspace: Id, caseId: number): Promise<void> {
  await store.deleteMarker(keyOf(workspace, caseId));
}

export async function isRunning(store: Store, workspace: Id, caseId: number): Promise<boolean> {
  return (await store.getMarker(keyOf(workspace, caseId))) !== undefined;
}
