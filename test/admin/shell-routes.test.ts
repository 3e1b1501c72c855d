import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_HEADERS } from '../../src/admin/app.js';
import { shellPages } from '../../src/admin/shell-pages.js';
import { METHODS } from '../../src/http/server.js';
import { type AdminClient, type AdminRig, type Answer, startAdminRig } from '../helpers/admin-rig.js';
import { startRedisServer } from '../helpers/redis-server.js';

/** Every route of the admin shell × every method, over HTTP, and what the reading pages show. */

let rig: AdminRig;
let admin: AdminClient;
beforeAll(async () => {
  rig = await startAdminRig({
    env: { DISCORD_APPLICATION_ID: '123456789012345678', SLACK_COMMAND_PREFIX: 'kb-' },
    config: {
      areas: [
        {
          id: 'payments',
          rooms: ['general'],
          managers: { slack: ['U0OLGA'] },
          groups: { discord: '987654321' },
          targets: [{ connector: 'docspace', group: 'payments-docs' }],
        },
      ],
      connectors: { docspace: { url: 'http://127.0.0.1:9', apiKey: { env: 'DOCSPACE_KEY' } } },
    },
    rawEnv: { DOCSPACE_KEY: 'docspace-key-not-real' },
    extraPages: [
      {
        pattern: '/admin/test/:ws/:id',
        async GET(view) {
          view.res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(view.params));
        },
      },
    ],
  });
  admin = await rig.signIn();
});
afterAll(() => rig.close());

const expectAdminHeaders = (answer: Answer) => {
  for (const [name, value] of Object.entries(ADMIN_HEADERS)) {
    if (name === 'cache-control') continue; // assets may be cached
    expect(answer.headers.get(name), name).toBe(value);
  }
};

const pagePaths = shellPages.map((p) => p.pattern);
const SIGN_IN = '/admin/sign-in';
const SIGN_OUT = '/admin/sign-out';
const ASSETS = ['/admin/assets/admin.css', '/admin/assets/copy.js'];

/** What each route answers to each method, signed in: GET-only pages, the sign-in form, sign-out, assets. */
function expected(path: string, method: string): { status: number; allow?: string } {
  if (ASSETS.includes(path))
    return ['GET', 'HEAD'].includes(method) ? { status: 200 } : { status: 405, allow: 'GET, HEAD' };
  if (path === SIGN_IN) {
    if (['GET', 'HEAD'].includes(method)) return { status: 200 };
    return method === 'POST' ? { status: 415 } : { status: 405, allow: 'GET, HEAD, POST' };
  }
  // A POST without a form is refused for its content type (415), before its missing CSRF token.
  if (path === SIGN_OUT) return method === 'POST' ? { status: 415 } : { status: 405, allow: 'POST' };
  return ['GET', 'HEAD'].includes(method) ? { status: 200 } : { status: 405, allow: 'GET, HEAD' };
}

describe('every admin route answers every method', () => {
  const routes = [...pagePaths, SIGN_IN, SIGN_OUT, ...ASSETS];
  it.each(routes.flatMap((path) => METHODS.map((method) => [path, method] as const)))(
    'GIVEN a signed-in client WHEN %s is asked with %s THEN the answer is as declared, with the admin headers',
    async (path, method) => {
      const answer = await admin.request(path, { method });
      const want = expected(path, method);
      expect(answer.status).toBe(want.status);
      if (want.allow) expect(answer.headers.get('allow')).toBe(want.allow);
      expectAdminHeaders(answer);
      if (method === 'HEAD') expect(answer.text).toBe('');
      if (answer.status >= 400 && method !== 'HEAD') expect(answer.text).toContain('<h1>');
    },
  );

  it.each(pagePaths)(
    'GIVEN no session WHEN %s is read THEN it redirects to the sign-in with next',
    async (path) => {
      const answer = await rig.client().get(`${path}?q=1`);
      expect(answer.status).toBe(303);
      expect(answer.headers.get('location')).toBe(`/admin/sign-in?next=${encodeURIComponent(`${path}?q=1`)}`);
      expectAdminHeaders(answer);
    },
  );

  it('GIVEN no session THEN the sign-in form and the assets are open', async () => {
    const client = rig.client();
    expect((await client.get(SIGN_IN)).status).toBe(200);
    const css = await client.get('/admin/assets/admin.css');
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(css.headers.get('cache-control')).toMatch(/max-age=\d+/);
  });

  it.each([
    ['/admin/nothing-here', 404],
    ['/admin/assets/nope.js', 404],
    ['/admin/assets/__proto__', 404],
    ['/admin/assets/constructor', 404],
    ['/admin/areas/extra', 404],
  ])('GIVEN an unknown admin path %s THEN %s with a page', async (path, status) => {
    const answer = await admin.get(path);
    expect(answer.status).toBe(status);
    expectAdminHeaders(answer);
    if (path.startsWith('/admin/')) expect(answer.text).toContain('Not found');
  });
});

describe('a page with parameters', () => {
  it('GIVEN encoded parameters THEN the page gets them decoded', async () => {
    const answer = await admin.get('/admin/test/slack%3AT1%2Fx/7');
    expect(JSON.parse(answer.text)).toEqual({ ws: 'slack:T1/x', id: '7' });
  });

  it.each(['/admin/test/%zz/7', '/admin/test/a%00b/7'])(
    'GIVEN a malformed parameter %s THEN a 400 page',
    async (path) => {
      const answer = await admin.get(path);
      expect(answer.status).toBe(400);
      expect(answer.text).toContain('is not a valid value');
      expectAdminHeaders(answer);
    },
  );
});

describe('the reading pages', () => {
  it('GIVEN the overview THEN it names the store, persistence, the fronts, the queue and today', async () => {
    const { text } = await admin.get('/admin');
    expect(text).toContain('memory (state lasts as long as this process)');
    expect(text).toContain('none (memory store)');
    expect(text).toMatch(/<th scope="row">console<\/th>/);
    expect(text).toContain('Systems kickbot removes from: console, docspace');
    expect(text).toContain('In-process');
    expect(text).toMatch(/0<\/strong> cases opened/);
    expect(text).toContain('aria-current="page"');
  });

  it('GIVEN the areas page THEN the config area shows its rooms per system and its managers', async () => {
    const { text } = await admin.get('/admin/areas');
    expect(text).toContain('payments');
    expect(text).toContain('<strong>docspace</strong>: group payments-docs');
    expect(text).toContain('<strong>discord</strong>: group 987654321');
    expect(text).toContain('<strong>slack</strong>: U0OLGA');
    expect(text).toContain('Console workspace “small”');
    expect(text).toContain('#general, #secret');
  });

  it('GIVEN the install page THEN the manifest carries the address the page was reached at, with the prefix', async () => {
    const { text } = await admin.get('/admin/install');
    const host = new URL(rig.url).host;
    expect(text).toContain(`http://${host}/slack/events`);
    expect(text).toContain('/kb-kick');
    expect(text).toContain('readonly');
    expect(text).toContain('<label for="manifest">');
    expect(text).toContain('client_id=123456789012345678');
    expect(text).toContain('<code>kickbot register discord --guild G</code>');
    expect(text).toContain('Slack sends only to https://'); // reached over http, no KICKBOT_PUBLIC_URL
    expect(text).toContain('<script src="/admin/assets/copy.js" defer>');
  });

  it('GIVEN the manifest download THEN it is a JSON attachment Slack takes', async () => {
    const answer = await admin.get('/admin/install/slack-manifest.json', { 'x-forwarded-proto': 'https' });
    expect(answer.headers.get('content-disposition')).toBe(
      'attachment; filename="kickbot-slack-manifest.json"',
    );
    const manifest = JSON.parse(answer.text) as {
      settings: { event_subscriptions: { request_url: string } };
    };
    expect(manifest.settings.event_subscriptions.request_url).toBe(
      `https://${new URL(rig.url).host}/slack/events`,
    );
  });

  it('GIVEN a forged Host header THEN it is escaped in the page, never markup', async () => {
    const { text } = await rawGet(`${rig.url}/admin/install`, {
      host: 'evil"><script>x</script>',
      cookie: [...admin.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
    });
    expect(text).toContain('<h1>Install</h1>');
    expect(text).not.toContain('<script>x</script>');
    expect(text).toContain('https://kickbot.example.com/slack/events'); // a Host that is no host is not used
  });
});

describe('KICKBOT_PUBLIC_URL', () => {
  it('GIVEN a public URL THEN the manifest uses it, whatever the Host', async () => {
    const other = await startAdminRig({ publicUrl: 'https://kick.example.org' });
    try {
      const client = await other.signIn();
      const { text } = await client.get('/admin/install');
      expect(text).toContain('https://kick.example.org/slack/events');
      expect(text).not.toContain('Slack sends only to https://');
      expect(text).toContain('Set DISCORD_APPLICATION_ID');
    } finally {
      await other.close();
    }
  });
});

/** A GET with headers fetch will not send as given (Host). */
function rawGet(url: string, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => {
        text += chunk.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the overview on Redis', () => {
  it('GIVEN the Redis store and a timed removal THEN redis up, its persistence, and the queues by state', async () => {
    const onRedis = await startAdminRig({ redis: true });
    try {
      const handled = await onRedis.run('ada', 'general', '/kick @bob --for 2h spam');
      expect(JSON.stringify(handled)).toContain('removed');
      const { text } = await (await onRedis.signIn()).get('/admin');
      expect(text).toMatch(/redis: <span class="ok">up<\/span>/);
      expect(text).toContain('none: a Redis restart loses the audit log'); // the test Redis keeps nothing on disk
      const timers = /<th scope="row">Timed restores<\/th>((?:<td>\d+<\/td>)+)/.exec(text)?.[1];
      expect(timers).toBe('<td>0</td><td>0</td><td>1</td><td>0</td>'); // waiting, active, delayed, failed
      expect(text).toMatch(/<th scope="row">Bulk jobs<\/th>/);
      expect(text).toMatch(/1<\/strong> case opened/);
    } finally {
      await onRedis.close();
    }
  });
});

describe('the admin page with its store down', () => {
  it('GIVEN Redis stops THEN a signed-in page is a 503 page saying so, not a stack trace', async () => {
    const redis = await startRedisServer();
    const own = await startAdminRig({ redis: redis.url });
    try {
      const client = await own.signIn();
      await redis.stop();
      const answer = await client.get('/admin');
      expect(answer.status).toBe(503);
      expect(answer.text).toContain("kickbot's store does not answer");
      expect(answer.text).not.toMatch(/at \S+ \(/); // no stack frame
      expectAdminHeaders(answer);
    } finally {
      await own.close();
      await redis.stop();
    }
  });
});
