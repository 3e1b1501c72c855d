import { describe, expect, it } from 'vitest';
import { StoreUnavailableError } from '../../src/core/index.js';
import { postTo, useApiRig } from '../helpers/api-rig.js';

/**
 * Idempotency-Key on `POST /api/v1/offboardings`, bound to its request exactly as for removals: the same request
 * again answers the first answer and does nothing more, another request under a used key (or a removal under an
 * offboarding's key) is a 422, a first request still running is a 409 with Retry-After.
 */

const rig = useApiRig();
const { offboard, member } = rig;
const carol = { actor: 'console:ada', users: ['carol'], reason: 'left' };

describe('POST /api/v1/offboardings: Idempotency-Key is bound to its request', () => {
  it('GIVEN the same request again, written otherwise THEN the first answer, and nothing more is done', async () => {
    const first = await offboard(carol, { idempotency: 'off-1' });
    expect(first.status).toBe(200);
    await rig.app.state.addMember('general', 'carol', []);
    const again = await offboard({ ...carol, users: ['console:carol'] }, { idempotency: '"off-1"' });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(await member('general', 'carol')).toBe(true);
    expect(new Set((await rig.app.store.readAudit({})).map((r) => r.caseId))).toEqual(new Set([1]));
  });

  it.each([
    ['another user', { users: ['bob'] }],
    ['a second user', { users: ['carol', 'bob'] }],
    ['another reason', { reason: 'spam' }],
    ['no reason', { reason: undefined }],
    ['another actor', { actor: 'console:olga' }],
  ])('GIVEN a used key and %s THEN 422, and nothing more is done', async (_what, change) => {
    await offboard(carol, { idempotency: 'off-2' });
    const res = await offboard({ ...carol, ...change }, { idempotency: 'off-2' });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ status: 'error', code: 'key-reused' });
    expect(await member('general', 'bob')).toBe(true);
    expect((await rig.app.store.readAudit({})).every((r) => r.target === 'console:carol')).toBe(true);
  });

  it("GIVEN a removal's key sent with an offboarding THEN 422: a key names one request on every route", async () => {
    await rig.post(
      { actor: 'console:ada', removals: [{ room: 'secret', users: ['bob'] }] },
      { idempotency: 'k' },
    );
    const res = await offboard({ actor: 'console:ada', users: ['bob'] }, { idempotency: 'k' });
    expect(res.status).toBe(422);
    expect(await member('general', 'bob')).toBe(true);
  });

  it('GIVEN ten identical offboardings at once THEN one case, and every answer is the first one', async () => {
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => offboard(carol, { idempotency: 'burst' })),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1);
    expect(new Set((await rig.app.store.readAudit({})).map((r) => r.caseId))).toEqual(new Set([1]));
  });

  it('GIVEN an Idempotency-Key that is not one THEN 400 naming the header', async () => {
    const res = await offboard(carol, { idempotency: 'clé' });
    expect(res.status).toBe(400);
    expect(String(res.body.message)).toMatch(/^Idempotency-Key: /);
    expect(await member('general', 'carol')).toBe(true);
  });
});

describe('POST /api/v1/offboardings: while the first request runs, or the store is away', () => {
  async function withCore(change: Parameters<typeof rig.serveWith>[0], idempotency: string) {
    const own = await rig.serveWith(change);
    try {
      const res = await postTo(own.offboardings, carol, { idempotency });
      return { status: res.status, retryAfter: res.headers.get('retry-after'), body: res.body };
    } finally {
      await own.close();
    }
  }

  it('GIVEN the first request with this key still running THEN 409 with Retry-After', async () => {
    const res = await withCore(
      { handle: async () => ({ kind: 'refused', code: 'already-running', message: 'running' }) },
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
    expect(await member('general', 'carol')).toBe(true);
  });
});
