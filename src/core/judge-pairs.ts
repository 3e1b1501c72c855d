import type { Connectors } from './connectors.js';
import { ConnectorError } from './errors.js';
import { type Id, platformOf } from './ids.js';
import type { Invocation } from './invocation.js';
import type { AreaRole, Grants, RoomRole } from './permissions.js';
import type { AreaInfo, HeldRoom, Membership, RoomInfo, UserInfo } from './ports/facts.js';
import { judge, type Rule, type Verdict } from './rules.js';
import { describeTrouble, type Systems } from './systems.js';

/** (room, user) pairs judged by the rules of DESIGN §5, with the facts they need gathered once. */

export interface JudgeDeps {
  connectors: Connectors;
  grants: Grants;
  /** Names and credential variables of the systems, for what a moderator reads when one fails. */
  systems?: Systems;
}

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

/** A pair before judgement. */
export interface Wanted {
  room: Id;
  user: Id;
  area?: AreaInfo;
  reason?: string;
  /** The room's facts and the user's roles there, as the system listed them (offboarding): nothing to look up. */
  held?: HeldRoom;
}

/** Gathers the facts every pair needs with one lookup per user, room and (room, members) and judges each pair. */
export async function judgePairs(
  deps: JudgeDeps,
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
            bot: facts.botFor(w.user),
            room: facts.rooms.get(w.room),
            actorIn: facts.membership(w.room, actorId),
            targetIn,
            areaRoles,
            ...(deps.connectors.linked(w.room, w.user) ? {} : { unlinked: platformOf(w.room) }),
            ...(platformOf(actorId) === platformOf(w.user) ? {} : { actorElsewhere: true }),
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
  /** The bot on the platform the command came from. */
  bot: UserInfo | undefined;
  /** The bot on a user's platform (an offboarding reaches other platforms' members). */
  botFor(user: Id): UserInfo | undefined;
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
  const home = platformOf(inv.workspace);
  const botIds = new Map<string, Id | undefined>();
  for (const platform of new Set([home, ...wanted.map((w) => platformOf(w.user))])) {
    const directory = connectors.directory(platform);
    // Another platform's users carry their workspace in their id (`discord:G/123`); the console has one.
    const other = wanted.find((w) => platformOf(w.user) === platform)?.user ?? '';
    const workspace = platform === home ? inv.workspace : other.slice(0, other.lastIndexOf('/')) || other;
    botIds.set(platform, await directory.bot({ workspace }));
  }
  const usersByRoom = new Map<Id, Set<Id>>();
  const rooms = new Map<Id, RoomInfo | undefined>();
  const members = new Map<Id, Map<Id, Membership>>();
  const userIds = new Set<Id>([actorId]);
  for (const botId of botIds.values()) if (botId) userIds.add(botId);
  for (const w of wanted) {
    userIds.add(w.user);
    if (w.held) {
      // Listed with its facts (an offboarding): the actor's membership is not asked, offboard-user stands for it.
      rooms.set(w.room, w.held.room);
      const known = members.get(w.room) ?? new Map<Id, Membership>();
      known.set(w.user, { roles: w.held.roles });
      members.set(w.room, known);
      continue;
    }
    let set = usersByRoom.get(w.room);
    if (!set) {
      set = new Set([actorId]);
      usersByRoom.set(w.room, set);
    }
    set.add(w.user);
  }
  const users = await connectors.users([...userIds]);
  const troubles = new Map<Id, { code: string; hint: string }>();
  await Promise.all(
    [...usersByRoom].map(async ([room, ids]) => {
      const remover = connectors.remover(room);
      try {
        const info = await remover.room(room);
        rooms.set(room, info);
        members.set(room, info ? await connectors.membersOf(room, [...ids]) : new Map());
      } catch (error) {
        // One system's trouble fails that system's pairs only; the others go ahead.
        if (!(error instanceof ConnectorError)) throw error;
        rooms.set(room, undefined);
        troubles.set(room, describeTrouble(error, remover.system, systems));
      }
    }),
  );
  const botOf = (platform: string) => {
    const id = botIds.get(platform);
    return id ? users.get(id) : undefined;
  };
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
    bot: botOf(home),
    botFor: (user) => botOf(platformOf(user)),
    rooms,
    user: (id) => users.get(id) ?? fallback(id),
    known: (id) => users.has(id),
    membership: (room, user) => members.get(room)?.get(user),
    trouble: (room) => troubles.get(room),
    labels,
  };
}
