import { afterEach, describe, expect, it } from 'vitest';
import { kickbot, killStarted, startKickbot } from '../helpers/cli.js';
import { oktaActive, oktaUser, request } from '../scim/scim-rig.js';

/** `kickbot serve` with KICKBOT_SCIM_TOKEN and KICKBOT_OKTA_HOOK_SECRET, as an IT admin turns them on. */

const TOKEN = 'scim-serve-token-0123456789';
const SECRET = 'okta-serve-secret-0123456789';
const READY =
  /^kickbot serve .*SCIM 2\.0 on (http:\/\/127\.0\.0\.1:\d+)\/scim\/v2 · Okta event hook on \S+\/hooks\/okta.*\n/;
afterEach(killStarted);

describe('kickbot serve with SCIM and the Okta hook', () => {
  it('GIVEN the token and the secret THEN the banner names both, discovery needs the token, Okta is verified, and SIGTERM after a deactivation exits 0', async () => {
    const server = await startKickbot(
      ['serve'],
      { KICKBOT_SCIM_TOKEN: TOKEN, KICKBOT_OKTA_HOOK_SECRET: SECRET, PORT: '0' },
      READY,
    );
    const base = server.match[1] as string;
    const auth = { authorization: `Bearer ${TOKEN}` };
    const config = await request(`${base}/scim/v2/ServiceProviderConfig`, 'GET', undefined, auth);
    expect(config.status).toBe(200);
    expect(config.body.patch).toEqual({ supported: true });
    const refused = await request(`${base}/scim/v2/ServiceProviderConfig`, 'GET');
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '401',
    });
    const challenge = await request(`${base}/hooks/okta`, 'GET', undefined, {
      'x-okta-verification-challenge': 'abc123XYZ',
    });
    expect(challenge).toMatchObject({ status: 200, body: { verification: 'abc123XYZ' } });

    const json = { ...auth, 'content-type': 'application/scim+json' };
    const created = await request(`${base}/scim/v2/Users`, 'POST', oktaUser('bob@example.com'), json);
    expect(created.status).toBe(201);
    const off = await request(`${base}/scim/v2/Users/${created.body.id}`, 'PATCH', oktaActive(false), json);
    expect(off.status).toBe(200);
    expect(await server.stop()).toBe(0);
  });

  it('GIVEN a SCIM token shorter than 16 characters THEN serve exits 2 naming the variable, never its value', async () => {
    const run = await kickbot(['serve'], { env: { KICKBOT_SCIM_TOKEN: 'short-secret' } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('KICKBOT_SCIM_TOKEN');
    expect(run.stderr).not.toContain('short-secret');
  });
});
