import type { RemovalRequest } from '../command.js';
import type { Connectors } from '../connectors.js';
import { UsageError } from '../errors.js';
import { type Id, makeId } from '../ids.js';
import type { Invocation } from '../invocation.js';
import { type JudgeDeps, judgePairs, type Plan, type Wanted } from '../judge-pairs.js';
import type { AreaInfo, Resolved, Scope } from '../ports/facts.js';
import { RULES } from '../rules.js';
import { checkAsked, checkResolved, type Limits } from './limits.js';

export interface PlanDeps extends JudgeDeps {
  limits: Limits;
  /** The rooms an area reaches in other systems (config `areas[].targets`), by area id. */
  areaTargets?: (area: string) => readonly Id[];
}

/** Resolves mentions, rooms and areas into (room, user) pairs, then judges each pair by DESIGN §5. */
export async function planRemoval(deps: PlanDeps, inv: Invocation, request: RemovalRequest): Promise<Plan> {
  checkAsked(deps.limits, request.batches);
  const home = deps.connectors.directory(inv.platform);
  const scope = { workspace: inv.workspace };
  const problems = new Set<string>();
  const userRefs = new Map<string, Id[]>();
  const areas = new Map<string, AreaInfo | undefined>();
  const wanted: Wanted[] = [];
  const seen = new Set<string>();
  const distinctUsers = new Set<Id>();
  let roomsNamed = 0;

  for (const batch of request.batches) {
    const users: Id[] = [];
    for (const ref of batch.users) {
      let ids = userRefs.get(ref);
      if (!ids) {
        const resolved = await home.resolveUsers(ref, scope);
        if (!resolved.ok) {
          problems.add(resolved.message);
          continue;
        }
        ids = resolved.value;
        userRefs.set(ref, ids);
      }
      users.push(...ids);
    }
    let area: AreaInfo | undefined;
    let rooms: readonly Id[] = [inv.channel];
    if (batch.area !== undefined) {
      if (!areas.has(batch.area)) {
        const found = await home.area(batch.area, scope);
        const targets = found ? (deps.areaTargets?.(found.id) ?? []) : [];
        areas.set(batch.area, found && { ...found, rooms: [...found.rooms, ...targets] });
      }
      area = areas.get(batch.area);
      if (!area) {
        const known = await home.areas(scope);
        problems.add(
          `unknown area "${batch.area}" (${known.length ? `areas: ${known.join(', ')}` : 'no areas are configured'})`,
        );
        continue;
      }
      rooms = area.rooms;
    } else if (batch.rooms.length > 0) {
      roomsNamed += batch.rooms.length;
      const ids: Id[] = [];
      for (const ref of batch.rooms) {
        const resolved = await resolveRoom(deps.connectors, inv.platform, ref, scope);
        if (resolved.ok) ids.push(resolved.value);
        else problems.add(resolved.message);
      }
      rooms = ids;
    }
    for (const user of users) distinctUsers.add(user);
    for (const room of rooms) {
      for (const user of users) {
        const key = `${room}\n${user}`;
        if (seen.has(key)) continue;
        seen.add(key);
        wanted.push({
          room,
          user,
          ...(area ? { area } : {}),
          ...(batch.reason ? { reason: batch.reason } : {}),
        });
      }
    }
  }

  if (problems.size > 0) throw new UsageError([...problems].join('; '));
  checkResolved(deps.limits, { users: distinctUsers.size, rooms: roomsNamed, removals: wanted.length });
  const plan = await judgePairs(deps, inv, wanted, (w) => (w.area ? RULES.area : RULES.remove));
  if (plan.unknownUsers.length > 0) {
    // Name them as the moderator wrote them.
    const written = plan.unknownUsers.map((u) => [...userRefs].find(([, ids]) => ids.includes(u))?.[0] ?? u);
    throw new UsageError(`unknown user${written.length > 1 ? 's' : ''} ${written.join(', ')}`);
  }
  return plan;
}

/** `/leave [#room]`: the actor removes themself. */
export async function planLeave(deps: PlanDeps, inv: Invocation, roomRef: string | undefined): Promise<Plan> {
  let room = inv.channel;
  if (roomRef !== undefined) {
    const resolved = await resolveRoom(deps.connectors, inv.platform, roomRef, { workspace: inv.workspace });
    if (!resolved.ok) throw new UsageError(resolved.message);
    room = resolved.value;
  }
  return judgePairs(deps, inv, [{ room, user: inv.actor }], () => RULES.leave);
}

/**
 * A room as the moderator wrote it: `#<system>:<id>` names a room of another configured system (`#rocketchat:
 * GROUP_ID`, `#docspace:<group>`); anything else is the home platform's to resolve.
 */
async function resolveRoom(
  connectors: Connectors,
  platform: string,
  ref: string,
  scope: Scope,
): Promise<Resolved<Id>> {
  const foreign = /^#([a-z]+):(\S+)$/.exec(ref);
  if (foreign?.[1] && foreign[2] && foreign[1] !== platform && connectors.serves(foreign[1])) {
    return { ok: true, value: makeId(foreign[1], foreign[2]) };
  }
  return connectors.directory(platform).resolveRoom(ref, scope);
}
