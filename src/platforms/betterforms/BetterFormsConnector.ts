import {
  ConnectorError,
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
import { failedBy } from '../seed/statuses.js';
import { type ChannelAnswer, readAnswer } from './answers.js';
import { type ChannelMode, removeUserBody } from './requests.js';

/** A channel as an area's targets name it (`TargetSchema`'s betterforms entry). */
export interface BetterFormsTarget {
  channel: string;
  /** The mode sent with the removal; `ignore` when left out. */
  mode?: ChannelMode;
  /** Only the user's own browser tab can leave an anonymous channel. */
  anonymous?: boolean;
}

export interface BetterFormsOptions {
  /** The BetterForms portal, `https://portal.yourdomain.com`. */
  url: string;
  /** The API key generated for the BF app; it travels in the request body, never in a header or a message. */
  apiKey: string;
  targets?: readonly BetterFormsTarget[];
  logger: Logger;
  /** Where its API calls, failures and rate-limit waits are recorded. */
  metrics?: Metrics;
  timeoutMs?: number;
}

const REMOVE_USER = '/message/removeuser';

const ANONYMOUS = {
  code: 'anonymous-channel',
  hint: 'only the user’s own browser tab can leave an anonymous BetterForms channel (channelLeaveAnon)',
} as const;

interface ChannelSettings {
  mode: ChannelMode;
  anonymous: boolean;
}

/**
 * FM BetterForms channels (anchors §2.4). Rooms are channels by name (`betterforms:<channel>`), users BF user ids
 * from the helper file (`betterforms:<id>`). BetterForms cannot list a channel's members here nor re-add anyone,
 * so every pair is tried and its answer decides.
 *
 * Anonymous channels cannot be left server-side, only by the user's own browser tab (`channelLeaveAnon`): the
 * config says which channels are anonymous and kickbot answers `unsupported` for them without a call. The API
 * itself would answer 201 and leave the tab in place, which would read as `not_member`: a fake success. A channel
 * the config does not mark anonymous is taken as not anonymous.
 */
export class BetterFormsConnector implements Remover {
  readonly system = 'betterforms';
  readonly batch = { size: 1000, remove: (targets: readonly RemovalTarget[]) => this.#removeMany(targets) };
  readonly #http: JsonHttp;
  readonly #apiKey: string;
  readonly #channels = new Map<string, ChannelSettings>();
  readonly #logger: Logger;

  constructor(opts: BetterFormsOptions) {
    this.#http = new JsonHttp(opts.url, 'betterforms', {
      metrics: opts.metrics,
      ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
      secrets: [{ value: opts.apiKey, as: '[api key]' }],
    });
    this.#apiKey = opts.apiKey;
    this.#logger = opts.logger.child({ platform: 'betterforms' });
    // A channel several areas name: the first mode given wins, and one `anonymous` makes it anonymous (never
    // claim a removal the API cannot do).
    for (const t of opts.targets ?? []) {
      const known = this.#channels.get(t.channel);
      this.#channels.set(t.channel, {
        mode: known?.mode ?? t.mode ?? 'ignore',
        anonymous: (known?.anonymous ?? false) || (t.anonymous ?? false),
      });
    }
  }

  /** Any channel name is a room: BetterForms has no lookup, so an unknown channel shows when it is removed from. */
  async room(id: Id): Promise<RoomInfo | undefined> {
    const name = localOf(id);
    if (!name) return undefined;
    return {
      id,
      name,
      type: 'private',
      owners: 0,
      label: `BetterForms channel ${name}`,
      ...(this.#settings(name).anonymous ? { unsupported: { ...ANONYMOUS } } : {}),
    };
  }

  async remove(target: RemovalTarget): Promise<RemoveResult> {
    const [result] = await this.#removeMany([target]);
    return result as RemoveResult;
  }

  /**
   * One `POST /message/removeuser` per channel with all of its users, so that the answer's user list reads
   * exactly per (channel, user); results in the order of `targets`.
   *
   * A channel's retryable error (no answer, 429, 5xx) is thrown only when no other channel of the call removed
   * anybody: the core then sends the whole call again and loses nothing. Otherwise that channel is answered
   * `failed` with the error's code, because a second send would report the users already removed `not_member`.
   */
  async #removeMany(targets: readonly RemovalTarget[]): Promise<RemoveResult[]> {
    const results: RemoveResult[] = new Array(targets.length);
    const byChannel = new Map<string, number[]>();
    for (const [i, t] of targets.entries()) {
      const channel = localOf(t.room);
      if (this.#settings(channel).anonymous) results[i] = { outcome: 'unsupported', ...ANONYMOUS };
      else {
        const indices = byChannel.get(channel) ?? [];
        indices.push(i);
        byChannel.set(channel, indices);
      }
    }
    let changed = false;
    const unsent: { indices: number[]; error: ConnectorError }[] = [];
    for (const [channel, indices] of byChannel) {
      const user = (i: number) => localOf((targets[i] as RemovalTarget).user);
      let answer: ChannelAnswer;
      try {
        answer = await this.#removeUsers(channel, [...new Set(indices.map(user))]);
      } catch (error) {
        if (!(error instanceof ConnectorError)) throw error;
        unsent.push({ indices, error });
        continue;
      }
      changed ||= answer.changed;
      for (const i of indices) results[i] = answer.resultFor(user(i));
    }
    const first = unsent[0];
    if (first && !changed) throw first.error;
    for (const { indices, error } of unsent) {
      const failed = failedBy(error);
      for (const i of indices) results[i] = failed;
    }
    return results;
  }

  async #removeUsers(channel: string, users: readonly string[]): Promise<ChannelAnswer> {
    const { mode } = this.#settings(channel);
    const { status, body } = await this.#http.request({
      method: 'POST',
      path: REMOVE_USER,
      body: removeUserBody(this.#apiKey, channel, mode, users),
    });
    // Never the body: it carries the API key.
    const log = { channel, users: users.length, status };
    if (status >= 200 && status < 300) this.#logger.debug(log, 'betterforms removeuser');
    else this.#logger.warn(log, 'betterforms refused removeuser');
    return readAnswer(status, body, channel);
  }

  #settings(channel: string): ChannelSettings {
    return this.#channels.get(channel) ?? { mode: 'ignore', anonymous: false };
  }
}
