/**
 * Every identifier the core sees carries its platform: `console:bob`, `slack:T1/U2`, `discord:G1/123`.
 * The local part is opaque to the core; only the platform that made it reads it.
 */
export type Id = string;

export function makeId(platform: string, local: string): Id {
  return `${platform}:${local}`;
}

export function platformOf(id: Id): string {
  const at = id.indexOf(':');
  return at < 0 ? '' : id.slice(0, at);
}

export function localOf(id: Id): string {
  const at = id.indexOf(':');
  return at < 0 ? id : id.slice(at + 1);
}

/** The id as a person reads it: without the platform when it is the platform they typed in. */
export function displayId(id: Id, homePlatform: string): string {
  return platformOf(id) === homePlatform ? localOf(id) : id;
}
