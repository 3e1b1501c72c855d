import { describe, expect, it } from 'vitest';
import { ADMIN_ACTOR } from '../../src/core/index.js';
import { CaseWatch } from '../../src/core/remove/case-watch.js';
import { markRunning, RUNNING_RENEW_MS } from '../../src/core/running.js';
import { kit } from '../helpers/kit.js';

const WS = 'console:small';

describe('GIVEN the case reads of the admin page (core.cases)', () => {
  it('WHEN a batch starts THEN its running marker says how many pairs the case has, refusals included', async () => {
    const k = kit();
    let seen: number | undefined;
    const remove = k.connector.remove.bind(k.connector);
    k.connector.remove = async (target) => {
      seen ??= (await k.core.cases.progress(WS, 1)).total;
      return remove(target);
    };
    // ada is an admin (refused: only an admin removes one), bob and carol are removed.
    await k.core.handle(k.inv('mo', 'general', '/kick @bob @carol @ada #general spam'));
    expect(seen).toBe(3);
    expect(await k.core.cases.progress(WS, 1)).toEqual({
      running: false,
      settled: 3,
      counts: { removed: 2, denied: 1 },
    });
  });

  it('WHEN a run renews the marker THEN the total stays (a slice does not know it)', async () => {
    const k = kit();
    await markRunning(k.store, WS, 7, 40);
    const watch = new CaseWatch(k, WS, 7);
    await watch.running();
    k.clock.advance(RUNNING_RENEW_MS);
    await watch.running();
    expect(await k.core.cases.progress(WS, 7)).toMatchObject({ running: true, total: 40 });
    await markRunning(k.store, WS, 8); // an offboarding: no total up front
    expect(await k.core.cases.progress(WS, 8)).toEqual({ running: true, settled: 0, counts: {} });
  });

  it('WHEN cases run THEN `running(n)` finds those among the last n cases of each workspace only', async () => {
    const k = kit();
    for (let i = 0; i < 5; i++) await k.core.handle(k.inv('mo', 'general', `/kick @bob #general n${i}`));
    await markRunning(k.store, WS, 1, 1);
    await markRunning(k.store, WS, 4, 1);
    expect(await k.core.cases.running(3)).toEqual([{ workspace: WS, caseId: 4 }]);
    expect(await k.core.cases.running(5)).toEqual([
      { workspace: WS, caseId: 4 },
      { workspace: WS, caseId: 1 },
    ]);
  });

  it('THEN the admin page is an actor of its own, an admin, named "the admin page"', async () => {
    const k = kit();
    expect(k.core.cases.label(ADMIN_ACTOR, 'user')).toBe('the admin page');
  });
});
