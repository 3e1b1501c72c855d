import { type Id, localOf, platformOf } from './ids.js';
import type { Connector } from './ports.js';

/** The connectors a core can reach, picked by the platform prefix of an id. */
export class Connectors {
  readonly #byPlatform = new Map<string, Connector>();

  constructor(connectors: readonly Connector[]) {
    for (const c of connectors) this.#byPlatform.set(c.platform, c);
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
}
