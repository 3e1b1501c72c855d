import { afterEach } from 'vitest';
import type { Logger } from '../../src/core/index.js';
import { type HttpServer, startHttpServer } from '../../src/http/server.js';
import type { OffboardingRef, ScimActions, ScimPerson } from '../../src/scim/actions.js';
import { BackgroundWork } from '../../src/scim/BackgroundWork.js';
import { MemoryScimStore } from '../../src/scim/MemoryScimStore.js';
import { oktaHookRoutes } from '../../src/scim/okta-hook.js';
import { scimRoutes } from '../../src/scim/routes.js';
import type { ScimStore } from '../../src/scim/ScimStore.js';
import { type Logged, loggerTo } from '../helpers/log-capture.js';

export const TOKEN = 'scim-test-token-0123456789';
export const HOOK_SECRET = 'okta-hook-secret-0123456789';
export const SCIM_JSON = 'application/scim+json';

export type ActionCall =
  | { kind: 'offboard'; person: ScimPerson; key: string }
  | { kind: 'restore'; ref: OffboardingRef; person: ScimPerson; key: string };

/**
 * A recording ScimActions: people whose userName (or an email) is in `linked` are offboarded into a new case of
 * their workspace; anyone else is unlinked (undefined). `fail` makes every call reject; `hold` keeps offboard
 * calls pending until `release()`.
 */
export class RecordingActions implements ScimActions {
  readonly calls: ActionCall[] = [];
  readonly linked = new Map<string, string>([
    ['ada@example.com', 'console:demo'],
    ['bob@example.com', 'console:demo'],
  ]);
  fail = false;
  hold = false;
  #cases = 0;
  #held: (() => void)[] = [];

  async offboard(person: ScimPerson, key: string): Promise<OffboardingRef | undefined> {
    this.calls.push({ kind: 'offboard', person, key });
    if (this.hold) await new Promise<void>((resolve) => this.#held.push(resolve));
    if (this.fail)
      throw Object.assign(new Error(`could not offboard ${person.userName}`), { code: 'E_TEST' });
    const workspace = [person.userName, ...person.emails]
      .map((k) => this.linked.get(k.toLowerCase()))
      .find(Boolean);
    if (!workspace) return undefined;
    this.#cases += 1;
    return { workspace, caseId: this.#cases };
  }

  async restore(ref: OffboardingRef, person: ScimPerson, key: string): Promise<void> {
    this.calls.push({ kind: 'restore', ref, person, key });
    if (this.fail) throw new Error(`could not restore ${person.userName}`);
  }

  release(): void {
    this.hold = false;
    for (const resolve of this.#held.splice(0)) resolve();
  }

  of(kind: ActionCall['kind']): ActionCall[] {
    return this.calls.filter((c) => c.kind === kind);
  }
}

export interface Rig {
  url: string;
  store: ScimStore;
  actions: RecordingActions;
  work: BackgroundWork;
  logs: Logged[];
  /** A SCIM request with the bearer token and application/scim+json, unless `headers` say otherwise. */
  scim(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Answer>;
}

export interface Answer {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: test answers are read field by field
  body: any;
}

const servers: HttpServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

export async function request(
  url: string,
  method: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const res = await fetch(url, {
    method,
    headers,
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {}
  return { status: res.status, headers: res.headers, body: parsed };
}

/** kickbot's HTTP server with the SCIM routes and the Okta hook on 127.0.0.1:0, around a store and recording actions. */
export async function startScim(
  opts: { store?: ScimStore; actions?: RecordingActions; baseUrl?: string; hookHeader?: string } = {},
): Promise<Rig> {
  const store = opts.store ?? new MemoryScimStore();
  const actions = opts.actions ?? new RecordingActions();
  const work = new BackgroundWork();
  const logs: Logged[] = [];
  const logger: Logger = loggerTo((entry) => void logs.push(entry));
  const routes = {
    ...scimRoutes({
      token: TOKEN,
      store,
      actions,
      logger,
      work,
      ...(opts.baseUrl ? { baseUrl: opts.baseUrl } : {}),
    }),
    ...oktaHookRoutes({
      secret: HOOK_SECRET,
      store,
      actions,
      logger,
      work,
      ...(opts.hookHeader ? { header: opts.hookHeader } : {}),
    }),
  };
  const server = await startHttpServer({ port: 0, host: '127.0.0.1', routes, logger });
  servers.push(server);
  return {
    url: server.url,
    store,
    actions,
    work,
    logs,
    scim: (method, path, body, headers = {}) =>
      request(`${server.url}/scim/v2${path}`, method, body, {
        authorization: `Bearer ${TOKEN}`,
        ...(body === undefined ? {} : { 'content-type': SCIM_JSON }),
        ...headers,
      }),
  };
}

/** A POST /Users body as Okta sends it (its SCIM 2.0 app wizard's attribute set). */
export function oktaUser(login: string, oktaId = '00u1ab2cd3EF4gh5i6j7') {
  const [given = 'Ada', family = 'Lovelace'] = login.split('@')[0]?.split('.') ?? [];
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
    userName: login,
    name: { givenName: given, familyName: family },
    emails: [{ primary: true, value: login, type: 'work' }],
    displayName: `${given} ${family}`,
    locale: 'en-US',
    externalId: oktaId,
    groups: [],
    password: 'Okta-s3cret-password',
    active: true,
  };
}

/** A POST /Users body as Entra ID's provisioning service sends it (with the enterprise extension). */
export function entraUser(upn: string, objectId = '2c6cbd2a-21f9-4bb9-8f59-0a1d8b4d8b5c') {
  return {
    schemas: [
      'urn:ietf:params:scim:schemas:core:2.0:User',
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
    ],
    externalId: objectId,
    userName: upn,
    active: true,
    addresses: [{ primary: true, type: 'work', country: 'US' }],
    displayName: 'Ada Lovelace',
    emails: [{ primary: true, type: 'work', value: upn }],
    meta: { resourceType: 'User' },
    name: { familyName: 'Lovelace', givenName: 'Ada', formatted: 'Ada Lovelace' },
    phoneNumbers: [{ primary: true, type: 'mobile', value: '+1 555 0100' }],
    title: 'Engineer',
    'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': {
      department: 'Research',
      employeeNumber: '42',
    },
    roles: [],
  };
}

export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const oktaActive = (active: boolean) => ({
  schemas: [PATCH_OP],
  Operations: [{ op: 'replace', value: { active } }],
});
export const entraActive = (value: 'True' | 'False') => ({
  schemas: [PATCH_OP],
  Operations: [{ op: 'Replace', path: 'active', value }],
});
