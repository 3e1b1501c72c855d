import { Identities } from './identities.js';
import { type Id, localOf, platformOf } from './ids.js';
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
