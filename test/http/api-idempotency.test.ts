import { describe, expect, it } from 'vitest';
import { ConnectorError, type Core, StoreUnavailableError } from '../../src/core/index.js';
import { postTo, useApiRig } from '../helpers/api-rig.js';

/**
 * Idempotency-Key on `POST /api/v1/removals` is bound to its request (Stripe's rules and the IETF draft): the
 * same request again answers the first answer, another request under a used key is a 422 and runs nothing,
 * identical requests at once run once, and a first request still running past the wait is a 409.
 */

const rig = useApiRig();
const { post, member } = rig;

describe('POST /api/v1/removals: Idempotency-Key is bound to its request', () => {
  const heidi = { actor: 'console:ada', removals: [{ room: 'general', users: ['olga'] }] };

  it('GIVEN a used key and another body (olga, then bob and olga) THEN 422, and bob is not removed', async () => {
    const first = await post(heidi, { idempotency: 'offboard-1' });
    expect(first.status).toBe(200);
    const second = await post(
      { actor: 'console:ada', removals: [{ room: 'general', users: ['bob', 'olga'] }] },
      { idempotency: 'offboard-1' },
    );
    expect(second.status).toBe(422);
    expect(second.body).toEqual({
      status: 'error',
      code: 'key-reused',
      message:
        'This Idempotency-Key was already used for a different request, so nothing more was done. Use a new key for a new request.',
    });
    expect(await member('general', 'bob')).toBe(true);
  });

  it.each([
    ['a second removal added', { removals: [...heidi.removals, { room: 'secret', users: ['bob'] }] }],
    ['another actor', { actor: 'console:mo' }],
    ['another reason', { removals: [{ ...heidi.removals[0], reason: 'spam' }] }],
    [
      'the removals in another order',
      { removals: [{ room: 'general', users: ['carol'] }, ...heidi.removals] },
    ],
  ])('GIVEN a used key and %s THEN 422 and nothing more is done', async (_what, change) => {
    await post(heidi, { idempotency: 'offboard-2' });
    const res = await post({ ...heidi, ...change }, { idempotency: 'offboard-2' });
    expect(res.status).toBe(422);
    expect(await member('secret', 'bob')).toBe(true);
    expect(await member('general', 'carol')).toBe(true);
    expect((await rig.app.store.readAudit({})).map((r) => r.target)).toEqual(['console:olga']);
  });

  it('GIVEN the same request again, written with sigils and prefixes, and the key in quotes THEN the first answer, nothing more done', async () => {
    const body = { actor: 'console:ada', removals: [{ room: 'general', users: ['olga'] }] };
    const first = await post(body, { idempotency: 'offboard-3' });
    await rig.app.state.addMember('general', 'olga', []);
    const again = await post(
      { actor: 'console:ada', removals: [{ room: '#general', users: ['console:olga'] }] },
      { idempotency: '"offboard-3"' },
    );
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(await member('general', 'olga')).toBe(true);
  });

  it('GIVEN twenty identical requests at once THEN one case, and every answer is the first one', async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        post(
          { actor: 'console:ada', removals: [{ room: 'general', users: ['bob', 'carol'] }] },
          { idempotency: 'burst' },
        ),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1);
    expect(new Set((await rig.app.store.readAudit({})).map((r) => r.caseId))).toEqual(new Set([1]));
    expect(await rig.app.store.readAudit({})).toHaveLength(2);
  });

  it.each([
    ['empty', ''],
    ['longer than 255 characters', 'k'.repeat(256)],
    ['not ASCII', 'clé'],
  ])('GIVEN an Idempotency-Key %s THEN 400 naming the header, and nobody is removed', async (_what, key) => {
    const res = await post(heidi, { idempotency: key });
    expect(res.status).toBe(400);
    expect(String(res.body.message)).toMatch(/^Idempotency-Key: /);
    expect(await member('general', 'olga')).toBe(true);
  });
});

describe('POST /api/v1/removals: when the first request is still running, or a dependency is away', () => {
  /** The API in front of the console's core with some of it replaced: the states a fake cannot reach quickly. */
  async function withCore(change: Partial<Core>, idempotency?: string) {
    const own = await rig.serveWith(change);
    try {
      const body = { actor: 'console:ada', removals: [{ room: 'general', users: ['bob'] }] };
      const res = await postTo(own.url, body, idempotency !== undefined ? { idempotency } : {});
      return { status: res.status, retryAfter: res.headers.get('retry-after'), body: res.body };
    } finally {
      await own.close();
    }
  }

  it('GIVEN the first request with this key still running past the wait THEN 409 with Retry-After', async () => {
    const res = await withCore(
      {
        handle: async () => ({
          kind: 'refused',
          code: 'already-running',
          message: 'This command is already running',
        }),
      },
      'slow-1',
    );
    expect(res).toEqual({
      status: 409,
      retryAfter: '5',
      body: {
        status: 'error',
        code: 'key-in-use',
        message: 'A request with this Idempotency-Key is still running; send it again later for its answer.',
      },
    });
  });

  it('GIVEN the store away when the key is bound THEN 503 with Retry-After, and nothing runs', async () => {
    const res = await withCore(
      {
        bindKey: async () => {
          throw new StoreUnavailableError('down');
        },
      },
      'down-1',
    );
    expect(res).toMatchObject({ status: 503, retryAfter: '5', body: { code: 'store-unavailable' } });
    expect(await member('general', 'bob')).toBe(true);
  });

  it("GIVEN the actor's platform unreachable THEN 503 saying so, and nothing runs", async () => {
    const res = await withCore({
      userExists: async () => {
        throw new ConnectorError('unreachable', { retryable: true });
      },
    });
    expect(res).toMatchObject({
      status: 503,
      retryAfter: '5',
      body: {
        message:
          'kickbot could not reach console to check the actor (unreachable); nothing was done. Try again in a moment.',
      },
    });
    expect(await member('general', 'bob')).toBe(true);
  });
});
