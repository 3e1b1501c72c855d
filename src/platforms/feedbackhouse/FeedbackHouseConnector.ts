import {
  type Id,
  type Logger,
  localOf,
  type Metrics,
  type RemovalTarget,
  type RemoveResult,
  type Remover,
  type RoomInfo,
} from '../../core/index.js';
import { JsonHttp } from '../seed/http.js';
import { statusOutcome } from '../seed/statuses.js';
import { FEEDBACKHOUSE, isAreaAnswer, messageOf, resultsOf } from './answers.js';
import { removalBody } from './requests.js';

export interface FeedbackHouseOptions {
  /** The API's base URL (`https://api.feedback.house`). */
  url: string;
  /** An admin's API key (Admin Panel › Permissions › APIs). */
  apiKey: string;
  /** The header that carries the key; the docs do not name it, so `Authorization: Bearer <key>` unless set. */
  apiKeyHeader?: string;
  logger: Logger;
  /** Where its API calls, failures and rate-limit waits are recorded. */
  metrics?: Metrics;
  timeoutMs?: number;
}

const REMOVE_PATH = '/api/planning/area/v1/user-remove';

/**
 * feedback.house areas (`feedbackhouse:<areaId>`, a group) and their users (`feedbackhouse:<userId>`). Its API
 * has one call kickbot needs: remove users from areas, many areas per request, answered per area. It cannot
 * list an area's members or re-add anyone through kickbot, so every pair is tried and the answer decides:
 * `usersNotUpdated` is its "not a member". The call is documented idempotent, so the core may retry a 429 or a
 * 5xx as it is; the core also keeps to the documented 10 requests a second across replicas.
 */
export class FeedbackHouseConnector implements Remover {
  readonly system = 'feedbackhouse';
  readonly ratePerSecond = 10;
  readonly batch = { size: 1000, remove: (targets: readonly RemovalTarget[]) => this.#removeMany(targets) };

  readonly #http: JsonHttp;
  readonly #auth: Record<string, string>;
  readonly #logger: Logger;

  constructor(opts: FeedbackHouseOptions) {
    this.#http = new JsonHttp(opts.url, 'feedbackhouse', {
      metrics: opts.metrics,
      ...(opts.timeoutMs === undefined ? {} : { timeoutMs: opts.timeoutMs }),
      secrets: [{ value: opts.apiKey, as: '[api key]' }],
    });
    this.#auth = opts.apiKeyHeader
      ? { [opts.apiKeyHeader]: opts.apiKey }
      : { authorization: `Bearer ${opts.apiKey}` };
    this.#logger = opts.logger.child({ connector: 'feedbackhouse' });
  }

  /** The API has no area lookup: every area id is taken at its word, and an unknown one is found out on removal. */
  async room(id: Id): Promise<RoomInfo> {
    const areaId = localOf(id);
    return { id, name: areaId, type: 'group', owners: 0, label: `feedback.house area ${areaId}` };
  }

  async remove(target: RemovalTarget): Promise<RemoveResult> {
    const [result] = await this.#removeMany([target]);
    return result as RemoveResult;
  }

  /** One request for every target, whatever their areas; one result per target, in their order. */
  async #removeMany(targets: readonly RemovalTarget[]): Promise<RemoveResult[]> {
    if (targets.length === 0) return [];
    const res = await this.#http.request({
      method: 'POST',
      path: REMOVE_PATH,
      headers: this.#auth,
      body: removalBody(targets),
    });
    // Refused credentials first: nothing else in the answer can be trusted then.
    const byStatus = statusOutcome(FEEDBACKHOUSE, res.status);
    if (byStatus.code === 'unauthorized') return targets.map(() => byStatus);
    // The docs give no status for an answer with per-area errors, so one is read wherever it comes with one.
    if ((res.status >= 200 && res.status < 300) || isAreaAnswer(res.body)) {
      this.#logger.debug(
        { status: res.status, summary: messageOf(res.body), targets: targets.length },
        'feedback.house answered',
      );
      return resultsOf(targets, res.body);
    }
    // Its message is the whole reason of a refused request, where there is one.
    const failed = { ...byStatus, hint: messageOf(res.body) ?? byStatus.hint };
    return targets.map(() => failed);
  }
}
