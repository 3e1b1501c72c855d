import { randomUUID } from 'node:crypto';
import { type FakeAnswer, type FakeRequest, JsonFake } from '../seed/JsonFake.js';

/**
 * A fake FM BetterForms portal with the one route kickbot calls, `POST /message/removeuser`, as the seed document
 * and anchors §2.4 describe it: a JSON body `{apiKey, users: [{id, channels: [{name, mode?}]}]}` with the key in
 * the body, answered 201 `{users: [ids]}`. Anything else is a 400, the FileMaker script's shape (`users` a string,
 * `channels` at the top) included, since the doc warns the two differ.
 *
 * Where the doc is silent the fake decides, and the connector's doc comments say the same: the answer's list holds
 * the users removed from at least one channel; a wrong key is 401 `{error: 'Invalid apiKey'}`; a channel it does
 * not know is 404 and nothing changes. Members of anonymous channels are browser tabs: the API leaves them in place
 * (and does not list them), as the real one cannot remove them.
 */

export const REMOVE_USER = 'POST /message/removeuser';

const MODES = ['ignore', 'listen', 'receive'] as const;
type Mode = (typeof MODES)[number];

export interface FakeChannel {
  name: string;
  anonymous: boolean;
  /** BF user ids; for an anonymous channel, the browser tabs in it. */
  members: Set<string>;
}

export interface FakeBetterFormsOptions {
  apiKey: string;
  channels?: { name: string; anonymous?: boolean; members?: string[] }[];
}

interface RemoveUserRequest {
  apiKey: string;
  users: { id: string; channels: { name: string; mode?: Mode }[] }[];
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const extraKey = (v: Record<string, unknown>, allowed: readonly string[]) =>
  Object.keys(v).find((k) => !allowed.includes(k));

/** The body as the REST doc writes it, or what is wrong with it. */
function parseRemoveUser(body: unknown): RemoveUserRequest | string {
  if (!isObject(body)) return 'the body must be a JSON object';
  if ('channels' in body)
    return 'channels go inside each user (users[].channels); top-level channels is the FileMaker script shape';
  const extra = extraKey(body, ['apiKey', 'users']);
  if (extra) return `unknown key ${extra}`;
  if (typeof body.apiKey !== 'string') return 'apiKey must be a string';
  if (typeof body.users === 'string') return 'users must be an array of {id, channels}, not a user id';
  if (!Array.isArray(body.users) || body.users.length === 0) return 'users must be a non-empty array';
  for (const [i, user] of body.users.entries()) {
    if (!isObject(user)) return `users[${i}] must be an object`;
    const bad = extraKey(user, ['id', 'channels']);
    if (bad) return `unknown key users[${i}].${bad}`;
    if (typeof user.id !== 'string' || !user.id) return `users[${i}].id must be a non-empty string`;
    if (!Array.isArray(user.channels) || user.channels.length === 0)
      return `users[${i}].channels must be a non-empty array`;
    for (const [j, ch] of user.channels.entries()) {
      if (!isObject(ch)) return `users[${i}].channels[${j}] must be an object`;
      const odd = extraKey(ch, ['name', 'mode']);
      if (odd) return `unknown key users[${i}].channels[${j}].${odd}`;
      if (typeof ch.name !== 'string' || !ch.name) return `users[${i}].channels[${j}].name must be a string`;
      if (ch.mode !== undefined && !MODES.includes(ch.mode as Mode))
        return `users[${i}].channels[${j}].mode must be one of ${MODES.join(', ')}`;
    }
  }
  return body as unknown as RemoveUserRequest;
}

export class FakeBetterForms extends JsonFake {
  readonly channels = new Map<string, FakeChannel>();
  #apiKey: string;

  private constructor(opts: FakeBetterFormsOptions) {
    super();
    this.#apiKey = opts.apiKey;
    for (const c of opts.channels ?? []) this.addChannel(c.name, c.members ?? [], c.anonymous ?? false);
    this.route('POST', '/message/removeuser', (req) => this.#removeUser(req));
  }

  static async start(opts: FakeBetterFormsOptions): Promise<FakeBetterForms> {
    return new FakeBetterForms(opts).listen();
  }

  addChannel(name: string, members: readonly string[] = [], anonymous = false): FakeChannel {
    const channel = { name, anonymous, members: new Set(members) };
    this.channels.set(name, channel);
    return channel;
  }

  isMember(channel: string, userId: string): boolean {
    return this.channels.get(channel)?.members.has(userId) ?? false;
  }

  /** The app's key is regenerated: the one kickbot holds is refused from now on. */
  revoke(): void {
    this.#apiKey = randomUUID();
  }

  #removeUser(req: FakeRequest): FakeAnswer {
    if (!req.headers['content-type']?.startsWith('application/json'))
      return { status: 400, body: { error: 'content-type must be application/json' } };
    const parsed = parseRemoveUser(req.body);
    if (typeof parsed === 'string') return { status: 400, body: { error: parsed } };
    if (parsed.apiKey !== this.#apiKey) return { status: 401, body: { error: 'Invalid apiKey' } };
    const unknown = parsed.users.flatMap((u) => u.channels).find((c) => !this.channels.has(c.name));
    if (unknown) return { status: 404, body: { error: `Unknown channel: ${unknown.name}` } };
    const removed = new Set<string>();
    for (const user of parsed.users) {
      for (const { name } of user.channels) {
        const channel = this.channels.get(name) as FakeChannel;
        if (!channel.anonymous && channel.members.delete(user.id)) removed.add(user.id);
      }
    }
    return { status: 201, body: { users: [...removed] } };
  }
}
