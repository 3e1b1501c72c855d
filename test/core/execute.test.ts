import { describe, expect, it } from 'vitest';
import { ConnectorError } from '../../src/core/errors.js';
import type { Progress } from '../../src/core/index.js';
import { kit } from '../helpers/kit.js';

const bob = 'console:bob';
const general = 'console:general';

const CROWD = `
name: crowd
bot: kickbot
users:
  - { id: mo, roles: [moderator] }
  - { id: kickbot, roles: [bot] }
${Array.from({ length: 30 }, (_, i) => `  - { id: u${i} }`).join('\n')}
rooms:
  - { id: general, type: public, members: [mo, kickbot, ${Array.from({ length: 30 }, (_, i) => `u${i}`).join(', ')}] }
`;
const everyone = Array.from({ length: 30 }, (_, i) => `@u${i}`).join(' ');

describe('execution', () => {
  it('GIVEN a retryable error twice THEN it backs off (250, 500 ms) and the third try removes', async () => {
    const k = kit();
    const busy = () => new ConnectorError('ratelimited', { retryable: true });
    k.connector.script(general, bob, busy(), busy());
    const reply = await k.core.handle(k.inv('mo', 'general', '/kick @bob'));
    expect(reply).toMatchObject({ kind: 'result', results: [{ outcome: 'removed' }] });
    expect(k.connector.removals).toHaveLength(3);
    expect(k.clock.sleeps).toEqual([250, 500]);
  });

  it("GIVEN a call that timed out after the platform removed the member THEN the retry's not_member counts as removed", async () => {
    const k = kit();
    k.connector.script(general, bob, new ConnectorError('kickbot-unreachable', { retryable: true }), {
      outcome: 'not_member',
    });
    const reply = await k.core.handle(k.inv('mo', 'general', '/kick @bob'));
    expect(reply).toMatchObject({ kind: 'result', results: [{ outcome: 'removed' }] });
    expect((await k.store.readAudit({ caseId: 1 })).map((r) => r.outcome)).toEqual(['removed']);
  });

  it('GIVEN the platform says how long to wait THEN the backoff is that long', async () => {
    const k = kit();
    k.connector.script(
      general,
      bob,
      new ConnectorError('ratelimited', { retryable: true, retryAfterMs: 30_000 }),
    );
    await k.core.handle(k.inv('mo', 'general', '/kick @bob'));
    expect(k.clock.sleeps).toEqual([30_000]);
  });

  it('GIVEN retryable errors past the retries THEN the pair fails with the platform code, and it is in the audit log', async () => {
    const k = kit();
    const busy = () => new ConnectorError('ratelimited', { retryable: true });
    k.connector.script(general, bob, busy(), busy(), busy(), busy());
    const inv = k.inv('mo', 'general', '/kick @bob');
    const reply = await k.core.handle(inv);
    expect(reply).toMatchObject({
      kind: 'result',
      status: 'error',
      results: [{ outcome: 'failed', code: 'ratelimited' }],
      summary: 'Removed 0 | Not a member 0 | Denied 0 | Failed 1',
    });
    expect(k.connector.removals).toHaveLength(4);
    expect(await k.store.readAudit({ workspace: inv.workspace })).toMatchObject([
      { outcome: 'failed', code: 'ratelimited' },
    ]);
    expect(k.notices).toEqual([]);
  });

  it('GIVEN an error that is not retryable THEN there is one call and the outcome says why', async () => {
    const k = kit();
    k.connector.script(
      general,
      bob,
      new ConnectorError('restricted_action', { hint: 'the workspace restricts this' }),
    );
    const reply = await k.core.handle(k.inv('mo', 'general', '/kick @bob'));
    expect(reply).toMatchObject({
      results: [{ outcome: 'failed', code: 'restricted_action', hint: 'the workspace restricts this' }],
    });
    expect(k.connector.removals).toHaveLength(1);
  });

  it('GIVEN a connector that throws something unexpected THEN the pair fails as internal-error and it is logged', async () => {
    const k = kit();
    k.connector.script(general, bob, new TypeError('oops'));
    const reply = await k.core.handle(k.inv('mo', 'general', '/kick @bob'));
    expect(reply).toMatchObject({ results: [{ outcome: 'failed', code: 'internal-error' }] });
    expect(k.errors).toHaveLength(1);
  });

  it('GIVEN 30 removals THEN at most 4 run at once, and more than one does', async () => {
    const k = kit(CROWD);
    const reply = await k.core.handle(k.inv('mo', 'general', `/kick ${everyone} --yes`));
    expect(reply).toMatchObject({
      kind: 'result',
      summary: 'Removed 30 | Not a member 0 | Denied 0 | Failed 0',
    });
    expect(k.connector.maxInFlight).toBe(4);
  });

  it('GIVEN a smaller concurrency setting THEN it is honoured', async () => {
    const k = kit(CROWD, { execute: { concurrency: 2 } });
    await k.core.handle(k.inv('mo', 'general', `/kick ${everyone} --yes`));
    expect(k.connector.maxInFlight).toBe(2);
  });

  it('GIVEN a long batch THEN progress counts up to the total with a rate and an ETA', async () => {
    const k = kit(CROWD);
    const seen: Progress[] = [];
    await k.core.handle(k.inv('mo', 'general', `/kick ${everyone} --yes`), {
      onProgress: (p) => seen.push(p),
    });
    expect(seen.map((p) => p.done)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(seen.every((p) => p.total === 30 && p.rate > 0)).toBe(true);
    expect(seen.at(-1)?.etaMs).toBe(0);
    expect(seen[0]?.etaMs).toBeGreaterThan(0);
  });

  it('GIVEN another invocation holds the (room, user) lock THEN the pair waits, then fails busy without a removal', async () => {
    const k = kit();
    await k.store.acquireLock(`${general}|${bob}`, 60_000);
    const reply = await k.core.handle(k.inv('mo', 'general', '/kick @bob'));
    expect(reply).toMatchObject({ results: [{ outcome: 'failed', code: 'busy' }] });
    expect(k.connector.removals).toHaveLength(0);
    expect(k.clock.sleeps.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(10_000);
  });

  it('GIVEN two different invocations on the same pairs at once THEN each pair is removed once', async () => {
    const k = kit(CROWD);
    const [a, b] = await Promise.all([
      k.core.handle(k.inv('mo', 'general', `/kick ${everyone} --yes`, 'a')),
      k.core.handle(k.inv('mo', 'general', `/kick ${everyone} --yes`, 'b')),
    ]);
    const removed = [a, b].flatMap((r) =>
      r.kind === 'result' ? r.results.filter((x) => x.outcome === 'removed') : [],
    );
    expect(removed.map((r) => r.user).sort()).toEqual(
      Array.from({ length: 30 }, (_, i) => `console:u${i}`).sort(),
    );
  });

  it('GIVEN a removal THEN the lock is released afterwards', async () => {
    const k = kit();
    await k.core.handle(k.inv('mo', 'general', '/kick @bob'));
    expect(await k.store.acquireLock(`${general}|${bob}`, 1_000)).toEqual(expect.any(String));
  });
});
