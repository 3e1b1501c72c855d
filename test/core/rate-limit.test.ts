import { describe, expect, it } from 'vitest';
import { kit } from '../helpers/kit.js';

const limited = () => kit(undefined, { rateLimit: { removals: 3, windowMs: 10 * 60_000 } });

describe('per-moderator rate limit', () => {
  it('GIVEN removals within the limit THEN they run; one past it is refused, clearly, and nothing is removed', async () => {
    const k = limited();
    expect(await k.core.handle(k.inv('ada', 'general', '/kick @bob @carol'))).toMatchObject({
      kind: 'result',
    });
    const refused = await k.core.handle(k.inv('ada', 'general', '/kick @olga @mo'));
    expect(refused).toEqual({
      kind: 'refused',
      code: 'rate-limited',
      message:
        'You may remove at most 3 users per 10 minutes; you have removed 2 and this would remove 2 more. ' +
        'Try again in 10 minutes, or remove fewer.',
    });
    expect(k.connector.removals).toHaveLength(2);
  });

  it('GIVEN the refusal THEN refusals and absent users do not count, and the window passing lifts the limit', async () => {
    const k = limited();
    await k.core.handle(k.inv('mo', 'general', '/kick @bob @carol @olga'));
    // @ada is protected and @bob already gone: no removal would happen, so nothing is refused.
    expect(await k.core.handle(k.inv('mo', 'general', '/kick @ada @bob'))).toMatchObject({ kind: 'result' });
    expect(await k.core.handle(k.inv('ada', 'general', '/kick @mo'))).toMatchObject({ kind: 'result' });
    k.clock.advance(10 * 60_000);
    expect(await k.core.handle(k.inv('mo', 'general', '/kick @olga #lobby'))).toMatchObject({
      kind: 'result',
    });
  });

  it('GIVEN a big batch over the limit THEN it is refused before the confirmation prompt', async () => {
    const k = kit(undefined, { rateLimit: { removals: 3, windowMs: 60_000 }, confirmThreshold: 1 });
    expect(await k.core.handle(k.inv('ada', 'general', '/kick @bob @carol @olga @mo'))).toMatchObject({
      kind: 'refused',
      code: 'rate-limited',
    });
    expect(await k.core.handle(k.inv('ada', 'general', '/kick @bob @carol'))).toMatchObject({
      kind: 'confirm',
    });
  });
});
