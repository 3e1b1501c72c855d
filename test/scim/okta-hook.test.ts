import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { HOOK_SECRET, oktaActive, oktaUser, request, startScim } from './scim-rig.js';

/** Okta's event hook request, as its Event Hooks guide shows it: a batch of System Log events. */
function oktaEvents(events: { uuid?: string; eventType?: string; target?: unknown[] }[]) {
  return {
    eventType: 'com.okta.event_hook',
    eventTypeVersion: '1.0',
    cloudEventsVersion: '0.1',
    source: 'https://example.okta.com/api/v1/eventHooks/whoql0HfiLGPWc8Hx0g4',
    eventId: randomUUID(),
    data: {
      events: events.map((e) => ({
        uuid: e.uuid ?? randomUUID(),
        published: '2026-01-01T12:00:00.000Z',
        eventType: e.eventType ?? 'user.lifecycle.deactivate',
        version: '0',
        displayMessage: 'Deactivate Okta user',
        severity: 'INFO',
        actor: { id: '00uadmin', type: 'User', alternateId: 'admin@example.com', displayName: 'Admin' },
        outcome: { result: 'SUCCESS', reason: null },
        target: e.target ?? [],
      })),
    },
    eventTime: '2026-01-01T12:00:01.000Z',
    contentType: 'application/json',
  };
}

const target = (id: string, login: string) => ({
  id,
  type: 'User',
  alternateId: login,
  displayName: 'Ada Lovelace',
  detailEntry: null,
});

const post = (url: string, body: unknown, headers: Record<string, string> = { authorization: HOOK_SECRET }) =>
  request(`${url}/hooks/okta`, 'POST', body, { 'content-type': 'application/json', ...headers });

describe('Okta event hook', () => {
  it('GIVEN Okta\'s one-time verification THEN the challenge is echoed as {"verification": …}; without one, 400', async () => {
    const rig = await startScim();
    const challenge = 'rMx0r9yQ6JaT2GGTqC5-NCdfVgOaE2MgFQt4JH8B';
    const res = await request(`${rig.url}/hooks/okta`, 'GET', undefined, {
      'x-okta-verification-challenge': challenge,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.body).toEqual({ verification: challenge });
    expect((await request(`${rig.url}/hooks/okta`, 'GET')).status).toBe(400);
    const hostile = await request(`${rig.url}/hooks/okta`, 'GET', undefined, {
      'x-okta-verification-challenge': '<script>',
    });
    expect(hostile.status).toBe(400);
    const wrong = await request(`${rig.url}/hooks/okta`, 'PUT');
    expect([wrong.status, wrong.headers.get('allow')]).toEqual([405, 'GET, POST']);
  });

  it('GIVEN a missing or wrong secret, or the secret in another header than configured THEN 401 and nothing runs', async () => {
    const rig = await startScim({ hookHeader: 'X-Okta-Secret' });
    const body = oktaEvents([{ target: [target('00u1', 'ada@example.com')] }]);
    expect((await post(rig.url, body, {})).status).toBe(401);
    expect((await post(rig.url, body, { 'x-okta-secret': `${HOOK_SECRET}x` })).status).toBe(401);
    expect((await post(rig.url, body, { authorization: HOOK_SECRET })).status).toBe(401);
    await rig.work.settled();
    expect(rig.actions.calls).toEqual([]);
    expect((await post(rig.url, body, { 'x-okta-secret': HOOK_SECRET })).status).toBe(200);
    await rig.work.settled();
    expect(rig.actions.calls).toHaveLength(1);
  });

  it('GIVEN a deactivate event for someone SCIM never provisioned THEN 200 at once and one offboarding keyed by the event; other events are ignored', async () => {
    const rig = await startScim();
    rig.actions.hold = true;
    const uuid = randomUUID();
    const res = await post(
      rig.url,
      oktaEvents([
        { eventType: 'user.session.start', target: [target('00u9', 'bob@example.com')] },
        {
          uuid,
          target: [
            { id: 'app1', type: 'AppInstance', alternateId: 'Slack' },
            target('00u1', 'ada@example.com'),
          ],
        },
      ]),
    );
    expect(res.status).toBe(200);
    rig.actions.release();
    await rig.work.settled();
    expect(rig.actions.calls).toEqual([
      {
        kind: 'offboard',
        person: { id: '00u1', userName: 'ada@example.com', emails: ['ada@example.com'] },
        key: `okta:${uuid}`,
      },
    ]);
  });

  it('GIVEN a redelivered event THEN the offboarding is asked again under the same key (the core opens no second case)', async () => {
    const rig = await startScim();
    const body = oktaEvents([{ target: [target('00u1', 'ada@example.com')] }]);
    await post(rig.url, body);
    await post(rig.url, body);
    await rig.work.settled();
    const keys = rig.actions.calls.map((c) => c.key);
    expect(keys).toHaveLength(2);
    expect(new Set(keys).size).toBe(1);
  });

  it('GIVEN a SCIM user Okta provisioned THEN the hook deactivates it through the same step as SCIM: hook, SCIM PATCH and a redelivery make one offboarding', async () => {
    const rig = await startScim();
    const { body: ada } = await request(
      `${rig.url}/scim/v2/Users`,
      'POST',
      oktaUser('ada@example.com', '00uAda'),
      {
        authorization: 'Bearer scim-test-token-0123456789',
        'content-type': 'application/scim+json',
      },
    );
    const body = oktaEvents([{ target: [target('00uAda', 'ada@example.com')] }]);
    expect((await post(rig.url, body)).status).toBe(200);
    await rig.work.settled();
    const user = await rig.store.get(ada.id);
    expect(user).toMatchObject({ active: false, offboarding: { caseId: 1 } });
    await post(rig.url, body);
    await request(`${rig.url}/scim/v2/Users/${ada.id}`, 'PATCH', oktaActive(false), {
      authorization: 'Bearer scim-test-token-0123456789',
      'content-type': 'application/scim+json',
    });
    await rig.work.settled();
    expect(rig.actions.calls).toEqual([
      {
        kind: 'offboard',
        person: {
          id: ada.id,
          userName: 'ada@example.com',
          externalId: '00uAda',
          emails: ['ada@example.com'],
        },
        key: `${ada.id}:deactivated:2`,
      },
    ]);
  });

  it('GIVEN a SCIM user matched by login only (another externalId) THEN it is the one deactivated', async () => {
    const rig = await startScim();
    const created = await request(
      `${rig.url}/scim/v2/Users`,
      'POST',
      oktaUser('Ada@Example.com', 'entra-object-id'),
      {
        authorization: 'Bearer scim-test-token-0123456789',
        'content-type': 'application/scim+json',
      },
    );
    await post(rig.url, oktaEvents([{ target: [target('00uAda', 'ada@example.com')] }]));
    await rig.work.settled();
    expect(rig.actions.calls).toEqual([expect.objectContaining({ key: `${created.body.id}:deactivated:2` })]);
  });

  it('GIVEN hostile bodies THEN clear 400s and nothing runs', async () => {
    const rig = await startScim();
    for (const [body, detail] of [
      ['{not json', 'the body is not JSON'],
      [{ data: {} }, 'not an Okta event hook: data.events: '],
      [{ data: { events: [{ eventType: 'user.lifecycle.deactivate', target: [] }] } }, 'data.events.0.uuid'],
      [oktaEvents(Array.from({ length: 101 }, () => ({}))), 'at most 100 events'],
      [oktaEvents([{ target: [{ id: 'x'.repeat(300), type: 'User' }] }]), 'data.events.0.target.0.id'],
    ] as const) {
      const res = await post(rig.url, body);
      expect(res.status, detail).toBe(400);
      expect(res.body.error).toContain(detail);
    }
    await rig.work.settled();
    expect(rig.actions.calls).toEqual([]);
  });
});
