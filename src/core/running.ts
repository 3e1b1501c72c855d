import type { Id } from './ids.js';
import type { Store } from './ports/store.js';

/**
 * Whether a case still has pairs to go, as a marker in the store that every process sees: the executor sets it
 * while it works a case's pairs (renewed as it goes, so that a process that dies lets it expire) and drops it once
 * the whole job is settled; an offboarding, which runs a job per page, holds it from its first page to its end.
 * `/kickbot cancel` reads it: no marker, nothing left to cancel. The marker's value is how many pairs the case
 * has in all (refused ones included), when the run knows it up front (the admin page's progress reads it); an
 * offboarding, which lists its pairs page by page, writes none.
 */

/** How long the marker outlives its last renewal (a dead process's case stops reading as running). */
export const RUNNING_MS = 10 * 60_000;
/** How often a run renews it at most. */
export const RUNNING_RENEW_MS = 30_000;

/** The marker's value when the case's number of pairs is not known. */
const UNKNOWN_TOTAL = '?';

const keyOf = (workspace: Id, caseId: number) => `running:${workspace}:${caseId}`;

export async function markRunning(
  store: Store,
  workspace: Id,
  caseId: number,
  total?: number,
): Promise<void> {
  await store.setMarker(
    keyOf(workspace, caseId),
    total === undefined ? UNKNOWN_TOTAL : String(total),
    RUNNING_MS,
  );
}

/** Keeps the marker alive with the value it has (a run that works a slice does not know the whole case's total). */
export async function renewRunning(store: Store, workspace: Id, caseId: number): Promise<void> {
  const key = keyOf(workspace, caseId);
  await store.setMarker(key, (await store.getMarker(key)) ?? UNKNOWN_TOTAL, RUNNING_MS);
}

export async function markFinished(store: Store, workspace: Id, caseId: number): Promise<void> {
  await store.deleteMarker(keyOf(workspace, caseId));
}

export async function isRunning(store: Store, workspace: Id, caseId: number): Promise<boolean> {
  return (await readRunning(store, workspace, caseId)) !== undefined;
}

/** Undefined: the case is not running; else how many pairs it has in all, when the run said (`total`). */
export async function readRunning(
  store: Store,
  workspace: Id,
  caseId: number,
): Promise<{ total?: number } | undefined> {
  const value = await store.getMarker(keyOf(workspace, caseId));
  if (value === undefined) return undefined;
  const total = /^\d{1,9}$/.test(value) ? Number(value) : undefined;
  return total === undefined ? {} : { total };
}
