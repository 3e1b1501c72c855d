import { describe, expect, it } from 'vitest';
import type { ResultReply } from '../../src/core/index.js';
import { postTo, useApiRig } from '../helpers/api-rig.js';

/**
 * `POST /api/v1/removals` on a console workspace: the key, the body's checks (each naming the field, every id
 * field one id), one result per area or room in the feedback.house style with a summary, the same permission
 * checks as the commands, identity links for users of other systems. Idempotency-Key: api-idempotency.test.ts.
 */

const rig = useApiRig();
const { post, member } = rig;

describe('POST /api/v1/removals: keys and bodies', () => {
  it.each([
    ['no key', null],
    ['a wrong key', 'wrong-key-0000000000000'],
  ])('GIVEN %s THEN 401 with WWW-Authenticate, and nobody is removed', async (_what, key) => {
    const res = await post({ actor: 'console:mo', removals: [{ room: 'general', users: ['bob'] }] }, { key });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(res.body.message).toBe('missing or wrong API key (Authorization: Bearer …)');
    expect(await member('general', 'bob')).toBe(true);
  });

  it('GIVEN a GET THEN 405 naming POST', async () => {
    const res = await post(undefined, { method: 'GET' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
  });

  it.each([
    ['not JSON', '{"actor": ', 'the body is not JSON'],
    ['no removals', JSON.stringify({ actor: 'console:mo' }), 'removals: '],
    [
      'no users',
      JSON.stringify({ actor: 'console:mo', removals: [{ room: 'general', users: [] }] }),
      'removals[0].users: name at least one user',
    ],
    [
      'both area and room',
      JSON.stringify({
        actor: 'console:mo',
        removals: [{ room: 'general', area: 'payments', users: ['bob'] }],
      }),
      'removals[0]: give either "area" or "room"',
    ],
    [
      'an unknown key',
      JSON.stringify({ actor: 'console:mo', removals: [{ room: 'general', users: ['bob'], yes: true }] }),
      'removals[0]: unknown key "yes"',
    ],
    [
      'an actor without a platform',
      JSON.stringify({ actor: 'mo', removals: [{ room: 'general', users: ['bob'] }] }),
      'actor: a platform-prefixed user id such as console:ada or slack:T1/U2',
    ],
    [
      'an actor of a platform not served here',
      JSON.stringify({ actor: 'slack:T1/U2', removals: [{ room: 'general', users: ['bob'] }] }),
      'actor: slack is not served here (console)',
    ],
    [
      'a room that is command text',
      JSON.stringify({ actor: 'console:mo', removals: [{ room: 'general @bob #secret', users: ['olga'] }] }),
      'removals[0].room: one room id, got "general @bob #secret"',
    ],
    [
      'a user that is two users',
      JSON.stringify({ actor: 'console:ada', removals: [{ room: 'general', users: ['olga', 'bob carol'] }] }),
      'removals[0].users[1]: one user id, got "bob carol"',
    ],
    [
      'a user with a second sigil',
      JSON.stringify({ actor: 'console:ada', removals: [{ room: 'general', users: ['@@bob'] }] }),
      'removals[0].users[0]: one user id, got "@@bob"',
    ],
    [
      'an area with a batch separator',
      JSON.stringify({ actor: 'console:ada', removals: [{ area: 'payments;general', users: ['bob'] }] }),
      'removals[0].area: one area id, got "payments;general"',
    ],
    [
      'a room with an escape sequence',
      JSON.stringify({ actor: 'console:ada', removals: [{ room: 'general\u001b[2J', users: ['bob'] }] }),
      'removals[0].room: one room id, got "general\\u{1B}[2J"',
    ],
    [
      'a Slack-style mention as a user',
      JSON.stringify({ actor: 'console:ada', removals: [{ room: 'general', users: ['<@bob>'] }] }),
      'removals[0].users[0]: one user id, got "<@bob>"',
    ],
    [
      'an actor that is command text',
      JSON.stringify({ actor: 'console:ada @bob', removals: [{ room: 'general', users: ['bob'] }] }),
      'actor: a platform-prefixed user id such as console:ada or slack:T1/U2, got "console:ada @bob"',
    ],
    [
      'a reason with ESC and NUL',
      JSON.stringify({
        actor: 'console:ada',
        removals: [{ room: 'general', users: ['bob'], reason: 'spam\u001b[31m\u0000' }],
      }),
      'removals[0].reason: no control characters (found U+001B at position 5)',
    ],
    [
      'an unknown actor',
      JSON.stringify({ actor: 'console:zed', removals: [{ room: 'general', users: ['bob'] }] }),
      'actor: no such user console:zed',
    ],
  ])('GIVEN %s THEN 400 naming the field, and nobody is removed', async (_what, raw, message) => {
    const res = await post(undefined, { raw });
    expect(res.status).toBe(400);
    expect(res.body.status).toBe('error');
    expect(String(res.body.message)).toContain(message);
    for (const user of ['bob', 'olga', 'carol']) expect(await member('general', user)).toBe(true);
    expect(await rig.app.store.readAudit({})).toEqual([]);
  });

  it('GIVEN a body over 1 MB THEN 413', async () => {
    const res = await post(undefined, { raw: JSON.stringify({ pad: 'x'.repeat(1024 * 1024) }) });
    expect(res.status).toBe(413);
  });
});

describe('POST /api/v1/removals: results', () => {
  it('GIVEN a room and an area THEN one entry each, with its case, users removed and usersNotUpdated, and the summary', async () => {
    const res = await post({
      actor: 'console:ada',
      removals: [
        { room: 'general', users: ['bob', '@olga'], reason: 'offboarding' },
        { area: 'payments', users: ['carol', 'bob'] },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'ok',
      errors: [],
      message: 'Removed 6 | Not a member 2 | Denied 0 | Failed 0 | Errors 0',
    });
    const data = res.body.data as Record<string, unknown>[];
    expect(data[0]).toMatchObject({ room: 'general', case: 1, users: ['bob', 'olga'], usersNotUpdated: [] });
    expect(data[1]).toMatchObject({
      area: 'payments',
      case: 2,
      users: ['carol', 'bob'],
      usersNotUpdated: [],
    });
    expect(data[1]?.results).toEqual([
      { room: 'general', user: 'carol', outcome: 'removed' },
      { room: 'general', user: 'bob', outcome: 'not_member' },
      { room: 'secret', user: 'carol', outcome: 'not_member' },
      { room: 'secret', user: 'bob', outcome: 'removed' },
      { room: 'group/payments', user: 'carol', outcome: 'removed' },
      { room: 'group/payments', user: 'bob', outcome: 'removed' },
    ]);
    expect(await member('general', 'bob')).toBe(false);
    expect(await member('secret', 'bob')).toBe(false);
    const audit = await rig.app.store.readAudit({ caseId: 1 });
    expect(audit.map((r) => [r.target, r.outcome, r.reason]).sort()).toEqual([
      ['console:bob', 'removed', 'offboarding'],
      ['console:olga', 'removed', 'offboarding'],
    ]);
  });

  it('GIVEN a plain user as the actor THEN the same rules as /kick: denied, status error', async () => {
    const res = await post({ actor: 'console:bob', removals: [{ room: 'general', users: ['carol'] }] });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('error');
    expect((res.body.data as { results: unknown[] }[])[0]?.results).toEqual([
      {
        room: 'general',
        user: 'carol',
        outcome: 'denied',
        code: 'not-allowed',
        hint: 'you need to be a moderator or owner of this room',
      },
    ]);
    expect(await member('general', 'carol')).toBe(true);
  });

  it("GIVEN a user named by another system's id THEN the identity link finds them; an unlinked one is an entry error", async () => {
    const res = await post({
      actor: 'console:ada',
      removals: [
        { room: 'general', users: ['rocketchat:rc-bob'] },
        { room: 'general', users: ['rocketchat:rc-zed'] },
        { area: 'nowhere', users: ['bob'] },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('partial');
    expect((res.body.data as { users: string[] }[]).map((d) => d.users)).toEqual([['bob']]);
    expect(res.body.errors).toEqual([
      {
        data: { room: 'general', users: ['rocketchat:rc-zed'] },
        message: 'users: rocketchat:rc-zed is not linked to a console user (identities)',
      },
      {
        data: { area: 'nowhere', users: ['bob'] },
        message: expect.stringContaining('unknown area "nowhere"'),
      },
    ]);
    expect(res.body.message).toBe('Removed 1 | Not a member 0 | Denied 0 | Failed 0 | Errors 2');
  });

  it('GIVEN the same Idempotency-Key twice THEN the second answer repeats the first and removes nothing more', async () => {
    const body = { actor: 'console:ada', removals: [{ room: 'general', users: ['bob'] }] };
    const first = await post(body, { idempotency: 'offboard-bob-1' });
    expect((first.body.data as { case: number }[])[0]?.case).toBe(1);
    await rig.app.state.addMember('general', 'bob', []);
    const second = await post(body, { idempotency: 'offboard-bob-1' });
    expect(second.body).toEqual(first.body);
    expect(await member('general', 'bob')).toBe(true);
    const third = await post(body, { idempotency: 'offboard-bob-2' });
    expect((third.body.data as { case: number }[])[0]?.case).toBe(2);
    expect(await member('general', 'bob')).toBe(false);
  });
});

describe('POST /api/v1/removals: a batch cancelled while it ran', () => {
  it('GIVEN pairs a /kickbot cancel stopped THEN each is listed as cancelled, the summary counts them and the status is partial', async () => {
    const cancelled: ResultReply = {
      kind: 'result',
      action: 'remove',
      caseId: 4,
      status: 'partial',
      results: [
        { room: 'console:general', user: 'console:bob', outcome: 'removed' },
        { room: 'console:general', user: 'console:olga', outcome: 'cancelled' },
      ],
      summary: 'Removed 1 | Not a member 0 | Denied 0 | Failed 0 | Cancelled 1',
      labels: {},
    };
    const own = await rig.serveWith({ handle: async () => cancelled });
    try {
      const res = await postTo(own.url, {
        actor: 'console:ada',
        removals: [{ room: 'general', users: ['bob', 'olga'] }],
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        status: 'partial',
        errors: [],
        message: 'Removed 1 | Not a member 0 | Denied 0 | Failed 0 | Cancelled 1 | Errors 0',
        data: [
          {
            room: 'general',
            case: 4,
            users: ['bob'],
            usersNotUpdated: [],
            results: [
              { room: 'general', user: 'bob', outcome: 'removed' },
              { room: 'general', user: 'olga', outcome: 'cancelled' },
            ],
          },
        ],
      });
    } finally {
      await own.close();
    }
  });
});
