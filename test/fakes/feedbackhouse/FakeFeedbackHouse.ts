import { type FakeAnswer, type FakeRequest, JsonFake, type RecordedCall } from '../seed/JsonFake.js';

/**
 * feedback.house's Area API as its seed document describes it (`POST /api/planning/area/v1/user-remove`, see
 * anchors §2.3), and nothing more: an admin API key on every request, JSON only, 10 MB at most, 10 requests a
 * second, each area of a batch judged on its own, users not in an area reported in `usersNotUpdated`.
 * The docs do not name the key's header, give no status for an answer with errors, and no wording for an
 * unknown area; this fake takes `Authorization: Bearer <key>` (or the configured header), answers 200 with
 * `status: 'ERROR'`, and says 'Area not found'.
 */

export const REMOVE_ROUTE = 'POST /api/planning/area/v1/user-remove';
const MAX_BYTES = 10 * 1024 * 1024;
const AREA_ID = /^[0-9a-f]{24}$/;

export interface FakeFeedbackHouseOptions {
  apiKey: string;
  /** The header the key must come in; default `Authorization: Bearer <key>`. */
  apiKeyHeader?: string;
  /** Requests allowed per fixed one-second window (default 10, the documented limit). */
  limitPerSecond?: number;
  /** The fake's clock for the rate limit, so that tests can move time instead of sleeping. */
  now?: () => number;
}

interface AreaError {
  data: { areaId?: unknown; users: unknown };
  message: string;
}

interface AreaData {
  areaId: string;
  users: string[];
  usersNotUpdated: string[];
}

const refused = (status: number, message: string): FakeAnswer => ({
  status,
  body: { status: 'ERROR', message },
});

export class FakeFeedbackHouse extends JsonFake {
  readonly #areas = new Map<string, Set<string>>();
  readonly #opts: FakeFeedbackHouseOptions;
  readonly #now: () => number;
  #revoked = false;
  #window = Number.NaN;
  #inWindow = 0;

  private constructor(opts: FakeFeedbackHouseOptions) {
    super();
    this.#opts = opts;
    this.#now = opts.now ?? Date.now;
    this.route('POST', '/api/planning/area/v1/user-remove', (req) => this.#remove(req));
  }

  static async start(opts: FakeFeedbackHouseOptions): Promise<FakeFeedbackHouse> {
    return new FakeFeedbackHouse(opts).listen();
  }

  /** An area with these users in it (ids are MongoDB ObjectIds, as the API's are). */
  addArea(areaId: string, users: readonly string[] = []): void {
    if (!AREA_ID.test(areaId)) throw new Error(`not an ObjectId: ${areaId}`);
    this.#areas.set(areaId, new Set(users));
  }

  isMember(areaId: string, userId: string): boolean {
    return this.#areas.get(areaId)?.has(userId) ?? false;
  }

  /** The key is revoked in the Admin Panel: every request is refused from now on. */
  revoke(): void {
    this.#revoked = true;
  }

  /** The removal requests received so far. */
  removals(): RecordedCall[] {
    return this.callsTo(REMOVE_ROUTE);
  }

  #limited(): boolean {
    const window = Math.floor(this.#now() / 1000);
    if (window !== this.#window) {
      this.#window = window;
      this.#inWindow = 0;
    }
    this.#inWindow += 1;
    return this.#inWindow > (this.#opts.limitPerSecond ?? 10);
  }

  #authorized(req: FakeRequest): boolean {
    if (this.#revoked) return false;
    const { apiKey, apiKeyHeader } = this.#opts;
    return apiKeyHeader
      ? req.headers[apiKeyHeader.toLowerCase()] === apiKey
      : req.headers.authorization === `Bearer ${apiKey}`;
  }

  #remove(req: FakeRequest): FakeAnswer {
    if (this.#limited()) return { ...refused(429, 'Too many requests'), headers: { 'retry-after': '1' } };
    if (!this.#authorized(req)) return refused(401, 'Invalid API key');
    if (Buffer.byteLength(req.raw) > MAX_BYTES) return refused(413, 'Request larger than 10 MB');
    if (!String(req.headers['content-type']).startsWith('application/json'))
      return refused(400, 'Content-Type must be application/json');
    const body = req.body as { areaUsersRemove?: unknown } | undefined;
    if (typeof body !== 'object' || body === null || !Array.isArray(body.areaUsersRemove))
      return refused(400, 'areaUsersRemove must be an array of areas');

    const data: AreaData[] = [];
    const errors: AreaError[] = [];
    for (const item of body.areaUsersRemove as unknown[]) {
      const { areaId, users } = (typeof item === 'object' && item !== null ? item : {}) as {
        areaId?: unknown;
        users?: unknown;
      };
      if (typeof areaId !== 'string' || !areaId) {
        errors.push({ data: { users: users ?? [] }, message: 'Missing areaId' });
        continue;
      }
      if (!Array.isArray(users) || users.length === 0) {
        errors.push({ data: { areaId, users: [] }, message: 'Missing users' });
        continue;
      }
      if (!users.every((u): u is string => typeof u === 'string' && u.length > 0)) {
        errors.push({ data: { areaId, users }, message: 'Invalid users' });
        continue;
      }
      const members = this.#areas.get(areaId);
      if (!members) {
        errors.push({ data: { areaId, users }, message: 'Area not found' });
        continue;
      }
      const removed = users.filter((u) => members.delete(u));
      data.push({ areaId, users: removed, usersNotUpdated: users.filter((u) => !removed.includes(u)) });
    }
    const updated = data.reduce((n, d) => n + d.users.length, 0);
    const notUpdated = data.reduce((n, d) => n + d.usersNotUpdated.length, 0);
    return {
      status: 200,
      body: {
        data,
        errors,
        message: `Updated ${updated} | Not Updated ${notUpdated} | Errors ${errors.length}`,
        status: errors.length === 0 ? 'OK' : 'ERROR',
      },
    };
  }
}
