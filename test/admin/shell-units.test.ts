import { describe, expect, it } from 'vitest';
import { pageRouter } from '../../src/admin/router.js';
import { midnightUtc, TODAY_RECORDS, todayCounts } from '../../src/admin/today.js';
import type { AuditRecord } from '../../src/core/index.js';
import { MemoryStore } from '../../src/store/MemoryStore.js';

/** Today's counts from the audit log (bounded), and the page router's parameters: pure enough for tables. */

const NOW = Date.parse('2026-12-06T15:00:00Z');
const MIDNIGHT = Date.parse('2026-12-06T00:00:00Z');

const record = (
  workspace: string,
  caseId: number,
  at: number,
  outcome: AuditRecord['outcome'],
): AuditRecord => ({
  caseId,
  workspace,
  action: 'remove',
  actor: 'console:ada',
  target: `console:u${caseId}`,
  room: 'console:general',
  outcome,
  invocation: `i${caseId}`,
  at,
});

/** A store whose workspaces have given out case numbers, as the core does before it writes a case. */
async function storeOf(cases: Record<string, number>): Promise<MemoryStore> {
  const store = new MemoryStore();
  for (const [workspace, n] of Object.entries(cases))
    for (let i = 0; i < n; i++) await store.nextCaseId(workspace);
  return store;
}

describe('todayCounts', () => {
  it('GIVEN cases before and after midnight UTC THEN only today’s cases and pairs are counted', async () => {
    const store = await storeOf({ 'console:a': 3, 'console:b': 1 });
    await store.appendAudit(
      [
        record('console:a', 1, MIDNIGHT - 60_000, 'removed'),
        record('console:a', 2, MIDNIGHT - 1_000, 'removed'), // opened yesterday…
        record('console:a', 2, MIDNIGHT + 1_000, 'failed'), // …a pair of it settled today
        record('console:a', 3, MIDNIGHT + 5_000, 'removed'),
        record('console:a', 3, MIDNIGHT + 6_000, 'not_member'),
      ],
      'a',
    );
    await store.appendAudit([record('console:b', 1, MIDNIGHT + 7_000, 'removed')], 'b');
    expect(midnightUtc(NOW)).toBe(MIDNIGHT);
    expect(await todayCounts(store, NOW)).toEqual({
      since: MIDNIGHT,
      cases: 2,
      pairs: { removed: 2, failed: 1, not_member: 1 },
      partial: false,
    });
  });

  it('GIVEN more of today than the bound THEN the counts say they are partial', async () => {
    const store = await storeOf({ 'console:a': 51 });
    const records = Array.from({ length: TODAY_RECORDS + 1 }, (_, i) =>
      record('console:a', 1 + Math.floor(i / 100), MIDNIGHT + i, 'removed'),
    );
    await store.appendAudit(records, 'many');
    const counts = await todayCounts(store, NOW);
    expect(counts.partial).toBe(true);
    expect(counts.pairs.removed).toBe(TODAY_RECORDS);
  });
});

describe('pageRouter', () => {
  const page = { pattern: '/admin/cases/:ws/:id', GET: async () => {} };
  const route = pageRouter([{ pattern: '/admin/cases', GET: async () => {} }, page]);

  it.each([
    ['/admin/cases/console%3Asmall/12', { ws: 'console:small', id: '12' }],
    ['/admin/cases/slack%3AT1%2FX/1', { ws: 'slack:T1/X', id: '1' }],
  ])('GIVEN %s THEN the parameters, decoded', (path, params) => {
    expect(route(path)).toEqual({ page, params });
  });

  it('GIVEN a literal pattern listed after a parameter one THEN the literal one wins', () => {
    const live = { pattern: '/admin/batches/live', GET: async () => {} };
    const one = { pattern: '/admin/batches/:id', GET: async () => {} };
    const batches = pageRouter([one, live]);
    expect(batches('/admin/batches/live')).toEqual({ page: live, params: {} });
    expect(batches('/admin/batches/b1')).toEqual({ page: one, params: { id: 'b1' } });
  });

  it.each([
    ['/admin/cases/%E0%A4%A/1', 'bad'],
    ['/admin/cases/a%00b/1', 'bad'],
    [`/admin/cases/${'w'.repeat(201)}/1`, 'bad'],
    ['/admin/cases//1', 'none'],
    ['/admin/cases/a/1/2', 'none'],
    ['/admin/case/a/1', 'none'],
    ['/admin/case/%zz/1', 'none'], // a literal part differs: not this page, whatever the parameter
  ])('GIVEN %s THEN %s', (path, want) => {
    const match = route(path);
    if (want === 'bad') expect(match).toHaveProperty('bad');
    else expect(match).toBeUndefined();
  });
});
