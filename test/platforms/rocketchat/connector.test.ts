import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  ConnectorError,
  type Id,
  localOf,
  type RemovalTarget,
  silentLogger,
} from '../../../src/core/index.js';
import { RocketChatConnector } from '../../../src/platforms/rocketchat/RocketChatConnector.js';
import { FakeRocketChat, rcError } from '../../fakes/rocketchat/FakeRocketChat.js';
import { type SeedRig, seedContract } from '../seeds/contract.js';

/**
 * The Rocket.Chat connector against the fake Rocket.Chat REST API on loopback: the seed contract, then the request
 * shapes (checked against the official OpenAPI file too), Rocket.Chat's error types as outcomes, room types and
 * owners, room roles, undo with roles given back, and the server's own kick rules as the fake plays them.
 */

const TOKEN = 'fake-rc-token-0001';
const U = {
  kickbot: 'rcKickbotAcct001',
  alice: 'rcAliceOwner0001',
  frank: 'rcFrankOwner0002',
  bob: 'rcBobMember00003',
  carol: 'rcCarolMember004',
  erin: 'rcErinModLead005',
  dave: 'rcDaveOutside006',
} as const;
const R = {
  /** Private group: owners alice + frank, moderator erin (also leader), members bob + carol; kickbot per world. */
  staff: 'grpStaff00000001',
  /** Public channel "General": owner alice, moderator erin, member bob; kickbot per world. */
  general: 'chnGeneral000001',
  /** A direct message between kickbot's account and bob. */
  dm: 'dmKickbotBob0001',
  livechat: 'lvVisitorRoom001',
  /** A private group kickbot's account is not in. */
  hidden: 'grpHidden0000001',
  unknown: 'grpUnknown000001',
} as const;
const rc = (local: string): Id => `rocketchat:${local}`;
const KICKS = ['POST /api/v1/groups.kick', 'POST /api/v1/channels.kick', 'POST /api/v1/rooms.leave'];

interface World {
  /** kickbot's account's global roles (default `user`). */
  roles?: string[];
  /** Its room roles in #staff and #general (default `moderator`). */
  roomRoles?: string[];
  targets?: { room: string; type?: 'private' | 'public' }[];
  pageLimit?: number;
}

const opened: FakeRocketChat[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((f) => f.close()));
});

async function world(opts: World = {}): Promise<{ fake: FakeRocketChat; connector: RocketChatConnector }> {
  const fake = await FakeRocketChat.start({
    caller: { id: U.kickbot, username: 'kickbot', roles: opts.roles ?? ['user'] },
    token: TOKEN,
    ...(opts.pageLimit ? { pageLimit: opts.pageLimit } : {}),
  });
  opened.push(fake);
  for (const [name, id] of Object.entries(U))
    if (id !== U.kickbot) fake.addUser({ id, username: name, roles: ['user'] });
  const mine = opts.roomRoles ?? ['moderator'];
  fake.addRoom({
    id: R.staff,
    name: 'staff',
    t: 'p',
    members: {
      [U.kickbot]: mine,
      [U.alice]: ['owner'],
      [U.frank]: ['owner'],
      [U.erin]: ['moderator', 'leader'],
      [U.bob]: [],
      [U.carol]: [],
    },
  });
  fake.addRoom({
    id: R.general,
    name: 'general',
    fname: 'General',
    t: 'c',
    members: { [U.kickbot]: mine, [U.alice]: ['owner'], [U.erin]: ['moderator'], [U.bob]: [] },
  });
  fake.addRoom({ id: R.dm, name: '', t: 'd', members: { [U.kickbot]: [], [U.bob]: [] } });
  fake.addRoom({ id: R.livechat, name: 'visitor', t: 'l', members: { [U.kickbot]: [], [U.bob]: [] } });
  fake.addRoom({ id: R.hidden, name: 'hidden', t: 'p', members: { [U.alice]: ['owner'], [U.bob]: [] } });
  const connector = new RocketChatConnector({
    url: fake.url,
    userId: U.kickbot,
    token: TOKEN,
    logger: silentLogger,
    ...(opts.targets ? { targets: opts.targets } : {}),
  });
  return { fake, connector };
}

const target = (room: string, user: string): RemovalTarget => ({
  room: rc(room),
  user: rc(user),
  actor: 'slack:T1/U2',
  reason: 'offboarding',
  caseId: 7,
});

const bodies = (fake: FakeRocketChat, route: string) =>
  fake.callsTo(route).map((c) => JSON.parse(c.raw) as unknown);
const posts = (fake: FakeRocketChat) => fake.calls.filter((c) => c.method === 'POST');

seedContract('rocketchat', async (): Promise<SeedRig> => {
  const { fake, connector } = await world();
  return {
    remover: connector,
    room: rc(R.staff),
    member: rc(U.bob),
    member2: rc(U.carol),
    outsider: rc(U.dave),
    unknownRoom: rc(R.unknown),
    isMember: (room, user) => fake.isMember(localOf(room), localOf(user)),
    revokeCredentials: () => fake.revoke(),
    failNextRemoval: (status) => fake.failNext('POST /api/v1/groups.kick', { status }),
    removalRequests: () => KICKS.reduce((n, route) => n + fake.callsTo(route).length, 0),
    secrets: [TOKEN],
    close: () => fake.close(),
  };
});

describe('remove: the requests', () => {
  it('GIVEN a member of a private group THEN POST /api/v1/groups.kick {roomId, userId} with X-Auth-Token and X-User-Id', async () => {
    const { fake, connector } = await world();
    expect(await connector.remove(target(R.staff, U.bob))).toEqual({ outcome: 'removed' });
    const [kick, ...more] = fake.callsTo('POST /api/v1/groups.kick');
    expect(more).toEqual([]);
    expect(kick?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(kick?.raw ?? '')).toEqual({ roomId: R.staff, userId: U.bob });
    expect(fake.callsTo('POST /api/v1/channels.kick')).toEqual([]);
    expect(fake.calls.map((c) => [c.headers['x-auth-token'], c.headers['x-user-id']])).toEqual(
      fake.calls.map(() => [TOKEN, U.kickbot]),
    );
    expect(fake.isMember(R.staff, U.bob)).toBe(false);
  });

  it('GIVEN a public channel THEN POST /api/v1/channels.kick, and its {channel, success} answer is a removal', async () => {
    const { fake, connector } = await world();
    expect(await connector.remove(target(R.general, U.bob))).toEqual({ outcome: 'removed' });
    expect(bodies(fake, 'POST /api/v1/channels.kick')).toEqual([{ roomId: R.general, userId: U.bob }]);
    expect(fake.callsTo('POST /api/v1/groups.kick')).toEqual([]);
    expect(fake.isMember(R.general, U.bob)).toBe(false);
  });

  it("GIVEN kickbot's own account THEN POST /api/v1/rooms.leave {roomId}, no kick and no room lookup", async () => {
    const { fake, connector } = await world();
    expect(await connector.remove({ ...target(R.staff, U.kickbot), self: true })).toEqual({
      outcome: 'removed',
    });
    expect(fake.calls.map((c) => `${c.method} ${c.path}`)).toEqual(['POST /api/v1/rooms.leave']);
    expect(bodies(fake, 'POST /api/v1/rooms.leave')).toEqual([{ roomId: R.staff }]);
    expect(fake.isMember(R.staff, U.kickbot)).toBe(false);
  });

  it("GIVEN a target's type in the config THEN no rooms.info; without it THEN one rooms.info for several removals", async () => {
    const configured = await world({ targets: [{ room: R.staff, type: 'private' }] });
    await configured.connector.remove(target(R.staff, U.bob));
    expect(configured.fake.calls.map((c) => c.path)).toEqual(['/api/v1/groups.kick']);
    const asked = await world();
    await asked.connector.remove(target(R.staff, U.bob));
    await asked.connector.remove(target(R.staff, U.carol));
    expect(asked.fake.calls.map((c) => c.path)).toEqual([
      '/api/v1/rooms.info',
      '/api/v1/groups.kick',
      '/api/v1/groups.kick',
    ]);
  });

  it('GIVEN a group turned into a channel after its type was asked THEN groups.kick misses, it asks again and channels.kick', async () => {
    const { fake, connector } = await world();
    await connector.remove(target(R.staff, U.bob));
    const staff = fake.rooms.get(R.staff);
    if (staff) staff.t = 'c';
    expect(await connector.remove(target(R.staff, U.carol))).toEqual({ outcome: 'removed' });
    expect(fake.calls.map((c) => `${c.path} ${c.status}`)).toEqual([
      '/api/v1/rooms.info 200',
      '/api/v1/groups.kick 200',
      '/api/v1/groups.kick 400',
      '/api/v1/rooms.info 200',
      '/api/v1/channels.kick 200',
    ]);
    expect(fake.isMember(R.staff, U.carol)).toBe(false);
  });

  it('GIVEN a direct message or a livechat room THEN unsupported room-type, without a kick', async () => {
    const { fake, connector } = await world();
    expect(await connector.remove(target(R.dm, U.bob))).toMatchObject({
      outcome: 'unsupported',
      code: 'room-type',
    });
    expect(await connector.remove(target(R.livechat, U.bob))).toMatchObject({
      outcome: 'unsupported',
      code: 'room-type',
    });
    expect(KICKS.flatMap((r) => fake.callsTo(r))).toEqual([]);
  });
});

describe("remove: Rocket.Chat's error types as outcomes", () => {
  const NOT_ALLOWED_HINT =
    'the Rocket.Chat account kickbot uses may not remove users here (remove-user / kick-user-from-any-p-room)';
  it.each([
    [
      'error-user-not-in-room',
      rcError('error-user-not-in-room', 'User is not in this room', 'removeUserFromRoom'),
      { outcome: 'not_member' },
    ],
    [
      'error-not-allowed',
      rcError('error-not-allowed', 'Not allowed', 'removeUserFromRoom'),
      { outcome: 'denied', code: 'not-allowed', hint: NOT_ALLOWED_HINT },
    ],
    [
      'error-room-not-found',
      rcError('error-room-not-found', 'The required "roomId" … any group'),
      { outcome: 'denied', code: 'room-not-found' },
    ],
    [
      'error-you-are-last-owner',
      rcError('error-you-are-last-owner', 'You are the last owner.'),
      {
        outcome: 'denied',
        code: 'last-owner',
        hint: "the user is the room's last owner: make someone else owner first",
      },
    ],
    [
      'error-app-prevented',
      rcError('error-app-prevented', 'A Rocket.Chat App prevented the action'),
      { outcome: 'denied', code: 'app-prevented', hint: 'a Rocket.Chat app refused the removal' },
    ],
    [
      "'Invalid user' (no errorType)",
      { status: 400, body: { success: false, error: 'Invalid user' } },
      { outcome: 'failed', code: 'invalid-user', hint: 'Rocket.Chat does not know this user' },
    ],
    [
      'error-invalid-user',
      rcError('error-invalid-user', 'The required "userId" … any users'),
      { outcome: 'failed', code: 'invalid-user', hint: 'Rocket.Chat does not know this user' },
    ],
    [
      '401',
      { status: 401, body: { status: 'error', message: 'You must be logged in to do this.' } },
      {
        outcome: 'failed',
        code: 'unauthorized',
        hint: "Rocket.Chat refused kickbot's credentials (X-User-Id / X-Auth-Token)",
      },
    ],
    [
      'another errorType',
      rcError('error-room-archived', 'The private group, staff, is archived'),
      {
        outcome: 'failed',
        code: 'rocketchat-error-room-archived',
        hint: 'The private group, staff, is archived [error-room-archived]',
      },
    ],
    ['a 403 without a body', { status: 403 }, { outcome: 'failed', code: 'rocketchat-403' }],
  ])(
    'GIVEN groups.kick answers %s THEN the mapped outcome, and bob is still there',
    async (_name, answer, expected) => {
      const { fake, connector } = await world();
      fake.failNext('POST /api/v1/groups.kick', answer);
      const result = await connector.remove(target(R.staff, U.bob));
      expect(result).toEqual(expected);
      expect(JSON.stringify(result)).not.toContain(TOKEN);
      expect(fake.isMember(R.staff, U.bob)).toBe(true);
    },
  );

  it('GIVEN rooms.leave answers error-not-allowed THEN denied not-allowed naming leave-p / leave-c', async () => {
    const { fake, connector } = await world();
    fake.failNext('POST /api/v1/rooms.leave', rcError('error-not-allowed', 'Not allowed', 'leaveRoom'));
    const result = await connector.remove(target(R.staff, U.kickbot));
    expect(result).toEqual({
      outcome: 'denied',
      code: 'not-allowed',
      hint: 'the Rocket.Chat account kickbot uses may not leave this room (leave-p / leave-c)',
    });
  });
});

describe("the fake's rules (Rocket.Chat's removeUserFromRoom)", () => {
  it('GIVEN a plain user account (no remove-user in the room) THEN error-not-allowed → denied not-allowed', async () => {
    const { fake, connector } = await world({ roomRoles: [] });
    expect(await connector.remove(target(R.staff, U.bob))).toMatchObject({
      outcome: 'denied',
      code: 'not-allowed',
    });
    expect(fake.callsTo('POST /api/v1/groups.kick')[0]?.status).toBe(400);
    expect(fake.isMember(R.staff, U.bob)).toBe(true);
  });

  it('GIVEN two owners THEN a moderator removes one; the other, the last owner, THEN denied last-owner', async () => {
    const { fake, connector } = await world();
    expect(await connector.remove(target(R.staff, U.frank))).toEqual({ outcome: 'removed' });
    expect(await connector.remove(target(R.staff, U.alice))).toMatchObject({
      outcome: 'denied',
      code: 'last-owner',
    });
    expect(fake.isMember(R.staff, U.alice)).toBe(true);
  });

  it("GIVEN kickbot's account is a room's last owner THEN rooms.leave → denied last-owner with a hint about itself", async () => {
    const { fake, connector } = await world();
    fake.addRoom({
      id: 'grpSolo000000001',
      name: 'solo',
      t: 'p',
      members: { [U.kickbot]: ['owner'], [U.bob]: [] },
    });
    const result = await connector.remove(target('grpSolo000000001', U.kickbot));
    expect(result).toMatchObject({ outcome: 'denied', code: 'last-owner' });
    expect('hint' in result ? result.hint : '').toMatch(
      /kickbot's Rocket.Chat account is the room's last owner/,
    );
    expect(fake.isMember('grpSolo000000001', U.kickbot)).toBe(true);
  });

  it('GIVEN an admin not in a private group (no kick-user-from-any-p-room) THEN error-room-not-found → denied', async () => {
    const { fake, connector } = await world({
      roles: ['user', 'admin'],
      targets: [{ room: R.hidden, type: 'private' }],
    });
    const result = await connector.remove(target(R.hidden, U.bob));
    expect(result).toMatchObject({ outcome: 'denied', code: 'room-not-found' });
    expect('hint' in result ? result.hint : '').toMatch(/type in the config.*in the room/);
    expect(fake.callsTo('POST /api/v1/groups.kick')[0]?.status).toBe(400);
    expect(fake.isMember(R.hidden, U.bob)).toBe(true);
  });

  it('GIVEN an admin (kick-user-from-any-c-room) and a non-member of a public channel THEN Rocket.Chat answers success', async () => {
    const { fake, connector } = await world({ roles: ['user', 'admin'] });
    expect(await connector.remove(target(R.general, U.dave))).toEqual({ outcome: 'removed' });
    expect(fake.callsTo('POST /api/v1/channels.kick')[0]?.status).toBe(200);
  });

  it('GIVEN an unknown user id THEN error-invalid-user → failed invalid-user', async () => {
    const { connector } = await world();
    expect(await connector.remove(target(R.staff, 'rcNobody00000099'))).toMatchObject({
      outcome: 'failed',
      code: 'invalid-user',
    });
  });

  it('GIVEN raw requests THEN groups.kick refuses a channel, unknown or missing keys, and other credentials', async () => {
    const { fake } = await world();
    const post = async (
      body: unknown,
      headers: Record<string, string> = { 'X-Auth-Token': TOKEN, 'X-User-Id': U.kickbot },
    ) => {
      const res = await fetch(`${fake.url}/api/v1/groups.kick`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    expect(await post({ roomId: R.general, userId: U.bob })).toMatchObject({
      status: 400,
      body: { errorType: 'error-room-not-found' },
    });
    expect(await post({ roomId: R.staff, userId: U.bob, reason: 'x' })).toMatchObject({
      status: 400,
      body: { errorType: 'invalid-params' },
    });
    expect(await post({ roomId: R.staff })).toMatchObject({
      status: 400,
      body: { errorType: 'invalid-params' },
    });
    expect(
      await post(
        { roomId: R.staff, userId: U.bob },
        { 'X-Auth-Token': 'fake-rc-token-9999', 'X-User-Id': U.kickbot },
      ),
    ).toEqual({
      status: 401,
      body: { status: 'error', message: 'You must be logged in to do this.' },
    });
    expect(await post({ roomId: R.staff, userId: U.bob }, {})).toMatchObject({ status: 401 });
    expect(fake.isMember(R.staff, U.bob)).toBe(true);
  });
});

describe('room: types, names and owners', () => {
  it('GIVEN a private group with two owners and a public channel with a display name THEN both described', async () => {
    const { connector } = await world();
    expect(await connector.room(rc(R.staff))).toEqual({
      id: rc(R.staff),
      name: 'staff',
      type: 'private',
      owners: 2,
      label: 'Rocket.Chat #staff',
    });
    expect(await connector.room(rc(R.general))).toEqual({
      id: rc(R.general),
      name: 'General',
      type: 'public',
      owners: 1,
      label: 'Rocket.Chat #General',
    });
  });

  it('GIVEN a direct message THEN direct; another type (livechat) THEN private with unsupported room-type', async () => {
    const { connector } = await world();
    expect(await connector.room(rc(R.dm))).toMatchObject({ type: 'direct', owners: 0 });
    const live = await connector.room(rc(R.livechat));
    expect(live).toMatchObject({ type: 'private', unsupported: { code: 'room-type' } });
    expect(live?.unsupported?.hint).toContain("'l'");
  });

  it("GIVEN an unknown room or one kickbot's account cannot access THEN undefined", async () => {
    const { connector } = await world();
    expect(await connector.room(rc(R.unknown))).toBeUndefined();
    expect(await connector.room(rc(R.hidden))).toBeUndefined();
  });

  it('GIVEN refused credentials THEN room throws a ConnectorError unauthorized without the token', async () => {
    const { fake, connector } = await world();
    fake.revoke();
    const error = await connector.room(rc(R.staff)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error).toMatchObject({ code: 'unauthorized', retryable: false });
    expect(`${(error as Error).message} ${(error as Error).stack}`).not.toContain(TOKEN);
  });
});

describe('members: room roles and pages', () => {
  it('GIVEN owners, a moderator who is also leader, a member and an outsider THEN members only, with owner / moderator', async () => {
    const { connector } = await world();
    const members = await connector.members(rc(R.staff), [rc(U.bob), rc(U.alice), rc(U.erin), rc(U.dave)]);
    expect([...members]).toEqual([
      [rc(U.bob), { roles: [] }],
      [rc(U.alice), { roles: ['owner'] }],
      [rc(U.erin), { roles: ['moderator'] }],
    ]);
  });

  it('GIVEN pages of 2 THEN it pages on until total, and stops once everyone asked for is found', async () => {
    const { fake, connector } = await world({ pageLimit: 2 });
    // by username: alice bob | carol erin | frank kickbot
    expect([...(await connector.members(rc(R.staff), [rc(U.frank)])).keys()]).toEqual([rc(U.frank)]);
    expect(fake.callsTo('GET /api/v1/groups.members')).toHaveLength(3);
    expect((await connector.members(rc(R.staff), [rc(U.dave)])).size).toBe(0);
    expect(fake.callsTo('GET /api/v1/groups.members')).toHaveLength(6);
    await connector.members(rc(R.staff), [rc(U.alice)]);
    expect(fake.callsTo('GET /api/v1/groups.members')).toHaveLength(7);
  });

  it('GIVEN a public channel THEN channels.members and channels.roles; an unknown room THEN nobody', async () => {
    const { fake, connector } = await world();
    expect([...(await connector.members(rc(R.general), [rc(U.erin)]))]).toEqual([
      [rc(U.erin), { roles: ['moderator'] }],
    ]);
    expect(fake.callsTo('GET /api/v1/channels.members')).toHaveLength(1);
    expect(fake.callsTo('GET /api/v1/channels.roles')).toHaveLength(1);
    expect((await connector.members(rc(R.unknown), [rc(U.bob)])).size).toBe(0);
  });
});

describe('restore: re-add, then the room roles', () => {
  it('GIVEN an owner removed by an admin account THEN groups.invite, groups.addOwner: restored, owner again', async () => {
    const { fake, connector } = await world({ roles: ['user', 'admin'] });
    await connector.remove(target(R.staff, U.frank));
    expect(await connector.restore(target(R.staff, U.frank), ['owner'])).toEqual({ outcome: 'restored' });
    expect(fake.roomRoles(R.staff, U.frank)).toEqual(['owner']);
    expect(bodies(fake, 'POST /api/v1/groups.invite')).toEqual([{ roomId: R.staff, userId: U.frank }]);
    expect(bodies(fake, 'POST /api/v1/groups.addOwner')).toEqual([{ roomId: R.staff, userId: U.frank }]);
  });

  it('GIVEN a channel moderator THEN channels.invite, channels.addModerator', async () => {
    const { fake, connector } = await world({ roles: ['user', 'admin'] });
    await connector.remove(target(R.general, U.erin));
    expect(await connector.restore(target(R.general, U.erin), ['moderator'])).toEqual({
      outcome: 'restored',
    });
    expect(fake.roomRoles(R.general, U.erin)).toEqual(['moderator']);
    expect(fake.callsTo('POST /api/v1/channels.addModerator')).toHaveLength(1);
  });

  it('GIVEN someone who is in the room THEN already_member, without a write', async () => {
    const { fake, connector } = await world();
    expect(await connector.restore(target(R.staff, U.bob), ['moderator'])).toEqual({
      outcome: 'already_member',
    });
    expect(posts(fake)).toEqual([]);
  });

  it('GIVEN a moderator account (no set-owner) THEN re-added, but failed role-not-restored naming set-owner', async () => {
    const { fake, connector } = await world();
    await connector.remove(target(R.staff, U.frank));
    const result = await connector.restore(target(R.staff, U.frank), ['owner']);
    expect(result).toMatchObject({ outcome: 'failed', code: 'role-not-restored' });
    expect('hint' in result ? result.hint : '').toContain('set-owner');
    expect(fake.roomRoles(R.staff, U.frank)).toEqual([]);
  });

  it('GIVEN a plain user account THEN invite refused: failed not-allowed; refused credentials THEN failed unauthorized', async () => {
    const { fake, connector } = await world({ roomRoles: [] });
    const refused = await connector.restore(target(R.staff, U.dave), []);
    expect(refused).toMatchObject({ outcome: 'failed', code: 'not-allowed' });
    expect('hint' in refused ? refused.hint : '').toContain('add-user-to-joined-room');
    expect(fake.isMember(R.staff, U.dave)).toBe(false);
    fake.revoke();
    expect(await connector.restore(target(R.staff, U.dave), [])).toMatchObject({
      outcome: 'failed',
      code: 'unauthorized',
    });
  });
});

describe('the bodies kickbot sends match the official OpenAPI (rooms.yaml)', () => {
  interface Schema {
    properties?: Record<string, { type?: string }>;
    required?: string[];
    oneOf?: Schema[];
  }
  const spec = parse(
    readFileSync(
      resolve(import.meta.dirname, '../../../../shared/reference/rocketchat-openapi/rooms.yaml'),
      'utf8',
    ),
  ) as {
    paths: Record<string, { post?: { requestBody?: { content?: Record<string, { schema?: Schema }> } } }>;
  };

  /** Every required property is there, no other property is sent, and each has its type. */
  const fits = (body: Record<string, unknown>, schema: Schema): boolean =>
    (schema.oneOf ?? []).some((s) => fits(body, s)) ||
    (!schema.oneOf &&
      (schema.required ?? []).every((k) => k in body) &&
      Object.entries(body).every(([k, v]) => schema.properties?.[k]?.type === typeof v));

  it('GIVEN removals (group, channel, self) and restores with roles THEN each POST body fits its path in the spec', async () => {
    const { fake, connector } = await world({ roles: ['user', 'admin'] });
    await connector.remove(target(R.staff, U.frank));
    await connector.remove(target(R.general, U.erin));
    await connector.restore(target(R.staff, U.frank), ['owner', 'moderator']);
    await connector.restore(target(R.general, U.erin), ['owner', 'moderator']);
    await connector.remove(target(R.staff, U.kickbot));
    const sent = posts(fake);
    expect(new Set(sent.map((c) => c.path))).toEqual(
      new Set(
        [
          'groups.kick',
          'channels.kick',
          'rooms.leave',
          'groups.invite',
          'channels.invite',
          'groups.addOwner',
          'groups.addModerator',
          'channels.addOwner',
          'channels.addModerator',
        ].map((p) => `/api/v1/${p}`),
      ),
    );
    for (const call of sent) {
      const schema = spec.paths[call.path]?.post?.requestBody?.content?.['application/json']?.schema;
      expect(schema, call.path).toBeDefined();
      expect(fits(JSON.parse(call.raw) as Record<string, unknown>, schema as Schema), call.path).toBe(true);
    }
  });

  it('GIVEN the spec THEN the check is not vacuous: groups.kick requires roomId and userId and refuses an extra key', () => {
    const schema = spec.paths['/api/v1/groups.kick']?.post?.requestBody?.content?.['application/json']
      ?.schema as Schema;
    expect(schema.required).toEqual(['roomId', 'userId']);
    expect(fits({ roomId: R.staff }, schema)).toBe(false);
    expect(fits({ roomId: R.staff, userId: U.bob, reason: 'spam' }, schema)).toBe(false);
    expect(fits({ roomId: R.staff, userId: U.bob }, schema)).toBe(true);
  });
});
