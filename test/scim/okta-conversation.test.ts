import { describe, expect, it } from 'vitest';
import { oktaActive, oktaUser, startScim } from './scim-rig.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The conversation Okta's SCIM 2.0 provisioning holds (Okta's SCIM guide): look the user up by userName, create
 * them, read them back, push profile changes with PUT, deactivate and reactivate with PATCH `{"active": …}`.
 */
describe('SCIM as Okta provisions', () => {
  it('GIVEN a new person assigned in Okta THEN lookup, create, read, update, deactivate (offboard), reactivate (undo) answer as Okta expects', async () => {
    const rig = await startScim({ baseUrl: 'https://kickbot.example.org/' });
    const lookup = await rig.scim(
      'GET',
      `/Users?filter=${encodeURIComponent('userName eq "ada@example.com"')}&startIndex=1&count=100`,
    );
    expect(lookup.status).toBe(200);
    expect(lookup.headers.get('content-type')).toMatch(/^application\/scim\+json/);
    expect(lookup.body).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
      totalResults: 0,
      startIndex: 1,
      itemsPerPage: 0,
      Resources: [],
    });

    const created = await rig.scim('POST', '/Users', oktaUser('ada@example.com'));
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(id).toMatch(UUID);
    expect(created.headers.get('location')).toBe(`https://kickbot.example.org/scim/v2/Users/${id}`);
    expect(created.body).toEqual({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      id,
      externalId: '00u1ab2cd3EF4gh5i6j7',
      userName: 'ada@example.com',
      name: { givenName: 'ada', familyName: 'Lovelace' },
      displayName: 'ada Lovelace',
      emails: [{ primary: true, value: 'ada@example.com', type: 'work' }],
      active: true,
      meta: {
        resourceType: 'User',
        created: expect.any(String),
        lastModified: expect.any(String),
        location: `https://kickbot.example.org/scim/v2/Users/${id}`,
        version: 'W/"1"',
      },
    });
    expect(JSON.stringify(created.body)).not.toContain('Okta-s3cret-password');

    expect((await rig.scim('GET', `/Users/${id}`)).body).toEqual(created.body);
    const found = await rig.scim(
      'GET',
      `/Users?filter=${encodeURIComponent('userName eq "ADA@example.com"')}&startIndex=1&count=100`,
    );
    expect(found.body).toMatchObject({ totalResults: 1, itemsPerPage: 1, Resources: [{ id }] });

    const put = await rig.scim('PUT', `/Users/${id}`, {
      ...oktaUser('ada@example.com'),
      displayName: 'Ada L.',
      id,
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ displayName: 'Ada L.', active: true, meta: { version: 'W/"2"' } });

    const off = await rig.scim('PATCH', `/Users/${id}`, oktaActive(false));
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ id, active: false, meta: { version: 'W/"3"' } });
    await rig.work.settled();
    expect(rig.actions.calls).toEqual([
      {
        kind: 'offboard',
        person: {
          id,
          userName: 'ada@example.com',
          externalId: '00u1ab2cd3EF4gh5i6j7',
          emails: ['ada@example.com'],
        },
        key: `${id}:deactivated:3`,
      },
    ]);
    expect(await rig.store.get(id)).toMatchObject({ offboarding: { workspace: 'console:demo', caseId: 1 } });

    const on = await rig.scim('PATCH', `/Users/${id}`, oktaActive(true));
    expect(on.body).toMatchObject({ active: true, meta: { version: 'W/"4"' } });
    await rig.work.settled();
    expect(rig.actions.calls[1]).toEqual({
      kind: 'restore',
      ref: { workspace: 'console:demo', caseId: 1 },
      person: expect.objectContaining({ id }),
      key: `${id}:reactivated:4`,
    });

    await rig.scim('PATCH', `/Users/${id}`, oktaActive(false));
    await rig.work.settled();
    expect(rig.actions.of('offboard').map((c) => c.key)).toEqual([
      `${id}:deactivated:3`,
      `${id}:deactivated:5`,
    ]);
    expect(await rig.store.get(id)).toMatchObject({ offboarding: { caseId: 2 } });
  });

  it('GIVEN Okta pages through its users THEN startIndex and count page them, and a count over 200 is capped', async () => {
    const rig = await startScim();
    for (let i = 0; i < 5; i++) await rig.scim('POST', '/Users', oktaUser(`u${i}@example.com`, `00u${i}`));
    const page = await rig.scim('GET', '/Users?startIndex=2&count=2');
    expect(page.body).toMatchObject({ totalResults: 5, startIndex: 2, itemsPerPage: 2 });
    expect(page.body.Resources.map((r: { userName: string }) => r.userName)).toEqual([
      'u1@example.com',
      'u2@example.com',
    ]);
    const huge = await rig.scim('GET', '/Users?startIndex=0&count=99999999999999');
    expect(huge.status).toBe(200);
    expect(huge.body).toMatchObject({ totalResults: 5, startIndex: 1, itemsPerPage: 5 });
    expect((await rig.scim('GET', '/Users?count=-3')).body).toMatchObject({
      totalResults: 5,
      itemsPerPage: 0,
      Resources: [],
    });
  });
});
