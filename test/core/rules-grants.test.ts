/**
 * The grants of DESIGN §5 (DEFAULT_GRANTS, holds, withOverrides) and how a configured override changes the
 * verdict of the rule lists.
 */
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_GRANTS,
  type Grants,
  type GrantsOverride,
  holds,
  type Role,
  withOverrides,
} from '../../src/core/permissions.js';
import {
  ADMIN,
  type Expected,
  GLOBAL_MOD,
  MANAGER,
  type Mode,
  member,
  moderatorIn,
  named,
  OWNER,
  PLAIN,
  type Scene,
  verdictOf,
} from './rules-fixtures.js';

describe('DEFAULT_GRANTS, holds and withOverrides', () => {
  it('GIVEN no configuration THEN the default grants are the table of DESIGN §5', () => {
    expect(DEFAULT_GRANTS).toEqual({
      'remove-user': ['admin', 'owner', 'moderator'],
      'kick-user-from-any-c-room': ['admin'],
      'kick-user-from-any-p-room': ['admin'],
      'remove-area-user': ['admin', 'manager'],
      'leave-room': ['everyone'],
      'offboard-user': ['admin'],
    });
  });

  it.each<{ permission: keyof Grants; roles: Role[]; expected: boolean }>([
    { permission: 'remove-user', roles: ['admin'], expected: true },
    { permission: 'remove-user', roles: ['user', 'owner'], expected: true },
    { permission: 'remove-user', roles: ['user', 'moderator'], expected: true },
    { permission: 'remove-user', roles: ['user'], expected: false },
    { permission: 'remove-user', roles: ['bot'], expected: false },
    { permission: 'remove-user', roles: ['manager'], expected: false },
    { permission: 'remove-user', roles: [], expected: false },
    { permission: 'kick-user-from-any-c-room', roles: ['moderator', 'owner'], expected: false },
    { permission: 'kick-user-from-any-p-room', roles: ['admin'], expected: true },
    { permission: 'remove-area-user', roles: ['manager'], expected: true },
    { permission: 'remove-area-user', roles: ['moderator', 'owner'], expected: false },
    { permission: 'leave-room', roles: ['user'], expected: true },
    { permission: 'leave-room', roles: [], expected: true },
  ])(
    'GIVEN the default grants WHEN roles $roles ask for $permission THEN holds is $expected',
    ({ permission, roles, expected }) => {
      expect(holds(DEFAULT_GRANTS, permission, roles)).toBe(expected);
    },
  );

  it('GIVEN an override of one line WHEN applied THEN that line is replaced and the others are kept', () => {
    const grants = withOverrides(DEFAULT_GRANTS, { 'remove-user': ['admin'] });
    expect(grants).toEqual({
      'remove-user': ['admin'],
      'kick-user-from-any-c-room': ['admin'],
      'kick-user-from-any-p-room': ['admin'],
      'remove-area-user': ['admin', 'manager'],
      'leave-room': ['everyone'],
      'offboard-user': ['admin'],
    });
    expect(DEFAULT_GRANTS['remove-user']).toEqual(['admin', 'owner', 'moderator']);
  });

  it('GIVEN no override WHEN applied THEN the grants are the base grants', () => {
    expect(withOverrides(DEFAULT_GRANTS, undefined)).toEqual(DEFAULT_GRANTS);
  });

  it('GIVEN an override granting nobody WHEN asked THEN nobody holds it, not even an admin', () => {
    const grants = withOverrides(DEFAULT_GRANTS, { 'kick-user-from-any-p-room': [] });
    expect(holds(grants, 'kick-user-from-any-p-room', ['admin'])).toBe(false);
  });
});

describe('grant overrides', () => {
  const cases: { name: string; override: GrantsOverride; mode: Mode; scene: Scene; expected: Expected }[] = [
    {
      name: 'GIVEN kick-user-from-any-p-room: [] AND a global admin not in a private room WHEN removing a member THEN denied:room-not-found',
      override: { 'kick-user-from-any-p-room': [] },
      mode: 'remove',
      scene: { actor: ADMIN, room: 'private', targetIn: member() },
      expected: 'denied:room-not-found',
    },
    {
      name: 'GIVEN kick-user-from-any-p-room: [] AND a global admin not in a group room WHEN removing a member THEN denied:room-not-found',
      override: { 'kick-user-from-any-p-room': [] },
      mode: 'remove',
      scene: { actor: ADMIN, room: 'group', targetIn: member() },
      expected: 'denied:room-not-found',
    },
    {
      name: 'GIVEN kick-user-from-any-p-room: [] AND a global admin in a private room WHEN removing a member THEN ok',
      override: { 'kick-user-from-any-p-room': [] },
      mode: 'remove',
      scene: { actor: ADMIN, actorIn: member(), room: 'private', targetIn: member() },
      expected: 'ok',
    },
    {
      name: 'GIVEN kick-user-from-any-p-room: [] AND a global admin not in a public room WHEN removing a member THEN ok',
      override: { 'kick-user-from-any-p-room': [] },
      mode: 'remove',
      scene: { actor: ADMIN, room: 'public', targetIn: member() },
      expected: 'ok',
    },
    {
      name: 'GIVEN kick-user-from-any-p-room: [admin, moderator] AND a global moderator not in a private room WHEN removing a member THEN ok',
      override: { 'kick-user-from-any-p-room': ['admin', 'moderator'] },
      mode: 'remove',
      scene: { actor: GLOBAL_MOD, room: 'private', targetIn: member() },
      expected: 'ok',
    },
    {
      name: 'GIVEN remove-user: [admin] AND the room owner in a public room WHEN removing a member THEN denied:not-allowed',
      override: { 'remove-user': ['admin'] },
      mode: 'remove',
      scene: { actor: OWNER, actorIn: member('owner'), room: 'public', targetIn: member() },
      expected: 'denied:not-allowed',
    },
    {
      name: 'GIVEN remove-user: [admin] AND a room moderator in a private room WHEN removing a member THEN denied:not-allowed',
      override: { 'remove-user': ['admin'] },
      mode: 'remove',
      scene: moderatorIn('private'),
      expected: 'denied:not-allowed',
    },
    {
      name: 'GIVEN remove-user: [admin] AND a global moderator in a public room WHEN removing a member THEN denied:not-allowed',
      override: { 'remove-user': ['admin'] },
      mode: 'remove',
      scene: { actor: GLOBAL_MOD, actorIn: member(), room: 'public', targetIn: member() },
      expected: 'denied:not-allowed',
    },
    {
      name: 'GIVEN remove-user: [admin] AND a global admin in a private room WHEN removing a member THEN ok',
      override: { 'remove-user': ['admin'] },
      mode: 'remove',
      scene: { actor: ADMIN, actorIn: member(), room: 'private', targetIn: member() },
      expected: 'ok',
    },
    {
      name: 'GIVEN remove-user: [admin] AND the room owner in a public room WHEN restoring THEN denied:not-allowed',
      override: { 'remove-user': ['admin'] },
      mode: 'restore',
      scene: { actor: OWNER, actorIn: member('owner'), room: 'public' },
      expected: 'denied:not-allowed',
    },
    {
      name: 'GIVEN remove-user: [owner] and kick-user-from-any-c-room: [] AND a global admin in a public room WHEN removing a member THEN denied:not-allowed',
      override: { 'remove-user': ['owner'], 'kick-user-from-any-c-room': [] },
      mode: 'remove',
      scene: { actor: ADMIN, actorIn: member(), room: 'public', targetIn: member() },
      expected: 'denied:not-allowed',
    },
    {
      name: 'GIVEN remove-user: [owner] AND a global admin not in a public room WHEN removing a member THEN ok (the c-room bypass)',
      override: { 'remove-user': ['owner'] },
      mode: 'remove',
      scene: { actor: ADMIN, room: 'public', targetIn: member() },
      expected: 'ok',
    },
    {
      name: 'GIVEN remove-user: [everyone] AND a plain user in a public room WHEN removing a member THEN ok',
      override: { 'remove-user': ['everyone'] },
      mode: 'remove',
      scene: { actor: PLAIN, actorIn: member(), room: 'public', targetIn: member() },
      expected: 'ok',
    },
    {
      name: 'GIVEN remove-user: [everyone] AND a plain user not in a private room WHEN removing a member THEN denied:room-not-found',
      override: { 'remove-user': ['everyone'] },
      mode: 'remove',
      scene: { actor: PLAIN, room: 'private', targetIn: member() },
      expected: 'denied:room-not-found',
    },
    {
      name: 'GIVEN remove-area-user: [manager] AND a global admin in a public room of the area WHEN removing a member THEN denied:not-allowed',
      override: { 'remove-area-user': ['manager'] },
      mode: 'area',
      scene: { actor: ADMIN, actorIn: member(), areaRoles: [], room: 'public', targetIn: member() },
      expected: 'denied:not-allowed',
    },
    {
      name: 'GIVEN remove-area-user: [admin] AND an area manager in a public room of the area WHEN removing a member THEN denied:not-allowed',
      override: { 'remove-area-user': ['admin'] },
      mode: 'area',
      scene: { actor: MANAGER, areaRoles: ['manager'], room: 'public', targetIn: member() },
      expected: 'denied:not-allowed',
    },
    {
      name: 'GIVEN remove-area-user: [admin, manager, moderator] AND a global moderator in a private room of the area WHEN removing a member THEN ok',
      override: { 'remove-area-user': ['admin', 'manager', 'moderator'] },
      mode: 'area',
      scene: { actor: GLOBAL_MOD, areaRoles: [], room: 'private', targetIn: member() },
      expected: 'ok',
    },
    {
      name: 'GIVEN leave-room: [admin] AND a plain user in a public room WHEN leaving THEN denied:not-allowed',
      override: { 'leave-room': ['admin'] },
      mode: 'leave',
      scene: { actor: PLAIN, actorIn: member(), room: 'public' },
      expected: 'denied:not-allowed',
    },
    {
      name: 'GIVEN leave-room: [admin] AND a room owner (one of 2) in a private room WHEN leaving THEN denied:not-allowed',
      override: { 'leave-room': ['admin'] },
      mode: 'leave',
      scene: { actor: OWNER, actorIn: member('owner'), owners: 2, room: 'private' },
      expected: 'denied:not-allowed',
    },
    {
      name: 'GIVEN leave-room: [admin] AND a global admin in a public room WHEN leaving THEN ok',
      override: { 'leave-room': ['admin'] },
      mode: 'leave',
      scene: { actor: ADMIN, actorIn: member(), room: 'public' },
      expected: 'ok',
    },
    {
      name: 'GIVEN leave-room: [owner] AND a room owner (one of 2) in a group room WHEN leaving THEN ok',
      override: { 'leave-room': ['owner'] },
      mode: 'leave',
      scene: { actor: OWNER, actorIn: member('owner'), owners: 2, room: 'group' },
      expected: 'ok',
    },
  ];

  it.each(named(cases))('%s', (_name, { override, mode, scene, expected }) => {
    expect(verdictOf(mode, scene, withOverrides(DEFAULT_GRANTS, override))).toBe(expected);
  });

  it('GIVEN the same pair WHEN judged with and without an override THEN only the override changes the verdict', () => {
    const scene: Scene = { actor: ADMIN, room: 'private', targetIn: member() };
    expect(verdictOf('remove', scene)).toBe('ok');
    expect(
      verdictOf('remove', scene, withOverrides(DEFAULT_GRANTS, { 'kick-user-from-any-p-room': [] })),
    ).toBe('denied:room-not-found');
  });
});
