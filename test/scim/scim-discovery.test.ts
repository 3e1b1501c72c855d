import { describe, expect, it } from 'vitest';
import { startScim } from './scim-rig.js';

describe('SCIM discovery', () => {
  it('GIVEN the discovery endpoints THEN ServiceProviderConfig, ResourceTypes and Schemas describe what kickbot does', async () => {
    const rig = await startScim({ baseUrl: 'https://kickbot.example.org' });
    const config = await rig.scim('GET', '/ServiceProviderConfig');
    expect(config.status).toBe(200);
    expect(config.body).toMatchObject({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
      patch: { supported: true },
      bulk: { supported: false },
      filter: { supported: true, maxResults: 200 },
      changePassword: { supported: false },
      sort: { supported: false },
      etag: { supported: false },
      authenticationSchemes: [expect.objectContaining({ type: 'oauthbearertoken', primary: true })],
    });
    const types = await rig.scim('GET', '/ResourceTypes');
    expect(types.body).toMatchObject({
      totalResults: 1,
      Resources: [{ id: 'User', endpoint: '/Users', schema: 'urn:ietf:params:scim:schemas:core:2.0:User' }],
    });
    expect((await rig.scim('GET', '/ResourceTypes/User')).body).toEqual(types.body.Resources[0]);
    const schemas = await rig.scim('GET', '/Schemas');
    const user = schemas.body.Resources[0];
    expect(user.id).toBe('urn:ietf:params:scim:schemas:core:2.0:User');
    expect(user.attributes.map((a: { name: string }) => a.name)).toEqual([
      'userName',
      'externalId',
      'name',
      'displayName',
      'emails',
      'active',
    ]);
    expect(user.attributes[0]).toMatchObject({ required: true, uniqueness: 'server', caseExact: false });
    expect(user.attributes[1]).toMatchObject({ caseExact: true });
    expect((await rig.scim('GET', '/Schemas/urn:ietf:params:scim:schemas:core:2.0:User')).body).toEqual(user);
    expect(user.meta.location).toBe(
      'https://kickbot.example.org/scim/v2/Schemas/urn:ietf:params:scim:schemas:core:2.0:User',
    );
  });
});
