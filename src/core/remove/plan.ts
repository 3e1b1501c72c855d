import type { RemovalRequest } from './command.js';
import type { Connectors } from './connectors.js';
import { ConnectorError, UsageError } from './errors.js';
import { type Id, makeId, platformOf } from './ids.js';
import type { Invocation } from './invocation.js';
import type { AreaRole, Grants, RoomRole } from './permissions.js';
import type { AreaInfo, Membership, Resolved, RoomInfo, UserInfo } from './ports.js';
import { judge, RULES, type Rule, type Verdict } from './rules.js';
import { describeTrouble, type Systems } from './systems.js';

export interface Limits {
  /** Users in one command (after user groups are expanded). */
  users: number;
  /** Rooms named in one command. */
  rooms: number;
  /** (room, user) pairs in one command, confirmed. */
  removals: number;
}

export const DEFAULT_LIMITS: Limits = { users: 1_000, rooms: 100, removals: 10_000 };

export interface PlannedPair {
  room: Id;
  user: Id;
  area?: string;
  reason?: string;
  verdict: Verdict;
  /** The target's roles in the room, which a removal takes away and an undo gives back. */
  roles: readonly RoomRole[];
}

export interface Plan {
  pairs: PlannedPair[];
  labels: Record<Id, string>;
  /** Targets the platform does not know (a deactivated or made-up id). */
  unknownUsers: Id[];
}

export interface PlanDeps {
  connectors: Connectors;
  grants: Grants;
  limits: Limits;
  /** The rooms an area reaches in other systems (config `areas[].targets`), by area id. */
  areaTargets?: (area: string) => readonly Id[];
  /** Names and credential variables of the systems, for what a moderator reads when one fails. */
  systems?: Systems;
}

/** A pair before judgement. */
export interface Wanted {
  room: Id;
  user: Id;
  area?: AreaInfo;
  reason?: string;
}

const fmt = (n: number) => n.toLocaleString('en');

/** Resolves mentions, rooms and areas into (room, user) pairs, then judges each pair by DESIGN §5. */
export async function planRemoval(deps: PlanDeps, inv: Invocation, request: RemovalRequest): Promise<Plan> {
  const home = deps.connectors.platform(inv.platform);
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
        const found = await home.getArea(batch.area, scope);
        const targets = found ? (deps.areaTargets?.(found.id) ?? []) : [];
        areas.set(batch.area, found && { ...found, rooms: [...found.rooms, ...targets] });
      }
      area = areas.get(batch.area);
      if (!area) {
        const known = await home.listAreas(scope);
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
  if (distinctUsers.size > deps.limits.users) {
    throw new UsageError(`too many users: ${fmt(distinctUsers.size)} (limit ${fmt(deps.limits.users)})`);
  }
  if (roomsNamed > deps.limits.rooms) {
    throw new UsageError(`too many rooms: ${fmt(roomsNamed)} (limit ${fmt(deps.limits.rooms)})`);
  }
  if (wanted.length > deps.limits.removals) {
    throw new UsageError(`too many removals: ${fmt(wanted.length)} (limit ${fmt(deps.limits.removals)})`);
  }
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
  scope: { workspace: Id },
): Promise<Resolved<Id>> {
  const foreign = /^#([a-z]+):(\S+)$/.exec(ref);
  if (foreign?.[1] && foreign[2] && foreign[1] !== platform && connectors.serves(foreign[1])) {
    return { ok: true, value: makeId(foreign[1], foreign[2]) };
  }
  return connectors.platform(platform).resolveRoom(ref, scope);
}

/** Gathers the facts every pair needs with one lookup per user, room and (room, members) and judges each pair. */
export async function judgePairs(
  deps: PlanDeps,
  inv: Pick<Invocation, 'actor' | 'workspace'>,
  wanted: readonly Wanted[],
  rulesFor: (w: Wanted) => readonly Rule[],
): Promise<Plan> {
  const actorId = inv.actor;
  const facts = await gatherFacts(deps.connectors, inv, wanted, deps.systems);
  const pairs: PlannedPair[] = wanted.map((w) => {
    const target = facts.user(w.user);
    const targetIn = facts.membership(w.room, w.user);
    const areaRoles: AreaRole[] = w.area?.managers.includes(actorId) ? ['manager'] : [];
    const trouble = facts.trouble(w.room);
    const verdict: Verdict = trouble
      ? { ok: false, outcome: 'failed', code: trouble.code, hint: trouble.hint }
      : judge(
          rulesFor(w),
          {
            actor: facts.actor,
            target,
            bot: facts.bot,
            room: facts.rooms.get(w.room),
            actorIn: facts.membership(w.room, actorId),
            targetIn,
            areaRoles,
            ...(deps.connectors.linked(w.room, w.user) ? {} : { unlinked: platformOf(w.room) }),
          },
          deps.grants,
        );
    return {
      room: w.room,
      user: w.user,
      ...(w.area ? { area: w.area.id } : {}),
      ...(w.reason ? { reason: w.reason } : {}),
      verdict,
      roles: targetIn?.roles ?? [],
    };
  });
  const unknownUsers = [...new Set(wanted.map((w) => w.user))].filter((u) => !facts.known(u));
  return { pairs, labels: facts.labels, unknownUsers };
}

export interface GatheredFacts {
  actor: UserInfo;
  bot: UserInfo | undefined;
  rooms: Map<Id, RoomInfo | undefined>;
  user(id: Id): UserInfo;
  known(id: Id): boolean;
  membership(room: Id, user: Id): Membership | undefined;
  /** Set when the room's system failed while kickbot looked the room up: that room's pairs fail, nothing else. */
  trouble(room: Id): { code: string; hint: string } | undefined;
  labels: Record<Id, string>;
}

export async function gatherFacts(
  connectors: Connectors,
  inv: Pick<Invocation, 'actor' | 'workspace'>,
  wanted: readonly Wanted[],
  systems?: Systems,
): Promise<GatheredFacts> {
  const actorId = inv.actor;
  const home = connectors.for(actorId);
  const botId = await home.bot({ workspace: inv.workspace });
  const usersByRoom = new Map<Id, Set<Id>>();
  const userIds = new Set<Id>([actorId]);
  if (botId) userIds.add(botId);
  for (const w of wanted) {
    userIds.add(w.user);
    let set = usersByRoom.get(w.room);
    if (!set) {
      set = new Set([actorId]);
      usersByRoom.set(w.room, set);
    }
    set.add(w.user);
  }
  const users = await home.getUsers([...userIds]);
  const rooms = new Map<Id, RoomInfo | undefined>();
  const members = new Map<Id, Map<Id, Membership>>();
  const troubles = new Map<Id, { code: string; hint: string }>();
  await Promise.all(
    [...usersByRoom].map(async ([room, ids]) => {
      const connector = connectors.for(room);
      try {
        const info = await connector.getRoom(room);
        rooms.set(room, info);
        members.set(room, info ? await connectors.membersOf(room, [...ids]) : new Map());
      } catch (error) {
        // One system's trouble fails that system's pairs only; the others go ahead.
        if (!(error instanceof ConnectorError)) throw error;
        rooms.set(room, undefined);
        troubles.set(room, describeTrouble(error, connector.platform, systems));
      }
    }),
  );
  const fallback = (id: Id): UserInfo => ({ id, name: connectors.label(id, 'user'), roles: ['user'] });
  const labels: Record<Id, string> = {};
  for (const id of userIds) {
    const user = users.get(id);
    labels[id] = user?.label ?? user?.name ?? connectors.label(id, 'user');
  }
  for (const [id, info] of rooms) {
    const name = !info
      ? connectors.label(id, 'room')
      : info.type === 'group'
        ? `${info.name} (group)`
        : `#${info.name}`;
    labels[id] = info?.label ?? name;
  }
  return {
    actor: users.get(actorId) ?? fallback(actorId),
    bot: botId ? users.get(botId) : undefined,
    rooms,
    user: (id) => users.get(id) ?? fallback(id),
    known: (id) => users.has(id),
    membership: (room, user) => members.get(room)?.get(user),
    trouble: (room) => troubles.get(room),
    labels,
  };
}
