import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN_ACTOR } from '../../src/core/index.js';
import { SMALL_WORKSPACE } from '../helpers/console.js';
import { type GatedAdmin, startGatedAdmin } from '../helpers/gated-runtime.js';

let rig: GatedAdmin | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const CASE1 = '/admin/cases/console%3Asmall/1';
const KEY = 'k'.repeat(32);

/** Case 1: mo kicks bob and carol from #general. */
async function kicked(): Promise<GatedAdmin> {
  const r = await startGatedAdmin(SMALL_WORKSPACE);
  expect((await r.run('mo', 'general', '/kick @bob @carol #general spam')).kind).toBe('result');
  return r;
}

const members = async (r: GatedAdmin, room: string) => [...(await r.state.allMembers(room)).keys()];

describe('GIVEN the Undo of a case on the admin page', () => {
  it('WHEN asked THEN it says who comes back where, with a form that carries the CSRF token and a key', async () => {
    rig = await kicked();
    const res = await rig.get(`${CASE1}/undo`);
    expect(res.status).toBe(200);
    const html = res.text;
    expect(html).toContain('Undo case 1: bob and 1 other come back to #general.');
    expect(html).toContain(`<form method="post" action="${CASE1}/undo">`);
    expect(html).toContain(`name="csrf" value="${await rig.client.csrf()}"`);
    expect(html).toMatch(/name="key" value="[0-9a-f-]{36}"/);
    expect(await members(rig, 'general')).not.toContain('bob'); // asking changed nothing
  });

  it('WHEN confirmed THEN the core undoes it as the admin page, and the new case says so with the reply', async () => {
    rig = await kicked();
    const res = await rig.post(`${CASE1}/undo`, { key: KEY });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/admin/cases/console%3Asmall/2?reply=${KEY}`);
    expect(await members(rig, 'general')).toEqual(expect.arrayContaining(['bob', 'carol']));
    const records = await rig.store.readAudit({ workspace: rig.workspace, caseId: 2 });
    expect(records.map((r) => [r.action, r.actor, r.outcome, r.undoOf])).toEqual([
      ['restore', ADMIN_ACTOR, 'restored', 1],
      ['restore', ADMIN_ACTOR, 'restored', 1],
    ]);
    const html = await (await rig.get(res.headers.get('location') as string)).text;
    expect(html).toContain('Restored 2 | Already a member 0');
    expect(html).toContain('the admin page');
    expect(html).toContain('<a href="/admin/cases/console%3Asmall/1">case 1</a>');
    const original = await (await rig.get(CASE1)).text;
    expect(original).toContain('undone by <a href="/admin/cases/console%3Asmall/2">case 2</a>');
    expect(original).not.toContain(`${CASE1}/undo"`);
  });

  it('WHEN the same form is sent twice THEN it runs once and both go to the same new case', async () => {
    rig = await kicked();
    const [a, b] = await Promise.all([
      rig.post(`${CASE1}/undo`, { key: KEY }),
      rig.post(`${CASE1}/undo`, { key: KEY }),
    ]);
    const locations = [a.headers.get('location'), b.headers.get('location')];
    // One of the two may already find the case undone (a refusal page); neither makes a second case.
    expect(locations.filter(Boolean).every((l) => l?.startsWith('/admin/cases/console%3Asmall/2?'))).toBe(
      true,
    );
    expect(await rig.store.lastCaseId(rig.workspace)).toBe(2);
  });

  it.each([
    ['already undone', 1, 'Case 1 was already undone by case 2; there is nothing to undo.'],
    ['an undo itself', 2, 'Case 2 is itself an undo; there is nothing to undo.'],
  ])('WHEN the case is %s THEN GET and POST show a message (200), and nothing runs', async (_, id, says) => {
    rig = await kicked();
    await rig.post(`${CASE1}/undo`, { key: KEY });
    for (const res of [
      await rig.get(`/admin/cases/console%3Asmall/${id}/undo`),
      await rig.post(`/admin/cases/console%3Asmall/${id}/undo`, { key: 'n'.repeat(32) }),
    ]) {
      expect(res.status).toBe(200);
      expect(res.text).toContain(says);
    }
    expect(await rig.store.lastCaseId(rig.workspace)).toBe(2);
  });

  it('WHEN the case removed nobody THEN it says there is nothing to undo', async () => {
    rig = await startGatedAdmin(SMALL_WORKSPACE);
    await rig.run('mo', 'lobby', '/kick @bob #lobby spam'); // #lobby: nobody can be removed from it
    const res = await rig.get('/admin/cases/console%3Asmall/1/undo');
    expect(res.text).toContain('Case 1 removed nobody; there is nothing to undo.');
  });

  it.each([
    ['no CSRF token', { key: KEY }],
    ['a wrong CSRF token', { csrf: 'wrong', key: KEY }],
    ['an empty CSRF token', { csrf: '', key: KEY }],
  ])('WHEN the signed-in POST has %s THEN 403 and nothing runs', async (_, fields) => {
    rig = await kicked();
    const res = await rig.client.post(`${CASE1}/undo`, fields);
    expect(res.status).toBe(403);
    expect(res.text).toContain('The form is out of date or was not sent by this page');
    expect(await rig.store.lastCaseId(rig.workspace)).toBe(1);
    expect(await members(rig, 'general')).not.toContain('bob');
  });

  it('WHEN the POST comes from another site with the right token THEN 403 and nothing runs', async () => {
    rig = await kicked();
    const csrf = await rig.client.csrf();
    const res = await rig.client.post(
      `${CASE1}/undo`,
      { csrf, key: KEY },
      { headers: { 'sec-fetch-site': 'cross-site' } },
    );
    expect(res.status).toBe(403);
    expect(await rig.store.lastCaseId(rig.workspace)).toBe(1);
  });

  it('WHEN nobody is signed in THEN a GET goes to sign-in (and back after), a POST is 403, nothing runs', async () => {
    rig = await kicked();
    const stranger = rig.rig.client();
    const res = await stranger.get(`${CASE1}/undo`);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/admin/sign-in?next=${encodeURIComponent(`${CASE1}/undo`)}`);
    const post = await stranger.post(`${CASE1}/undo`, { csrf: await rig.client.csrf(), key: KEY });
    expect(post.status).toBe(403);
    expect(await rig.store.lastCaseId(rig.workspace)).toBe(1);
  });

  it.each(['/admin/cases/x/abc/undo', '/admin/cases/console%3Asmall/7/undo'])(
    'WHEN %s (no such case) THEN 404 for GET and POST',
    async (path) => {
      rig = await kicked();
      expect((await rig.get(path)).status).toBe(404);
      expect((await rig.post(path, { key: KEY })).status).toBe(404);
    },
  );

  it('WHEN the key is not one THEN the undo still runs once, under a fresh key', async () => {
    rig = await kicked();
    const res = await rig.post(`${CASE1}/undo`, { key: '<script>' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toMatch(/^\/admin\/cases\/console%3Asmall\/2\?reply=[0-9a-f-]{36}$/);
  });

  it('WHEN a reply key in the URL is not one the page made THEN nothing is shown', async () => {
    rig = await kicked();
    const html = await (await rig.get(`${CASE1}?reply=${'z'.repeat(32)}`)).text;
    expect(html).not.toContain('class="reply"');
  });
});
