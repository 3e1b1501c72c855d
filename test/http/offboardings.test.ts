import { describe, expect, it } from 'vitest';
import { useApiRig } from '../helpers/api-rig.js';

/**
 * `POST /api/v1/offboardings` on a console workspace: each user out of everything as their own `/offboard` (own
 * case, per-room results, one line per system, a summary), the same key, body and actor checks as
 * `/api/v1/removals`, and an Idempotency-Key bound to its request.
 */

const rig = useApiRig();
const { offboard, member } = rig;

interface Entry {
  user: string;
  case: number;
  users: string[];
  results: { room: string; outcome: string; code?: string }[];
  systems: { system: string; summary: string; undo: boolean }[];
  message: string;
}
const entries = (body: Record<string, unknown>) => body.data as Entry[];

describe('POST /api/v1/offboardings: results', () => {
  it('GIVEN carol and bob THEN one entry and one case each, every room, a line per system and the summary', async () => {
    const res = await offboard({
      actor: 'console:ada',
      users: ['carol', '@bob'],
      reason: 'left the company',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'partial',
      errors: [],
      message: 'Removed 5 | Not a member 0 | Denied 0 | Failed 2 | Errors 0',
    });
    const [carol, bob] = entries(res.body);
    expect(carol).toEqual({
      user: 'carol',
      case: 1,
      users: ['carol'],
      usersNotUpdated: [],
      results: [
        { room: 'general', user: 'carol', outcome: 'removed' },
        { room: 'group/payments', user: 'carol', outcome: 'removed' },
      ],
      systems: [
        {
          system: 'console',
          name: 'console',
          summary: 'Removed 2 | Not a member 0 | Denied 0 | Failed 0',
          undo: true,
        },
      ],
      counts: { removed: 2, not_member: 0, denied: 0, unsupported: 0, failed: 0, cancelled: 0 },
      message: 'Removed 2 | Not a member 0 | Denied 0 | Failed 0',
    });
    expect(bob?.case).toBe(2);
    expect(bob?.results.map((r) => [r.room, r.outcome, r.code].filter(Boolean).join(' '))).toEqual([
      'general removed',
      'secret removed',
      'lobby unsupported undeletable',
      'dm unsupported not-allowed',
      'group/payments removed',
    ]);
    expect(bob?.message).toBe('Removed 3 | Not a member 0 | Denied 0 | Failed 0 | Unsupported 2');
    for (const room of ['general', 'secret']) expect(await member(room, 'bob')).toBe(false);
    expect(await member('general', 'carol')).toBe(false);
    const audit = await rig.app.store.readAudit({ caseId: 1 });
    expect(audit.map((r) => [r.action, r.target, r.room, r.reason]).sort()).toEqual([
      ['offboard', 'console:carol', 'console:general', 'left the company'],
      ['offboard', 'console:carol', 'console:group/payments', 'left the company'],
    ]);
  });

  it('GIVEN a moderator without offboard-user THEN the refusal in errors, status error, nobody removed', async () => {
    const res = await offboard({ actor: 'console:mo', users: ['bob'] });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      status: 'error',
      data: [],
      errors: [
        {
          data: { user: 'bob' },
          code: 'not-allowed',
          message:
            'Offboarding needs the offboard-user permission (admins by default; on Discord also Kick Members).',
        },
      ],
      message: 'Removed 0 | Not a member 0 | Denied 0 | Failed 0 | Errors 1',
    });
    expect(await member('general', 'bob')).toBe(true);
    expect(await rig.app.store.readAudit({})).toEqual([]);
  });

  it('GIVEN an unknown user and an unlinked one beside carol THEN carol is offboarded, the others are errors', async () => {
    const res = await offboard({ actor: 'console:ada', users: ['zed', 'rocketchat:rc-zed', 'carol'] });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('partial');
    expect(entries(res.body).map((e) => e.user)).toEqual(['carol']);
    expect(res.body.errors).toEqual([
      { data: { user: 'zed' }, message: expect.stringContaining('unknown user') },
      {
        data: { user: 'rocketchat:rc-zed' },
        message: 'users: rocketchat:rc-zed is not linked to a console user (identities)',
      },
    ]);
  });

  it("GIVEN a user named by another system's id THEN the identity link finds them", async () => {
    const res = await offboard({ actor: 'console:ada', users: ['rocketchat:rc-bob'] });
    expect(entries(res.body)[0]).toMatchObject({ user: 'rocketchat:rc-bob', users: ['bob'] });
    const bare = await offboard({ actor: 'console:ada', users: ['console:carol'] });
    expect(entries(bare.body)[0]?.user).toBe('carol');
    expect(await member('general', 'bob')).toBe(false);
  });
});

describe('POST /api/v1/offboardings: keys, methods and bodies', () => {
  it.each([
    ['no key', null],
    ['a wrong key', 'wrong-key-0000000000000'],
  ])('GIVEN %s THEN 401, and nobody is removed', async (_what, key) => {
    const res = await offboard({ actor: 'console:ada', users: ['bob'] }, { key });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(await member('general', 'bob')).toBe(true);
  });

  it.each(['GET', 'PUT', 'DELETE'])('GIVEN %s THEN 405 with Allow: POST', async (method) => {
    const res = await offboard(undefined, { method, raw: '{}' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
  });

  const ada = (extra: Record<string, unknown>) => JSON.stringify({ actor: 'console:ada', ...extra });
  it.each([
    ['not JSON', '{"actor": ', 'the body is not JSON'],
    ['an array', '[]', 'expected object'],
    ['no users', ada({}), 'users: '],
    ['an empty list', ada({ users: [] }), 'users: name at least one user'],
    ['users as a string', ada({ users: 'bob' }), 'users: '],
    ['rooms', ada({ users: ['bob'], rooms: ['general'] }), 'unknown key "rooms"'],
    ['a user that is two', ada({ users: ['bob carol'] }), 'users[0]: one user id, got "bob carol"'],
    ['a mention', ada({ users: ['<@bob>'] }), 'users[0]: one user id, got "<@bob>"'],
    ['a user named twice', ada({ users: ['bob', '@bob'] }), 'users[1]: bob is named twice'],
    [
      'a user twice, prefixed',
      ada({ users: ['bob', 'console:bob'] }),
      'users[1]: console:bob is named twice',
    ],
    ['1,001 users', ada({ users: Array.from({ length: 1001 }, (_, i) => `u${i}`) }), 'users: '],
    ['a reason over 512', ada({ users: ['bob'], reason: 'x'.repeat(513) }), 'reason: '],
    ['a reason with ESC', ada({ users: ['bob'], reason: 'bye\u001b[2J' }), 'reason: no control characters'],
    [
      'an actor with no platform',
      JSON.stringify({ actor: 'ada', users: ['bob'] }),
      'actor: a platform-prefixed',
    ],
    ['an unknown actor', JSON.stringify({ actor: 'console:zed', users: ['bob'] }), 'actor: no such user'],
    [
      'an actor not served here',
      JSON.stringify({ actor: 'slack:T1/U2', users: ['bob'] }),
      'actor: slack is not served here (console)',
    ],
  ])('GIVEN %s THEN 400 naming the field, and nobody is removed', async (_what, raw, message) => {
    const res = await offboard(undefined, { raw });
    expect(res.status).toBe(400);
    expect(res.body.status).toBe('error');
    expect(String(res.body.message)).toContain(message);
    expect(await member('general', 'bob')).toBe(true);
    expect(await rig.app.store.readAudit({})).toEqual([]);
  });
});
