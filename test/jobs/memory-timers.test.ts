import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TimedRestore } from '../../src/core/index.js';
import { MAX_TIMEOUT_MS, MemoryTimers } from '../../src/jobs/MemoryTimers.js';

beforeEach(() => {
  vi.useFakeTimers({ now: Date.UTC(2026, 10, 22, 12) });
});
afterEach(() => {
  vi.useRealTimers();
});

const DAY = 24 * 60 * 60_000;

function timers() {
  const fired: TimedRestore[] = [];
  const t = new MemoryTimers({
    fire: async (timer) => {
      fired.push(timer);
    },
  });
  return { t, fired };
}

describe('in-process timers (no Redis)', () => {
  it('GIVEN a timer THEN it fires when due, not before, and is not durable', async () => {
    const { t, fired } = timers();
    expect(t.durable).toBe(false);
    await t.schedule({ workspace: 'console:w', caseId: 1, until: Date.now() + 2 * 60 * 60_000 });
    await vi.advanceTimersByTimeAsync(2 * 60 * 60_000 - 1);
    expect(fired).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(fired).toEqual([{ workspace: 'console:w', caseId: 1, until: Date.now() }]);
    expect(t.size).toBe(0);
  });

  it('GIVEN 365 days (past the 2^31-1 ms setTimeout limit) THEN the wait is chained and fires on the day', async () => {
    const { t, fired } = timers();
    const until = Date.now() + 365 * DAY;
    expect(365 * DAY).toBeGreaterThan(MAX_TIMEOUT_MS);
    await t.schedule({ workspace: 'console:w', caseId: 2, until });
    await vi.advanceTimersByTimeAsync(MAX_TIMEOUT_MS);
    expect(fired).toEqual([]);
    await vi.advanceTimersByTimeAsync(until - Date.now() - 1);
    expect(fired).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(fired.map((f) => f.caseId)).toEqual([2]);
  });

  it('GIVEN a cancel THEN the timer never fires; GIVEN one scheduled again THEN it fires once', async () => {
    const { t, fired } = timers();
    await t.schedule({ workspace: 'console:w', caseId: 3, until: Date.now() + 60_000 });
    await t.cancel('console:w', 3);
    await t.schedule({ workspace: 'console:w', caseId: 4, until: Date.now() + 60_000 });
    await t.schedule({ workspace: 'console:w', caseId: 4, until: Date.now() + 120_000 });
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(fired.map((f) => f.caseId)).toEqual([4]);
  });

  it('GIVEN a past due time THEN it fires at once; GIVEN close THEN nothing waits', async () => {
    const { t, fired } = timers();
    await t.schedule({ workspace: 'console:w', caseId: 5, until: Date.now() - 1 });
    await t.schedule({ workspace: 'console:w', caseId: 6, until: Date.now() + DAY });
    await vi.advanceTimersByTimeAsync(0);
    expect(fired.map((f) => f.caseId)).toEqual([5]);
    t.close();
    expect(t.size).toBe(0);
    await vi.advanceTimersByTimeAsync(2 * DAY);
    expect(fired.map((f) => f.caseId)).toEqual([5]);
  });
});
