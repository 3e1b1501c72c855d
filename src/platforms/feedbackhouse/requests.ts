import { localOf, type RemovalTarget } from '../../core/index.js';

/**
 * The body of a feedback.house removal, `POST /api/planning/area/v1/user-remove`. Pure, like `answers.ts`, which
 * reads what comes back, so that the doc's own example answers can be replayed against them.
 */

export interface AreaUsersRemove {
  areaUsersRemove: { areaId: string; users: string[] }[];
}

/** One element per area, in the order the areas first appear, each user once: the API counts what it is sent. */
export function removalBody(targets: readonly RemovalTarget[]): AreaUsersRemove {
  const areas = new Map<string, Set<string>>();
  for (const t of targets) {
    const areaId = localOf(t.room);
    const users = areas.get(areaId) ?? new Set<string>();
    users.add(localOf(t.user));
    areas.set(areaId, users);
  }
  return { areaUsersRemove: [...areas].map(([areaId, users]) => ({ areaId, users: [...users] })) };
}
