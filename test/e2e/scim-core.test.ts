import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readEnv } from '../../src/cli/env.js';
import { createRuntime, type Runtime } from '../../src/cli/runtime.js';
import { parseConfig } from '../../src/config/config-file.js';
import { type AuditRecord, SCIM_ACTOR, silentLogger } from '../../src/core/index.js';
import { type HttpServer, startHttpServer } from '../../src/http/server.js';
import { BackgroundWork } from '../../src/scim/BackgroundWork.js';
import { coreActions, SCIM_REASON } from '../../src/scim/core-actions.js';
import { MemoryScimStore } from '../../src/scim/MemoryScimStore.js';
import { oktaHookRoutes } from '../../src/scim/okta-hook.js';
import { scimRoutes } from '../../src/scim/routes.js';
import { entraActive, entraUser, oktaActive, oktaUser, request } from '../scim/scim-rig.js';

/**
 * The identity provider through kickbot's real core: SCIM and the Okta hook on the demo workspace (whose users
 * carry `email:`) and a config identity with an email. A deactivation offboards the linked person everywhere as
 * "identity provider", in the background, in one case; a redelivery opens none; a reactivation undoes it; an
 * unlinked user opens none; protected people are still refused.
 */

const TOKEN = 'scim-e2e-token-0123456789';
const SECRET = 'okta-e2e-secret-0123456789';
const CONFIG = `
identities:
  - { email: Erin.Example@Corp.example, console: erin }
`;

let runtime: Runtime;
let server: HttpServer;
let work: BackgroundWork;

beforeEach(async () => {
  runtime = await createRuntime({
    env: readEnv({}),
    config: parseConfig(CONFIG, 'kickbot.yaml'),
    logger: silentLogger,
    worker: false,
    console: { workspaceFile: 'examples/demo-workspace.yaml' },
  });
  work = new BackgroundWork();
  const store = new MemoryScimStore();
  const platforms = new Map(runtime.fronts.map((f) => [f.name, f.workspace]));
  const actions = coreActions({ core: runtime.core, platforms, logger: silentLogger });
  const deps = { store, actions, logger: silentLogger, work };
  server = await startHttpServer({
    port: 0,
    host: '127.0.0.1',
    routes: { ...scimRoutes({ token: TOKEN, ...deps }), ...oktaHookRoutes({ secret: SECRET, ...deps }) },
  });
});

afterEach(async () => {
  await server.close();
  await runtime.close();
});

const scim = (method: string, path: string, body?: unknown) =>
  request(`${server.url}/scim/v2${path}`, method, body, {
    authorization: `Bearer ${TOKEN}`,
    ...(body === undefined ? {} : { 'content-type': 'application/scim+json' }),
  });

async function provision(body: unknown): Promise<string> {
  const created = await scim('POST', '/Users', body);
  expect(created.status).toBe(201);
  return created.body.id as string;
}

const audit = () => runtime.store.readAudit({ workspace: 'console:demo' });
const cases = (records: AuditRecord[]) => [...new Set(records.map((r) => r.caseId))].sort();
const removedRooms = (records: AuditRecord[], caseId: number) =>
  records
    .filter((r) => r.caseId === caseId && r.outcome === 'removed')
    .map((r) => r.room)
    .sort();

describe('SCIM and the Okta hook through the core', () => {
  it('GIVEN Okta deactivates bob THEN one offboarding case by the identity provider; a redelivery opens none; reactivating undoes it', async () => {
    const id = await provision(oktaUser('bob@example.com', '00ubob'));
    const off = await scim('PATCH', `/Users/${id}`, oktaActive(false));
    expect(off.status).toBe(200);
    expect(off.body.active).toBe(false);
    await work.settled();
    const first = await audit();
    expect(cases(first)).toEqual([1]);
    expect(new Set(first.map((r) => [r.action, r.actor, r.reason].join(' ')))).toEqual(
      new Set([`offboard ${SCIM_ACTOR} ${SCIM_REASON}`]),
    );
    expect(removedRooms(first, 1)).toEqual([
      'console:general',
      'console:group/payments',
      'console:random',
      'console:secret',
    ]);

    expect((await scim('PATCH', `/Users/${id}`, oktaActive(false))).status).toBe(200);
    await work.settled();
    expect(cases(await audit())).toEqual([1]);

    expect((await scim('PATCH', `/Users/${id}`, oktaActive(true))).status).toBe(200);
    await work.settled();
    const undone = (await audit()).filter((r) => r.action === 'restore');
    expect(new Set(undone.map((r) => `${r.undoOf} ${r.outcome} ${r.actor}`))).toEqual(
      new Set([`1 restored ${SCIM_ACTOR}`]),
    );
    expect(undone).toHaveLength(4);
  });

  it('GIVEN Entra ID deactivates a person linked by a config identity email (any case) THEN they are offboarded', async () => {
    const id = await provision(entraUser('erin.example@corp.example'));
    expect((await scim('PATCH', `/Users/${id}`, entraActive('False'))).status).toBe(200);
    await work.settled();
    const records = await audit();
    expect(new Set(records.map((r) => r.target))).toEqual(new Set(['console:erin']));
    expect(removedRooms(records, 1)).toEqual(['console:general', 'console:group/support', 'console:random']);
  });

  it('GIVEN an unlinked SCIM user THEN it is stored and answered, and deactivating or deleting it opens no case', async () => {
    const id = await provision(oktaUser('nobody@corp.example', '00unobody'));
    expect((await scim('PATCH', `/Users/${id}`, oktaActive(false))).status).toBe(200);
    expect((await scim('DELETE', `/Users/${id}`)).status).toBe(204);
    await work.settled();
    expect(await audit()).toEqual([]);
  });

  it('GIVEN the workspace owner is deactivated THEN every pair is refused protected, in a case', async () => {
    const id = await provision(oktaUser('ada@example.com', '00uada'));
    expect((await scim('DELETE', `/Users/${id}`)).status).toBe(204);
    await work.settled();
    const records = await audit();
    expect(records.length).toBeGreaterThan(0);
    expect(records.filter((r) => r.outcome === 'removed')).toEqual([]);
    expect(records.filter((r) => r.code === 'protected').length).toBeGreaterThan(0);
  });

  it('GIVEN the Okta hook deactivates carol (never provisioned) THEN she is offboarded once, even when Okta sends the event again', async () => {
    const event = {
      eventType: 'com.okta.event_hook',
      data: {
        events: [
          {
            uuid: randomUUID(),
            eventType: 'user.lifecycle.deactivate',
            target: [
              { id: '00ucarol', type: 'User', alternateId: 'carol@example.com', displayName: 'Carol' },
            ],
          },
        ],
      },
    };
    const send = () =>
      request(`${server.url}/hooks/okta`, 'POST', event, {
        authorization: SECRET,
        'content-type': 'application/json',
      });
    expect((await send()).status).toBe(200);
    await work.settled();
    expect((await send()).status).toBe(200);
    await work.settled();
    const records = await audit();
    expect(cases(records)).toEqual([1]);
    expect(removedRooms(records, 1)).toEqual([
      'console:design',
      'console:general',
      'console:group/payments',
      'console:random',
    ]);
  });
});
