import type { FakeAnswer, FakeRequest } from '../seed/JsonFake.js';
import { SeedFake } from '../seed/SeedFake.js';

/**
 * A fake ONLYOFFICE DocSpace portal, as far as kickbot uses it: get a group, remove members from it, add members
 * to it (seed doc 002, anchors §2.1). What it answers:
 * - every answer in DocSpace's envelope: `{status:0, statusCode, count, response}` on success,
 *   `{status:1, statusCode, error:{message}}` on failure;
 * - `Authorization` must be exactly the API key (no `Bearer`), else 401 `Unauthorized`;
 * - a group id that is no UUID, or an unknown group, is a 404 (DocSpace routes `{id:guid}`);
 * - `GET /api/2.0/group/:id` answers the group; its `members` only with `includeMembers=true`, as DocSpace's
 *   "get a group with members" sample asks for them;
 * - `DELETE` and `PUT /api/2.0/group/:id/members` need a JSON body `{members: [uuid…]}` (no JSON content type:
 *   415; no body, a non-array or a non-UUID: 400); ids that are not members (DELETE) or no known user (PUT)
 *   are skipped without a word, and the answer is the group with its members as they are now.
 */

export interface FakeDocSpaceGroup {
  id: string;
  name: string;
  /** A user UUID. */
  manager?: string;
  members: Set<string>;
}

export interface FakeDocSpaceOptions {
  apiKey: string;
  /** Known users: UUID → display name. */
  users?: Record<string, string>;
  groups?: { id: string; name: string; manager?: string; members: string[] }[];
  /** What a removal answers: the group (the documented `GroupWrapper`) or `response: true` ("depending on configuration"). */
  removalAnswer?: 'group' | 'true';
}

export const DOCSPACE_ROUTES = {
  group: 'GET /api/2.0/group/:id',
  remove: 'DELETE /api/2.0/group/:id/members',
  add: 'PUT /api/2.0/group/:id/members',
} as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const ok = (response: unknown): FakeAnswer => ({
  status: 200,
  body: { status: 0, statusCode: 200, count: Array.isArray(response) ? response.length : 1, response },
});

/** DocSpace's error envelope. */
export const docSpaceError = (status: number, message: string): FakeAnswer => ({
  status,
  body: { status: 1, statusCode: status, error: { message } },
});

export class FakeDocSpace extends SeedFake {
  readonly groups = new Map<string, FakeDocSpaceGroup>();
  readonly users = new Map<string, string>();
  #apiKey: string | undefined;
  readonly #removalAnswer: 'group' | 'true';
  /** Members a removal leaves in place, to play a portal that keeps someone without saying why. */
  readonly #pinned = new Set<string>();
  /** Groups whose every call answers an error status (test control). */
  readonly #outages = new Map<string, number>();

  private constructor(opts: FakeDocSpaceOptions) {
    super();
    this.#apiKey = opts.apiKey;
    this.#removalAnswer = opts.removalAnswer ?? 'group';
    for (const [id, name] of Object.entries(opts.users ?? {})) this.users.set(id.toLowerCase(), name);
    for (const g of opts.groups ?? []) this.addGroup(g);
    this.http.route('GET', '/api/2.0/group/:id', (req) => this.#getGroup(req));
    this.http.route('DELETE', '/api/2.0/group/:id/members', (req) => this.#changeMembers(req, 'remove'));
    this.http.route('PUT', '/api/2.0/group/:id/members', (req) => this.#changeMembers(req, 'add'));
  }

  static async start(opts: FakeDocSpaceOptions): Promise<FakeDocSpace> {
    const fake = new FakeDocSpace(opts);
    await fake.http.listen();
    return fake;
  }

  /** Adds (or replaces) a group; its members become known users. */
  addGroup(g: { id: string; name: string; manager?: string; members: string[] }): void {
    const members = new Set(g.members.map((m) => m.toLowerCase()));
    for (const m of members) if (!this.users.has(m)) this.users.set(m, `User ${m.slice(0, 8)}`);
    this.groups.set(g.id.toLowerCase(), {
      id: g.id.toLowerCase(),
      name: g.name,
      ...(g.manager ? { manager: g.manager.toLowerCase() } : {}),
      members,
    });
  }

  isMember(groupId: string, userId: string): boolean {
    return this.groups.get(groupId.toLowerCase())?.members.has(userId.toLowerCase()) ?? false;
  }

  /** The API key no longer works: every call answers 401. */
  revoke(): void {
    this.#apiKey = undefined;
  }

  /** Removals skip this member of this group, yet answer 200 with the group (test control). */
  pin(groupId: string, userId: string): void {
    this.#pinned.add(`${groupId.toLowerCase()}/${userId.toLowerCase()}`);
  }

  /** Every call about this group answers `status` in the error envelope, until `outage(groupId)` clears it. */
  outage(groupId: string, status?: number): void {
    if (status === undefined) this.#outages.delete(groupId.toLowerCase());
    else this.#outages.set(groupId.toLowerCase(), status);
  }

  /** The next call to a route (`DOCSPACE_ROUTES`) answers this status in DocSpace's error envelope. */
  failNext(route: string, status: number, headers?: Record<string, string>): void {
    this.http.failNext(route, {
      ...docSpaceError(status, `Injected ${status}`),
      ...(headers ? { headers } : {}),
    });
  }

  #authorized(req: FakeRequest): boolean {
    return this.#apiKey !== undefined && req.headers.authorization === this.#apiKey;
  }

  #group(req: FakeRequest): FakeDocSpaceGroup | undefined {
    const id = req.params.id ?? '';
    return UUID.test(id) ? this.groups.get(id.toLowerCase()) : undefined;
  }

  /** The answer that comes before any reading of the request: the key, then an outage, then the group. */
  #refusal(req: FakeRequest): FakeAnswer | undefined {
    if (!this.#authorized(req)) return docSpaceError(401, 'Unauthorized');
    const outage = this.#outages.get((req.params.id ?? '').toLowerCase());
    if (outage !== undefined) return docSpaceError(outage, `Injected ${outage}`);
    if (!this.#group(req)) return docSpaceError(404, 'The group could not be found');
    return undefined;
  }

  #dto(g: FakeDocSpaceGroup, withMembers: boolean): Record<string, unknown> {
    const user = (id: string) => ({ id, displayName: this.users.get(id) ?? '' });
    return {
      id: g.id,
      name: g.name,
      isLDAP: false,
      ...(g.manager ? { manager: user(g.manager) } : {}),
      ...(withMembers ? { members: [...g.members].map(user) } : {}),
    };
  }

  #getGroup(req: FakeRequest): FakeAnswer {
    const refused = this.#refusal(req);
    const g = this.#group(req);
    if (refused || !g) return refused ?? docSpaceError(404, 'The group could not be found');
    return ok(this.#dto(g, req.query.get('includeMembers')?.toLowerCase() === 'true'));
  }

  #changeMembers(req: FakeRequest, change: 'add' | 'remove'): FakeAnswer {
    const refused = this.#refusal(req);
    const g = this.#group(req);
    if (refused || !g) return refused ?? docSpaceError(404, 'The group could not be found');
    if (!String(req.headers['content-type'] ?? '').startsWith('application/json'))
      return docSpaceError(415, 'Unsupported Media Type');
    const members = (req.body as { members?: unknown } | undefined)?.members;
    if (!Array.isArray(members) || !members.every((m) => typeof m === 'string' && UUID.test(m)))
      return docSpaceError(400, 'The members field must be an array of user ids');
    for (const raw of members as string[]) {
      const m = raw.toLowerCase();
      if (change === 'add' && this.users.has(m)) g.members.add(m);
      if (change === 'remove' && !this.#pinned.has(`${g.id}/${m}`)) g.members.delete(m);
    }
    return change === 'remove' && this.#removalAnswer === 'true' ? ok(true) : ok(this.#dto(g, true));
  }
}
