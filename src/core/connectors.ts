import { Identities } from './identities.js';
import { type Id, localOf, makeId, platformOf } from './ids.js';
import type { Directory } from './ports/directory.js';
import type { Membership, RemovalTarget, UserInfo } from './ports/facts.js';
import type { Remover } from './ports/remover.js';

/**
 * The identity provider (SCIM, the Okta hook) as an actor: only those fronts make invocations with this id (the
 * others take actors of the platforms they serve), and the SCIM token they checked is its `offboard-user`.
 */
export const SCIM_ACTOR: Id = 'scim:idp';
const SCIM_USER: UserInfo = {
  id: SCIM_ACTOR,
  name: 'identity provider',
  roles: ['user'],
  grants: ['offboard-user'],
};

/**
 * The admin page (`KICKBOT_ADMIN_TOKEN`) as an actor: whoever holds that token is a bot admin, so its Undo and
 * Cancel run as this id with the global admin role, through the same requests a moderator's command makes. No
 * platform makes ids with this prefix, so only the admin page's invocations carry it.
 */
export const ADMIN_ACTOR: Id = 'admin:web';
const ADMIN_USER: UserInfo = { id: ADMIN_ACTOR, name: 'the admin page', roles: ['admin'] };

/** kickbot's own actors, which no directory knows: what they are called and what they may do. */
const OWN_ACTORS: ReadonlyMap<Id, UserInfo> = new Map([
  [SCIM_ACTOR, SCIM_USER],
  [ADMIN_ACTOR, ADMIN_USER],
]);

/**
 * Who removed someone, when the platform does not say (Slack's `member_left_channel` names no one): the actor of a
 * by-hand case. No platform makes ids with this prefix, so it is nobody's id: no directory knows it, no rule
 * grants it anything, and only an admin may change its cases.
 */
export const UNKNOWN_ACTOR: Id = 'unknown:someone';
const UNKNOWN_LABEL = 'someone (the platform does not say who)';

/**
 * The directories and removers a core can reach, picked by the platform prefix of an id. A room on another
 * system than the user's (an area's Rocket.Chat group, `#docspace:<group>`) is reached with the same person's id
 * there, from the identity links; the core itself keeps working with the ids of the platform the command came from.
 */
export class Connectors {
  readonly #directories = new Map<string, Directory>();
  readonly #removers = new Map<string, Remover>();
  readonly identities: Identities;

  constructor(
    { directories, removers }: { directories: readonly Directory[]; removers: readonly Remover[] },
    identities: Identities = new Identities(),
  ) {
    for (const d of directories) this.#directories.set(d.platform, d);
    for (const r of removers) this.#removers.set(r.system, r);
    this.identities = identities;
  }

  /** The directory of a platform people type in; throws when none is configured (a wiring error, not user input). */
  directory(platform: string): Directory {
    const directory = this.#directories.get(platform);
    if (!directory) throw new Error(`no directory for platform "${platform}"`);
    return directory;
  }

  /** The remover of the id's system; throws when none is configured. */
  remover(id: Id): Remover {
    const remover = this.#removers.get(platformOf(id));
    if (!remover) throw new Error(`no remover for system "${platformOf(id)}"`);
    return remover;
  }

  /** Whether people type commands on this platform (it has a directory). */
  hasDirectory(platform: string): boolean {
    return this.#directories.has(platform);
  }

  /** Every system kickbot removes people from, in the order they were given. */
  systems(): string[] {
    return [...this.#removers.keys()];
  }

  /** Whether kickbot can remove people from this system (a remover for it is configured). */
  serves(platform: string): boolean {
    return this.#removers.has(platform);
  }

  /**
   * An id as its platform writes it; for a system with no directory `#<id>` for a room and the id for a user; the
   * bare local part for a system kickbot does not reach.
   */
  label(id: Id, kind: 'user' | 'room'): string {
    const own = OWN_ACTORS.get(id);
    if (own) return own.name;
    if (id === UNKNOWN_ACTOR) return UNKNOWN_LABEL;
    const directory = this.#directories.get(platformOf(id));
    if (directory) return directory.label(id, kind);
    if (this.#removers.has(platformOf(id))) return kind === 'room' ? `#${id}` : id;
    return localOf(id);
  }

  /** How a moderator types this id in a command on its platform (the HTTP API builds its refs with it). */
  mention(id: Id, kind: 'user' | 'room'): string {
    return this.directory(platformOf(id)).mention(id, kind);
  }

  /** Posts a confirmation in a room; a room of a system with no directory gets none. */
  async notice(room: Id, text: string): Promise<void> {
    await this.#directories.get(platformOf(room))?.notice(room, text);
  }

  /** Whether the platform of `user` knows that user (a system with no directory knows nobody). */
  async userExists(user: Id): Promise<boolean> {
    const directory = this.#directories.get(platformOf(user));
    return directory !== undefined && (await directory.users([user])).has(user);
  }

  /**
   * What each user's own platform knows of them (a user of a platform with no directory is left out), so that one
   * plan can judge a Slack user and the same person's Discord member.
   */
  async users(ids: readonly Id[]): Promise<Map<Id, UserInfo>> {
    const byPlatform = new Map<string, Id[]>();
    for (const id of ids) {
      const platform = platformOf(id);
      byPlatform.set(platform, [...(byPlatform.get(platform) ?? []), id]);
    }
    const out = new Map<Id, UserInfo>();
    for (const id of ids) {
      const own = OWN_ACTORS.get(id);
      if (own) out.set(id, own);
    }
    for (const [platform, some] of byPlatform) {
      const directory = this.#directories.get(platform);
      if (directory) for (const [id, info] of await directory.users(some)) out.set(id, info);
    }
    return out;
  }

  /**
   * The same person's id on another system: the id itself on its own system; through the identity links
   * elsewhere, as that platform's directory builds a full id from a link (`personId`), or `system:key`.
   */
  async idOn(user: Id, system: string): Promise<Id | undefined> {
    if (platformOf(user) === system) return user;
    const key = this.identities.keyOn(user, system);
    if (key === undefined) return undefined;
    const directory = this.#directories.get(system);
    return directory?.personId ? directory.personId(key) : makeId(system, key);
  }

  /**
   * The person with this email address on a platform people type in: an identity link with `email:` first (its
   * first chat platform), then each directory's own lookup (the console workspace's `email:`, Slack's).
   */
  async personByEmail(email: string): Promise<Id | undefined> {
    const address = makeId('email', email.toLowerCase());
    for (const [platform, directory] of this.#directories) {
      const key = this.identities.keyOn(address, platform);
      const id = key === undefined ? undefined : await (directory.personId?.(key) ?? makeId(platform, key));
      if (id !== undefined) return id;
    }
    for (const directory of this.#directories.values()) {
      const id = await directory.findByEmail?.(email);
      if (id !== undefined) return id;
    }
    return undefined;
  }

  /** Whether `user` can be named in `room`'s system: the same system, or an identity link to it. */
  linked(room: Id, user: Id): boolean {
    return this.identities.on(user, platformOf(room)) !== undefined;
  }

  /**
   * The memberships in `room` of those of `users` who are in it, keyed by the ids given. Users with no id in the
   * room's system are left out; a remover that cannot look members up reports every linked user as `assumed`.
   */
  async membersOf(room: Id, users: readonly Id[]): Promise<Map<Id, Membership>> {
    const remover = this.remover(room);
    const platform = platformOf(room);
    const there = new Map<Id, Id>();
    for (const user of users) {
      const id = this.identities.on(user, platform);
      if (id !== undefined) there.set(id, user);
    }
    const out = new Map<Id, Membership>();
    if (!remover.members) {
      for (const user of there.values()) out.set(user, { roles: [], presence: 'assumed' });
      return out;
    }
    const found = await remover.members(room, [...there.keys()]);
    for (const [id, membership] of found) {
      const user = there.get(id);
      if (user !== undefined) out.set(user, membership);
    }
    return out;
  }

  /** A removal target in the room's system: the user's (and, where linked, the actor's) ids there. */
  targetIn(target: RemovalTarget): RemovalTarget {
    const platform = platformOf(target.room);
    const user = this.identities.on(target.user, platform);
    if (user === undefined) throw new Error(`no ${platform} id for ${target.user}`); // the plan refused it
    return { ...target, user, actor: this.identities.on(target.actor, platform) ?? target.actor };
  }
}
