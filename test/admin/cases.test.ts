import { afterEach, describe, expect, it } from 'vitest';
import { SEARCH_CASES } from '../../src/core/index.js';
import { ADMIN_TOKEN, type Answer } from '../helpers/admin-rig.js';
import { FakeClock } from '../helpers/clock.js';
import { SMALL_WORKSPACE } from '../helpers/console.js';
import { type GatedAdmin, startGatedAdmin } from '../helpers/gated-runtime.js';

const DAY = 86_400_000;
const CASE1 = '/admin/cases/console%3Asmall/1';
let rig: GatedAdmin | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

/** The case numbers a results page links to, in order. */
async function listed(res: Answer): Promise<number[]> {
  const html = res.text;
  return [...html.matchAll(/href="\/admin\/cases\/console%3Asmall\/(\d+)">Case/g)].map((m) => Number(m[1]));
}

/**
 * Three cases on three days: 1 mo kicks bob from #general (2026-11-22), 2 ada kicks bob from #secret (11-23),
 * 3 mo kicks carol from #lobby, which nobody can be removed from (11-24).
 */
async function threeCases(): Promise<GatedAdmin> {
  const clock = new FakeClock(Date.UTC(2026, 10, 22, 12));
  const r = await startGatedAdmin(SMALL_WORKSPACE, { clock });
  expect((await r.run('mo', 'general', '/kick @bob #general spam')).kind).toBe('result');
  clock.advance(DAY);
  expect((await r.run('ada', 'secret', '/kick @bob #secret flood')).kind).toBe('result');
  clock.advance(DAY);
  expect((await r.run('mo', 'lobby', '/kick @carol #lobby oops')).kind).toBe('result');
  return r;
}

describe('GIVEN /admin/cases (the search)', () => {
  it.each([
    ['', [3, 2, 1]],
    ['?user=%40bob', [2, 1]],
    ['?user=console%3Abob', [2, 1]],
    ['?by=%40ada', [2]],
    ['?room=%23lobby', [3]],
    ['?room=console%3Ageneral', [1]],
    ['?outcome=unsupported', [3]],
    ['?from=2026-11-23&to=2026-11-23', [2]],
    ['?from=2026-11-23', [3, 2]],
    ['?to=2026-11-22', [1]],
    ['?user=%40bob&by=%40mo', [1]],
    ['?user=%40bob&outcome=removed&from=2026-11-23', [2]],
    ['?user=%40carol&by=%40ada', []],
  ])('WHEN searched with "%s" THEN it lists cases %j, newest first', async (query, cases) => {
    rig = await threeCases();
    const res = await rig.get(`/admin/cases${query}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await listed(res)).toEqual(cases);
  });

  it('THEN the form is labelled and keeps what was searched', async () => {
    rig = await threeCases();
    const html = await (await rig.get('/admin/cases?user=%40bob&outcome=removed')).text;
    for (const id of ['f-ws', 'f-user', 'f-by', 'f-room', 'f-outcome', 'f-from', 'f-to'])
      expect(html).toContain(`<label for="${id}">`);
    expect(html).toContain('value="@bob"');
    expect(html).toMatch(/<option value="removed" selected/);
    expect(html).toContain('/kick bob from #general');
  });

  it.each([
    ['?user=%40nobody', 'user: unknown user @nobody'],
    ['?room=%23nowhere', 'room: no room #nowhere'],
    ['?outcome=exploded', 'there is no outcome &quot;exploded&quot;'],
    ['?from=2026-02-30', 'from is not a date'],
    ['?before=abc', 'not a case number'],
    ['?trail=1,x', 'earlier pages'],
    ['?ws=console%3Aother', 'no workspace &quot;console:other&quot;'],
    ['?user=<5 kB>', 'the search is too long'],
    ['?user=<300 bytes>', 'the user is too long'],
  ])('WHEN the search is "%s" (bad) THEN 400 with a page that says what is wrong', async (query, says) => {
    rig = await threeCases();
    const long = { '<5 kB>': 'b'.repeat(5_000), '<300 bytes>': 'b'.repeat(300) };
    const res = await rig.get(`/admin/cases${query.replace(/<[^>]+>/, (m) => long[m as keyof typeof long])}`);
    expect(res.status).toBe(400);
    const html = res.text;
    expect(html).toContain(says);
    expect(html).not.toMatch(/at .*\.(ts|js):\d+/); // no stack trace
  });

  it('WHEN there are 25 cases THEN page 1 has 20 and Next, page 2 the other 5 and Previous back, filters kept', async () => {
    rig = await startGatedAdmin(SMALL_WORKSPACE);
    for (let i = 0; i < 25; i++) await rig.run('mo', 'general', `/kick @bob #general n${i}`);
    const first = await (await rig.get('/admin/cases?user=%40bob')).text;
    const rows = [...first.matchAll(/>Case (\d+)</g)].map((m) => Number(m[1]));
    expect(rows).toEqual(Array.from({ length: 20 }, (_, i) => 25 - i));
    const next = /<a href="([^"]+)" rel="next">Next page</.exec(first)?.[1]?.replaceAll('&amp;', '&');
    expect(next).toBe('/admin/cases?ws=console%3Asmall&user=%40bob&before=5&trail=0');
    const second = await (await rig.get(next as string)).text;
    expect([...second.matchAll(/>Case (\d+)</g)].map((m) => Number(m[1]))).toEqual([5, 4, 3, 2, 1]);
    expect(second).not.toContain('rel="next"');
    const prev = /<a href="([^"]+)" rel="prev">/.exec(second)?.[1]?.replaceAll('&amp;', '&');
    expect(prev).toBe('/admin/cases?ws=console%3Asmall&user=%40bob');
  });

  it(`WHEN nothing matches among more than ${SEARCH_CASES} cases THEN the page stops at the bound and offers to search further`, async () => {
    rig = await startGatedAdmin(SMALL_WORKSPACE);
    for (let i = 0; i < SEARCH_CASES + 10; i++) await rig.run('mo', 'general', `/kick @bob #general n${i}`);
    const html = await (await rig.get('/admin/cases?by=%40ada')).text;
    expect(html).toContain(`stopped after reading ${SEARCH_CASES} cases`);
    const further = /<a href="([^"]+)" rel="next">Search further \(case 10 and older\)</.exec(html)?.[1];
    expect(further?.replaceAll('&amp;', '&')).toBe(
      '/admin/cases?ws=console%3Asmall&by=%40ada&before=10&trail=0',
    );
    const rest = await (await rig.get((further as string).replaceAll('&amp;', '&'))).text;
    expect(rest).toContain('No cases found');
    expect(rest).not.toContain('rel="next"');
  });

  it('WHEN nobody has a case yet THEN the page says so', async () => {
    rig = await startGatedAdmin(SMALL_WORKSPACE);
    const res = await rig.get('/admin/cases');
    expect(res.status).toBe(200);
    expect(res.text).toContain('No cases yet.');
  });
});

describe('GIVEN /admin/cases/:ws/:id (one case)', () => {
  it.each([CASE1, '/admin/cases?user=%40bob&outcome=removed'])(
    'WHEN nobody is signed in THEN GET %s goes to the sign-in form, and back there once signed in',
    async (path) => {
      rig = await threeCases();
      const stranger = rig.rig.client();
      const res = await stranger.get(path);
      expect(res.status).toBe(303);
      const location = res.headers.get('location') as string;
      expect(location).toBe(`/admin/sign-in?next=${encodeURIComponent(path)}`);
      expect(res.text).not.toContain('bob');
      const signIn = await stranger.signIn(
        ADMIN_TOKEN,
        new URL(location, rig.rig.url).searchParams.get('next') ?? '',
      );
      expect(signIn.status).toBe(303);
      expect(signIn.headers.get('location')).toBe(path);
      expect((await stranger.get(path)).status).toBe(200);
    },
  );

  it('THEN it shows who, when, the command, reason and its history, notes, pairs and an Undo link', async () => {
    rig = await threeCases();
    await rig.run('mo', 'general', '/kickbot reason 1 flooding');
    await rig.run('mo', 'general', '/kickbot note 1 warned twice before');
    const html = await (await rig.get('/admin/cases/console%3Asmall/1')).text;
    expect(html).toContain('<title>Case 1 · kickbot admin</title>');
    expect(html).toContain('2026-11-22 12:00 UTC');
    expect(html).toContain('<code>/kick @bob #general spam</code>');
    expect(html).toContain('<dd>flooding</dd>');
    expect(html).toContain('Reason history');
    expect(html).toContain('warned twice before');
    expect(html).toMatch(/Removed \(1\)<\/h3><ul class="pairs"><li>bob in #general<\/li>/);
    expect(html).toContain('href="/admin/cases/console%3Asmall/1/undo"');
  });

  it('WHEN a case has more than 200 pairs THEN they are all there, 200 a page', async () => {
    const users = Array.from({ length: 230 }, (_, i) => `p${i}`);
    const yaml = [
      'name: small',
      'bot: kickbot',
      'users:',
      '  - { id: ada, roles: [admin] }',
      '  - { id: kickbot, roles: [bot] }',
      ...users.map((u) => `  - { id: ${u} }`),
      'rooms:',
      `  - { id: general, type: public, members: [ada, kickbot, ${users.join(', ')}] }`,
    ].join('\n');
    rig = await startGatedAdmin(yaml, { bulkThreshold: 1_000 });
    await rig.run('ada', 'general', `/kick ${users.map((u) => `@${u}`).join(' ')} #general spam --yes`);
    const first = await (await rig.get('/admin/cases/console%3Asmall/1')).text;
    expect(first).toContain('Pairs (230) · page 1 of 2');
    expect(first.match(/<li>p\d+ in #general<\/li>/g)).toHaveLength(200);
    const second = await (await rig.get('/admin/cases/console%3Asmall/1?pairs=2')).text;
    expect(second.match(/<li>p\d+ in #general<\/li>/g)).toHaveLength(30);
    expect((await rig.get('/admin/cases/console%3Asmall/1?pairs=3')).status).toBe(404);
  });

  it.each([
    ['/admin/cases/x/abc', 404, 'A case number is a whole number'],
    ['/admin/cases/console%3Asmall/0', 404, 'A case number is a whole number'],
    ['/admin/cases/console%3Asmall/99', 404, 'There is no case 99'],
    ['/admin/cases/console%3Aother/1', 404, 'There is no case 1 in console:other'],
    ['/admin/cases/nowhere/1', 404, '&quot;nowhere&quot; is not a workspace id'],
    ['/admin/cases/console%3Asmall/1?pairs=x', 404, 'has no page x'],
    ['/admin/cases/console%3Asmall/99999999999', 404, 'A case number is a whole number'],
  ])('WHEN %s THEN %i with a page that says so', async (path, status, says) => {
    rig = await threeCases();
    const res = await rig.get(path);
    expect(res.status).toBe(status);
    expect(res.text).toContain(says);
  });
});
