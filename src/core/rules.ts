import type { Outcome, RefusalCode } from './outcomes.js';
import {
  type AreaRole,
  type Grants,
  holds,
  type Permission,
  type Role,
  type RoomRole,
} from './permissions.js';
import type { Membership, RoomInfo, UserInfo } from './ports/facts.js';

/** Everything the rules need to judge one (actor, target, room). Gathered once per plan, not per rule. */
export interface Facts {
  actor: UserInfo;
  target: UserInfo;
  bot: UserInfo | undefined;
  room: RoomInfo | undefined;
  /** Present when the actor / target is a member of the room. */
  actorIn: Membership | undefined;
  targetIn: Membership | undefined;
  /** The actor's roles in the area, for `/remove-area`. */
  areaRoles?: readonly AreaRole[];
  /** Set when the room is on another system and no identity links the target to it: that system's name. */
  unlinked?: string;
  /**
   * The actor is not on the room's platform (an offboarding from Slack reaching Discord, or the identity provider):
   * their rank there cannot be compared, so only the bot's rank counts for rule 6.
   */
  actorElsewhere?: boolean;
}

export type Verdict =
  | { ok: true }
  | {
      ok: false;
      /** `failed`: the room's system could not be asked while planning (see `describeTrouble`). */
      outcome: Exclude<Outcome, 'removed'>;
      code?: RefusalCode | string;
      hint?: string;
    };

export type Rule = (facts: Facts, grants: Grants) => Verdict;

const OK: Verdict = { ok: true };
const deny = (code: RefusalCode, hint?: string): Verdict => ({
  ok: false,
  outcome: 'denied',
  code,
  ...(hint ? { hint } : {}),
});

function rolesInRoom(user: UserInfo, membership: Membership | undefined): Role[] {
  const roomRoles: readonly RoomRole[] = membership?.roles ?? [];
  return [...user.roles, ...roomRoles];
}

function bypassFor(room: RoomInfo): Permission {
  return room.type === 'public' ? 'kick-user-from-any-c-room' : 'kick-user-from-any-p-room';
}

/** 1. R exists and A may see it; a private room A cannot see answers exactly like a missing room. */
export const roomVisible: Rule = ({ actor, room, actorIn }, grants) => {
  if (!room) return deny('room-not-found');
  if (
    (actorIn && actorIn.presence !== 'assumed') ||
    room.type === 'public' ||
    holds(grants, bypassFor(room), actor.roles)
  )
    return OK;
  return deny('room-not-found');
};

/** 1 (areas). The area's rooms exist; an area manager sees every one of them. */
export const roomExists: Rule = ({ room }) => (room ? OK : deny('room-not-found'));

/** 2. R is not a direct conversation, and the platform can remove people from it at all. */
export const roomAllowsRemoval: Rule = ({ room }) => {
  if (room?.type === 'direct') {
    return {
      ok: false,
      outcome: 'unsupported',
      code: 'not-allowed',
      hint: 'nobody can be removed from a direct conversation',
    };
  }
  if (room?.unsupported) return { ok: false, outcome: 'unsupported', ...room.unsupported };
  return OK;
};

/** 3. A holds `remove-user` in R's scope, or the bypass for R's type. */
export const mayRemoveInRoom: Rule = ({ actor, room, actorIn }, grants) => {
  if (!room) return deny('room-not-found');
  if (
    holds(grants, 'remove-user', rolesInRoom(actor, actorIn)) ||
    holds(grants, bypassFor(room), actor.roles)
  ) {
    return OK;
  }
  return deny('not-allowed', 'you need to be a moderator or owner of this room');
};

/** 1 + 3 for `/remove-area`: `remove-area-user` in the area's scope, with no fall-back to `remove-user`. */
export const mayRemoveInArea: Rule = ({ actor, areaRoles }, grants) =>
  holds(grants, 'remove-area-user', [...actor.roles, ...(areaRoles ?? [])])
    ? OK
    : deny('not-allowed', 'you need to be a manager of this area');

/** 4. T is not A. */
export const notSelf: Rule = ({ actor, target }) =>
  actor.id === target.id ? deny('self', 'use /leave to leave a room yourself') : OK;

/** 5. T is not the bot, not the platform's owner, and not an admin unless A is an admin. */
export const notProtected: Rule = ({ actor, target, bot }) => {
  if (bot && target.id === bot.id) return deny('protected', 'the bot does not remove itself');
  if (target.owner) return deny('protected', 'the workspace owner cannot be removed');
  if (target.roles.includes('admin') && !actor.roles.includes('admin')) {
    return deny('protected', 'only an admin can remove an admin');
  }
  return OK;
};

/** 6. Where the platform ranks roles, A's (unless A owns the platform) and the bot's highest roles are above T's. */
export const aboveInHierarchy: Rule = ({ actor, target, bot, actorElsewhere }) => {
  if (target.rank === undefined) return OK;
  const actorAbove = actor.owner === true || actorElsewhere === true || (actor.rank ?? -1) > target.rank;
  const botAbove = (bot?.rank ?? -1) > target.rank;
  if (actorAbove && botAbove) return OK;
  return deny(
    'hierarchy',
    actorAbove ? "the bot's highest role is not above theirs" : 'your highest role is not above theirs',
  );
};

/** 7 (across systems). T has an id in R's system: an identity link in the config names them there. */
export const targetLinked: Rule = ({ unlinked, target }) =>
  unlinked === undefined
    ? OK
    : {
        ok: false,
        outcome: 'unsupported',
        code: 'no-identity',
        hint: `no ${unlinked} account is linked to ${target.name} (identities in kickbot's config file)`,
      };

/** 7. T is a member of R; otherwise there is nothing to do (no API call). */
export const isMember: Rule = ({ targetIn }) =>
  targetIn && targetIn.presence !== 'seen' ? OK : { ok: false, outcome: 'not_member' };

/** 8. T is not R's last owner. */
export const notLastOwner: Rule = ({ room, targetIn }) =>
  targetIn?.roles.includes('owner') && (room?.owners ?? 0) <= 1
    ? deny('last-owner', 'make someone else an owner of the room first')
    : OK;

/** 1 + 3 for `/offboard`: `offboard-user`, from kickbot's grants or from the platform itself (Discord Kick Members). */
export const mayOffboard: Rule = ({ actor, room }, grants) => {
  if (!holds(grants, 'offboard-user', actor.roles) && !actor.grants?.includes('offboard-user'))
    return deny('not-allowed', 'offboarding needs the offboard-user permission (admins by default)');
  return room ? OK : deny('room-not-found');
};

/** A may leave at all (`leave-room`). */
export const mayLeave: Rule = ({ actor, actorIn }, grants) =>
  holds(grants, 'leave-room', rolesInRoom(actor, actorIn)) ? OK : deny('not-allowed');

/** Rules 4–8: about the target in the room, the same for every removal command. */
const TARGET_RULES = [
  notSelf,
  notProtected,
  aboveInHierarchy,
  targetLinked,
  isMember,
  notLastOwner,
] as const satisfies readonly Rule[];

/** The rule lists, in the order of DESIGN §5; the first refusal wins. */
export const RULES = {
  remove: [roomVisible, roomAllowsRemoval, mayRemoveInRoom, ...TARGET_RULES],
  area: [mayRemoveInArea, roomExists, roomAllowsRemoval, ...TARGET_RULES],
  leave: [roomVisible, roomAllowsRemoval, mayLeave, targetLinked, isMember, notLastOwner],
  /** `/offboard`: `offboard-user` in place of rules 1 and 3, every other rule per pair. */
  offboard: [mayOffboard, roomAllowsRemoval, ...TARGET_RULES],
  /** Undo re-adds only for whoever may remove there. */
  restore: [roomVisible, mayRemoveInRoom],
  restoreArea: [mayRemoveInArea, roomExists],
  restoreOffboard: [mayOffboard],
} as const satisfies Record<string, readonly Rule[]>;

export function judge(rules: readonly Rule[], facts: Facts, grants: Grants): Verdict {
  for (const rule of rules) {
    const verdict = rule(facts, grants);
    if (!verdict.ok) return verdict;
  }
  return OK;
}
