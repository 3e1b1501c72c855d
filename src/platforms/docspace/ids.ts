const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Every DocSpace user and group id is a UUID; anything else cannot name one. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
