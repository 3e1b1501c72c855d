import type { Id } from './ids.js';
import type { MarkerWrite, Store } from './ports/store.js';

/**
 * What kickbot itself did to a (room, user) pair lately, as a marker in the store: `removing` while its call is
 * out (a platform's "member left" event for it is kickbot's own), `removed` for the rejoin window afterwards (a
 * rejoin is worth telling the mod-log), `restoring` while an undo re-adds them (that join is kickbot's own too).
 */
export interface PairMarker {
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
  if (ttlMs > 0) await store.setMarker(keyOf(room, user), encode(marker), ttlMs);
  else await store.deleteMarker(keyOf(room, user));
}

export async function readPairMarker(store: Store, room: Id, user: Id): Promise<PairMarker | undefined> {
  const raw = await store.getMarker(keyOf(room, user));
  return raw === undefined ? undefined : decode(raw);
}

const STATES = new Set<string>(['removing', 'removed', 'restoring']);

/**
 * `removed 12 1733480000000`: short, because one is kept per pair removed for the rejoin window (20,000 for an
 * offboarding from 20,000 channels, in the memory store's heap).
 */
const encode = (m: PairMarker) => `${m.state} ${m.caseId} ${m.at}`;

function decode(raw: string): PairMarker | undefined {
  const [state, caseId, at] = raw.split(' ');
  const marker = { state, caseId: Number(caseId), at: Number(at) };
  return state && STATES.has(state) && Number.isInteger(marker.caseId) && Number.isFinite(marker.at)
    ? (marker as PairMarker)
    : undefined;
}

/** The marker write a pair's claim or settle carries (no value: delete it). */
export function pairMarkerWrite(
  room: Id,
  user: Id,
  marker: PairMarker | undefined,
  ttlMs: number,
): MarkerWrite {
  return marker && ttlMs > 0
    ? { key: keyOf(room, user), value: encode(marker), ttlMs }
    : { key: keyOf(room, user), ttlMs: 0 };
}

export const clearPairMarker = (store: Store, room: Id, user: Id) => store.deleteMarker(keyOf(room, user));
