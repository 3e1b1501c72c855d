import { Identities } from './identities.js';
import { type Id, localOf, platformOf } from './ids.js';
import type { Directory } from './ports/directory.js';
import type { Remover } from './ports/remover.js';
import type { Connector, Membership, RemovalTarget } from './ports.js';

/**
 * The connectors a core can reach, picked by the platform prefix of an id. A room on another system than the
 * user's (an area's Rocket.Chat group, `#docspace:<group>`) is reached with the same person's id there, from
 * the identity links; the core itself keeps working with the ids of the platform the command came from.
 */
export class Connectors {
  readonly #byPlatform = new Map<string, Connector>();
  readonly identities: Identities;

  constructor(connectors: readonly Connector[], identities: Identities = new Identities()) {
    for (const c of connectors) this.#byPlatform.set(c.platform, c);
    this.identities = identities;
  }

  /** The connector of a platform; throws when none is configured (a wiring error, not user input). */
  platform(name: string): Connector {
    const connector = this.#byPlatform.get(name);
    if (!connector) throw new Error(`no connector for platform "${name}"`);
    return connector;
  }

  for(id: Id): Connector {
    return this.platform(platformOf(id));
  }

  // TEMPORARY: replaced by the ports branch. The registry methods of the new seam (registry.md), as a thin
  // adapter over the old `Connector`, so that the core can use them before the connectors are converted.
  // Built on each call, so that they follow the connector's capabilities as they are now (tests change them).

  /** The directory of a platform; throws when none is configured (a wiring error). */
  directory(platform: string): Directory {
    const c = this.platform(platform);
    return {
      platform: c.platform,
      bot: (scope) => c.bot(scope),
      resolveUsers: (ref, scope) => c.resolveUsers(ref, scope),
      resolveRoom: (ref, scope) => c.resolveRoom(ref, scope),
      area: (name, scope) => c.getArea(name, scope),
      areas: (scope) => c.listAreas(scope),
      users: (ids) => c.getUsers(ids),
      label: (id, kind) => c.label(id, kind),
      mention: (id, kind) => c.label(id, kind),
      notice: (room, text) => c.postNotice(room, text),
    };
  }

  /** The remover of an id's system; throws when none is configured (a wiring error). */
  remover(id: Id): Remover {
    const c = this.for(id);
    const { capabilities: caps } = c;
    const many = c.removeMany?.bind(c);
    return {
      system: c.platform,
      ...(caps.ratePerSecond ? { ratePerSecond: caps.ratePerSecond } : {}),
      room: (room) => c.getRoom(room),
      remove: (target) => c.remove(target),
      ...(caps.membership === false
        ? {}
        : { members: (room: Id, users: readonly Id[]) => c.getMembers(room, users) }),
      ...(many && (caps.batch ?? 1) > 1 ? { batch: { size: caps.batch ?? 1, remove: many } } : {}),
      ...(caps.undo ? { restore: c.restore.bind(c) } : {}),
    };
  }

  /** A confirmation posted in a room (or the mod-log channel) by the room's platform. */
  notice(room: Id, text: string): Promise<void> {
    return this.for(room).postNotice(room, text);
  }

  /** An id as its platform writes it; the bare local part for a platform kickbot has no connector for. */
  label(id: Id, kind: 'user' | 'room'): string {
    const connector = this.#byPlatform.get(platformOf(id));
    return connector ? connector.label(id, kind) : localOf(id);
  }

  has(id: Id): boolean {
    return this.#byPlatform.has(platformOf(id));
  }

  /** Whether a connector for this platform is configured. */
  serves(platform: string): boolean {
    return this.#byPlatform.has(platform);
  }

  /** Whether the platform of `user` knows that user (an unknown platform knows nobody). */
  async userExists(user: Id): Promise<boolean> {
    const connector = this.#byPlatform.get(platformOf(user));
    return connector !== undefined && (await connector.getUsers([user])).has(user);
  }

  /** Whether `user` can be named in `room`'s system: the same system, or an identity link to it. */
  linked(room: Id, user: Id): boolean {
    return this.identities.on(user, platformOf(room)) !== undefined;
  }

  /**
   * The memberships in `room` of those of `users` who are in it, keyed by the ids given. Users with no id in the
   * room's system are left out; a connector that cannot look members up reports every linked user as `assumed`.
   */
  async membersOf(room: Id, users: readonly Id[]): Promise<Map<Id, Membership>> {
    const connector = this.for(room);
    const platform = platformOf(room);
    const there = new Map<Id, Id>();
    for (const user of users) {
      const id = this.identities.on(user, platform);
      if (id !== undefined) there.set(id, user);
    }
    const out = new Map<Id, Membership>();
    if (connector.capabilities.membership === false) {
      for (const user of there.values()) out.set(user, { roles: [], presence: 'assumed' });
      return out;
    }
    const found = await connector.getMembers(room, [...there.keys()]);
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
