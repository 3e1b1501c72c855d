import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminRig, startAdminRig } from '../helpers/admin-rig.js';

let rig: AdminRig;
beforeAll(async () => {
  rig = await startAdminRig();
});
afterAll(() => rig.close());

describe('the admin pages', () => {
  it('GIVEN a signed-in client THEN the overview shows the store', async () => {
    const client = await rig.signIn();
    const page = await client.get('/admin');
    expect(page.status).toBe(200);
    expect(page.text).toContain('memory');
  });
});
