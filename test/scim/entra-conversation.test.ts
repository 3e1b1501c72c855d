import { describe, expect, it } from 'vitest';
import { entraActive, entraUser, PATCH_OP, startScim } from './scim-rig.js';

/**
 * The conversation Entra ID's provisioning service holds (its SCIM guide and validator): match by userName (or
 * externalId), create with the enterprise extension, PATCH with capitalised ops and string booleans, DELETE.
 */
describe('SCIM as Entra ID provisions', () => {
  it('GIVEN a user assigned in Entra ID THEN match, create, patch, deactivate with "False" (offboard), delete answer as Entra expects', async () => {
    const rig = await startScim();
    rig.actions.linked.set('ada@contoso.com', 'slack:T1');
    const match = await rig.scim(
      'GET',
      `/Users?filter=${encodeURIComponent('userName eq "ada@contoso.com"')}`,
    );
    expect(match.body).toMatchObject({ totalResults: 0, Resources: [] });

    const created = await rig.scim('POST', '/Users', entraUser('ada@contoso.com'));
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    // What kickbot does not keep (phone numbers, title, the enterprise extension) is accepted and not stored.
    expect(Object.keys(created.body).sort()).toEqual(
      ['active', 'displayName', 'emails', 'externalId', 'id', 'meta', 'name', 'schemas', 'userName'].sort(),
    );
    const byExternal = await rig.scim(
      'GET',
      `/Users?filter=${encodeURIComponent('externalId eq "2c6cbd2a-21f9-4bb9-8f59-0a1d8b4d8b5c"')}`,
    );
    expect(byExternal.body).toMatchObject({
      totalResults: 1,
      Resources: [{ id, userName: 'ada@contoso.com' }],
    });

    const profile = await rig.scim('PATCH', `/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'Replace', path: 'displayName', value: 'Ada L.' },
        { op: 'Add', path: 'emails[type eq "work"].value', value: 'ada.l@contoso.com' },
        { op: 'Replace', path: 'name.givenName', value: 'Augusta' },
        {
          op: 'Add',
          path: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department',
          value: 'R&D',
        },
      ],
    });
    expect(profile.status).toBe(200);
    expect(profile.body).toMatchObject({
      displayName: 'Ada L.',
      emails: [{ type: 'work', value: 'ada.l@contoso.com', primary: true }],
      name: { givenName: 'Augusta', familyName: 'Lovelace' },
      active: true,
    });
    expect(profile.body).not.toHaveProperty(['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User']);
    await rig.work.settled();
    expect(rig.actions.calls).toEqual([]);

    const off = await rig.scim('PATCH', `/Users/${id}`, entraActive('False'));
    expect(off.status).toBe(200);
    expect(off.body.active).toBe(false);
    await rig.work.settled();
    expect(rig.actions.calls).toEqual([
      {
        kind: 'offboard',
        person: {
          id,
          userName: 'ada@contoso.com',
          externalId: '2c6cbd2a-21f9-4bb9-8f59-0a1d8b4d8b5c',
          emails: ['ada.l@contoso.com'],
        },
        key: `${id}:deactivated:3`,
      },
    ]);

    const deleted = await rig.scim('DELETE', `/Users/${id}`);
    expect(deleted.status).toBe(204);
    expect(deleted.body).toBeUndefined();
    await rig.work.settled();
    expect(rig.actions.of('offboard')).toHaveLength(1); // already inactive: deleting opens no second case
    const gone = await rig.scim('GET', `/Users/${id}`);
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '404',
      detail: `no User with id "${id}"`,
    });
    expect((await rig.scim('DELETE', `/Users/${id}`)).status).toBe(404);
  });

  it('GIVEN Entra ID deletes an active user THEN the person is offboarded once, under a key of that deletion', async () => {
    const rig = await startScim();
    const { body } = await rig.scim('POST', '/Users', entraUser('bob@example.com'));
    await Promise.all([rig.scim('DELETE', `/Users/${body.id}`), rig.scim('DELETE', `/Users/${body.id}`)]);
    await rig.work.settled();
    expect(rig.actions.calls).toEqual([
      {
        kind: 'offboard',
        person: expect.objectContaining({ id: body.id, userName: 'bob@example.com' }),
        key: `${body.id}:deleted`,
      },
    ]);
  });

  it('GIVEN Entra ID\'s no-path Replace with string booleans, or "True" to reactivate THEN they are read as booleans', async () => {
    const rig = await startScim();
    const { body } = await rig.scim('POST', '/Users', entraUser('ada@example.com'));
    const off = await rig.scim('PATCH', `/Users/${body.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Replace', value: { active: 'False', displayName: 'Gone' } }],
    });
    expect(off.body).toMatchObject({ active: false, displayName: 'Gone' });
    await rig.work.settled();
    const on = await rig.scim('PATCH', `/Users/${body.id}`, entraActive('True'));
    expect(on.body.active).toBe(true);
    await rig.work.settled();
    expect(rig.actions.calls.map((c) => c.kind)).toEqual(['offboard', 'restore']);
  });
});
