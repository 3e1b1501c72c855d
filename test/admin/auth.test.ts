import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminPage } from '../../src/admin/app.js';
import { COOKIE, SIGN_IN_LIMITS } from '../../src/admin/auth.js';
import { adminKeys, SESSION_MS } from '../../src/admin/auth-crypto.js';
import { ADMIN_TOKEN, type AdminRig, startAdminRig } from '../helpers/admin-rig.js';

/** Sign-in, the session cookie, CSRF, cross-site requests, the rate limit, sessions across replicas: as attacks. */

/** A page that echoes what a signed-in POST handed it. */
const echo: AdminPage = {
  pattern: '/admin/test-echo',
  async POST(view) {
    view.res.writeHead(200, { 'content-type': 'text/plain' }).end(`note=${view.form.get('note')}`);
  },
};

let clock = Date.parse('2026-12-06T10:00:00Z');
let rig: AdminRig;
beforeAll(async () => {
  rig = await startAdminRig({ extraPages: [echo], now: () => clock });
});
afterAll(() => rig.close());

const WRONG = 'wrong-token-ffffffffffff';

describe('signing in', () => {
  it('GIVEN the right token THEN a session cookie: HttpOnly, SameSite=Strict, Path=/admin, not Secure over http', async () => {
    const client = rig.client();
    const answer = await client.signIn(ADMIN_TOKEN, '/admin/areas');
    expect(answer.status).toBe(303);
    expect(answer.headers.get('location')).toBe('/admin/areas');
    const cookie = answer.headers.getSetCookie()[0] ?? '';
    expect(cookie).toMatch(new RegExp(`^${COOKIE}=[\\w-]+\\.\\d+\\.[\\w-]+;`));
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).toContain('Path=/admin');
    expect(cookie).toContain(`Max-Age=${SESSION_MS / 1000}`);
    expect(cookie).not.toContain('Secure');
    expect((await client.get('/admin/areas')).status).toBe(200);
  });

  it('GIVEN https (forwarded, or KICKBOT_PUBLIC_URL) THEN the cookie is Secure', async () => {
    const forwarded = await rig
      .client()
      .post('/admin/sign-in', { token: ADMIN_TOKEN }, { headers: { 'x-forwarded-proto': 'https' } });
    expect(forwarded.headers.getSetCookie()[0]).toContain('; Secure');
    const other = await startAdminRig({ publicUrl: 'https://kick.example.org' });
    try {
      const answer = await other.client().signIn();
      expect(answer.headers.getSetCookie()[0]).toContain('; Secure');
    } finally {
      await other.close();
    }
  });

  it('GIVEN a wrong token THEN the form again, 401, with a message, and no cookie', async () => {
    const answer = await rig.client().signIn(WRONG);
    expect(answer.status).toBe(401);
    expect(answer.text).toContain('That is not the admin token');
    expect(answer.text).toContain('<label for="token">Admin token</label>');
    expect(answer.headers.getSetCookie()).toEqual([]);
  });

  it.each([
    ['//evil.example', '/admin'],
    ['https://evil.example/admin', '/admin'],
    ['/\\evil.example', '/admin'],
    ['/admin/../evil', '/admin'],
    ['/adminevil', '/admin'],
    ['/admin/sign-out', '/admin'],
    ['/admin/cases?user=bob', '/admin/cases?user=bob'],
  ])('GIVEN next=%s THEN the redirect goes to %s', async (next, location) => {
    const answer = await rig.client().signIn(ADMIN_TOKEN, next);
    expect(answer.headers.get('location')).toBe(location);
  });

  it('GIVEN next on the sign-in form THEN only a local path is kept in it', async () => {
    const { text } = await rig.client().get('/admin/sign-in?next=%2F%2Fevil.example');
    expect(text).toContain('name="next" value="/admin"');
  });
});

describe('the session cookie', () => {
  const cookieOf = (value: string) => ({ cookie: `${COOKIE}=${value}` });

  it('GIVEN a tampered, foreign, malformed or expired cookie THEN the page redirects to the sign-in', async () => {
    const client = await rig.signIn();
    const value = client.cookies.get(COOKIE) ?? '';
    const last = value.at(-2) === 'A' ? 'B' : 'A';
    const tampered = `${value.slice(0, -2)}${last}${value.at(-1)}`;
    const longer = value.replace(/\.(\d+)\./, (_, at: string) => `.${Number(at) + 1000}.`);
    const foreign = adminKeys('another-admin-token-0000').issue(clock).value;
    for (const bad of [tampered, longer, foreign, 'garbage', `${value}x`]) {
      const answer = await rig.client().get('/admin', cookieOf(bad));
      expect(answer.status, bad).toBe(303);
      expect(answer.headers.get('location')).toBe('/admin/sign-in?next=%2Fadmin');
    }
    expect((await rig.client().get('/admin', cookieOf(value))).status).toBe(200);
    const now = clock;
    clock = now + SESSION_MS + 1;
    try {
      expect((await rig.client().get('/admin', cookieOf(value))).status).toBe(303);
    } finally {
      clock = now;
    }
  });
});

describe('POST: CSRF and cross-site requests', () => {
  it('GIVEN no session THEN a POST is 403', async () => {
    const answer = await rig.client().post('/admin/test-echo', { note: 'x' });
    expect(answer.status).toBe(403);
    expect(answer.text).toContain('You are not signed in');
  });

  it('GIVEN no CSRF token, or a wrong one, THEN 403; the right one THEN the form reaches the page', async () => {
    const client = await rig.signIn();
    expect((await client.post('/admin/test-echo', { note: 'x' })).status).toBe(403);
    const wrong = await client.post('/admin/test-echo', { note: 'x', csrf: 'A'.repeat(43) });
    expect(wrong.status).toBe(403);
    expect(wrong.text).toContain('reload it and try again');
    const other = await rig.signIn(); // another session's token is not this one's
    const theirs = await client.post('/admin/test-echo', { note: 'x', csrf: await other.csrf() });
    expect(theirs.status).toBe(403);
    const right = await client.post('/admin/test-echo', { note: 'hello & bye' }, { csrf: true });
    expect(right).toMatchObject({ status: 200, text: 'note=hello & bye' });
  });

  it.each([
    [{ origin: 'https://evil.example' }],
    [{ origin: 'null' }],
    [{ 'sec-fetch-site': 'cross-site' }],
    [{ 'sec-fetch-site': 'same-site' }],
  ])('GIVEN a cross-site request %o THEN 403, with the right CSRF token too', async (headers) => {
    const client = await rig.signIn();
    const answer = await client.post('/admin/test-echo', { note: 'x' }, { csrf: true, headers });
    expect(answer.status).toBe(403);
    expect(answer.text).toContain('another');
    const signIn = await rig.client().post('/admin/sign-in', { token: ADMIN_TOKEN }, { headers });
    expect(signIn.status).toBe(403);
  });

  it('GIVEN a same-origin Origin and Sec-Fetch-Site THEN the POST goes through (http or https to this host)', async () => {
    const client = await rig.signIn();
    for (const origin of [rig.url, rig.url.replace('http:', 'https:')]) {
      const headers = { origin, 'sec-fetch-site': 'same-origin' };
      expect((await client.post('/admin/test-echo', { note: 'x' }, { csrf: true, headers })).status).toBe(
        200,
      );
    }
  });

  it.each([
    ['application/json', '{"note":"x"}'],
    ['multipart/form-data; boundary=x', '--x--'],
    ['text/plain', 'note=x'],
  ])('GIVEN a body of type %s THEN 415 naming what the page takes', async (type, body) => {
    const client = await rig.signIn();
    const csrf = await client.csrf();
    const answer = await client.request('/admin/test-echo', {
      method: 'POST',
      headers: { 'content-type': type },
      body: type === 'text/plain' ? `${body}&csrf=${csrf}` : body,
    });
    expect(answer.status).toBe(415);
    expect(answer.text).toContain('application/x-www-form-urlencoded');
  });

  it('GIVEN a 100 kB form field THEN 413, and nothing of it in a log line', async () => {
    const client = await rig.signIn();
    const big = 'z'.repeat(100 * 1024);
    const answer = await client.post('/admin/test-echo', { note: big }, { csrf: true });
    expect(answer.status).toBe(413);
    expect(answer.text).toContain('larger than 32 kB');
    const signIn = await rig.client().signIn(`${ADMIN_TOKEN}${big}`);
    expect(signIn.status).toBe(413);
    expect(rig.logs.some((line) => line.includes('zzzzzzzz'))).toBe(false);
  });
});

describe('signing out', () => {
  it('GIVEN two replicas on one store WHEN signed out on one THEN the session is refused on the other', async () => {
    const second = await rig.replica();
    const a = await rig.signIn();
    const b = rig.client(second);
    for (const [k, v] of a.cookies) b.cookies.set(k, v);
    expect((await b.get('/admin')).status).toBe(200); // made by one replica, good on the other
    const out = await a.post('/admin/sign-out', {}, { csrf: true });
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/admin/sign-in');
    expect(out.headers.getSetCookie()[0]).toMatch(
      /^kickbot_admin=; Max-Age=0; Path=\/admin; HttpOnly; SameSite=Strict/,
    );
    expect((await b.get('/admin')).status).toBe(303);
    expect(a.cookies.size).toBe(0);
  });

  it('GIVEN sign-out without the CSRF token THEN 403 and the session lives on', async () => {
    const client = await rig.signIn();
    expect((await client.post('/admin/sign-out', {})).status).toBe(403);
    expect((await client.get('/admin')).status).toBe(200);
  });
});

describe('the rate limit on wrong tokens', () => {
  it('GIVEN too many wrong tokens from one address THEN 429 with Retry-After and when, even for the right token', async () => {
    const own = await startAdminRig();
    try {
      for (let i = 0; i < SIGN_IN_LIMITS.perAddress; i++)
        expect((await own.client().signIn(WRONG)).status).toBe(401);
      for (const token of [WRONG, ADMIN_TOKEN]) {
        const answer = await own.client().signIn(token);
        expect(answer.status).toBe(429);
        const seconds = Number(answer.headers.get('retry-after'));
        expect(seconds).toBeGreaterThan(0);
        expect(seconds).toBeLessThanOrEqual(60);
        expect(answer.text).toMatch(/Try again in \d+ seconds \(after \d\d:\d\d:\d\d UTC\)/);
      }
      // Another address is not held up by this one.
      expect((await postFrom(own.url, '127.0.0.2', ADMIN_TOKEN)).status).toBe(303);
    } finally {
      await own.close();
    }
  });

  it('GIVEN a burst of parallel wrong tokens THEN only the limit is tried, the rest are 429', async () => {
    const own = await startAdminRig();
    try {
      const answers = await Promise.all(Array.from({ length: 20 }, () => own.client().signIn(WRONG)));
      const statuses = answers.map((a) => a.status).sort();
      expect(statuses.filter((s) => s === 401)).toHaveLength(SIGN_IN_LIMITS.perAddress);
      expect(statuses.filter((s) => s === 429)).toHaveLength(20 - SIGN_IN_LIMITS.perAddress);
    } finally {
      await own.close();
    }
  });

  it('GIVEN wrong tokens spread over many addresses THEN the total limit holds for everyone', async () => {
    const own = await startAdminRig({ redis: true });
    try {
      const per = SIGN_IN_LIMITS.perAddress;
      const addresses = Math.ceil(SIGN_IN_LIMITS.total / per);
      for (let a = 0; a < addresses; a++)
        for (let i = 0; i < per; i++) await postFrom(own.url, `127.0.1.${a + 1}`, WRONG);
      const answer = await postFrom(own.url, '127.0.2.1', ADMIN_TOKEN);
      expect(answer.status).toBe(429);
    } finally {
      await own.close();
    }
  });
});

describe('logs', () => {
  it('GIVEN sign-ins, wrong tokens and sign-outs THEN no log line holds a token or a cookie', async () => {
    const client = await rig.signIn();
    await rig.client().signIn(WRONG);
    const cookie = client.cookies.get(COOKIE) ?? '';
    await client.post('/admin/sign-out', {}, { csrf: true });
    expect(rig.logs.some((l) => l.includes('admin: signed in'))).toBe(true);
    expect(rig.logs.some((l) => l.includes('admin: wrong token'))).toBe(true);
    for (const secret of [ADMIN_TOKEN, WRONG, cookie, cookie.split('.')[0] ?? ''])
      expect(rig.logs.filter((l) => l.includes(secret))).toEqual([]);
  });
});

/** A sign-in POST from another loopback address (every 127.x.y.z is this machine). */
function postFrom(base: string, localAddress: string, token: string): Promise<{ status: number }> {
  const body = new URLSearchParams({ token }).toString();
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}/admin/sign-in`,
      { method: 'POST', localAddress, headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
