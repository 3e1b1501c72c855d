import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { oktaActive, oktaUser, PATCH_OP, request, startScim, TOKEN } from './scim-rig.js';

const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const q = (filter: string) => `/Users?filter=${encodeURIComponent(filter)}`;

describe('SCIM: who may call', () => {
  it.each([
    ['no Authorization header', {}],
    ['a wrong token', { authorization: 'Bearer not-the-token-at-all' }],
    ['the token with another scheme', { authorization: `Basic ${TOKEN}` }],
    ['the token with something after it', { authorization: `Bearer ${TOKEN} x` }],
  ])(
    'GIVEN %s THEN 401 with a SCIM error and WWW-Authenticate, on every endpoint, before anything else',
    async (_what, headers) => {
      const rig = await startScim();
      for (const [method, path] of [
        ['GET', '/Users'],
        ['POST', '/Users'],
        ['GET', '/ServiceProviderConfig'],
        ['DELETE', `/Users/${randomUUID()}`],
        ['TRACE', '/Nowhere'],
      ] as const) {
        const res = await request(
          `${rig.url}/scim/v2${path}`,
          method === 'TRACE' ? 'PUT' : method,
          undefined,
          headers,
        );
        expect(res.status, `${method} ${path}`).toBe(401);
        expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
        expect(res.headers.get('content-type')).toMatch(/^application\/scim\+json/);
        expect(res.body).toEqual({
          schemas: [ERROR],
          status: '401',
          detail: 'missing or wrong bearer token (Authorization: Bearer …)',
        });
      }
    },
  );

  it('GIVEN the bearer scheme in another case THEN the token is accepted (RFC 9110: schemes are case-insensitive)', async () => {
    const rig = await startScim();
    expect(
      (await request(`${rig.url}/scim/v2/Users`, 'GET', undefined, { authorization: `bearer ${TOKEN}` }))
        .status,
    ).toBe(200);
  });
});

describe('SCIM: requests kickbot refuses, and how', () => {
  it('GIVEN filters it cannot parse or attributes it does not keep THEN 400 invalidFilter saying what is wrong', async () => {
    const rig = await startScim();
    for (const [filter, detail] of [
      ['userName eq', /is not a SCIM filter/],
      ['userName xx "a"', /is not a SCIM filter/],
      ['((((((', /is not a SCIM filter/],
      ['title eq "Engineer"', /names "title", which kickbot does not keep/],
      [
        'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "x"',
        /which kickbot does not keep/,
      ],
      ['emails[display eq "x"]', /names "display"/],
      ['userName eq "x" or '.repeat(200), /longer than 2048 characters/],
    ] as const) {
      const res = await rig.scim('GET', q(filter));
      expect(res.status, filter).toBe(400);
      expect(res.body).toEqual({
        schemas: [ERROR],
        status: '400',
        scimType: 'invalidFilter',
        detail: expect.stringMatching(detail),
      });
    }
  });

  it('GIVEN paging parameters that are not numbers THEN 400 invalidValue naming the parameter', async () => {
    const rig = await startScim();
    const res = await rig.scim('GET', '/Users?startIndex=one');
    expect(res.body).toEqual({
      schemas: [ERROR],
      status: '400',
      scimType: 'invalidValue',
      detail: 'startIndex must be a whole number, got "one"',
    });
    expect((await rig.scim('GET', '/Users?count=1e9')).body.detail).toBe(
      'count must be a whole number, got "1e9"',
    );
  });

  it('GIVEN a userName already there (in any case) THEN 409 uniqueness, and the first user stays', async () => {
    const rig = await startScim();
    expect((await rig.scim('POST', '/Users', oktaUser('ada@example.com'))).status).toBe(201);
    const again = await rig.scim('POST', '/Users', oktaUser('ADA@example.com', '00uOther'));
    expect(again.status).toBe(409);
    expect(again.body).toEqual({
      schemas: [ERROR],
      status: '409',
      scimType: 'uniqueness',
      detail: 'a User with userName "ADA@example.com" already exists',
    });
    const bob = await rig.scim('POST', '/Users', oktaUser('bob@example.com', '00uBob'));
    const rename = await rig.scim('PUT', `/Users/${bob.body.id}`, oktaUser('Ada@Example.com', '00uBob'));
    expect(rename).toMatchObject({ status: 409, body: { scimType: 'uniqueness' } });
    expect((await rig.scim('GET', '/Users')).body.totalResults).toBe(2);
  });

  it('GIVEN a body that is not SCIM JSON THEN 415 for another media type, 400 invalidSyntax for bad JSON, 400 invalidValue naming the attribute', async () => {
    const rig = await startScim();
    const form = await rig.scim('POST', '/Users', 'userName=ada', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(form.status).toBe(415);
    expect(form.body).toMatchObject({
      schemas: [ERROR],
      status: '415',
      detail: expect.stringContaining('application/scim+json'),
    });
    expect(
      (
        await rig.scim('POST', '/Users', oktaUser('a@example.com'), {
          'content-type': 'application/json; charset=utf-8',
        })
      ).status,
    ).toBe(201);
    for (const raw of ['{"userName": ', '[1,2]', '"ada"', 'null']) {
      const res = await rig.scim('POST', '/Users', raw);
      expect(res.status, raw).toBe(400);
      expect(res.body.scimType).toBe('invalidSyntax');
    }
    const cases: [unknown, string][] = [
      [{ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'] }, 'userName: required'],
      [{ ...oktaUser('x@example.com'), userName: 7 }, 'userName: must be a string'],
      [{ ...oktaUser('x@example.com'), userName: '   ' }, 'userName: must not be empty'],
      [{ ...oktaUser('x@example.com'), userName: 'a'.repeat(257) }, 'userName: at most 256 characters'],
      [{ ...oktaUser('x@example.com'), schemas: ['urn:example'] }, 'schemas: must include'],
      [{ ...oktaUser('x@example.com'), active: 'maybe' }, 'active: '],
      [
        { ...oktaUser('x@example.com'), displayName: 'x'.repeat(1025) },
        'displayName: at most 1024 characters',
      ],
      [
        { ...oktaUser('x@example.com'), emails: Array(21).fill({ value: 'a@b.c' }) },
        'emails: at most 20 emails',
      ],
    ];
    for (const [body, detail] of cases) {
      const res = await rig.scim('POST', '/Users', body);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ scimType: 'invalidValue', detail: expect.stringContaining(detail) });
    }
  });

  it('GIVEN methods an endpoint does not take THEN 405 with Allow, as a SCIM error', async () => {
    const rig = await startScim();
    const id = randomUUID();
    for (const [method, path, allow] of [
      ['DELETE', '/Users', 'GET, POST'],
      ['PUT', '/Users', 'GET, POST'],
      ['POST', `/Users/${id}`, 'GET, PUT, PATCH, DELETE'],
      ['POST', '/ServiceProviderConfig', 'GET'],
      ['DELETE', '/Schemas', 'GET'],
      ['PATCH', '/ResourceTypes/User', 'GET'],
    ] as const) {
      const res = await rig.scim(method, path);
      expect(res.status, `${method} ${path}`).toBe(405);
      expect(res.headers.get('allow')).toBe(allow);
      expect(res.body).toMatchObject({ schemas: [ERROR], status: '405' });
    }
  });

  it('GIVEN ids and paths kickbot never minted THEN 404 as a SCIM error, with no store lookup of what was sent', async () => {
    const rig = await startScim();
    for (const path of [
      '/Users/42',
      '/Users/..%2F..%2Fetc',
      `/Users/${randomUUID()}`,
      '/Groups',
      '/Bulk',
      '/Users/a/b',
      '',
      '/Schemas/%E0%A4%A',
    ]) {
      const res = await rig.scim('GET', path);
      expect(res.status, path).toBe(404);
      expect(res.body).toMatchObject({ schemas: [ERROR], status: '404' });
    }
  });

  it('GIVEN PATCH bodies that are not PatchOps, or ops that cannot apply THEN 400 with the RFC 7644 scimType', async () => {
    const rig = await startScim();
    const { body: ada } = await rig.scim('POST', '/Users', oktaUser('ada@example.com'));
    const patch = (body: unknown) => rig.scim('PATCH', `/Users/${ada.id}`, body);
    expect((await patch({ Operations: [{ op: 'replace', value: { active: false } }] })).body).toMatchObject({
      status: '400',
      scimType: 'invalidSyntax',
      detail: expect.stringContaining(
        'schemas: must include "urn:ietf:params:scim:api:messages:2.0:PatchOp"',
      ),
    });
    expect(
      (await patch({ schemas: [PATCH_OP], Operations: [{ op: 'move', path: 'active' }] })).body,
    ).toMatchObject({
      scimType: 'invalidSyntax',
      detail: expect.stringContaining('one of add, remove, replace'),
    });
    expect((await patch({ schemas: [PATCH_OP], Operations: [] })).body.detail).toContain(
      'at least one operation',
    );
    expect((await patch({ schemas: [PATCH_OP], Operations: [{ op: 'remove' }] })).body).toMatchObject({
      status: '400',
      scimType: 'noTarget',
    });
    expect(
      (
        await patch({
          schemas: [PATCH_OP],
          Operations: [{ op: 'replace', path: 'active', value: 'perhaps' }],
        })
      ).body,
    ).toMatchObject({
      scimType: 'invalidValue',
      detail: expect.stringContaining('after the patch, active:'),
    });
    expect(
      (await patch({ schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'id', value: randomUUID() }] }))
        .body,
    ).toMatchObject({
      scimType: 'mutability',
    });
    expect(
      (await patch({ schemas: [PATCH_OP], Operations: [{ op: 'remove', path: 'userName' }] })).body,
    ).toMatchObject({
      scimType: 'invalidValue',
      detail: expect.stringContaining('userName'),
    });
    expect((await rig.scim('PATCH', `/Users/${randomUUID()}`, oktaActive(false))).status).toBe(404);
    expect((await rig.scim('GET', `/Users/${ada.id}`)).body).toMatchObject({
      active: true,
      meta: { version: 'W/"1"' },
    });
  });

  it('GIVEN PATCH paths or values that name __proto__ or constructor THEN 400 invalidPath, and no object prototype changes', async () => {
    const rig = await startScim();
    const { body: ada } = await rig.scim('POST', '/Users', oktaUser('ada@example.com'));
    for (const op of [
      { op: 'add', path: '__proto__.polluted', value: 'yes' },
      { op: 'replace', path: 'name.constructor.prototype.polluted', value: 'yes' },
      { op: 'add', value: JSON.parse('{"__proto__": {"polluted": "yes"}}') },
      { op: 'add', path: 'name', value: { constructor: { prototype: { polluted: 'yes' } } } },
    ]) {
      const res = await rig.scim('PATCH', `/Users/${ada.id}`, { schemas: [PATCH_OP], Operations: [op] });
      expect(res.status, JSON.stringify(op)).toBe(400);
      expect(res.body.scimType).toBe('invalidPath');
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('GIVEN a body over the server cap THEN 413 before the SCIM handler reads it', async () => {
    const rig = await startScim();
    const res = await rig.scim('POST', '/Users', {
      ...oktaUser('a@example.com'),
      padding: 'x'.repeat(1024 * 1024),
    });
    expect(res.status).toBe(413);
  });
});
