import { describe, expect, it } from 'vitest';
import { kit } from '../helpers/kit.js';

describe('invocation dedupe', () => {
  it('GIVEN an invocation delivered twice THEN the second gets the first reply, marked redelivered, and nothing runs again', async () => {
    const k = kit();
    const inv = k.inv('mo', 'general', '/kick @bob spam', 'key-1');
    const first = await k.core.handle(inv);
    const second = await k.core.handle({ ...inv, receivedAt: inv.receivedAt + 5 });
    expect(first).toMatchObject({ kind: 'result', status: 'ok', results: [{ outcome: 'removed' }] });
    expect(first.redelivered).toBeUndefined(); // the first delivery answers the moderator
    expect(second).toEqual({ ...first, redelivered: true }); // a redelivery says nothing more in chat
    expect(k.connector.removals).toHaveLength(1);
    expect(k.notices).toHaveLength(1);
    expect(await k.store.readAudit({ workspace: inv.workspace })).toHaveLength(1);
  });

  it("GIVEN ten concurrent deliveries of one invocation THEN one removal, one notice, and every reply is the first run's", async () => {
    const k = kit();
    const inv = k.inv('mo', 'general', '/kick @bob @carol', 'key-2');
    const replies = await Promise.all(Array.from({ length: 10 }, () => k.core.handle(inv)));
    const results = replies.filter((r) => r.kind === 'result');
    expect(results).toHaveLength(10);
    const { redelivered: _, ...reply } = results[0] ?? {};
    expect(new Set(replies.map(({ redelivered: _r, ...r }) => JSON.stringify(r))).size).toBe(1);
    expect(replies.filter((r) => !r.redelivered)).toHaveLength(1); // exactly one delivery answers
    expect(k.connector.removals.map((r) => r.user).sort()).toEqual(['console:bob', 'console:carol']);
    expect(k.notices).toHaveLength(1);
    expect(await k.core.handle(inv)).toEqual({ ...reply, redelivered: true });
  });

  it('GIVEN a new key for the same command THEN it runs, and finds nothing left to remove', async () => {
    const k = kit();
    await k.core.handle(k.inv('mo', 'general', '/kick @bob', 'a'));
    const again = await k.core.handle(k.inv('mo', 'general', '/kick @bob', 'b'));
    expect(again).toMatchObject({ kind: 'result', status: 'ok', results: [{ outcome: 'not_member' }] });
    expect(k.connector.removals).toHaveLength(1);
  });

  it('GIVEN a usage error THEN a redelivery answers the same usage error', async () => {
    const k = kit();
    const inv = k.inv('mo', 'general', '/kick', 'k');
    const first = await k.core.handle(inv);
    expect(first).toMatchObject({ kind: 'usage' });
    expect(await k.core.handle(inv)).toEqual({ ...first, redelivered: true });
  });

  it('GIVEN a system error THEN the reply carries a reference, the error is logged, and a redelivery runs again', async () => {
    const k = kit();
    const original = k.connector.room;
    k.connector.room = async () => {
      throw new Error('database on fire');
    };
    const inv = k.inv('mo', 'general', '/kick @bob', 'k');
    const failed = await k.core.handle(inv);
    expect(failed).toMatchObject({ kind: 'error', ref: expect.stringMatching(/^[0-9a-f]{8}$/) });
    expect(failed.kind === 'error' && failed.message).toContain(failed.kind === 'error' ? failed.ref : '');
    expect(k.errors).toEqual([expect.objectContaining({ ref: failed.kind === 'error' ? failed.ref : '' })]);
    k.connector.room = original;
    expect(await k.core.handle(inv)).toMatchObject({ kind: 'result', results: [{ outcome: 'removed' }] });
  });
});

describe('a key bound to its request (fingerprint)', () => {
  it('GIVEN a key used for one request THEN the same request answers the first reply, another is refused key-reused and runs nothing', async () => {
    const k = kit();
    const heidi = { ...k.inv('mo', 'general', '/kick @bob', 'key-f'), fingerprint: 'fp-bob' };
    const first = await k.core.handle(heidi);
    expect(first).toMatchObject({ kind: 'result', results: [{ outcome: 'removed' }] });
    expect(await k.core.handle({ ...heidi, receivedAt: heidi.receivedAt + 1 })).toEqual({
      ...first,
      redelivered: true,
    });
    const other = { ...k.inv('mo', 'general', '/kick @carol', 'key-f'), fingerprint: 'fp-carol' };
    expect(await k.core.handle(other)).toMatchObject({ kind: 'refused', code: 'key-reused' });
    expect(k.connector.removals.map((r) => r.user)).toEqual(['console:bob']);
  });

  it('GIVEN bindKey THEN the first and the same fingerprint bind, another does not', async () => {
    const k = kit();
    expect(await k.core.bindKey('api-key:x', 'fp-1')).toBe(true);
    expect(await k.core.bindKey('api-key:x', 'fp-1')).toBe(true);
    expect(await k.core.bindKey('api-key:x', 'fp-2')).toBe(false);
  });
});
