import type { CoreDeps } from '../deps.js';
import { type Id, makeId } from '../ids.js';
import type { Invocation } from '../invocation.js';
import { judgePairs, type Plan, type Wanted } from '../judge-pairs.js';
import { RULES } from '../rules.js';

/**
 * What "everywhere" is for one person: every system kickbot removes people from, each with the person's id there
 * and the rooms they are in, page after page (never all in memory), judged page by page by the offboarding rules.
 */

export interface OffboardDeps extends CoreDeps {
  /** The rooms the config names for a system without a membership listing (areas' targets, `offboard.targets`). */
  offboardTargets?: (system: string) => readonly Id[];
}

/** One judged page of one system's rooms for one user. */
export interface JudgedPage {
  system: string;
  /** Counts from 0 within the system. */
  page: number;
  plan: Plan;
  /** Set when what this page removes cannot be undone: why, and what to do instead. */
  noUndo?: string;
}

/** A system where the person has no account kickbot knows of (no identity link): nothing is tried there. */
export interface Unlinked {
  system: string;
  user: Id;
}

/** The room id that stands for a whole system in a result for it (no identity, nothing configured). */
export const wholeSystem = (system: string): Id => makeId(system, '*');

/** The name moderators know a system by. */
export function systemName(deps: OffboardDeps, system: string): string {
  return deps.systems?.[system]?.name ?? NAMES[system] ?? system;
}
const NAMES: Record<string, string> = { slack: 'Slack', discord: 'Discord', console: 'console' };

/**
 * Walks one user's offboarding: for each system, the pairs of the rooms they are in, judged by the offboarding
 * rules, one page at a time (`onPage` finishes a page before the next is listed), or `onUnlinked` for a system
 * where they have no account. `user` is their id on the platform the command came from.
 */
export async function walkOffboarding(
  deps: OffboardDeps,
  inv: Invocation,
  user: Id,
  reason: string | undefined,
  on: {
    page(page: JudgedPage): Promise<void>;
    unlinked(unlinked: Unlinked): Promise<void>;
    /** A system with no way to list the person's rooms and no rooms configured for it. */
    nothing?(system: string): Promise<void>;
  },
): Promise<void> {
  const judge = async (system: string, page: number, wanted: Wanted[], noUndo: string | undefined) =>
    on.page({
      system,
      page,
      plan: await judgePairs(deps, inv, wanted, () => RULES.offboard),
      ...(noUndo ? { noUndo } : {}),
    });
  for (const system of deps.connectors.systems()) {
    const there = await deps.connectors.idOn(user, system);
    if (there === undefined) {
      await on.unlinked({ system, user });
      continue;
    }
    // A chat platform's pairs name the person as that platform does (its ranks and roles judge them); another
    // system's name the person as the command did, and the identity link reaches them there.
    const pairUser = deps.connectors.hasDirectory(system) ? there : user;
    const why = reason ? { reason } : {};
    const remover = deps.connectors.remover(makeId(system, ''));
    const cannot = remover.restore ? undefined : `${systemName(deps, system)} cannot re-add people`;
    if (remover.memberships) {
      let n = 0;
      for await (const held of remover.memberships(there)) {
        const wanted = held.map((h) => ({ room: h.room.id, user: pairUser, held: h, ...why }));
        const noUndo = cannot ?? held.find((h) => h.room.noUndo)?.room.noUndo;
        if (wanted.length > 0) await judge(system, n++, wanted, noUndo);
      }
      continue;
    }
    const rooms = deps.offboardTargets?.(system) ?? [];
    if (rooms.length === 0) {
      await on.nothing?.(system);
      continue;
    }
    await judge(
      system,
      0,
      rooms.map((room) => ({ room, user: pairUser, ...why })),
      cannot,
    );
  }
}
