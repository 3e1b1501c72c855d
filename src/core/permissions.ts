import { z } from 'zod';

/** Global roles (on the user), room roles (in one room), area roles (in one area). DESIGN §5. */
export const GLOBAL_ROLES = ['admin', 'moderator', 'user', 'bot'] as const;
export const ROOM_ROLES = ['owner', 'moderator'] as const;
export const AREA_ROLES = ['manager'] as const;
export type GlobalRole = (typeof GLOBAL_ROLES)[number];
export type RoomRole = (typeof ROOM_ROLES)[number];
export type AreaRole = (typeof AREA_ROLES)[number];
/** `everyone` is held by every user. */
export type Role = GlobalRole | RoomRole | AreaRole | 'everyone';
export const ROLES = ['admin', 'moderator', 'user', 'bot', 'owner', 'manager', 'everyone'] as const;

export const PERMISSIONS = [
  'remove-user',
  'kick-user-from-any-c-room',
  'kick-user-from-any-p-room',
  'remove-area-user',
  'leave-room',
  'offboard-user',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export type Grants = Readonly<Record<Permission, readonly Role[]>>;

/** The defaults of DESIGN §5; every line can be overridden from the workspace or config file. */
export const DEFAULT_GRANTS: Grants = {
  'remove-user': ['admin', 'owner', 'moderator'],
  'kick-user-from-any-c-room': ['admin'],
  'kick-user-from-any-p-room': ['admin'],
  'remove-area-user': ['admin', 'manager'],
  'leave-room': ['everyone'],
  /** `/offboard`: every room of every system, like the any-room bypasses (Discord adds Kick Members, see `UserInfo.grants`). */
  'offboard-user': ['admin'],
};

/** The shape of a `permissions:` block in a workspace or config file. */
export const GrantsOverrideSchema = z.partialRecord(z.enum(PERMISSIONS), z.array(z.enum(ROLES)));
export type GrantsOverride = z.infer<typeof GrantsOverrideSchema>;

export function withOverrides(base: Grants, override: GrantsOverride | undefined): Grants {
  return { ...base, ...override };
}

export function holds(grants: Grants, permission: Permission, roles: Iterable<Role>): boolean {
  const allowed = grants[permission];
  if (allowed.includes('everyone')) return true;
  for (const role of roles) if (allowed.includes(role)) return true;
  return false;
}
