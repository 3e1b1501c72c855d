import type { Id } from './ids.js';
import type { Store } from './ports/store.js';

/**
 * What kickbot itself did to a (room, user) pair lately, as a marker in the store: `removing` while its call is
 * out (a platform's "member left" event for it is kickbot's own), `removed` for the rejoin window afterwards (a
 * rejoin is worth telling the mod-log), `restoring` while an undo re-adds them (that join is kickbot's own too).
 */
export interface PairMarker {
  workspace: Id;
  caseId: number;
  at: number;
  state: 'removing' | 'removed' | 'restoring';
}

/** How long kickbot's own removal explains a "member left" event about the pair. */
export const OWN_ACTION_MS = 10 * 60_000;

const keyOf = (room: Id, user: Id) => `pair:${room}|${user}`;

export async function setPairMarker(
  store: Store,
  room: Id,
  user: Id,
  marker: PairMarker,
  ttlMs: number,
): Promise<void> {
  if (ttlMs > 0) await store.setMarker(keyOf(room, user), JSON.stringify(marker), ttlMs);
  else await store.deleteMarker(keyOf(room, user));
}

export async function readPairMarker(store: Store, room: Id, user: Id): Promise<PairMarker | undefined> {
  const raw = await store.getMarker(keyOf(room, user));
  if (raw === undefined) return undefined;
  try {
    const m = JSON.parse(raw) as PairMarker;
    return typeof m.caseId === 'number' && typeof m.at === 'number' ? m : undefined;
  } catch {
    return undefined;
  }
}

export const clearPairMarker = (store: Store, room: Id, user: Id) => store.deleteMarker(keyOf(room, user));
