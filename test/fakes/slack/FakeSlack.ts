import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { type WebSocket, WebSocketServer } from 'ws';
import { whenChanged } from '../../helpers/wait.js';
import { Delays, takeInjection } from '../delays.js';
import { SLACK_DEFAULTS } from './signer.js';

/**
 * A fake Slack Web API (plus a response_url sink and a Socket Mode endpoint) on 127.0.0.1 for the real
 * @slack/web-api and @slack/bolt clients: `new WebClient(token, { slackApiUrl: fake.apiUrl })`, or Bolt's
 * `clientOptions: { slackApiUrl: fake.apiUrl }`.
 *
 * Method shapes, arguments and error codes follow /work/shared/reference/platforms.md (SLACK §5, §6) and the
 * docs.slack.dev method pages it cites (slack-ruby/slack-api-ref `docs.slack.dev/methods/<method>.json`).
 * Only the workspace model the tests seed exists; nothing is persisted.
 */

export interface FakeTeam {
  id: string;
  domain: string;
  name?: string;
}

export interface FakeUser {
  id: string;
  name: string;
  real_name?: string;
  is_admin?: boolean;
  is_owner?: boolean;
  is_primary_owner?: boolean;
  is_bot?: boolean;
  deleted?: boolean;
  /** A guest. */
  is_restricted?: boolean;
  /** A single-channel guest. */
  is_ultra_restricted?: boolean;
  /** `profile.email` (Slack shows it with `users:read.email`); `users.lookupByEmail` finds the user by it. */
  email?: string;
  /**
   * The user turned the app's Messages tab off: chat.postMessage to them answers `messages_tab_disabled` (a fake
   * knob; Slack keeps this per user and app).
   */
  messages_tab_disabled?: boolean;
}

export interface FakeChannel {
  id: string;
  /** Channels have names; IMs do not (give the other user in `members`). */
  name?: string;
  is_private?: boolean;
  is_im?: boolean;
  is_mpim?: boolean;
  is_general?: boolean;
  is_archived?: boolean;
  /** User IDs; the bot is a member when its user ID is listed. */
  members: string[];
}

export interface FakeUsergroup {
  id: string;
  handle: string;
  name: string;
  users: string[];
  description?: string;
  /** Disabled groups are left out of usergroups.list unless `include_disabled`. */
  disabled?: boolean;
}

export interface FakeBot {
  userId: string;
  botId: string;
  /** The bot user's name (auth.test `user`); defaults to `kickbot`. */
  name?: string;
}

export interface RateLimit {
  perMinute: number;
  /** Bucket size: calls allowed at once from full. Defaults to `perMinute`. */
  burst?: number;
  /** Refill speed-up: with 60, a 50/min bucket refills 50 tokens per second. */
  scale?: number;
  /**
   * The Retry-After header to send instead of the computed one (an integer ≥ 1, like Slack). @slack/web-api
   * 7.19 reads it with `Number.parseInt(value, 10)`, so `0` (or `'0.5'`) makes WebClient retry at once and
   * fractions are cut down (`'1.9'` waits 1 s); a non-number makes it give up on the call.
   */
  retryAfter?: number | string;
}

export interface FakeSlackOptions {
  team?: FakeTeam;
  users?: FakeUser[];
  channels?: FakeChannel[];
  usergroups?: FakeUsergroup[];
  /** The bot's identity; a bot user with `is_bot` is added to the users when missing. */
  bot?: FakeBot;
  appId?: string;
  /** The bot token (`xoxb-…`) the Web API accepts. */
  botToken?: string;
  /** The app-level token (`xapp-…`) apps.connections.open accepts. */
  appToken?: string;
  /** Per-method rate limits from the start (see `rateLimit`). */
  rateLimits?: Record<string, RateLimit>;
  /** Send a WebSocket ping on Socket Mode connections this often (ms); 0 (default) sends none. */
  socketPingMs?: number;
}

export interface RecordedCall {
  method: string;
  /** Query and body arguments as received (form values are strings, JSON keeps its types), minus `token`. */
  args: Record<string, unknown>;
  /** The token the call carried (header or form/query `token`); never logged by the fake. */
  token: string | undefined;
  /** Arrival, ms since the epoch. */
  at: number;
  /** HTTP verb and media type the client used. */
  verb: string;
  contentType: string | undefined;
  /** Filled in when the answer is sent. */
  status?: number;
  ok?: boolean;
  error?: string;
  answeredAt?: number;
}

export interface RecordedResponse {
  /** The path after `/response/` (may contain slashes). */
  id: string;
  /** Parsed JSON, or the raw text when the body is not JSON. */
  body: unknown;
  contentType: string | undefined;
  authorization: boolean;
  at: number;
}

export interface PostedMessage {
  method: 'chat.postMessage' | 'chat.postEphemeral';
  channel: string;
  ts: string;
  text?: string;
  blocks?: unknown;
  thread_ts?: string;
  /** chat.postEphemeral: the recipient. */
  user?: string;
}

export interface SocketAck {
  envelope_id: string;
  payload?: unknown;
  [key: string]: unknown;
}

export interface FailOptions {
  /** How many matching calls fail (default 1; `Infinity` for all). */
  times?: number;
  /** Only calls whose arguments match. */
  match?: (args: Record<string, unknown>) => boolean;
  /** HTTP status of the failure (default 200, as Slack answers `ok:false`). */
  status?: number;
  /** With status 429: the Retry-After header (default `1`). */
  retryAfter?: number | string;
}

export interface EnvelopeOptions {
  /** Reject when no ack arrives in time (default 5000 ms). */
  timeoutMs?: number;
  envelopeId?: string;
  acceptsResponsePayload?: boolean;
}

type FakeSlackEvents = {
  /** A Web API call arrived (not answered yet). */
  request: [RecordedCall];
  /** A Web API call was answered. */
  call: [RecordedCall];
  /** A response_url POST arrived. */
  response: [RecordedResponse];
  /** A Socket Mode connection opened (after `hello` was sent). */
  socket: [WebSocket];
  /** A Socket Mode client sent a message with an envelope_id. */
  ack: [SocketAck];
  /** Anything above; waiters re-check on it. */
  change: [];
};

/** Tiers of the methods the fake serves (platforms.md §5/§6; `special` methods have their own limits). */
export const METHOD_TIERS: Record<string, 1 | 2 | 3 | 4 | 'special'> = {
  'auth.test': 'special',
  'users.info': 4,
  'users.list': 2,
  'users.conversations': 3,
  'users.lookupByEmail': 3,
  'conversations.info': 3,
  'conversations.list': 2,
  'conversations.members': 4,
  'conversations.kick': 3,
  'conversations.invite': 3,
  'usergroups.list': 2,
  'usergroups.users.list': 2,
  'usergroups.users.update': 2,
  'chat.postMessage': 'special',
  'chat.postEphemeral': 4,
  'apps.connections.open': 3,
};

/** Documented minimum calls per minute of each tier ("Tier 3: 50+ per minute"). */
export const TIER_PER_MINUTE = { 1: 1, 2: 20, 3: 50, 4: 100 } as const;

class SlackApiError extends Error {
  constructor(
    readonly code: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(code);
  }
}

type Args = Record<string, unknown>;
type Answer = { status: number; body: Record<string, unknown>; headers?: Record<string, string> };
type Injection = Required<Pick<FailOptions, 'times'>> & FailOptions & { method: string; error: string };
type Bucket = Required<Omit<RateLimit, 'retryAfter'>> &
  Pick<RateLimit, 'retryAfter'> & { tokens: number; last: number };
type Pending = {
  resolve: (ack: SocketAck) => void;
  reject: (e: Error) => void;
  socket: WebSocket;
  timer: NodeJS.Timeout;
};

const str = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
const flag = (v: unknown): boolean => v === true || v === 1 || v === 'true' || v === '1';
const idList = (v: unknown): string[] =>
  (Array.isArray(v) ? v.map((x) => String(x)) : (str(v) ?? '').split(','))
    .map((s) => s.trim())
    .filter((s) => s !== '');
const CONVERSATION_TYPES = ['public_channel', 'private_channel', 'mpim', 'im'] as const;

export class FakeSlack extends EventEmitter<FakeSlackEvents> {
  readonly team: Required<FakeTeam>;
  readonly bot: Required<FakeBot>;
  readonly appId: string;
  readonly botToken: string;
  readonly appToken: string;
  readonly users = new Map<string, FakeUser>();
  readonly channels = new Map<string, FakeChannel>();
  readonly usergroups = new Map<string, FakeUsergroup>();

  /** Every Web API call, in arrival order. */
  readonly calls: RecordedCall[] = [];
  /** Every POST to a response_url. */
  readonly responses: RecordedResponse[] = [];
  /** Messages posted with chat.postMessage / chat.postEphemeral. */
  readonly messages: PostedMessage[] = [];
  /** Acks received over Socket Mode. */
  readonly acks: SocketAck[] = [];
  readonly stats = { requests: 0, limited: 0, limitedBy: {} as Record<string, number>, injected: 0 };

  /** A team preference that stops the bot from kicking: conversations.kick answers `restricted_action`. */
  kickRestricted = false;

  private readonly notSupportedPairs = new Set<string>();
  private readonly injections: Injection[] = [];
  private readonly delays = new Map<string, number>();
  private readonly holds = new Map<string, { gate: Promise<void>; pass: number; waiting: number }>();
  private responseStatus = 200;
  private readonly buckets = new Map<string, Bucket>();
  private readonly sleeps = new Delays();
  private readonly sockets: WebSocket[] = [];
  private readonly pending = new Map<string, Pending>();
  private readonly tickets = new Set<string>();
  private readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  private readonly pingMs: number;
  private server!: Server;
  private port = 0;
  private seq = 0;
  private closed = false;

  private constructor(opts: FakeSlackOptions) {
    super();
    this.setMaxListeners(0);
    this.team = {
      id: opts.team?.id ?? SLACK_DEFAULTS.teamId,
      domain: opts.team?.domain ?? SLACK_DEFAULTS.teamDomain,
      name: opts.team?.name ?? SLACK_DEFAULTS.teamName,
    };
    this.bot = {
      userId: opts.bot?.userId ?? SLACK_DEFAULTS.botUserId,
      botId: opts.bot?.botId ?? SLACK_DEFAULTS.botId,
      name: opts.bot?.name ?? 'kickbot',
    };
    this.appId = opts.appId ?? SLACK_DEFAULTS.appId;
    this.botToken = opts.botToken ?? 'xoxb-fake-bot-token';
    this.appToken = opts.appToken ?? 'xapp-1-fake-app-token';
    this.pingMs = opts.socketPingMs ?? 0;
    for (const u of opts.users ?? []) this.addUser(u);
    if (!this.users.has(this.bot.userId))
      this.addUser({ id: this.bot.userId, name: this.bot.name, is_bot: true });
    for (const c of opts.channels ?? []) this.addChannel(c);
    for (const g of opts.usergroups ?? []) this.addUsergroup(g);
    for (const [method, limit] of Object.entries(opts.rateLimits ?? {})) this.rateLimit(method, limit);
  }

  /** Starts a fake on 127.0.0.1 on a free port. */
  static async start(opts: FakeSlackOptions = {}): Promise<FakeSlack> {
    const fake = new FakeSlack(opts);
    fake.server = createServer((req, res) => {
      fake.route(req, res).catch((e: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`fake slack: ${e instanceof Error ? e.message : String(e)}`);
      });
    });
    fake.server.on('upgrade', (req, socket, head) => fake.upgrade(req, socket, head));
    await new Promise<void>((resolve, reject) => {
      fake.server.once('error', reject);
      fake.server.listen(0, '127.0.0.1', () => resolve());
    });
    fake.port = (fake.server.address() as AddressInfo).port;
    return fake;
  }

  /** `http://127.0.0.1:PORT` */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** `http://127.0.0.1:PORT/api/` — what `slackApiUrl` takes. */
  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  /** A response_url pointing at the fake's sink (`id` may contain slashes). */
  responseUrl(id: string = `${this.team.id}/${++this.seq}/${randomUUID().slice(0, 8)}`): string {
    return `${this.url}/response/${id}`;
  }

  /** A Socket Mode URL with a fresh ticket, as apps.connections.open returns it. */
  socketUrl(): string {
    const ticket = randomUUID();
    this.tickets.add(ticket);
    return `ws://127.0.0.1:${this.port}/socket?ticket=${ticket}&app_id=${this.appId}`;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.sleeps.wakeAll();
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new Error(`FakeSlack closed before envelope ${id} was acked`));
    }
    this.pending.clear();
    for (const s of this.sockets) s.terminate();
    this.wss.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ---------------------------------------------------------------- workspace

  addUser(user: FakeUser): void {
    this.users.set(user.id, { ...user });
  }

  addChannel(channel: FakeChannel): void {
    this.channels.set(channel.id, { ...channel, members: [...channel.members] });
  }

  addUsergroup(group: FakeUsergroup): void {
    this.usergroups.set(group.id, { ...group, users: [...group.users] });
  }

  /** Current members of a channel (a copy). */
  members(channel: string): string[] {
    return [...(this.channels.get(channel)?.members ?? [])];
  }

  isMember(channel: string, user: string): boolean {
    return this.channels.get(channel)?.members.includes(user) ?? false;
  }

  /** conversations.kick of this user from this channel answers `not_supported`. */
  notSupported(channel: string, user: string): void {
    this.notSupportedPairs.add(`${channel}|${user}`);
  }

  // ---------------------------------------------------------------- test controls

  /** All recorded calls of one method. */
  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** The next matching call(s) of `method` (`'*'`: any method) answer `{ok:false, error}`. */
  failNext(method: string, error: string, opts: FailOptions = {}): void {
    this.injections.push({ ...opts, method, error, times: opts.times ?? 1 });
  }

  /** Every POST to a response_url answers this HTTP status (recorded all the same); 200 restores it. */
  failResponses(status: number): void {
    this.responseStatus = status;
  }

  /** Answer every call of `method` (`'*'`: any) after `ms`; 0 removes the delay. */
  delay(method: string, ms: number): void {
    if (ms > 0) this.delays.set(method, ms);
    else this.delays.delete(method);
  }

  /**
   * Calls of `method` past the first `after` wait, unanswered, until `release()`: a batch caught with removals in
   * flight. `waiting` counts the calls held so far (each one also says `change`).
   */
  hold(method: string, after = 0): { readonly waiting: number; release(): void } {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const held = { gate, pass: after, waiting: 0 };
    this.holds.set(method, held);
    return {
      get waiting() {
        return held.waiting;
      },
      release: () => {
        if (this.holds.get(method) === held) this.holds.delete(method);
        open();
      },
    };
  }

  /** A token bucket for `method`; `null` removes it. The bucket starts full. */
  rateLimit(method: string, limit: RateLimit | null): void {
    if (limit === null) {
      this.buckets.delete(method);
      return;
    }
    const burst = limit.burst ?? limit.perMinute;
    this.buckets.set(method, {
      perMinute: limit.perMinute,
      burst,
      scale: limit.scale ?? 1,
      retryAfter: limit.retryAfter,
      tokens: burst,
      last: performance.now(),
    });
  }

  /** Rate-limit every tiered method the fake serves at its documented tier minimum. */
  rateLimitByTier(opts: Omit<RateLimit, 'perMinute'> = {}): void {
    for (const [method, tier] of Object.entries(METHOD_TIERS)) {
      if (tier !== 'special') this.rateLimit(method, { ...opts, perMinute: TIER_PER_MINUTE[tier] });
    }
  }

  /** Forgets recorded calls, responses, messages, acks and stats (not the workspace or the controls). */
  clearRecords(): void {
    this.calls.length = 0;
    this.responses.length = 0;
    this.messages.length = 0;
    this.acks.length = 0;
    Object.assign(this.stats, { requests: 0, limited: 0, limitedBy: {}, injected: 0 });
  }

  /** Resolves with the first truthy value of `check`, re-checked whenever the fake records something. */
  waitFor<T>(check: () => T | undefined | null | false, timeoutMs = 2000, what = 'a condition'): Promise<T> {
    return whenChanged(this, check, { timeoutMs, what, label: 'FakeSlack' });
  }

  /** The first answered call matching a method name or predicate. */
  waitForCall(match: string | ((c: RecordedCall) => boolean), timeoutMs = 2000): Promise<RecordedCall> {
    const ok = typeof match === 'string' ? (c: RecordedCall) => c.method === match : match;
    return this.waitFor(
      () => this.calls.find((c) => c.status !== undefined && ok(c)),
      timeoutMs,
      `answered call ${typeof match === 'string' ? match : 'matching the predicate'}`,
    );
  }

  /** The first `count` answered calls matching. */
  waitForCalls(
    match: string | ((c: RecordedCall) => boolean),
    count: number,
    timeoutMs = 2000,
  ): Promise<RecordedCall[]> {
    const ok = typeof match === 'string' ? (c: RecordedCall) => c.method === match : match;
    return this.waitFor(
      () => {
        const found = this.calls.filter((c) => c.status !== undefined && ok(c));
        return found.length >= count ? found.slice(0, count) : undefined;
      },
      timeoutMs,
      `${count} answered calls ${typeof match === 'string' ? match : 'matching the predicate'}`,
    );
  }

  /** The first response_url POST matching an id or predicate (any, when omitted). */
  waitForResponse(
    match?: string | ((r: RecordedResponse) => boolean),
    timeoutMs = 2000,
  ): Promise<RecordedResponse> {
    const ok =
      match === undefined
        ? () => true
        : typeof match === 'string'
          ? (r: RecordedResponse) => r.id === match || `${this.url}/response/${r.id}` === match
          : match;
    return this.waitFor(() => this.responses.find(ok), timeoutMs, 'response_url POST');
  }

  // ---------------------------------------------------------------- Socket Mode

  /** Resolves once at least `count` Socket Mode connections are open. */
  waitForSocket(count = 1, timeoutMs = 2000): Promise<number> {
    return this.waitFor(
      () => (this.openSockets().length >= count ? this.openSockets().length : undefined),
      timeoutMs,
      `${count} Socket Mode connection(s)`,
    );
  }

  /** Open Socket Mode connections, oldest first. */
  openSockets(): WebSocket[] {
    return this.sockets.filter((s) => s.readyState === s.OPEN);
  }

  /**
   * Sends `{envelope_id, type, payload, accepts_response_payload}` on the newest connection and resolves with
   * the client's ack (`{envelope_id, payload?}`).
   */
  sendEnvelope(type: string, payload: unknown, opts: EnvelopeOptions = {}): Promise<SocketAck> {
    const socket = this.openSockets().at(-1);
    if (!socket) return Promise.reject(new Error('FakeSlack: no open Socket Mode connection'));
    const envelopeId = opts.envelopeId ?? randomUUID();
    const timeoutMs = opts.timeoutMs ?? 5000;
    return new Promise<SocketAck>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(envelopeId);
        reject(new Error(`FakeSlack: envelope ${envelopeId} (${type}) not acked within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(envelopeId, { resolve, reject, socket, timer });
      socket.send(
        JSON.stringify({
          envelope_id: envelopeId,
          type,
          payload,
          accepts_response_payload: opts.acceptsResponsePayload ?? type !== 'events_api',
        }),
      );
    });
  }

  /** Sends Slack's `disconnect` message (e.g. `refresh_requested`, `warning`, `link_disabled`) to every connection. */
  disconnectSockets(reason = 'refresh_requested'): void {
    for (const s of this.openSockets()) {
      s.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'fake-slack' } }));
    }
  }

  private upgrade(req: IncomingMessage, socket: import('node:stream').Duplex, head: Buffer): void {
    const u = new URL(req.url ?? '/', this.url);
    const ticket = u.searchParams.get('ticket');
    if (u.pathname !== '/socket' || ticket === null || !this.tickets.has(ticket)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      return;
    }
    this.tickets.delete(ticket);
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onSocket(ws));
  }

  private onSocket(ws: WebSocket): void {
    this.sockets.push(ws);
    let ping: NodeJS.Timeout | undefined;
    if (this.pingMs > 0) {
      ping = setInterval(() => ws.readyState === ws.OPEN && ws.ping('fake-slack'), this.pingMs);
    }
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      let msg: unknown;
      try {
        msg = JSON.parse(data.toString());
      } catch {
        return;
      }
      if (typeof msg !== 'object' || msg === null || typeof (msg as SocketAck).envelope_id !== 'string')
        return;
      const ack = msg as SocketAck;
      this.acks.push(ack);
      const p = this.pending.get(ack.envelope_id);
      if (p) {
        this.pending.delete(ack.envelope_id);
        clearTimeout(p.timer);
        p.resolve(ack);
      }
      this.emit('ack', ack);
      this.emit('change');
    });
    ws.on('close', () => {
      clearInterval(ping);
      const i = this.sockets.indexOf(ws);
      if (i >= 0) this.sockets.splice(i, 1);
      for (const [id, p] of this.pending) {
        if (p.socket !== ws) continue;
        clearTimeout(p.timer);
        this.pending.delete(id);
        p.reject(new Error(`FakeSlack: Socket Mode connection closed before envelope ${id} was acked`));
      }
      this.emit('change');
    });
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.openSockets().length,
        debug_info: { host: 'fake-slack-127.0.0.1', build_number: 1, approximate_connection_time: 18060 },
        connection_info: { app_id: this.appId },
      }),
    );
    this.emit('socket', ws);
    this.emit('change');
  }

  // ---------------------------------------------------------------- HTTP

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const u = new URL(req.url ?? '/', this.url);
    if (u.pathname.startsWith('/api/')) return this.api(req, res, u);
    if (u.pathname.startsWith('/response/') && req.method === 'POST') return this.responseSink(req, res, u);
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  }

  private async responseSink(req: IncomingMessage, res: ServerResponse, u: URL): Promise<void> {
    const raw = await readBody(req);
    let body: unknown = raw;
    try {
      body = JSON.parse(raw);
    } catch {
      // keep the text
    }
    const rec: RecordedResponse = {
      id: decodeURIComponent(u.pathname.slice('/response/'.length)),
      body,
      contentType: req.headers['content-type'],
      authorization: req.headers.authorization !== undefined,
      at: Date.now(),
    };
    this.responses.push(rec);
    res
      .writeHead(this.responseStatus, { 'content-type': 'text/plain' })
      .end(this.responseStatus === 200 ? 'ok' : 'failed');
    this.emit('response', rec);
    this.emit('change');
  }

  private async api(req: IncomingMessage, res: ServerResponse, u: URL): Promise<void> {
    const method = decodeURIComponent(u.pathname.slice('/api/'.length));
    const verb = req.method ?? 'GET';
    const contentType = req.headers['content-type'];
    const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
    const raw = await readBody(req);
    const args: Args = {};
    for (const [k, v] of u.searchParams) args[k] = v;
    let parseError: string | undefined;
    let json = false;
    if (raw !== '') {
      if (mediaType === 'application/json') {
        json = true;
        try {
          const parsed: unknown = JSON.parse(raw);
          if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
            parseError = 'invalid_json';
          else Object.assign(args, parsed);
        } catch {
          parseError = 'invalid_json';
        }
      } else if (mediaType === 'application/x-www-form-urlencoded' || mediaType === 'text/plain') {
        for (const [k, v] of new URLSearchParams(raw)) args[k] = v;
      } else if (mediaType === undefined) {
        parseError = 'missing_post_type';
      } else if (mediaType === 'multipart/form-data') {
        parseError = 'fake_slack_multipart_not_supported';
      } else {
        parseError = 'invalid_post_type';
      }
    }
    // Tokens: Authorization header, or a `token` form/query argument. A JSON body's `token` is not read
    // (Slack: JSON bodies need the token in the Authorization header).
    const header = req.headers.authorization;
    const bearer = header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : undefined;
    const argToken = json ? (u.searchParams.get('token') ?? undefined) : str(args.token);
    const token = bearer || argToken || undefined;
    delete args.token;

    const call: RecordedCall = { method, args, token, at: Date.now(), verb, contentType };
    this.calls.push(call);
    this.stats.requests++;
    this.emit('request', call);
    this.emit('change');

    const answer = await this.answer(method, verb, args, token, parseError);
    if (res.destroyed || this.closed) return;
    call.status = answer.status;
    call.ok = answer.body.ok === true;
    if (typeof answer.body.error === 'string') call.error = answer.body.error;
    call.answeredAt = Date.now();
    if (answer.status === 429) {
      this.stats.limited++;
      this.stats.limitedBy[method] = (this.stats.limitedBy[method] ?? 0) + 1;
    }
    res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8', ...answer.headers });
    res.end(JSON.stringify(answer.body));
    this.emit('call', call);
    this.emit('change');
  }

  private async answer(
    method: string,
    verb: string,
    args: Args,
    token: string | undefined,
    parseError: string | undefined,
  ): Promise<Answer> {
    const fail = (error: string, extra: Record<string, unknown> = {}): Answer => ({
      status: 200,
      body: { ok: false, error, ...extra },
    });
    const handler = this.handlers[method];
    if (!handler) return fail('unknown_method', { req_method: method });
    if (parseError) return fail(parseError);
    if (!token) return fail('not_authed');
    const kind = token === this.botToken ? 'bot' : token === this.appToken ? 'app' : undefined;
    if (!kind) return fail('invalid_auth');
    if (method === 'apps.connections.open') {
      if (kind !== 'app') return fail('not_allowed_token_type');
      if (verb !== 'POST') return fail('insecure_request');
    } else if (kind !== 'bot') {
      return fail('not_allowed_token_type');
    }

    const retryAfter = this.takeToken(method);
    if (retryAfter !== undefined) {
      return {
        status: 429,
        body: { ok: false, error: 'ratelimited' },
        headers: { 'retry-after': retryAfter },
      };
    }

    const injected = this.takeInjection(method, args);
    const ms = this.delays.get(method) ?? this.delays.get('*') ?? 0;
    if (ms > 0) await this.sleep(ms);
    const held = this.holds.get(method);
    if (held && held.pass-- <= 0) {
      held.waiting++;
      this.emit('change');
      await held.gate;
    }
    if (injected) {
      this.stats.injected++;
      const status = injected.status ?? 200;
      const headers: Record<string, string> =
        status === 429 ? { 'retry-after': String(injected.retryAfter ?? 1) } : {};
      return { status, body: { ok: false, error: injected.error }, headers };
    }
    try {
      return { status: 200, body: { ok: true, ...handler.call(this, args) } };
    } catch (e) {
      if (e instanceof SlackApiError) return fail(e.code, e.extra);
      throw e;
    }
  }

  private takeToken(method: string): string | undefined {
    const b = this.buckets.get(method);
    if (!b) return undefined;
    const now = performance.now();
    const perMs = (b.perMinute * b.scale) / 60_000;
    b.tokens = Math.min(b.burst, b.tokens + (now - b.last) * perMs);
    b.last = now;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return undefined;
    }
    if (b.retryAfter !== undefined) return String(b.retryAfter);
    return String(Math.max(1, Math.ceil((1 - b.tokens) / perMs / 1000)));
  }

  private takeInjection(method: string, args: Args): Injection | undefined {
    return takeInjection(
      this.injections,
      (inj) => (inj.method === method || inj.method === '*') && (!inj.match || inj.match(args)),
    );
  }

  private sleep(ms: number): Promise<void> {
    return this.sleeps.sleep(ms);
  }

  // ---------------------------------------------------------------- objects

  private userObject(u: FakeUser): Record<string, unknown> {
    const realName = u.real_name ?? u.name;
    return {
      id: u.id,
      team_id: this.team.id,
      name: u.name,
      deleted: u.deleted ?? false,
      real_name: realName,
      profile: {
        real_name: realName,
        real_name_normalized: realName,
        display_name: u.name,
        display_name_normalized: u.name,
        team: this.team.id,
        ...(u.email ? { email: u.email } : {}),
        ...(u.id === this.bot.userId ? { bot_id: this.bot.botId } : {}),
      },
      is_admin: u.is_admin ?? false,
      is_owner: u.is_owner ?? false,
      is_primary_owner: u.is_primary_owner ?? false,
      is_restricted: u.is_restricted ?? false,
      is_ultra_restricted: u.is_ultra_restricted ?? false,
      is_bot: u.is_bot ?? false,
      is_app_user: false,
      updated: 1_700_000_000,
    };
  }

  private isPrivate(c: FakeChannel): boolean {
    return !!(c.is_private || c.is_im || c.is_mpim);
  }

  private channelObject(c: FakeChannel, extra: { numMembers?: boolean } = {}): Record<string, unknown> {
    const priv = this.isPrivate(c);
    const common = {
      id: c.id,
      created: 1_600_000_000,
      is_archived: c.is_archived ?? false,
      is_channel: !priv,
      is_group: priv && !c.is_im && !c.is_mpim,
      is_im: c.is_im ?? false,
      is_mpim: c.is_mpim ?? false,
      is_private: priv,
      is_member: c.members.includes(this.bot.userId),
      context_team_id: this.team.id,
      ...(extra.numMembers ? { num_members: c.members.length } : {}),
    };
    if (c.is_im) {
      return {
        ...common,
        user: c.members.find((m) => m !== this.bot.userId) ?? this.bot.userId,
        is_user_deleted: false,
        is_org_shared: false,
      };
    }
    const name = c.name ?? c.id.toLowerCase();
    return {
      ...common,
      name,
      name_normalized: name,
      is_general: c.is_general ?? false,
      unlinked: 0,
      is_shared: false,
      is_ext_shared: false,
      is_org_shared: false,
      is_pending_ext_shared: false,
      pending_shared: [],
      creator: c.members[0] ?? this.bot.userId,
      topic: { value: '', creator: '', last_set: 0 },
      purpose: { value: '', creator: '', last_set: 0 },
      previous_names: [],
    };
  }

  private usergroupObject(g: FakeUsergroup, withUsers: boolean, withCount: boolean): Record<string, unknown> {
    return {
      id: g.id,
      team_id: this.team.id,
      is_usergroup: true,
      name: g.name,
      description: g.description ?? '',
      handle: g.handle,
      is_external: false,
      date_create: 1_600_000_000,
      date_update: 1_600_000_000,
      date_delete: g.disabled ? 1_600_000_001 : 0,
      auto_type: null,
      created_by: this.bot.userId,
      updated_by: this.bot.userId,
      deleted_by: null,
      prefs: { channels: [], groups: [] },
      ...(withUsers ? { users: [...g.users] } : {}),
      ...(withCount ? { user_count: g.users.length } : {}),
    };
  }

  /** A channel the bot can see: public ones always, private/IM/MPIM only as a member (else channel_not_found). */
  private channelArg(args: Args): FakeChannel {
    const id = str(args.channel);
    const c = id ? this.channels.get(id) : undefined;
    if (!c || (this.isPrivate(c) && !c.members.includes(this.bot.userId))) {
      throw new SlackApiError('channel_not_found');
    }
    return c;
  }

  private nextTs(): string {
    return `${Math.floor(Date.now() / 1000)}.${String(++this.seq).padStart(6, '0')}`;
  }

  private page<T>(items: T[], args: Args, kind: string, defaultLimit: number, maxLimit = 1000) {
    let limit = defaultLimit;
    const rawLimit = str(args.limit);
    if (rawLimit !== undefined && rawLimit !== '') {
      const n = Number(rawLimit);
      if (!Number.isInteger(n) || n < 0) throw new SlackApiError('invalid_limit');
      if (n > 0) limit = Math.min(n, maxLimit);
    }
    let start = 0;
    const cursor = str(args.cursor);
    if (cursor) {
      const m = new RegExp(`^${kind}:(\\d+)$`).exec(Buffer.from(cursor, 'base64').toString('utf8'));
      if (!m?.[1] || Number(m[1]) > items.length) throw new SlackApiError('invalid_cursor');
      start = Number(m[1]);
    }
    const end = limit > 0 ? Math.min(items.length, start + limit) : items.length;
    const next = end < items.length ? Buffer.from(`${kind}:${end}`).toString('base64') : '';
    return { items: items.slice(start, end), response_metadata: { next_cursor: next } };
  }

  /**
   * `users.conversations` paging: `limit` 1–999 (default 100; above 999 `invalid_limit`), and a cursor that, like
   * Slack's (`base64("channel:C061FA5PB")`), names the next channel by id rather than an offset, so that leaving
   * channels between two pages skips none of the others.
   */
  private keyPage(channels: FakeChannel[], args: Args) {
    const rawLimit = str(args.limit);
    const n = rawLimit === undefined || rawLimit === '' ? 100 : Number(rawLimit);
    if (!Number.isInteger(n) || n < 0 || n > 999) throw new SlackApiError('invalid_limit');
    const limit = n === 0 ? 100 : n;
    const sorted = [...channels].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    let start = 0;
    const cursor = str(args.cursor);
    if (cursor) {
      const m = /^channel:([A-Z0-9]+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
      if (!m?.[1]) throw new SlackApiError('invalid_cursor');
      const from = m[1];
      start = sorted.findIndex((c) => c.id >= from);
      if (start < 0) start = sorted.length;
    }
    const items = sorted.slice(start, start + limit);
    const next = sorted[start + limit];
    return {
      items,
      response_metadata: { next_cursor: next ? Buffer.from(`channel:${next.id}`).toString('base64') : '' },
    };
  }

  private conversationTypes(args: Args): Set<string> {
    const types = idList(args.types);
    if (types.length === 0) return new Set(['public_channel']);
    for (const t of types) {
      if (!(CONVERSATION_TYPES as readonly string[]).includes(t)) throw new SlackApiError('invalid_types');
    }
    return new Set(types);
  }

  private typeOf(c: FakeChannel): string {
    return c.is_im ? 'im' : c.is_mpim ? 'mpim' : c.is_private ? 'private_channel' : 'public_channel';
  }

  private postTarget(args: Args): FakeChannel {
    const id = str(args.channel);
    // A user ID as `channel` posts to the bot's IM with that user (chat.postMessage docs: "cannot_dm_bot" for a
    // bot user; "messages_tab_disabled" when the user turned the app's Messages tab off).
    if (id && !this.channels.has(id) && this.users.has(id)) {
      const user = this.users.get(id) as FakeUser;
      if (user.is_bot) throw new SlackApiError('cannot_dm_bot');
      if (user.messages_tab_disabled) throw new SlackApiError('messages_tab_disabled');
      const existing = [...this.channels.values()].find(
        (c) => c.is_im && c.members.includes(id) && c.members.includes(this.bot.userId),
      );
      if (existing) return existing;
      const im: FakeChannel = { id: `D${id.slice(1)}`, is_im: true, members: [this.bot.userId, id] };
      this.channels.set(im.id, im);
      return im;
    }
    return this.channelArg(args);
  }

  private parseBlocks(v: unknown): unknown {
    if (v === undefined || typeof v !== 'string') return v;
    try {
      return JSON.parse(v);
    } catch {
      throw new SlackApiError('invalid_blocks_format');
    }
  }

  // ---------------------------------------------------------------- methods

  private readonly handlers: Record<string, (this: FakeSlack, args: Args) => Record<string, unknown>> = {
    'auth.test'() {
      return {
        url: `https://${this.team.domain}.slack.com/`,
        team: this.team.name,
        user: this.bot.name,
        team_id: this.team.id,
        user_id: this.bot.userId,
        bot_id: this.bot.botId,
        is_enterprise_install: false,
      };
    },

    'apps.connections.open'() {
      return { url: this.socketUrl() };
    },

    'users.info'(args) {
      const u = this.users.get(str(args.user) ?? '');
      if (!u) throw new SlackApiError('user_not_found');
      return { user: this.userObject(u) };
    },

    'users.list'(args) {
      const { items, response_metadata } = this.page([...this.users.values()], args, 'users', 0);
      return {
        members: items.map((u) => this.userObject(u)),
        cache_ts: Math.floor(Date.now() / 1000),
        response_metadata,
      };
    },

    'users.conversations'(args) {
      const user = str(args.user) ?? this.bot.userId;
      if (!this.users.has(user)) throw new SlackApiError('user_not_found');
      const types = this.conversationTypes(args);
      const excludeArchived = flag(args.exclude_archived);
      const all = [...this.channels.values()].filter(
        (c) =>
          types.has(this.typeOf(c)) &&
          c.members.includes(user) &&
          (!this.isPrivate(c) || c.members.includes(this.bot.userId)) &&
          !(excludeArchived && c.is_archived),
      );
      const { items, response_metadata } = this.keyPage(all, args);
      return { channels: items.map((c) => this.channelObject(c)), response_metadata };
    },

    'users.lookupByEmail'(args) {
      const email = str(args.email)?.trim().toLowerCase();
      if (!email) throw new SlackApiError('invalid_arguments');
      const u = [...this.users.values()].find((x) => x.email?.toLowerCase() === email);
      if (!u) throw new SlackApiError('users_not_found');
      return { user: this.userObject(u) };
    },

    'conversations.info'(args) {
      const c = this.channelArg(args);
      return { channel: this.channelObject(c, { numMembers: flag(args.include_num_members) }) };
    },

    'conversations.list'(args) {
      const types = this.conversationTypes(args);
      const excludeArchived = flag(args.exclude_archived);
      const all = [...this.channels.values()].filter(
        (c) =>
          types.has(this.typeOf(c)) &&
          (!this.isPrivate(c) || c.members.includes(this.bot.userId)) &&
          !(excludeArchived && c.is_archived),
      );
      const { items, response_metadata } = this.page(all, args, 'channels', 100);
      return { channels: items.map((c) => this.channelObject(c)), response_metadata };
    },

    'conversations.members'(args) {
      const c = this.channelArg(args);
      const { items, response_metadata } = this.page(c.members, args, 'members', 100);
      return { members: [...items], response_metadata };
    },

    'conversations.kick'(args) {
      const c = this.channelArg(args);
      if (c.is_im || c.is_mpim) throw new SlackApiError('method_not_supported_for_channel_type');
      const user = str(args.user);
      if (!user || !this.users.has(user)) throw new SlackApiError('user_not_found');
      if (user === this.bot.userId) throw new SlackApiError('cant_kick_self');
      if (this.kickRestricted) throw new SlackApiError('restricted_action');
      if (c.is_general) throw new SlackApiError('cant_kick_from_general');
      if (this.notSupportedPairs.has(`${c.id}|${user}`)) throw new SlackApiError('not_supported');
      if (!c.members.includes(user)) throw new SlackApiError('not_in_channel');
      c.members = c.members.filter((m) => m !== user);
      return { errors: {} };
    },

    'conversations.invite'(args) {
      const c = this.channelArg(args);
      if (c.is_im || c.is_mpim) throw new SlackApiError('method_not_supported_for_channel_type');
      if (c.is_archived) throw new SlackApiError('is_archived');
      const users = idList(args.users);
      if (users.length === 0) throw new SlackApiError('no_user');
      if (!c.members.includes(this.bot.userId)) throw new SlackApiError('not_in_channel');
      const problems: { user: string; ok: false; error: string }[] = [];
      const adding: string[] = [];
      for (const user of users) {
        const error = !this.users.has(user)
          ? 'user_not_found'
          : user === this.bot.userId
            ? 'cant_invite_self'
            : c.members.includes(user) || adding.includes(user)
              ? 'already_in_channel'
              : undefined;
        if (error) problems.push({ user, ok: false, error });
        else adding.push(user);
      }
      const first = problems[0];
      if (first && (!flag(args.force) || adding.length === 0)) {
        throw new SlackApiError(first.error, { errors: problems });
      }
      c.members.push(...adding);
      return { channel: this.channelObject(c), ...(problems.length > 0 ? { errors: problems } : {}) };
    },

    'usergroups.list'(args) {
      const withUsers = flag(args.include_users);
      const withCount = flag(args.include_count);
      const groups = [...this.usergroups.values()].filter((g) => !g.disabled || flag(args.include_disabled));
      return { usergroups: groups.map((g) => this.usergroupObject(g, withUsers, withCount)) };
    },

    'usergroups.users.list'(args) {
      const g = this.usergroups.get(str(args.usergroup) ?? '');
      if (!g) throw new SlackApiError('no_such_subteam');
      return { users: [...g.users] };
    },

    'usergroups.users.update'(args) {
      const g = this.usergroups.get(str(args.usergroup) ?? '');
      if (!g) throw new SlackApiError('no_such_subteam');
      const users = idList(args.users);
      if (users.length === 0) throw new SlackApiError('no_users_provided');
      if (users.some((u) => !this.users.has(u))) throw new SlackApiError('invalid_users');
      g.users = [...new Set(users)];
      return { usergroup: this.usergroupObject(g, true, flag(args.include_count)) };
    },

    'chat.postMessage'(args) {
      const c = this.postTarget(args);
      if (!c.members.includes(this.bot.userId)) throw new SlackApiError('not_in_channel');
      if (c.is_archived) throw new SlackApiError('is_archived');
      const text = str(args.text);
      const blocks = this.parseBlocks(args.blocks);
      if (!text && blocks === undefined && args.attachments === undefined) throw new SlackApiError('no_text');
      const ts = this.nextTs();
      const threadTs = str(args.thread_ts);
      this.messages.push({
        method: 'chat.postMessage',
        channel: c.id,
        ts,
        ...(text !== undefined ? { text } : {}),
        ...(blocks !== undefined ? { blocks } : {}),
        ...(threadTs ? { thread_ts: threadTs } : {}),
      });
      return {
        channel: c.id,
        ts,
        message: {
          type: 'message',
          user: this.bot.userId,
          bot_id: this.bot.botId,
          app_id: this.appId,
          team: this.team.id,
          text: text ?? '',
          ts,
          ...(blocks !== undefined ? { blocks } : {}),
          ...(threadTs ? { thread_ts: threadTs } : {}),
        },
      };
    },

    'chat.postEphemeral'(args) {
      const c = this.channelArg(args);
      const user = str(args.user) ?? '';
      if (!this.users.has(user)) throw new SlackApiError('user_not_found');
      if (!c.members.includes(this.bot.userId)) throw new SlackApiError('not_in_channel');
      if (c.is_archived) throw new SlackApiError('is_archived');
      if (!c.members.includes(user)) throw new SlackApiError('user_not_in_channel');
      const text = str(args.text);
      const blocks = this.parseBlocks(args.blocks);
      if (!text && blocks === undefined && args.attachments === undefined) throw new SlackApiError('no_text');
      const ts = this.nextTs();
      const threadTs = str(args.thread_ts);
      this.messages.push({
        method: 'chat.postEphemeral',
        channel: c.id,
        ts,
        user,
        ...(text !== undefined ? { text } : {}),
        ...(blocks !== undefined ? { blocks } : {}),
        ...(threadTs ? { thread_ts: threadTs } : {}),
      });
      return { message_ts: ts };
    },
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
