import { type Id, localOf, makeId, platformOf } from './ids.js';

/**
 * One person's ids across systems (`console: bob, slack: U024BE7LH, rocketchat: rc-bob`), from the config file.
 * A person is found by the last segment of an id's local part (`slack:T1/U024BE7LH` → `U024BE7LH`,
 * `discord:G1/123` → `123`), so the config names users as each system shows them.
 */
export type IdentityLinks = readonly Readonly<Record<string, string>>[];

const keyOf = (id: Id): string => localOf(id).split('/').at(-1) ?? '';

export class Identities {
  /** `platform\nkey` → the person's links. */
  readonly #byKey = new Map<string, Readonly<Record<string, string>>>();

  constructor(links: IdentityLinks = []) {
    for (const person of links) {
      for (const [platform, key] of Object.entries(person)) this.#byKey.set(`${platform}\n${key}`, person);
    }
  }

  /**
   * The same person's id on `platform` (built as `platform:key`, the form of the connectors that serve one
   * instance each); the id itself when it is already there; undefined when nobody linked one.
   */
  on(id: Id, platform: string): Id | undefined {
    if (platformOf(id) === platform) return id;
    const key = this.#byKey.get(`${platformOf(id)}\n${keyOf(id)}`)?.[platform];
    return key === undefined ? undefined : makeId(platform, key);
  }

  /** The person's key on `platform` (as written in the config), for ids a caller builds itself. */
  keyOn(id: Id, platform: string): string | undefined {
    if (platformOf(id) === platform) return keyOf(id);
    return this.#byKey.get(`${platformOf(id)}\n${keyOf(id)}`)?.[platform];
  }
}
