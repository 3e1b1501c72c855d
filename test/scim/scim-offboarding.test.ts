import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisScimStore } from '../../src/scim/RedisScimStore.js';
import { type RedisServer, startRedisServer } from '../helpers/redis-server.js';
import { entraActive, oktaActive, oktaUser, RecordingActions, startScim } from './scim-rig.js';

let server: RedisServer;
const clients: Redis[] = [];
beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  for (const client of clients) await client.quit();
  await server.stop();
});
const client = () => {
  const c = new Redis(server.url, { maxRetriesPerRequest: 1 });
  clients.push(c);
  return c;
};

describe('SCIM deactivation offboards exactly once', () => {
  it('GIVEN a PATCH redelivered, and a second deactivation of an inactive user THEN offboard is called once', async () => {
    const rig = await startScim();
    const { body: ada } = await rig.scim('POST', '/Users', oktaUser('ada@example.com'));
    for (const body of [oktaActive(false), oktaActive(false), entraActive('False')]) {
      const res = await rig.scim('PATCH', `/Users/${ada.id}`, body);
      expect(res.status).toBe(200);
      expect(res.body.active).toBe(false);
    }
    expect(
      (await rig.scim('PUT', `/Users/${ada.id}`, { ...oktaUser('ada@example.com'), active: false })).status,
    ).toBe(200);
    await rig.work.settled();
    expect(rig.actions.calls).toEqual([
      expect.objectContaining({ kind: 'offboard', key: `${ada.id}:deactivated:2` }),
    ]);
  });

  it('GIVEN a PUT with active false (Okta apps without PATCH) THEN it offboards like a PATCH', async () => {
    const rig = await startScim();
    const { body: bob } = await rig.scim('POST', '/Users', oktaUser('bob@example.com'));
    const res = await rig.scim('PUT', `/Users/${bob.id}`, { ...oktaUser('bob@example.com'), active: false });
    expect(res.body).toMatchObject({ active: false, meta: { version: 'W/"2"' } });
    await rig.work.settled();
    expect(rig.actions.calls).toEqual([
      expect.objectContaining({
        kind: 'offboard',
        person: expect.objectContaining({ userName: 'bob@example.com' }),
      }),
    ]);
    const put = await rig.scim('PUT', `/Users/${bob.id}`, {
      ...oktaUser('bob@example.com'),
      active: undefined,
    });
    expect(put.body.active).toBe(false); // a PUT that leaves active out keeps it: never an offboarding by omission
  });

  it('GIVEN concurrent PATCHes to two replicas on one Redis THEN one offboarding, and every answer says inactive', async () => {
    const prefix = `kt-${randomUUID().slice(0, 8)}`;
    const actions = new RecordingActions();
    const one = await startScim({ store: new RedisScimStore(client(), { prefix }), actions });
    const two = await startScim({ store: new RedisScimStore(client(), { prefix }), actions });
    const { body: ada } = await one.scim('POST', '/Users', oktaUser('ada@example.com'));
    expect((await two.scim('GET', `/Users/${ada.id}`)).body.userName).toBe('ada@example.com');
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        (i % 2 ? one : two).scim('PATCH', `/Users/${ada.id}`, oktaActive(false)),
      ),
    );
    expect(answers.map((a) => [a.status, a.body.active])).toEqual(Array(10).fill([200, false]));
    await Promise.all([one.work.settled(), two.work.settled()]);
    expect(actions.of('offboard')).toEqual([expect.objectContaining({ key: `${ada.id}:deactivated:2` })]);
    expect(await one.store.get(ada.id)).toMatchObject({ offboarding: { caseId: 1 } });
  });

  it('GIVEN the answer THEN it comes before the offboarding is done (it runs in the background)', async () => {
    const rig = await startScim();
    rig.actions.hold = true;
    const { body: ada } = await rig.scim('POST', '/Users', oktaUser('ada@example.com'));
    const res = await rig.scim('PATCH', `/Users/${ada.id}`, oktaActive(false));
    expect(res.status).toBe(200);
    expect(rig.actions.of('offboard')).toHaveLength(1);
    expect((await rig.store.get(ada.id))?.offboarding).toBeUndefined(); // still running
    rig.actions.release();
    await rig.work.settled();
    expect((await rig.store.get(ada.id))?.offboarding).toEqual({ workspace: 'console:demo', caseId: 1 });
  });
});

describe('SCIM reactivation undoes the offboarding', () => {
  it('GIVEN a reactivation while the offboarding still runs THEN the case is undone as soon as it exists', async () => {
    const rig = await startScim();
    rig.actions.hold = true;
    const { body: ada } = await rig.scim('POST', '/Users', oktaUser('ada@example.com'));
    await rig.scim('PATCH', `/Users/${ada.id}`, oktaActive(false));
    await rig.scim('PATCH', `/Users/${ada.id}`, oktaActive(true));
    expect(rig.actions.of('restore')).toEqual([]); // no case yet to undo
    rig.actions.release();
    await rig.work.settled();
    expect(rig.actions.of('restore')).toEqual([
      expect.objectContaining({
        ref: { workspace: 'console:demo', caseId: 1 },
        key: `${ada.id}:deactivated:2:undo`,
      }),
    ]);
    expect((await rig.store.get(ada.id))?.offboarding).toBeUndefined();
  });

  it('GIVEN a user that nobody is linked to THEN it is stored and answered normally, and reactivating it undoes nothing', async () => {
    const rig = await startScim();
    const { body: eve } = await rig.scim('POST', '/Users', oktaUser('eve@example.com'));
    expect((await rig.scim('PATCH', `/Users/${eve.id}`, oktaActive(false))).body.active).toBe(false);
    await rig.work.settled();
    expect((await rig.scim('PATCH', `/Users/${eve.id}`, oktaActive(true))).body.active).toBe(true);
    await rig.work.settled();
    expect(rig.actions.calls.map((c) => c.kind)).toEqual(['offboard']);
    expect(rig.logs).toContainEqual(
      expect.objectContaining({ msg: 'scim: nobody is linked; no offboarding' }),
    );
  });

  it('GIVEN actions that fail THEN the SCIM answers are unchanged and the log names ids and the error, never the token or a name', async () => {
    const rig = await startScim();
    const { body: ada } = await rig.scim('POST', '/Users', oktaUser('ada@example.com'));
    rig.actions.fail = true;
    expect((await rig.scim('PATCH', `/Users/${ada.id}`, oktaActive(false))).status).toBe(200);
    await rig.work.settled();
    expect((await rig.scim('PATCH', `/Users/${ada.id}`, oktaActive(true))).status).toBe(200);
    expect((await rig.scim('DELETE', `/Users/${ada.id}`)).status).toBe(204);
    await rig.work.settled();
    const errors = rig.logs.filter((l) => l.level === 'error');
    expect(errors).toEqual([
      {
        level: 'error',
        obj: { scimUser: ada.id, key: `${ada.id}:deactivated:2`, error: 'Error', code: 'E_TEST' },
        msg: 'scim: offboarding failed',
      },
      expect.objectContaining({
        msg: 'scim: offboarding failed',
        obj: expect.objectContaining({ key: `${ada.id}:deleted` }),
      }),
    ]);
    const logged = JSON.stringify(rig.logs);
    expect(logged).not.toContain('ada@example.com');
    expect(logged).not.toContain('scim-test-token');
  });
});
