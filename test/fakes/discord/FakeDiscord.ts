import { createHash, randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
  STATUS_CODES,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { GatewayIntentBits, PermissionFlagsBits } from 'discord-api-types/v10';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import { whenChanged } from '../../helpers/wait.js';
import { Delays, takeInjection } from '../delays.js';
import {
  type AuditEntryBody,
  kickEntry,
  type OverwriteState,
  overwriteEntry,
  roleEntry,
} from './audit-log.js';

/**
 * A fake Discord on 127.0.0.1: REST API v10 under `/api/v10` and a JSON gateway v10 under `/gateway`, for the real
 * discord.js `Client` (`new Client({ intents, rest: { api: fake.apiUrl } })`) and @discordjs/rest
 * (`new REST({ version: '10', api: fake.apiUrl })`).
 *
 * Shapes follow the official OpenAPI description (/work/shared/reference/discord-openapi/openapi.json), the
 * interaction payloads captured in /work/shared/reference/payloads/discord-interactions.json, and
 * /work/shared/reference/platforms.md (DISCORD §1–§7). Only the guild model the test seeds exists.
 *
 * Not implemented: RESUME (op 6 is answered with op 9 `false`, so clients re-identify), server-sent op 7,
 * zlib/etf, sharding beyond `[0, 1]`, multipart bodies (files), reading audit logs (GET), bans, presences, message
 * history. Audit log entries are written for kicks, role changes and overwrites (the bot's, with its
 * X-Audit-Log-Reason, and those a test makes "in Discord's UI" with `kickByHand` & co.) and dispatched as
 * GUILD_AUDIT_LOG_ENTRY_CREATE to sessions with the Guild Moderation intent, when the bot has View Audit Log.
 */

// ------------------------------------------------------------------------------------------------ constants

const P = PermissionFlagsBits;
/** Every permission bit discord-api-types knows (what owners and ADMINISTRATOR get). */
export const ALL_PERMISSIONS: bigint = Object.values(PermissionFlagsBits).reduce((a, b) => a | b, 0n);
const DISCORD_EPOCH = 1_420_070_400_000n;
const EPHEMERAL = 1 << 6;
const LOADING = 1 << 7;
const PRIVILEGED_INTENTS =
  GatewayIntentBits.GuildMembers | GatewayIntentBits.GuildPresences | GatewayIntentBits.MessageContent;

/** JSON error codes the fake uses, with the HTTP status and message Discord sends for them. */
export const DISCORD_ERRORS: Record<number, readonly [status: number, message: string]> = {
  10003: [404, 'Unknown Channel'],
  10004: [404, 'Unknown Guild'],
  10007: [404, 'Unknown Member'],
  10008: [404, 'Unknown Message'],
  10009: [404, 'Unknown Overwrite'],
  10011: [404, 'Unknown Role'],
  10013: [404, 'Unknown User'],
  10015: [404, 'Unknown Webhook'],
  10062: [404, 'Unknown interaction'],
  10065: [404, 'Unknown Voice State'],
  40032: [400, 'Target user is not connected to voice.'],
  40060: [400, 'Interaction has already been acknowledged.'],
  50001: [403, 'Missing Access'],
  50007: [403, 'Cannot send messages to this user'],
  50013: [403, 'Missing Permissions'],
  50024: [400, 'Cannot execute action on this channel type'],
  50027: [401, 'Invalid Webhook Token'],
  50035: [400, 'Invalid Form Body'],
  50041: [400, 'Invalid API Version'],
  50083: [400, 'Thread is archived'],
  50109: [400, 'The request body contains invalid JSON.'],
  130000: [503, 'API resource is currently overloaded. Try again a little later'],
};

/** Ids of the default model (`defaultGuild()`); all 19-digit snowflakes, as @discordjs/rest's bucketing expects. */
export const DISCORD_DEFAULTS = {
  applicationId: '1300000000000000001',
  /** New applications share their id with their bot user. */
  botId: '1300000000000000001',
  botUsername: 'kickbot',
  token: 'MTMwMDAwMDAwMDAwMDAwMDAwMQ.GfAkE0.fake-bot-token-for-kickbot-tests',
  guildId: '1300000000000000100',
  users: {
    owner: '1300000000000000200',
    alice: '1300000000000000201',
    bob: '1300000000000000202',
    carol: '1300000000000000203',
  },
  roles: {
    /** @everyone has the guild's id. */
    everyone: '1300000000000000100',
    member: '1300000000000000301',
    moderator: '1300000000000000302',
    /** The bot's managed role (position 3). */
    kickbot: '1300000000000000303',
    /** Above the bot (position 4): the bot can't touch it. */
    admin: '1300000000000000304',
  },
  channels: {
    category: '1300000000000000400',
    general: '1300000000000000401',
    /** Hidden from @everyone, visible to Member and the bot's role. */
    private: '1300000000000000402',
    voice: '1300000000000000403',
    /** The bot can't see it (no overwrite for it). */
    secret: '1300000000000000404',
  },
  threads: {
    active: '1300000000000000501',
    archived: '1300000000000000502',
    private: '1300000000000000503',
  },
} as const;

// ------------------------------------------------------------------------------------------------ model types

export interface FakeUser {
  id: string;
  username: string;
  bot?: boolean;
  global_name?: string | null;
}

export interface FakeRole {
  id: string;
  name: string;
  position: number;
  /** Bitset as a decimal string, as Discord serializes it. */
  permissions: string;
  managed?: boolean;
  color?: number;
  hoist?: boolean;
  mentionable?: boolean;
  tags?: Record<string, unknown>;
}

export interface FakeOverwrite {
  id: string;
  /** 0 role, 1 member. */
  type: 0 | 1;
  allow: string;
  deny: string;
}

export interface FakeChannel {
  id: string;
  /** 0 text, 2 voice, 4 category, 5 announcement, 13 stage, 15 forum… */
  type: number;
  name: string;
  parent_id?: string | null;
  position?: number;
  topic?: string | null;
  nsfw?: boolean;
  permission_overwrites?: FakeOverwrite[];
}

export interface FakeThread {
  id: string;
  /** 10 announcement thread, 11 public, 12 private. */
  type: 10 | 11 | 12;
  name?: string;
  parent_id: string;
  owner_id?: string;
  thread_metadata: {
    archived: boolean;
    locked: boolean;
    auto_archive_duration?: number;
    invitable?: boolean;
  };
  /** User ids of the thread's members. */
  members: string[];
}

export interface FakeMember {
  user: FakeUser;
  roles: string[];
  nick?: string | null;
  joined_at?: string;
  communication_disabled_until?: string | null;
  mute?: boolean;
  deaf?: boolean;
}

export interface FakeVoiceState {
  user_id: string;
  channel_id: string | null;
  mute?: boolean;
  deaf?: boolean;
  self_mute?: boolean;
  self_deaf?: boolean;
}

export interface FakeGuild {
  id: string;
  name?: string;
  owner_id: string;
  /** Must contain the @everyone role (id = guild id); it is added with no permissions when missing. */
  roles: FakeRole[];
  channels: FakeChannel[];
  threads?: FakeThread[];
  /** The bot is added as a member without roles when missing. */
  members: FakeMember[];
  voice_states?: FakeVoiceState[];
  preferred_locale?: string;
}

type ChannelState = Required<Pick<FakeChannel, 'parent_id' | 'position' | 'topic' | 'nsfw'>> &
  FakeChannel & { permission_overwrites: FakeOverwrite[] };
type ThreadState = FakeThread & { name: string; owner_id: string; created: string };
type MemberState = FakeMember & {
  nick: string | null;
  joined_at: string;
  communication_disabled_until: string | null;
};

/** The live model of one guild; REST calls change it, tests read it. */
export interface FakeGuildState {
  id: string;
  name: string;
  owner_id: string;
  preferred_locale: string;
  joined_at: string;
  roles: Map<string, FakeRole>;
  channels: Map<string, ChannelState>;
  threads: Map<string, ThreadState>;
  members: Map<string, MemberState>;
  voice: Map<string, FakeVoiceState>;
}

// ------------------------------------------------------------------------------------------------ records

export interface RecordedCall {
  method: string;
  /** Path after `/api/v10`, each segment URL-decoded (`%40original` → `@original`). */
  path: string;
  /** Path after `/api/v10` exactly as received. */
  rawPath: string;
  /** The route template that matched, e.g. `/channels/:channel/permissions/:overwrite`; undefined for 404s. */
  route: string | undefined;
  params: Record<string, string>;
  query: Record<string, string>;
  /** Parsed JSON body (or the raw text for other media types); undefined when empty. */
  body: unknown;
  headers: IncomingHttpHeaders;
  /** `X-Audit-Log-Reason`, URL-decoded. */
  auditLogReason?: string;
  /** `bot` with the right token, `invalid` with another one, `none` without an Authorization header. */
  auth: 'bot' | 'invalid' | 'none';
  at: number;
  /** Filled in when answered. */
  status?: number;
  response?: unknown;
  error?: { code: number; message: string };
  answeredAt?: number;
}

export interface RecordedCallback {
  interactionId: string;
  token: string;
  /** Interaction callback type (4 message, 5 deferred, 6 deferred update, 7 update, 8 autocomplete, 9 modal…). */
  type: number;
  data: Record<string, unknown> | undefined;
  withResponse: boolean;
  at: number;
}

export interface FakeMessage {
  id: string;
  kind: 'channel' | 'original' | 'followup' | 'source';
  channel_id: string;
  guild_id: string | undefined;
  interaction_id: string | undefined;
  content: string;
  embeds: unknown[];
  components: unknown[];
  flags: number;
  allowed_mentions: unknown;
  author: FakeUser;
  /** Message type: 0 default, 20 chat-input command reply, 23 context-menu reply. */
  type: number;
  timestamp: string;
  edited_timestamp: string | null;
  deleted: boolean;
  /** Every body that created or edited it, in order. */
  bodies: unknown[];
}

export interface RecordedIdentify {
  token: string;
  intents: number;
  properties: unknown;
  compress: unknown;
  shard: unknown;
  large_threshold: number | undefined;
  at: number;
}

export interface GatewayPayload {
  op: number;
  d: unknown;
  s?: number | null;
  t?: string | null;
}

export interface DispatchRecord {
  t: string;
  s: number;
  d: unknown;
  session: string;
}

// ------------------------------------------------------------------------------------------------ options

export interface RateLimitOptions {
  /** Requests per window. */
  limit: number;
  resetAfterMs: number;
  /** Bucket name; routes configured with the same name share one counter. Defaults to the route key. */
  bucket?: string;
}

export interface FailOptions {
  /** HTTP status; defaults to the code's status in DISCORD_ERRORS, else 500 (no code) or 400. */
  status?: number;
  /** JSON error code (default 0). */
  code?: number;
  message?: string;
  /** `errors` object of a 50035 answer. */
  errors?: unknown;
  /** How many matching calls fail (default 1; Infinity for all). */
  times?: number;
  /** With status 429: seconds to wait (default 1); sent as Retry-After and `retry_after`. */
  retryAfter?: number;
  /** With status 429: a global limit (`X-RateLimit-Global`). */
  global?: boolean;
  /** Only calls this accepts. */
  match?: (call: RecordedCall) => boolean;
}

/** `'PUT /channels/:c/permissions/:id'` (a template; placeholder names don't matter, the method is optional),
 * a concrete path (`'/channels/123/permissions/456'`), `'*'`, a RegExp tested on `'METHOD /path'`, or a predicate. */
export type RouteSpec = string | RegExp | ((call: RecordedCall) => boolean);

export interface FakeDiscordOptions {
  application?: { id?: string; name?: string; flags?: number; verifyKey?: string };
  bot?: { id?: string; username?: string };
  /** The bot token REST (`Authorization: Bot <token>`) and IDENTIFY accept. */
  token?: string;
  /** Seeded guilds; `[defaultGuild()]` when omitted. */
  guilds?: FakeGuild[];
  port?: number;
  /** HELLO's heartbeat_interval (default 45000). */
  heartbeatIntervalMs?: number;
  /** Privileged intents enabled in the "Developer Portal" (bitset; default all three). IDENTIFY asking for
   * others is closed with 4014, and GET /guilds/:g/members without GuildMembers answers 50001. */
  privilegedIntents?: number;
  /** GUILD_CREATE members: `realistic` (default) sends all only with the GuildPresences intent and a guild at or
   * under large_threshold, else the bot and voice members only; `all` always sends all. */
  gatewayMembers?: 'realistic' | 'all';
  /** Per-route limits from the start (see `rateLimit`). */
  rateLimits?: Record<string, RateLimitOptions>;
  /** Bucket every route without a configured limit falls into (default 1000 per second); null: no headers. */
  defaultRateLimit?: RateLimitOptions | null;
  /** A global limit over all bot-authenticated routes except interaction callbacks and webhooks. */
  globalRateLimit?: RateLimitOptions | null;
  /** Send Retry-After as whole seconds rounded up (Discord's header); default false sends 3 decimals. */
  integerRetryAfter?: boolean;
  /** Initial interaction response deadline (default 3000 ms; Infinity: none). */
  ackDeadlineMs?: number;
  /** Interaction token lifetime for edits and follow-ups (default 15 minutes). */
  tokenLifetimeMs?: number;
}

// ------------------------------------------------------------------------------------------------ interaction builders' input

export interface CommandOption {
  name: string;
  /** 1 subcommand, 2 group, 3 string, 4 integer, 5 boolean, 6 user, 7 channel, 8 role, 9 mentionable, 10 number. */
  type: number;
  value?: string | number | boolean;
  options?: CommandOption[];
  focused?: boolean;
}

export interface InteractionContext {
  /** Guild id (default: the first guild); null for a DM with the bot. */
  guild?: string | null;
  /** Channel or thread id (default: the guild's first text channel). */
  channel?: string;
  /** Invoking user id (default: the guild's first member that is neither the bot nor the owner). */
  user?: string;
  /** Override `member.permissions` (default: computed from the model for the channel). */
  memberPermissions?: string | bigint;
  /** Override `app_permissions` (default: the bot's permissions in the channel). */
  appPermissions?: string | bigint;
  locale?: string;
  id?: string;
  token?: string;
}

export interface CommandInteractionOptions extends InteractionContext {
  name: string;
  options?: CommandOption[];
  /** Merged over what the fake resolves from USER/CHANNEL/ROLE/MENTIONABLE options. */
  resolved?: Record<string, Record<string, unknown>>;
  /** Default: the id of the registered command of that name, else a fresh snowflake. */
  commandId?: string;
  /** 1 chat input (default), 2 user, 3 message. */
  commandType?: 1 | 2 | 3;
  targetId?: string;
}

export interface ComponentInteractionOptions extends InteractionContext {
  custom_id: string;
  /** 2 button (default), 3 string select, 5 user select, 6 role, 7 mentionable, 8 channel select. */
  component_type?: number;
  values?: string[];
  /** The message carrying the component: a FakeMessage id, an API message object, or (default) a synthesized
   * bot message with a button. */
  message?: string | Record<string, unknown>;
  resolved?: Record<string, Record<string, unknown>>;
}

export interface AutocompleteInteractionOptions extends InteractionContext {
  name: string;
  /** One option should have `focused: true`. */
  options: CommandOption[];
  commandId?: string;
}

/** An interaction payload as Discord sends it (INTERACTION_CREATE `d`, or the HTTP interactions body). */
export interface FakeInteraction {
  id: string;
  application_id: string;
  type: number;
  token: string;
  version: 1;
  data?: Record<string, unknown>;
  guild_id?: string;
  channel_id?: string;
  member?: Record<string, unknown>;
  user?: Record<string, unknown>;
  [key: string]: unknown;
}

interface InteractionState {
  payload: FakeInteraction;
  createdAt: number;
  acked: boolean;
  ackType: number | undefined;
  originalId: string | undefined;
  sourceMessageId: string | undefined;
}

interface CommandState {
  id: string;
  application_id: string;
  version: string;
  guild_id?: string;
  name: string;
  type: number;
  description: string;
  [key: string]: unknown;
}

// ------------------------------------------------------------------------------------------------ internals

type FakeDiscordEvents = {
  /** A REST call arrived (not answered yet). */
  request: [RecordedCall];
  /** A REST call was answered. */
  call: [RecordedCall];
  callback: [RecordedCallback];
  /** A message was created or edited. */
  message: [FakeMessage];
  /** A gateway connection opened (HELLO sent). */
  connection: [];
  identify: [RecordedIdentify];
  /** A client payload arrived over the gateway. */
  gateway: [GatewayPayload];
  dispatch: [DispatchRecord];
  /** Anything above; waiters re-check on it. */
  change: [];
};

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly errors?: unknown,
  ) {
    super(message);
  }
}

function apiError(code: number, errors?: unknown): ApiError {
  const [status, message] = DISCORD_ERRORS[code] ?? [400, 'Bad Request'];
  return new ApiError(status, code, message, errors);
}

function formError(field: string, code: string, message: string): ApiError {
  const errors: Record<string, unknown> = {};
  let cursor = errors;
  const parts = field.split('.');
  parts.forEach((part, i) => {
    const next: Record<string, unknown> = i === parts.length - 1 ? { _errors: [{ code, message }] } : {};
    cursor[part] = next;
    cursor = next;
  });
  return apiError(50035, errors);
}

type Answer = { status: number; body?: unknown; headers?: Record<string, string> };
type Obj = Record<string, unknown>;
interface Ctx {
  call: RecordedCall;
  p: Record<string, string>;
  q: URLSearchParams;
  body: Obj;
}
interface Route {
  method: string;
  template: string;
  parts: string[];
  /** Needs `Authorization: Bot <token>`. */
  auth: boolean;
  handler: (ctx: Ctx) => Answer;
}
interface LimitConfig extends Required<Pick<RateLimitOptions, 'limit' | 'resetAfterMs'>> {
  spec: RouteSpec;
  key: string;
  bucket: string;
}
interface LimitWindow {
  count: number;
  resetAt: number;
}
type Injection = FailOptions & { spec: RouteSpec; times: number };
interface GatewaySession {
  ws: WebSocket;
  seq: number;
  sessionId: string;
  identify: RecordedIdentify | undefined;
}

const ok = (body: unknown): Answer => ({ status: 200, body });
const noContent = (): Answer => ({ status: 204 });
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const iso = (ms = Date.now()) => new Date(ms).toISOString().replace('Z', '+00:00');
const bits = (v: unknown): bigint => {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  if (typeof v === 'string' && /^\d+$/.test(v)) return BigInt(v);
  return 0n;
};
const has = (perms: bigint, bit: bigint) => (perms & bit) === bit;
const normTemplate = (t: string) => t.replace(/:[^/]+/g, ':');
const VOICE_TYPES = new Set([2, 13]);
const COMMAND_NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

let snowflakeIncrement = 0;
/** A fresh snowflake for now (19 digits). */
export function snowflake(): string {
  snowflakeIncrement = (snowflakeIncrement + 1) & 0xfff;
  return (
    ((BigInt(Date.now()) - DISCORD_EPOCH) << 22n) |
    (1n << 17n) |
    BigInt(snowflakeIncrement)
  ).toString();
}

/** A permission bitset string from flag names, e.g. `perms('ViewChannel', 'SendMessages')`. */
export function perms(...names: (keyof typeof PermissionFlagsBits)[]): string {
  return names.reduce((acc, n) => acc | PermissionFlagsBits[n], 0n).toString();
}

/** The default guild: owner, alice/bob (Member), carol (Moderator), the bot (managed `kickbot` role at position 3
 * with ManageRoles, ManageThreads, MoveMembers, KickMembers…), an Admin role above it, #general, #private (hidden
 * from @everyone), #secret (hidden from the bot), a voice channel with alice in it, and three threads. */
export function defaultGuild(): FakeGuild {
  const d = DISCORD_DEFAULTS;
  const basic = perms(
    'ViewChannel',
    'SendMessages',
    'SendMessagesInThreads',
    'ReadMessageHistory',
    'Connect',
    'Speak',
    'UseApplicationCommands',
  );
  return {
    id: d.guildId,
    name: 'Kickbot Test Guild',
    owner_id: d.users.owner,
    roles: [
      { id: d.roles.everyone, name: '@everyone', position: 0, permissions: basic },
      { id: d.roles.member, name: 'Member', position: 1, permissions: '0' },
      {
        id: d.roles.moderator,
        name: 'Moderator',
        position: 2,
        permissions: perms('KickMembers', 'ManageMessages', 'ManageThreads', 'MoveMembers'),
      },
      {
        id: d.roles.kickbot,
        name: 'kickbot',
        position: 3,
        managed: true,
        tags: { bot_id: d.botId },
        permissions: perms(
          'ViewChannel',
          'SendMessages',
          'SendMessagesInThreads',
          'Connect',
          'ManageRoles',
          'ManageThreads',
          'MoveMembers',
          'KickMembers',
        ),
      },
      { id: d.roles.admin, name: 'Admin', position: 4, permissions: perms('Administrator') },
    ],
    channels: [
      { id: d.channels.category, type: 4, name: 'Text Channels', position: 0 },
      { id: d.channels.general, type: 0, name: 'general', parent_id: d.channels.category, position: 0 },
      {
        id: d.channels.private,
        type: 0,
        name: 'private',
        parent_id: d.channels.category,
        position: 1,
        permission_overwrites: [
          { id: d.roles.everyone, type: 0, allow: '0', deny: perms('ViewChannel') },
          { id: d.roles.member, type: 0, allow: perms('ViewChannel'), deny: '0' },
          { id: d.roles.kickbot, type: 0, allow: perms('ViewChannel'), deny: '0' },
        ],
      },
      { id: d.channels.voice, type: 2, name: 'Voice', position: 2 },
      {
        id: d.channels.secret,
        type: 0,
        name: 'secret',
        position: 3,
        permission_overwrites: [{ id: d.roles.everyone, type: 0, allow: '0', deny: perms('ViewChannel') }],
      },
    ],
    threads: [
      {
        id: d.threads.active,
        type: 11,
        name: 'active thread',
        parent_id: d.channels.general,
        owner_id: d.users.alice,
        thread_metadata: { archived: false, locked: false },
        members: [d.users.alice, d.users.bob, d.botId],
      },
      {
        id: d.threads.archived,
        type: 11,
        name: 'archived thread',
        parent_id: d.channels.general,
        owner_id: d.users.alice,
        thread_metadata: { archived: true, locked: false },
        members: [d.users.alice, d.users.bob],
      },
      {
        id: d.threads.private,
        type: 12,
        name: 'private thread',
        parent_id: d.channels.general,
        owner_id: d.users.bob,
        thread_metadata: { archived: false, locked: false, invitable: false },
        members: [d.users.bob, d.users.alice],
      },
    ],
    members: [
      { user: { id: d.users.owner, username: 'olga' }, roles: [d.roles.admin] },
      { user: { id: d.users.alice, username: 'alice', global_name: 'Alice' }, roles: [d.roles.member] },
      { user: { id: d.users.bob, username: 'bob' }, roles: [d.roles.member] },
      { user: { id: d.users.carol, username: 'carol' }, roles: [d.roles.member, d.roles.moderator] },
      { user: { id: d.botId, username: d.botUsername, bot: true }, roles: [d.roles.kickbot] },
    ],
    voice_states: [{ user_id: d.users.alice, channel_id: d.channels.voice }],
  };
}

// ------------------------------------------------------------------------------------------------ the fake

export class FakeDiscord extends EventEmitter<FakeDiscordEvents> {
  readonly application: { id: string; name: string; flags: number; verifyKey: string };
  readonly bot: FakeUser;
  readonly token: string;
  readonly guilds = new Map<string, FakeGuildState>();

  /** Every REST call, in arrival order. */
  readonly calls: RecordedCall[] = [];
  /** Every accepted interaction callback. */
  readonly callbacks: RecordedCallback[] = [];
  /** Messages (channel posts, interaction replies and follow-ups), edited in place. */
  readonly messages: FakeMessage[] = [];
  readonly identifies: RecordedIdentify[] = [];
  /** Payloads clients sent over the gateway. */
  readonly gatewayPayloads: GatewayPayload[] = [];
  /** Dispatches sent (one record per session). */
  readonly dispatches: DispatchRecord[] = [];
  /** Audit log entries written, oldest first (each as dispatched: with `id` and `guild_id`). */
  readonly auditLog: (AuditEntryBody & { id: string; guild_id: string })[] = [];
  /** Interactions the fake built, by id. */
  readonly interactions = new Map<string, InteractionState>();
  readonly stats = {
    requests: 0,
    /** 429 answers (route, global and injected). */
    limited: 0,
    limitedGlobal: 0,
    limitedBy: {} as Record<string, number>,
    injected: 0,
    heartbeats: 0,
    connections: 0,
  };

  /** Registered commands: `global` and per guild id. */
  readonly commands = { global: [] as CommandState[], guild: new Map<string, CommandState[]>() };

  private readonly opts: FakeDiscordOptions;
  private readonly routes: Route[];
  private readonly injections: Injection[] = [];
  private readonly delays: { spec: RouteSpec; ms: number }[] = [];
  private readonly holds: { spec: RouteSpec; gate: Promise<void>; pass: number; waiting: number }[] = [];
  private readonly limits: LimitConfig[] = [];
  private readonly windows = new Map<string, LimitWindow>();
  private globalLimit: LimitConfig | null = null;
  private globalWindow: LimitWindow | undefined;
  private readonly messageErrors = new Map<string, number>();
  /** DM channels the bot opened (POST /users/@me/channels): channel id to recipient id. */
  readonly dmChannels = new Map<string, string>();
  private readonly closedDms = new Set<string>();
  private readonly sleeps = new Delays();
  private readonly sessions: GatewaySession[] = [];
  private readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  private server!: Server;
  private port = 0;
  private closed = false;

  private constructor(opts: FakeDiscordOptions) {
    super();
    this.setMaxListeners(0);
    this.opts = opts;
    const d = DISCORD_DEFAULTS;
    this.bot = {
      id: opts.bot?.id ?? d.botId,
      username: opts.bot?.username ?? d.botUsername,
      bot: true,
      global_name: null,
    };
    const privileged = opts.privilegedIntents ?? PRIVILEGED_INTENTS;
    const limitedFlags =
      (privileged & GatewayIntentBits.GuildPresences ? 1 << 13 : 0) |
      (privileged & GatewayIntentBits.GuildMembers ? 1 << 15 : 0) |
      (privileged & GatewayIntentBits.MessageContent ? 1 << 19 : 0);
    this.application = {
      id: opts.application?.id ?? d.applicationId,
      name: opts.application?.name ?? this.bot.username,
      flags: opts.application?.flags ?? limitedFlags,
      verifyKey: opts.application?.verifyKey ?? randomBytes(32).toString('hex'),
    };
    this.token = opts.token ?? d.token;
    for (const g of opts.guilds ?? [defaultGuild()]) this.addGuild(g);
    for (const [key, limit] of Object.entries(opts.rateLimits ?? {})) this.rateLimit(key, limit);
    if (opts.globalRateLimit) this.globalRateLimit(opts.globalRateLimit);
    this.routes = this.buildRoutes();
  }

  /** Starts the fake on 127.0.0.1 (a free port unless `port`). */
  static async start(opts: FakeDiscordOptions = {}): Promise<FakeDiscord> {
    const fake = new FakeDiscord(opts);
    fake.server = createServer((req, res) => {
      fake.route(req, res).catch((e: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ code: 0, message: `fake discord: ${e instanceof Error ? e.message : e}` }));
      });
    });
    fake.server.on('upgrade', (req, socket, head) => fake.upgrade(req, socket, head));
    await new Promise<void>((resolve, reject) => {
      fake.server.once('error', reject);
      fake.server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
    });
    fake.port = (fake.server.address() as AddressInfo).port;
    return fake;
  }

  /** `http://127.0.0.1:PORT` */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** `http://127.0.0.1:PORT/api` — what discord.js `rest.api` and @discordjs/rest `api` take. */
  get apiUrl(): string {
    return `${this.url}/api`;
  }

  /** `ws://127.0.0.1:PORT/gateway` (GET /gateway/bot's `url`). */
  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}/gateway`;
  }

  /** Closes gateway connections (without a close frame) and the server. Destroy discord.js clients first, or
   * they try to reconnect. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.sleeps.wakeAll();
    for (const s of this.sessions) s.ws.terminate();
    this.wss.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ============================================================================================== model

  addGuild(g: FakeGuild): FakeGuildState {
    const state: FakeGuildState = {
      id: g.id,
      name: g.name ?? `guild ${g.id}`,
      owner_id: g.owner_id,
      preferred_locale: g.preferred_locale ?? 'en-US',
      joined_at: iso(Date.now() - 86_400_000),
      roles: new Map(),
      channels: new Map(),
      threads: new Map(),
      members: new Map(),
      voice: new Map(),
    };
    this.guilds.set(g.id, state);
    for (const r of g.roles) this.addRole(g.id, r);
    if (!state.roles.has(g.id))
      this.addRole(g.id, { id: g.id, name: '@everyone', position: 0, permissions: '0' });
    for (const c of g.channels) this.addChannel(g.id, c);
    for (const t of g.threads ?? []) this.addThread(g.id, t);
    for (const m of g.members) this.addMember(g.id, m);
    if (!state.members.has(this.bot.id)) this.addMember(g.id, { user: { ...this.bot }, roles: [] });
    for (const v of g.voice_states ?? []) if (v.channel_id) state.voice.set(v.user_id, { ...v });
    return state;
  }

  addRole(guildId: string, role: FakeRole): void {
    this.mustGuild(guildId).roles.set(role.id, { ...role });
  }

  addChannel(guildId: string, c: FakeChannel): void {
    this.mustGuild(guildId).channels.set(c.id, {
      ...c,
      parent_id: c.parent_id ?? null,
      position: c.position ?? 0,
      topic: c.topic ?? null,
      nsfw: c.nsfw ?? false,
      permission_overwrites: (c.permission_overwrites ?? []).map((o) => ({ ...o })),
    });
  }

  addThread(guildId: string, t: FakeThread): void {
    this.mustGuild(guildId).threads.set(t.id, {
      ...t,
      name: t.name ?? `thread ${t.id}`,
      owner_id: t.owner_id ?? this.bot.id,
      thread_metadata: { ...t.thread_metadata },
      members: [...t.members],
      created: iso(Date.now() - 3_600_000),
    });
  }

  addMember(guildId: string, m: FakeMember): void {
    this.mustGuild(guildId).members.set(m.user.id, {
      ...m,
      user: { ...m.user },
      roles: [...m.roles],
      nick: m.nick ?? null,
      joined_at: m.joined_at ?? iso(Date.now() - 7 * 86_400_000),
      communication_disabled_until: m.communication_disabled_until ?? null,
    });
  }

  guild(id: string): FakeGuildState | undefined {
    return this.guilds.get(id);
  }

  /** A channel or thread with its guild. */
  findChannel(
    id: string,
  ): { guild: FakeGuildState; channel?: ChannelState; thread?: ThreadState } | undefined {
    for (const guild of this.guilds.values()) {
      const channel = guild.channels.get(id);
      if (channel) return { guild, channel };
      const thread = guild.threads.get(id);
      if (thread) return { guild, thread };
    }
    return undefined;
  }

  member(guildId: string, userId: string): MemberState | undefined {
    return this.guilds.get(guildId)?.members.get(userId);
  }

  overwrite(channelId: string, targetId: string): FakeOverwrite | undefined {
    return this.findChannel(channelId)?.channel?.permission_overwrites.find((o) => o.id === targetId);
  }

  voiceState(guildId: string, userId: string): FakeVoiceState | undefined {
    return this.guilds.get(guildId)?.voice.get(userId);
  }

  isThreadMember(threadId: string, userId: string): boolean {
    return this.findChannel(threadId)?.thread?.members.includes(userId) ?? false;
  }

  /** Puts a user into a voice channel (or out, with null) and dispatches VOICE_STATE_UPDATE. */
  setVoiceState(guildId: string, userId: string, channelId: string | null): void {
    const g = this.mustGuild(guildId);
    if (channelId) g.voice.set(userId, { ...g.voice.get(userId), user_id: userId, channel_id: channelId });
    else g.voice.delete(userId);
    this.dispatchVoiceState(g, userId, channelId);
  }

  /** Archives/unarchives (and optionally locks) a thread; dispatches THREAD_UPDATE. */
  setThreadArchived(threadId: string, archived: boolean, locked?: boolean): void {
    const found = this.findChannel(threadId);
    if (!found?.thread) throw new Error(`FakeDiscord: no thread ${threadId}`);
    found.thread.thread_metadata.archived = archived;
    if (locked !== undefined) found.thread.thread_metadata.locked = locked;
    this.dispatch(
      'THREAD_UPDATE',
      this.threadObject(found.guild, found.thread, true),
      GatewayIntentBits.Guilds,
    );
  }

  /**
   * The user accepts no direct messages from the bot (privacy settings: "Allow direct messages from server members"
   * off, or the bot blocked): a message in their DM channel answers 50007, as Discord does.
   */
  closeDms(userId: string, closed = true): void {
    if (closed) this.closedDms.add(userId);
    else this.closedDms.delete(userId);
  }

  /** POST /channels/:channel/messages answers this error code (e.g. 50001, 50013) until cleared with null. */
  messageError(channelId: string, code: number | null): void {
    if (code === null) this.messageErrors.delete(channelId);
    else this.messageErrors.set(channelId, code);
  }

  // ---------------------------------------------------------------------------------------------- permissions

  /** Guild-level permissions: owner and ADMINISTRATOR get everything. */
  guildPermissions(guildId: string, userId: string): bigint {
    const g = this.guilds.get(guildId);
    const m = g?.members.get(userId);
    if (!g || !m) return 0n;
    if (g.owner_id === userId) return ALL_PERMISSIONS;
    let p = bits(g.roles.get(g.id)?.permissions);
    for (const r of m.roles) p |= bits(g.roles.get(r)?.permissions);
    return has(p, P.Administrator) ? ALL_PERMISSIONS : p;
  }

  /** Permissions in a channel (threads use their parent) after overwrites; without ViewChannel everything is
   * implicitly denied unless `implicit` is false. */
  channelPermissions(channelId: string, userId: string, implicit = true): bigint {
    const found = this.findChannel(channelId);
    if (!found) return 0n;
    const { guild } = found;
    const channel = found.channel ?? (found.thread ? guild.channels.get(found.thread.parent_id) : undefined);
    const base = this.guildPermissions(guild.id, userId);
    if (has(base, P.Administrator)) return ALL_PERMISSIONS;
    const m = guild.members.get(userId);
    if (!channel || !m) return base;
    let p = base;
    const ows = channel.permission_overwrites;
    const everyone = ows.find((o) => o.id === guild.id);
    if (everyone) p = (p & ~bits(everyone.deny)) | bits(everyone.allow);
    let allow = 0n;
    let deny = 0n;
    for (const o of ows) {
      if (o.type === 0 && o.id !== guild.id && m.roles.includes(o.id)) {
        allow |= bits(o.allow);
        deny |= bits(o.deny);
      }
    }
    p = (p & ~deny) | allow;
    const own = ows.find((o) => o.type === 1 && o.id === userId);
    if (own) p = (p & ~bits(own.deny)) | bits(own.allow);
    if (implicit && !has(p, P.ViewChannel)) return 0n;
    return p;
  }

  /** Position of the member's highest role (@everyone = 0). */
  highestPosition(guildId: string, userId: string): number {
    const g = this.guilds.get(guildId);
    const m = g?.members.get(userId);
    if (!g || !m) return 0;
    return Math.max(0, ...m.roles.map((r) => g.roles.get(r)?.position ?? 0));
  }

  // ============================================================================================== test controls

  /** The next matching call(s) fail with the given status/code. */
  failNext(spec: RouteSpec, opts: FailOptions = {}): void {
    this.injections.push({ ...opts, spec, times: opts.times ?? 1 });
  }

  /** Answer matching calls after `ms` (a timer per request); 0 removes the delay. */
  delay(spec: RouteSpec, ms: number): void {
    const i = this.delays.findIndex((d) => d.spec === spec);
    if (i >= 0) this.delays.splice(i, 1);
    if (ms > 0) this.delays.push({ spec, ms });
  }

  /**
   * Matching calls past the first `after` wait, unanswered, until `release()`: a batch caught with removals in
   * flight. `waiting` counts the calls held so far (each one also says `change`).
   */
  hold(spec: RouteSpec, after = 0): { readonly waiting: number; release(): void } {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const held = { spec, gate, pass: after, waiting: 0 };
    this.holds.push(held);
    return {
      get waiting() {
        return held.waiting;
      },
      release: () => {
        const i = this.holds.indexOf(held);
        if (i >= 0) this.holds.splice(i, 1);
        open();
      },
    };
  }

  /** A fixed-window bucket per major parameter (channel, guild, webhook) for matching routes; null removes it. */
  rateLimit(spec: RouteSpec, limit: RateLimitOptions | null): void {
    const key = typeof spec === 'string' ? spec : String(spec);
    const i = this.limits.findIndex((l) => l.key === key);
    if (i >= 0) this.limits.splice(i, 1);
    if (!limit) return;
    this.limits.push({
      spec,
      key,
      limit: limit.limit,
      resetAfterMs: limit.resetAfterMs,
      bucket: hash(limit.bucket ?? key),
    });
  }

  /** A global limit over bot-authenticated routes (interaction callbacks and webhooks are exempt); null removes. */
  globalRateLimit(limit: RateLimitOptions | null): void {
    this.globalWindow = undefined;
    this.globalLimit = limit
      ? { spec: '*', key: 'global', limit: limit.limit, resetAfterMs: limit.resetAfterMs, bucket: 'global' }
      : null;
  }

  /** Forgets recorded calls, callbacks, messages, gateway records and stats (not the model or the controls). */
  clearRecords(): void {
    this.calls.length = 0;
    this.callbacks.length = 0;
    this.messages.length = 0;
    this.identifies.length = 0;
    this.gatewayPayloads.length = 0;
    this.dispatches.length = 0;
    Object.assign(this.stats, {
      requests: 0,
      limited: 0,
      limitedGlobal: 0,
      limitedBy: {},
      injected: 0,
      heartbeats: 0,
      connections: 0,
    });
  }

  /** Answered calls matching a method (`*` for any) and a route spec. */
  callsTo(method: string, route: RouteSpec): RecordedCall[] {
    return this.calls.filter(
      (c) => c.status !== undefined && (method === '*' || c.method === method) && specMatches(route, c),
    );
  }

  /** Resolves with the first truthy value of `check`, re-checked whenever the fake records something. */
  waitFor<T>(check: () => T | undefined | null | false, timeoutMs = 2000, what = 'a condition'): Promise<T> {
    return whenChanged(this, check, { timeoutMs, what, label: 'FakeDiscord' });
  }

  /** The first answered call of `method` (`*`: any) matching `route` (template or concrete path). */
  waitForCall(method: string, route: RouteSpec, timeoutMs = 2000): Promise<RecordedCall> {
    return this.waitFor(
      () => this.callsTo(method, route)[0],
      timeoutMs,
      `answered ${method} ${String(route)}`,
    );
  }

  /** The first `count` answered calls matching. */
  waitForCalls(method: string, route: RouteSpec, count: number, timeoutMs = 2000): Promise<RecordedCall[]> {
    return this.waitFor(
      () => {
        const found = this.callsTo(method, route);
        return found.length >= count ? found.slice(0, count) : undefined;
      },
      timeoutMs,
      `${count} answered ${method} ${String(route)}`,
    );
  }

  /** The first accepted callback for an interaction. */
  waitForCallback(interactionId: string, timeoutMs = 2000): Promise<RecordedCallback> {
    return this.waitFor(
      () => this.callbacks.find((c) => c.interactionId === interactionId),
      timeoutMs,
      `callback for interaction ${interactionId}`,
    );
  }

  /** The first message (channel post, reply, follow-up) matching. */
  waitForMessage(match: (m: FakeMessage) => boolean, timeoutMs = 2000): Promise<FakeMessage> {
    return this.waitFor(() => this.messages.find(match), timeoutMs, 'matching message');
  }

  /** Resolves once `count` gateway sessions have been sent READY. */
  waitForReady(count = 1, timeoutMs = 2000): Promise<RecordedIdentify> {
    return this.waitFor(
      () => (this.identifies.length >= count ? this.identifies[count - 1] : undefined),
      timeoutMs,
      `${count} identified gateway session(s)`,
    );
  }

  /** The interaction reply (`@original`) message, once it exists. */
  originalMessage(interactionId: string): FakeMessage | undefined {
    const id = this.interactions.get(interactionId)?.originalId;
    return id ? this.messages.find((m) => m.id === id) : undefined;
  }

  /** Follow-up messages of an interaction. */
  followUps(interactionId: string): FakeMessage[] {
    return this.messages.filter((m) => m.kind === 'followup' && m.interaction_id === interactionId);
  }

  // ============================================================================================== by hand

  /**
   * Writes an audit log entry (an id for now) and dispatches it as GUILD_AUDIT_LOG_ENTRY_CREATE to the sessions
   * with the Guild Moderation intent, if the bot has View Audit Log in the guild (Discord sends it to no one else).
   */
  writeAuditLog(guildId: string, body: AuditEntryBody): AuditEntryBody & { id: string; guild_id: string } {
    const entry = { id: snowflake(), ...body, guild_id: guildId };
    this.auditLog.push(entry);
    if (has(this.guildPermissions(guildId, this.bot.id), P.ViewAuditLog))
      this.dispatch('GUILD_AUDIT_LOG_ENTRY_CREATE', entry, GatewayIntentBits.GuildModeration);
    this.emit('change');
    return entry;
  }

  /** Someone kicks a member in Discord's own UI. */
  kickByHand(guildId: string, userId: string, executor: string, reason?: string): void {
    const g = this.mustGuild(guildId);
    const m = g.members.get(userId);
    if (!m) throw new Error(`FakeDiscord: ${userId} is not a member of ${guildId}`);
    this.removeMember(g, m);
    this.writeAuditLog(guildId, kickEntry(userId, executor, reason));
  }

  /** Someone gives or takes a role in Discord's own UI. */
  roleByHand(guildId: string, userId: string, roleId: string, add: boolean, executor: string): void {
    const g = this.mustGuild(guildId);
    const m = g.members.get(userId);
    const role = g.roles.get(roleId);
    if (!m || !role) throw new Error(`FakeDiscord: no member ${userId} or role ${roleId} in ${guildId}`);
    if (add === m.roles.includes(roleId)) return;
    m.roles = add ? [...m.roles, roleId] : m.roles.filter((r) => r !== roleId);
    this.dispatchMemberUpdate(g, m);
    this.writeAuditLog(guildId, roleEntry(userId, role, add, executor));
  }

  /** Someone edits (or with null removes) a channel's overwrite for a member or role in Discord's own UI. */
  overwriteByHand(
    channelId: string,
    targetId: string,
    next: { allow: string; deny: string } | null,
    executor: string,
  ): void {
    const found = this.findChannel(channelId);
    if (!found?.channel) throw new Error(`FakeDiscord: no channel ${channelId}`);
    const type = found.guild.roles.has(targetId) ? 0 : 1;
    this.setOverwrite(
      found.guild,
      found.channel,
      targetId,
      next ? { id: targetId, type, ...next } : null,
      executor,
      undefined,
    );
  }

  /** Someone joins the guild: GUILD_MEMBER_ADD (with `guild_id`) to sessions with the Server Members intent. */
  memberJoins(guildId: string, member: FakeMember): void {
    this.addMember(guildId, member);
    const m = this.mustGuild(guildId).members.get(member.user.id) as MemberState;
    this.dispatch(
      'GUILD_MEMBER_ADD',
      { ...this.memberObject(m), guild_id: guildId },
      GatewayIntentBits.GuildMembers,
    );
  }

  // ============================================================================================== gateway

  /** Sends a dispatch to every identified session (whose intents include `intent`, when given); returns how many
   * sessions got it. */
  dispatch(t: string, d: unknown, intent?: number): number {
    let n = 0;
    for (const s of this.sessions) {
      if (!s.identify || s.ws.readyState !== s.ws.OPEN) continue;
      if (intent !== undefined && !(s.identify.intents & intent)) continue;
      this.sendDispatch(s, t, d);
      n++;
    }
    if (n > 0) this.emit('change');
    return n;
  }

  /** Sends INTERACTION_CREATE with `payload` (from a builder) to every identified session. */
  dispatchInteraction<T extends FakeInteraction>(payload: T): T {
    if (this.dispatch('INTERACTION_CREATE', payload) === 0) {
      throw new Error('FakeDiscord: no identified gateway session to dispatch the interaction to');
    }
    return payload;
  }

  /** Closes every gateway connection with `code` (discord.js reconnects; its RESUME gets op 9, then it
   * identifies again). */
  closeGateway(code = 4000, reason = 'fake: closed by test'): void {
    for (const s of this.sessions) if (s.ws.readyState === s.ws.OPEN) s.ws.close(code, reason);
  }

  /** Open gateway connections. */
  get gatewayConnections(): number {
    return this.sessions.filter((s) => s.ws.readyState === s.ws.OPEN).length;
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const u = new URL(req.url ?? '/', this.url);
    if (u.pathname !== '/gateway') {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws, u.searchParams));
  }

  private onConnection(ws: WebSocket, params: URLSearchParams): void {
    const session: GatewaySession = {
      ws,
      seq: 0,
      sessionId: randomBytes(16).toString('hex'),
      identify: undefined,
    };
    this.sessions.push(session);
    this.stats.connections++;
    ws.on('close', () => {
      const i = this.sessions.indexOf(session);
      if (i >= 0) this.sessions.splice(i, 1);
      this.emit('change');
    });
    ws.on('error', () => {});
    if ((params.get('v') ?? '10') !== '10') {
      ws.close(4012, 'Invalid API version');
      return;
    }
    if ((params.get('encoding') ?? 'json') !== 'json' || params.has('compress')) {
      ws.close(4002, 'fake discord: only encoding=json without transport compression');
      return;
    }
    ws.on('message', (data, isBinary) => this.onGatewayMessage(session, data, isBinary));
    this.send(session, {
      op: 10,
      d: { heartbeat_interval: this.opts.heartbeatIntervalMs ?? 45_000 },
      s: null,
      t: null,
    });
    this.emit('connection');
    this.emit('change');
  }

  private onGatewayMessage(session: GatewaySession, data: RawData, isBinary: boolean): void {
    let payload: GatewayPayload;
    try {
      if (isBinary) throw new Error('binary');
      const parsed: unknown = JSON.parse(data.toString());
      if (!isObj(parsed) || typeof parsed.op !== 'number') throw new Error('shape');
      payload = { op: parsed.op, d: parsed.d };
    } catch {
      session.ws.close(4002, 'Decode error');
      return;
    }
    this.gatewayPayloads.push(payload);
    this.emit('gateway', payload);
    const { op, d } = payload;
    if (op === 1) {
      this.stats.heartbeats++;
      this.send(session, { op: 11, d: null });
    } else if (op === 2) {
      this.identify(session, d);
    } else if (op === 6) {
      this.send(session, { op: 9, d: false });
    } else if (!session.identify) {
      session.ws.close(4003, 'Not authenticated');
    } else if (op === 8) {
      this.requestGuildMembers(session, d);
    } else if (op !== 3 && op !== 4) {
      session.ws.close(4001, 'Unknown opcode');
    }
    this.emit('change');
  }

  private identify(session: GatewaySession, d: unknown): void {
    if (session.identify) return void session.ws.close(4005, 'Already authenticated');
    if (!isObj(d) || d.token !== this.token) return void session.ws.close(4004, 'Authentication failed');
    if (typeof d.intents !== 'number' || !Number.isInteger(d.intents) || d.intents < 0) {
      return void session.ws.close(4013, 'Invalid intent(s)');
    }
    const privileged = this.opts.privilegedIntents ?? PRIVILEGED_INTENTS;
    if (d.intents & PRIVILEGED_INTENTS & ~privileged)
      return void session.ws.close(4014, 'Disallowed intent(s)');
    const rec: RecordedIdentify = {
      token: d.token,
      intents: d.intents,
      properties: d.properties,
      compress: d.compress,
      shard: d.shard,
      large_threshold: typeof d.large_threshold === 'number' ? d.large_threshold : undefined,
      at: Date.now(),
    };
    session.identify = rec;
    this.sendDispatch(session, 'READY', {
      v: 10,
      user: {
        ...this.userObject(this.bot),
        verified: true,
        mfa_enabled: false,
        email: null,
      },
      user_settings: {},
      guilds: [...this.guilds.keys()].map((id) => ({ id, unavailable: true })),
      session_id: session.sessionId,
      session_type: 'normal',
      resume_gateway_url: this.gatewayUrl,
      shard: [0, 1],
      application: { id: this.application.id, flags: this.application.flags },
      private_channels: [],
      relationships: [],
      presences: [],
      geo_ordered_rtc_regions: [],
      guild_join_requests: [],
      _trace: ['["fake-discord",{"micros":0}]'],
    });
    if (rec.intents & GatewayIntentBits.Guilds) {
      for (const g of this.guilds.values())
        this.sendDispatch(session, 'GUILD_CREATE', this.guildCreate(g, rec));
    }
    this.identifies.push(rec);
    this.emit('identify', rec);
  }

  private requestGuildMembers(session: GatewaySession, d: unknown): void {
    if (!isObj(d)) return;
    const g = this.guilds.get(String(d.guild_id));
    if (!g) return;
    const ids = Array.isArray(d.user_ids)
      ? d.user_ids.map(String)
      : typeof d.user_ids === 'string'
        ? [d.user_ids]
        : null;
    const query = typeof d.query === 'string' ? d.query.toLowerCase() : '';
    const limit = typeof d.limit === 'number' && d.limit > 0 ? d.limit : Number.POSITIVE_INFINITY;
    const all = [...g.members.values()];
    const found = (
      ids ? all.filter((m) => ids.includes(m.user.id)) : all.filter((m) => m.user.username.startsWith(query))
    ).slice(0, limit);
    this.sendDispatch(session, 'GUILD_MEMBERS_CHUNK', {
      guild_id: g.id,
      members: found.map((m) => this.memberObject(m)),
      chunk_index: 0,
      chunk_count: 1,
      ...(ids ? { not_found: ids.filter((id) => !g.members.has(id)) } : {}),
      ...(typeof d.nonce === 'string' ? { nonce: d.nonce } : {}),
    });
  }

  private send(session: GatewaySession, payload: GatewayPayload): void {
    if (session.ws.readyState === session.ws.OPEN) session.ws.send(JSON.stringify(payload));
  }

  private sendDispatch(session: GatewaySession, t: string, d: unknown): void {
    const s = ++session.seq;
    this.send(session, { op: 0, t, s, d });
    const rec: DispatchRecord = { t, s, d, session: session.sessionId };
    this.dispatches.push(rec);
    this.emit('dispatch', rec);
  }

  private guildCreate(g: FakeGuildState, identify: RecordedIdentify): Obj {
    const threshold = identify.large_threshold ?? 50;
    const large = g.members.size > threshold;
    const everyone =
      this.opts.gatewayMembers === 'all' ||
      (!large && (identify.intents & GatewayIntentBits.GuildPresences) !== 0);
    const members = [...g.members.values()].filter(
      (m) => everyone || m.user.id === this.bot.id || g.voice.has(m.user.id),
    );
    return {
      ...this.guildObject(g),
      joined_at: g.joined_at,
      large,
      unavailable: false,
      member_count: g.members.size,
      members: members.map((m) => this.memberObject(m)),
      channels: [...g.channels.values()].map((c) => this.channelObject(g, c, false)),
      threads: [...g.threads.values()]
        .filter((t) => !t.thread_metadata.archived)
        .map((t) => this.threadObject(g, t, false)),
      voice_states: [...g.voice.values()].map((v) => this.voiceStateObject(g, v, false)),
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
      embedded_activities: [],
    };
  }

  private dispatchVoiceState(g: FakeGuildState, userId: string, channelId: string | null): void {
    const v = g.voice.get(userId) ?? { user_id: userId, channel_id: channelId };
    this.dispatch(
      'VOICE_STATE_UPDATE',
      { ...this.voiceStateObject(g, { ...v, channel_id: channelId }, true), guild_id: g.id },
      GatewayIntentBits.GuildVoiceStates,
    );
  }

  private dispatchMemberUpdate(g: FakeGuildState, m: MemberState): void {
    this.dispatch(
      'GUILD_MEMBER_UPDATE',
      { ...this.memberObject(m), guild_id: g.id },
      GatewayIntentBits.GuildMembers,
    );
  }

  private dispatchThreadMembers(g: FakeGuildState, t: ThreadState, userId: string, added: boolean): void {
    const d = {
      id: t.id,
      guild_id: g.id,
      member_count: Math.min(t.members.length, 50),
      ...(added
        ? { added_members: [{ ...this.threadMemberObject(t, userId), member: this.memberOrNull(g, userId) }] }
        : { removed_member_ids: [userId] }),
    };
    // Updates about other users need GuildMembers too.
    for (const s of this.sessions) {
      const intents = s.identify?.intents ?? 0;
      if (!(intents & GatewayIntentBits.Guilds)) continue;
      if (userId !== this.bot.id && !(intents & GatewayIntentBits.GuildMembers)) continue;
      this.sendDispatch(s, 'THREAD_MEMBERS_UPDATE', d);
    }
  }

  // ============================================================================================== interaction builders

  /** An APPLICATION_COMMAND interaction (type 2), registered with the fake so its callback is accepted. */
  commandInteraction(o: CommandInteractionOptions): FakeInteraction {
    const ctx = this.interactionContext(o);
    const commandType = o.commandType ?? 1;
    const options = o.options ?? [];
    const resolved = mergeResolved(this.resolveOptions(ctx, options, o.targetId), o.resolved);
    const data: Obj = {
      id: o.commandId ?? this.commandIdFor(o.name, commandType, ctx.guildId) ?? snowflake(),
      name: o.name,
      type: commandType,
      ...(options.length > 0 ? { options } : {}),
      ...(resolved ? { resolved } : {}),
      ...(o.targetId ? { target_id: o.targetId } : {}),
      ...(ctx.guildId && this.commandIsGuild(o.name, ctx.guildId) ? { guild_id: ctx.guildId } : {}),
    };
    return this.register(this.interactionBase(ctx, 2, data, o), undefined);
  }

  /** A MESSAGE_COMPONENT interaction (type 3). */
  componentInteraction(o: ComponentInteractionOptions): FakeInteraction {
    const ctx = this.interactionContext(o);
    const componentType = o.component_type ?? 2;
    let message: Obj;
    let sourceId: string | undefined;
    if (typeof o.message === 'string') {
      const m = this.messages.find((x) => x.id === o.message);
      if (!m) throw new Error(`FakeDiscord: no message ${o.message}`);
      message = this.messageObject(m);
      sourceId = m.id;
    } else if (o.message) {
      message = o.message;
    } else {
      const m = this.newMessage('source', ctx.channelId, ctx.guildId, undefined, {
        content: '',
        components: [
          {
            type: 1,
            id: 1,
            components: [{ type: 2, id: 2, custom_id: o.custom_id, label: o.custom_id, style: 1 }],
          },
        ],
      });
      message = this.messageObject(m);
      sourceId = m.id;
    }
    const data: Obj = {
      component_type: componentType,
      custom_id: o.custom_id,
      id: 2,
      ...(o.values ? { values: o.values } : {}),
      ...(o.resolved ? { resolved: o.resolved } : {}),
    };
    const payload = this.interactionBase(ctx, 3, data, o);
    payload.message = message;
    return this.register(payload, sourceId ?? (typeof message.id === 'string' ? message.id : undefined));
  }

  /** An APPLICATION_COMMAND_AUTOCOMPLETE interaction (type 4). */
  autocompleteInteraction(o: AutocompleteInteractionOptions): FakeInteraction {
    const ctx = this.interactionContext(o);
    const data: Obj = {
      id: o.commandId ?? this.commandIdFor(o.name, 1, ctx.guildId) ?? snowflake(),
      name: o.name,
      type: 1,
      options: o.options,
      ...(ctx.guildId && this.commandIsGuild(o.name, ctx.guildId) ? { guild_id: ctx.guildId } : {}),
    };
    return this.register(this.interactionBase(ctx, 4, data, o), undefined);
  }

  /** A PING (type 1), as Discord sends it to an HTTP interactions endpoint. */
  pingInteraction(): FakeInteraction {
    return this.register(
      {
        id: snowflake(),
        application_id: this.application.id,
        type: 1,
        token: interactionToken(),
        version: 1,
      },
      undefined,
    );
  }

  private register(payload: FakeInteraction, sourceMessageId: string | undefined): FakeInteraction {
    this.interactions.set(payload.id, {
      payload,
      createdAt: Date.now(),
      acked: false,
      ackType: undefined,
      originalId: undefined,
      sourceMessageId,
    });
    return payload;
  }

  private interactionContext(o: InteractionContext) {
    const guildId = o.guild === null ? undefined : (o.guild ?? this.guilds.keys().next().value);
    const g = guildId ? this.guilds.get(guildId) : undefined;
    if (guildId && !g) throw new Error(`FakeDiscord: no guild ${guildId}`);
    const userId =
      o.user ??
      (g
        ? [...g.members.values()].find((m) => m.user.id !== this.bot.id && m.user.id !== g.owner_id)?.user.id
        : undefined) ??
      DISCORD_DEFAULTS.users.alice;
    const channelId =
      o.channel ?? (g ? [...g.channels.values()].find((c) => c.type === 0)?.id : undefined) ?? snowflake();
    return { guildId, g, userId, channelId };
  }

  private interactionBase(
    ctx: ReturnType<FakeDiscord['interactionContext']>,
    type: number,
    data: Obj,
    o: InteractionContext,
  ): FakeInteraction {
    const { g, userId, channelId } = ctx;
    const locale = o.locale ?? 'en-US';
    const base: FakeInteraction = {
      app_permissions: String(
        o.appPermissions ??
          (g ? this.channelPermissions(channelId, this.bot.id) : perms('AttachFiles', 'EmbedLinks')),
      ),
      application_id: this.application.id,
      attachment_size_limit: 10_485_760,
      authorizing_integration_owners: g ? { '0': g.id } : { '1': userId },
      channel: {},
      channel_id: channelId,
      context: g ? 0 : 1,
      data,
      entitlement_sku_ids: [],
      entitlements: [],
      id: o.id ?? snowflake(),
      locale,
      token: o.token ?? interactionToken(),
      type,
      version: 1,
    };
    if (g) {
      const m = g.members.get(userId);
      if (!m) throw new Error(`FakeDiscord: ${userId} is not a member of ${g.id}`);
      const memberPerms = String(o.memberPermissions ?? this.channelPermissions(channelId, userId));
      const found = this.findChannel(channelId);
      base.channel = found
        ? {
            ...(found.channel
              ? this.channelObject(g, found.channel, true)
              : found.thread
                ? this.threadObject(g, found.thread, true)
                : {}),
            permissions: memberPerms,
          }
        : { id: channelId, type: 0, guild_id: g.id, name: 'unknown', permissions: memberPerms };
      base.guild = { features: [], id: g.id, locale: g.preferred_locale };
      base.guild_id = g.id;
      base.guild_locale = g.preferred_locale;
      base.member = { ...this.memberObject(m), permissions: memberPerms };
    } else {
      base.channel = { flags: 0, id: channelId, last_message_id: null, type: 1 };
      base.user = this.userObject(this.userById(userId));
    }
    return base;
  }

  private resolveOptions(
    ctx: ReturnType<FakeDiscord['interactionContext']>,
    options: CommandOption[],
    targetId: string | undefined,
  ): Record<string, Record<string, unknown>> | undefined {
    const users: Obj = {};
    const members: Obj = {};
    const roles: Obj = {};
    const channels: Obj = {};
    const { g } = ctx;
    const addUser = (id: string) => {
      users[id] = this.userObject(this.userById(id));
      const m = g?.members.get(id);
      if (g && m) {
        const { user: _user, mute: _mute, deaf: _deaf, ...partial } = this.memberObject(m);
        members[id] = { ...partial, permissions: String(this.channelPermissions(ctx.channelId, id)) };
      }
    };
    const addRole = (id: string) => {
      const r = g?.roles.get(id);
      if (r) roles[id] = this.roleObject(r);
    };
    const visit = (list: CommandOption[]) => {
      for (const opt of list) {
        if (opt.options) visit(opt.options);
        if (opt.value === undefined || opt.focused) continue;
        const id = String(opt.value);
        if (opt.type === 6) addUser(id);
        else if (opt.type === 8) addRole(id);
        else if (opt.type === 9) {
          if (g?.roles.has(id)) addRole(id);
          else addUser(id);
        } else if (opt.type === 7 && g) {
          const found = this.findChannel(id);
          const full = found?.channel
            ? this.channelObject(g, found.channel, true)
            : found?.thread
              ? this.threadObject(g, found.thread, true)
              : undefined;
          if (full) {
            const { permission_overwrites: _ow, ...partial } = full;
            channels[id] = {
              ...partial,
              permissions: String(this.channelPermissions(id, ctx.userId, false)),
            };
          }
        }
      }
    };
    visit(options);
    if (targetId) addUser(targetId);
    const out: Record<string, Record<string, unknown>> = {};
    if (Object.keys(users).length) out.users = users;
    if (Object.keys(members).length) out.members = members;
    if (Object.keys(roles).length) out.roles = roles;
    if (Object.keys(channels).length) out.channels = channels;
    return Object.keys(out).length ? out : undefined;
  }

  private commandIdFor(name: string, type: number, guildId: string | undefined): string | undefined {
    const inGuild = guildId ? this.commands.guild.get(guildId) : undefined;
    return (
      inGuild?.find((c) => c.name === name && c.type === type)?.id ??
      this.commands.global.find((c) => c.name === name && c.type === type)?.id
    );
  }

  private commandIsGuild(name: string, guildId: string): boolean {
    return this.commands.guild.get(guildId)?.some((c) => c.name === name) ?? false;
  }

  // ============================================================================================== HTTP

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const u = new URL(req.url ?? '/', this.url);
    if (u.pathname.startsWith('/api/')) return this.api(req, res, u);
    res
      .writeHead(404, { 'content-type': 'application/json' })
      .end(JSON.stringify({ code: 0, message: '404: Not Found' }));
  }

  private async api(req: IncomingMessage, res: ServerResponse, u: URL): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const raw = await readBody(req);
    const version = /^\/api\/v(\d+)(\/.*)?$/.exec(u.pathname);
    const rawPath = version ? (version[2] ?? '/') : u.pathname.slice('/api'.length);
    const segments = rawPath.split('/').slice(1).map(decodeSegment);
    const path = `/${segments.join('/')}`;
    const authorization = req.headers.authorization;
    const reasonHeader = req.headers['x-audit-log-reason'];
    const mediaType = req.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
    let body: unknown;
    let badJson = false;
    if (raw !== '') {
      if (mediaType === 'application/json') {
        try {
          body = JSON.parse(raw);
        } catch {
          badJson = true;
          body = raw;
        }
      } else {
        body = raw;
      }
    }
    const match = this.matchRoute(method, segments);
    const call: RecordedCall = {
      method,
      path,
      rawPath,
      route: match?.route?.template ?? match?.template,
      params: match?.params ?? {},
      query: Object.fromEntries(u.searchParams),
      body,
      headers: { ...req.headers },
      ...(typeof reasonHeader === 'string' ? { auditLogReason: decodeSegment(reasonHeader) } : {}),
      auth: authorization === undefined ? 'none' : authorization === `Bot ${this.token}` ? 'bot' : 'invalid',
      at: Date.now(),
    };
    this.calls.push(call);
    this.stats.requests++;
    this.emit('request', call);
    this.emit('change');

    let answer: Answer;
    let rlHeaders: Record<string, string> = {};
    if (version?.[1] !== '10') {
      answer = errorAnswer(version ? apiError(50041) : new ApiError(404, 0, '404: Not Found'));
    } else if (!match) {
      answer = errorAnswer(new ApiError(404, 0, '404: Not Found'));
    } else if (!match.route) {
      answer = errorAnswer(new ApiError(405, 0, '405: Method Not Allowed'));
    } else {
      const limited = await this.answer(call, match.route, u, body, badJson);
      answer = limited.answer;
      rlHeaders = limited.headers;
    }
    if (res.destroyed || this.closed) return;
    call.status = answer.status;
    call.response = answer.body;
    if (answer.status >= 400 && isObj(answer.body) && typeof answer.body.message === 'string') {
      call.error = {
        code: typeof answer.body.code === 'number' ? answer.body.code : 0,
        message: answer.body.message,
      };
    }
    call.answeredAt = Date.now();
    if (answer.status === 429) {
      this.stats.limited++;
      const key = `${method} ${call.route ?? path}`;
      this.stats.limitedBy[key] = (this.stats.limitedBy[key] ?? 0) + 1;
    }
    const headers = { ...rlHeaders, ...answer.headers };
    if (answer.body === undefined) {
      res.writeHead(answer.status, headers).end();
    } else {
      res
        .writeHead(answer.status, { 'content-type': 'application/json', ...headers })
        .end(JSON.stringify(answer.body));
    }
    this.emit('call', call);
    this.emit('change');
  }

  private matchRoute(
    method: string,
    segments: string[],
  ): { route: Route | undefined; template: string; params: Record<string, string> } | undefined {
    let pathOnly: { template: string; params: Record<string, string> } | undefined;
    for (const r of this.routes) {
      if (r.parts.length !== segments.length) continue;
      const params: Record<string, string> = {};
      let okay = true;
      for (let i = 0; i < r.parts.length && okay; i++) {
        const part = r.parts[i] as string;
        const seg = segments[i] as string;
        if (part.startsWith(':')) {
          if (seg === '') okay = false;
          else params[part.slice(1)] = seg;
        } else if (part !== seg) okay = false;
      }
      if (!okay) continue;
      if (r.method === method) return { route: r, template: r.template, params };
      pathOnly ??= { template: r.template, params };
    }
    return pathOnly ? { route: undefined, ...pathOnly } : undefined;
  }

  private async answer(
    call: RecordedCall,
    route: Route,
    u: URL,
    body: unknown,
    badJson: boolean,
  ): Promise<{ answer: Answer; headers: Record<string, string> }> {
    const limit = this.limits.find((l) => specMatches(l.spec, call)) ?? this.defaultLimit(route);
    const windowKey = limit ? `${limit.bucket}|${majorParameter(call)}` : '';
    const headersNow = () => (limit ? this.limitHeaders(limit, this.windows.get(windowKey)) : {});

    if (route.auth && call.auth !== 'bot') {
      return { answer: errorAnswer(new ApiError(401, 0, '401: Unauthorized')), headers: headersNow() };
    }
    // Global limit: bot routes only; interaction callbacks and webhooks are exempt.
    if (route.auth && this.globalLimit) {
      const w = this.take(this.globalLimit, this.globalWindow);
      this.globalWindow = w.window;
      if (w.retryAfterMs !== undefined) {
        this.stats.limitedGlobal++;
        return { answer: this.limitedAnswer(w.retryAfterMs, true), headers: {} };
      }
    }
    if (limit) {
      const w = this.take(limit, this.windows.get(windowKey));
      this.windows.set(windowKey, w.window);
      if (w.retryAfterMs !== undefined) {
        return { answer: this.limitedAnswer(w.retryAfterMs, false), headers: headersNow() };
      }
    }
    const ms = this.delays.find((d) => specMatches(d.spec, call))?.ms ?? 0;
    if (ms > 0) await this.sleep(ms);
    const held = this.holds.find((h) => specMatches(h.spec, call));
    if (held && held.pass-- <= 0) {
      held.waiting++;
      this.emit('change');
      await held.gate;
    }
    const injected = this.takeInjection(call);
    if (injected) {
      this.stats.injected++;
      return { answer: this.injectedAnswer(injected), headers: headersNow() };
    }
    if (badJson) return { answer: errorAnswer(apiError(50109)), headers: headersNow() };
    try {
      const answer = route.handler({
        call,
        p: call.params,
        q: u.searchParams,
        body: isObj(body) ? body : {},
      });
      return { answer, headers: headersNow() };
    } catch (e) {
      if (e instanceof ApiError) return { answer: errorAnswer(e), headers: headersNow() };
      throw e;
    }
  }

  private defaultLimit(route: Route): LimitConfig | undefined {
    const d =
      this.opts.defaultRateLimit === undefined
        ? { limit: 1000, resetAfterMs: 1000 }
        : this.opts.defaultRateLimit;
    if (!d) return undefined;
    const key = `${route.method} ${route.template}`;
    return { spec: key, key, limit: d.limit, resetAfterMs: d.resetAfterMs, bucket: hash(key) };
  }

  private take(limit: LimitConfig, current: LimitWindow | undefined) {
    const now = Date.now();
    const window =
      !current || now >= current.resetAt ? { count: 0, resetAt: now + limit.resetAfterMs } : current;
    if (window.count >= limit.limit) return { window, retryAfterMs: window.resetAt - now };
    window.count++;
    return { window, retryAfterMs: undefined };
  }

  private limitHeaders(limit: LimitConfig, w: LimitWindow | undefined): Record<string, string> {
    const now = Date.now();
    const live = w && now < w.resetAt ? w : undefined;
    const resetAt = live?.resetAt ?? now + limit.resetAfterMs;
    return {
      'x-ratelimit-limit': String(limit.limit),
      'x-ratelimit-remaining': String(Math.max(0, limit.limit - (live?.count ?? 0))),
      'x-ratelimit-reset': (resetAt / 1000).toFixed(3),
      'x-ratelimit-reset-after': ((resetAt - now) / 1000).toFixed(3),
      'x-ratelimit-bucket': limit.bucket,
    };
  }

  private retryAfterHeader(seconds: number): string {
    return this.opts.integerRetryAfter ? String(Math.max(1, Math.ceil(seconds))) : seconds.toFixed(3);
  }

  private limitedAnswer(retryAfterMs: number, global: boolean): Answer {
    const seconds = Math.max(0.001, retryAfterMs / 1000);
    return {
      status: 429,
      body: { message: 'You are being rate limited.', retry_after: Number(seconds.toFixed(3)), global },
      headers: {
        'retry-after': this.retryAfterHeader(seconds),
        'x-ratelimit-scope': global ? 'global' : 'user',
        ...(global ? { 'x-ratelimit-global': 'true' } : {}),
      },
    };
  }

  private injectedAnswer(inj: Injection): Answer {
    const known = inj.code !== undefined ? DISCORD_ERRORS[inj.code] : undefined;
    const status = inj.status ?? known?.[0] ?? (inj.code ? 400 : 500);
    if (status === 429) {
      const seconds = inj.retryAfter ?? 1;
      return {
        status,
        body: {
          message: inj.message ?? 'You are being rate limited.',
          retry_after: seconds,
          global: inj.global ?? false,
          ...(inj.code !== undefined ? { code: inj.code } : {}),
        },
        headers: {
          'retry-after': this.retryAfterHeader(seconds),
          'x-ratelimit-scope': inj.global ? 'global' : 'user',
          ...(inj.global ? { 'x-ratelimit-global': 'true' } : {}),
        },
      };
    }
    const message = inj.message ?? known?.[1] ?? `${status}: ${STATUS_CODES[status] ?? 'Error'}`;
    return errorAnswer(new ApiError(status, inj.code ?? 0, message, inj.errors));
  }

  private takeInjection(call: RecordedCall): Injection | undefined {
    return takeInjection(
      this.injections,
      (inj) => specMatches(inj.spec, call) && (!inj.match || inj.match(call)),
    );
  }

  private sleep(ms: number): Promise<void> {
    return this.sleeps.sleep(ms);
  }

  // ============================================================================================== routes

  private buildRoutes(): Route[] {
    const r = (method: string, template: string, handler: (ctx: Ctx) => Answer, auth = true): Route => ({
      method,
      template,
      parts: template.split('/').slice(1),
      auth,
      handler: handler.bind(this),
    });
    // Literal segments (`@me`, `@original`) come before placeholders at the same position.
    return [
      r('GET', '/gateway', () => ok({ url: this.gatewayUrl }), false),
      r('GET', '/gateway/bot', () =>
        ok({
          url: this.gatewayUrl,
          shards: 1,
          session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 },
        }),
      ),
      r('GET', '/users/@me', () =>
        ok({
          ...this.userObject(this.bot),
          mfa_enabled: false,
          locale: 'en-US',
          verified: true,
          email: null,
        }),
      ),
      r('GET', '/users/@me/guilds', (ctx) => this.myGuilds(ctx)),
      r('POST', '/users/@me/channels', (ctx) => this.createDm(ctx)),
      r('GET', '/users/:user', ({ p }) => ok(this.userObject(this.knownUser(p.user as string)))),
      r('GET', '/applications/@me', () => ok(this.applicationObject())),
      r('GET', '/guilds/:guild', ({ p, q }) => {
        const g = this.mustGuildApi(p.guild as string);
        return ok({
          ...this.guildObject(g),
          ...(q.get('with_counts') === 'true'
            ? { approximate_member_count: g.members.size, approximate_presence_count: 0 }
            : {}),
        });
      }),
      r('GET', '/guilds/:guild/roles', ({ p }) =>
        ok([...this.mustGuildApi(p.guild as string).roles.values()].map((x) => this.roleObject(x))),
      ),
      r('GET', '/guilds/:guild/channels', ({ p }) => {
        const g = this.mustGuildApi(p.guild as string);
        return ok([...g.channels.values()].map((c) => this.channelObject(g, c, true)));
      }),
      r('GET', '/guilds/:guild/members', (ctx) => this.listMembers(ctx)),
      r('GET', '/guilds/:guild/members/:user', ({ p }) => {
        const g = this.mustGuildApi(p.guild as string);
        return ok(this.memberObject(this.mustMember(g, p.user as string)));
      }),
      r('PATCH', '/guilds/:guild/members/:user', (ctx) => this.modifyMember(ctx)),
      r('DELETE', '/guilds/:guild/members/:user', (ctx) => this.kickMember(ctx)),
      r('PUT', '/guilds/:guild/members/:user/roles/:role', (ctx) => this.memberRole(ctx, true)),
      r('DELETE', '/guilds/:guild/members/:user/roles/:role', (ctx) => this.memberRole(ctx, false)),
      r('GET', '/guilds/:guild/threads/active', ({ p }) => {
        const g = this.mustGuildApi(p.guild as string);
        const threads = [...g.threads.values()].filter((t) => !t.thread_metadata.archived);
        return ok({
          threads: threads.map((t) => this.threadObject(g, t, true)),
          members: threads
            .filter((t) => t.members.includes(this.bot.id))
            .map((t) => this.threadMemberObject(t, this.bot.id)),
          has_more: false,
        });
      }),
      r('GET', '/guilds/:guild/voice-states/@me', ({ p }) =>
        this.getVoiceState(p.guild as string, this.bot.id),
      ),
      r('GET', '/guilds/:guild/voice-states/:user', ({ p }) =>
        this.getVoiceState(p.guild as string, p.user as string),
      ),
      r('GET', '/channels/:channel', ({ p }) => {
        const { guild, channel, thread } = this.mustChannel(p.channel as string);
        this.requireView(guild, p.channel as string);
        return ok(
          channel
            ? this.channelObject(guild, channel, true)
            : this.threadObject(guild, thread as ThreadState, true),
        );
      }),
      r('PUT', '/channels/:channel/permissions/:overwrite', (ctx) => this.putOverwrite(ctx)),
      r('DELETE', '/channels/:channel/permissions/:overwrite', (ctx) => this.deleteOverwrite(ctx)),
      r('GET', '/channels/:channel/thread-members', ({ p, q }) => {
        const { guild, thread } = this.mustThread(p.channel as string);
        const withMember = q.get('with_member') === 'true';
        return ok(
          thread.members.map((id) => this.threadMemberObject(thread, id, withMember ? guild : undefined)),
        );
      }),
      r('GET', '/channels/:channel/thread-members/:user', ({ p, q }) => {
        const { guild, thread } = this.mustThread(p.channel as string);
        const user = this.meOr(p.user as string);
        if (!thread.members.includes(user)) throw apiError(10007);
        return ok(this.threadMemberObject(thread, user, q.get('with_member') === 'true' ? guild : undefined));
      }),
      r('PUT', '/channels/:channel/thread-members/:user', (ctx) => this.threadMember(ctx, true)),
      r('DELETE', '/channels/:channel/thread-members/:user', (ctx) => this.threadMember(ctx, false)),
      r('POST', '/channels/:channel/messages', (ctx) => this.createMessage(ctx)),
      r('POST', '/interactions/:interaction/:token/callback', (ctx) => this.interactionCallback(ctx), false),
      r(
        'GET',
        '/webhooks/:application/:token/messages/@original',
        (ctx) => this.webhookMessage(ctx, 'GET'),
        false,
      ),
      r(
        'PATCH',
        '/webhooks/:application/:token/messages/@original',
        (ctx) => this.webhookMessage(ctx, 'PATCH'),
        false,
      ),
      r(
        'DELETE',
        '/webhooks/:application/:token/messages/@original',
        (ctx) => this.webhookMessage(ctx, 'DELETE'),
        false,
      ),
      r(
        'GET',
        '/webhooks/:application/:token/messages/:message',
        (ctx) => this.webhookMessage(ctx, 'GET'),
        false,
      ),
      r(
        'PATCH',
        '/webhooks/:application/:token/messages/:message',
        (ctx) => this.webhookMessage(ctx, 'PATCH'),
        false,
      ),
      r(
        'DELETE',
        '/webhooks/:application/:token/messages/:message',
        (ctx) => this.webhookMessage(ctx, 'DELETE'),
        false,
      ),
      r('POST', '/webhooks/:application/:token', (ctx) => this.followUp(ctx), false),
      r('GET', '/applications/:application/commands', ({ p }) =>
        ok(this.commandList(p.application as string)),
      ),
      r('PUT', '/applications/:application/commands', ({ p, call }) =>
        ok(this.overwriteCommands(p.application as string, undefined, call.body)),
      ),
      r('GET', '/applications/:application/guilds/:guild/commands', ({ p }) =>
        ok(this.commandList(p.application as string, p.guild as string)),
      ),
      r('PUT', '/applications/:application/guilds/:guild/commands', ({ p, call }) =>
        ok(this.overwriteCommands(p.application as string, p.guild as string, call.body)),
      ),
    ];
  }

  // ---------------------------------------------------------------------------------------------- route helpers

  private mustGuild(id: string): FakeGuildState {
    const g = this.guilds.get(id);
    if (!g) throw new Error(`FakeDiscord: no guild ${id}`);
    return g;
  }

  private mustGuildApi(id: string): FakeGuildState {
    const g = this.guilds.get(id);
    if (!g) throw apiError(10004);
    return g;
  }

  private mustMember(g: FakeGuildState, userId: string): MemberState {
    const m = g.members.get(this.meOr(userId));
    if (!m) throw apiError(10007);
    return m;
  }

  private mustChannel(id: string): { guild: FakeGuildState; channel?: ChannelState; thread?: ThreadState } {
    const found = this.findChannel(id);
    if (!found) throw apiError(10003);
    return found;
  }

  private mustThread(id: string): { guild: FakeGuildState; thread: ThreadState } {
    const found = this.mustChannel(id);
    this.requireView(found.guild, id);
    if (!found.thread) throw apiError(50024);
    return { guild: found.guild, thread: found.thread };
  }

  private meOr(id: string): string {
    return id === '@me' ? this.bot.id : id;
  }

  private requireView(g: FakeGuildState, channelId: string): bigint {
    const p = this.channelPermissions(channelId, this.bot.id);
    if (!g.members.has(this.bot.id) || !has(p, P.ViewChannel)) throw apiError(50001);
    return p;
  }

  private require(p: bigint, bit: bigint): void {
    if (!has(p, bit)) throw apiError(50013);
  }

  /** The bot may manage a role: not managed, strictly below its highest role (owner: any). */
  private requireRoleBelowBot(g: FakeGuildState, role: FakeRole): void {
    if (role.managed || role.id === g.id) throw apiError(50013);
    if (g.owner_id === this.bot.id) return;
    if (role.position >= this.highestPosition(g.id, this.bot.id)) throw apiError(50013);
  }

  /** The bot may act on a member: not the owner, and the member's highest role below the bot's. */
  private requireMemberBelowBot(g: FakeGuildState, userId: string): void {
    if (g.owner_id === this.bot.id || userId === this.bot.id) return;
    if (
      userId === g.owner_id ||
      this.highestPosition(g.id, userId) >= this.highestPosition(g.id, this.bot.id)
    ) {
      throw apiError(50013);
    }
  }

  private knownUser(id: string): FakeUser {
    const user = this.meOr(id) === this.bot.id ? this.bot : this.findUser(id);
    if (!user) throw apiError(10013);
    return user;
  }

  private findUser(id: string): FakeUser | undefined {
    for (const g of this.guilds.values()) {
      const m = g.members.get(id);
      if (m) return m.user;
    }
    return id === this.bot.id ? this.bot : undefined;
  }

  private userById(id: string): FakeUser {
    return this.findUser(id) ?? { id, username: `user${id.slice(-4)}` };
  }

  private memberOrNull(g: FakeGuildState, userId: string): Obj | null {
    const m = g.members.get(userId);
    return m ? this.memberObject(m) : null;
  }

  private listMembers({ p, q }: Ctx): Answer {
    const g = this.mustGuildApi(p.guild as string);
    if (!((this.opts.privilegedIntents ?? PRIVILEGED_INTENTS) & GatewayIntentBits.GuildMembers)) {
      throw apiError(50001);
    }
    const limitRaw = q.get('limit');
    const limit = limitRaw === null ? 1 : Number(limitRaw);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
      throw formError('limit', 'NUMBER_TYPE_MAX', 'int value should be between 1 and 1000.');
    }
    const after = BigInt(/^\d+$/.test(q.get('after') ?? '') ? (q.get('after') as string) : '0');
    const list = [...g.members.values()]
      .filter((m) => BigInt(m.user.id) > after)
      .sort((a, b) => (BigInt(a.user.id) < BigInt(b.user.id) ? -1 : 1))
      .slice(0, limit);
    return ok(list.map((m) => this.memberObject(m)));
  }

  private getVoiceState(guildId: string, userId: string): Answer {
    const g = this.mustGuildApi(guildId);
    const v = g.voice.get(userId);
    if (!v?.channel_id) throw apiError(10065);
    return ok({ ...this.voiceStateObject(g, v, true), guild_id: g.id });
  }

  private modifyMember({ p, body }: Ctx): Answer {
    const g = this.mustGuildApi(p.guild as string);
    const m = this.mustMember(g, p.user as string);
    const userId = m.user.id;
    const botPerms = this.guildPermissions(g.id, this.bot.id);
    const voice = g.voice.get(userId);
    if ('channel_id' in body) {
      this.require(botPerms, P.MoveMembers);
      if (!voice?.channel_id) throw apiError(40032);
      const target = body.channel_id;
      if (target !== null) {
        const found = this.findChannel(String(target));
        if (!found?.channel || found.guild !== g) throw apiError(10003);
        if (!VOICE_TYPES.has(found.channel.type)) throw apiError(50024);
      }
    }
    if ('mute' in body || 'deaf' in body) {
      if ('mute' in body) this.require(botPerms, P.MuteMembers);
      if ('deaf' in body) this.require(botPerms, P.DeafenMembers);
      if (!voice?.channel_id) throw apiError(40032);
    }
    if ('nick' in body) {
      this.require(botPerms, userId === this.bot.id ? P.ChangeNickname : P.ManageNicknames);
      this.requireMemberBelowBot(g, userId);
    }
    if ('communication_disabled_until' in body) {
      this.require(botPerms, P.ModerateMembers);
      this.requireMemberBelowBot(g, userId);
      if (has(this.guildPermissions(g.id, userId), P.Administrator)) throw apiError(50013);
    }
    let roles: string[] | undefined;
    if ('roles' in body && Array.isArray(body.roles)) {
      this.require(botPerms, P.ManageRoles);
      roles = body.roles.map(String);
      const changed = [
        ...roles.filter((r) => !m.roles.includes(r)),
        ...m.roles.filter((r) => !roles?.includes(r)),
      ];
      for (const id of changed) {
        const role = g.roles.get(id);
        if (!role) throw apiError(10011);
        this.requireRoleBelowBot(g, role);
      }
    }
    // All checks passed: apply.
    if (roles) m.roles = [...new Set(roles)];
    if ('nick' in body) m.nick = typeof body.nick === 'string' && body.nick !== '' ? body.nick : null;
    if ('communication_disabled_until' in body) {
      m.communication_disabled_until =
        typeof body.communication_disabled_until === 'string' ? body.communication_disabled_until : null;
    }
    if ('mute' in body) m.mute = body.mute === true;
    if ('deaf' in body) m.deaf = body.deaf === true;
    if (voice && ('mute' in body || 'deaf' in body)) Object.assign(voice, { mute: m.mute, deaf: m.deaf });
    if ('channel_id' in body) {
      const target = body.channel_id === null ? null : String(body.channel_id);
      if (target) g.voice.set(userId, { ...(voice as FakeVoiceState), channel_id: target });
      else g.voice.delete(userId);
      this.dispatchVoiceState(g, userId, target);
    }
    this.dispatchMemberUpdate(g, m);
    return ok(this.memberObject(m));
  }

  /** List Current User Guilds: the servers the bot is in, by id, `limit` 1–200 (default 200), `before`/`after`. */
  private myGuilds({ q }: Ctx): Answer {
    const limitRaw = q.get('limit');
    const limit = limitRaw === null ? 200 : Number(limitRaw);
    if (!Number.isInteger(limit) || limit < 1 || limit > 200) {
      throw formError('limit', 'NUMBER_TYPE_MAX', 'int value should be between 1 and 200.');
    }
    const snowflake = (name: string) => {
      const v = q.get(name);
      return v !== null && /^\d+$/.test(v) ? BigInt(v) : undefined;
    };
    const after = snowflake('after');
    const before = snowflake('before');
    const mine = [...this.guilds.values()]
      .filter((g) => g.members.has(this.bot.id))
      .filter(
        (g) =>
          (after === undefined || BigInt(g.id) > after) && (before === undefined || BigInt(g.id) < before),
      )
      .sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
    const page = before !== undefined && after === undefined ? mine.slice(-limit) : mine.slice(0, limit);
    return ok(
      page.map((g) => ({
        id: g.id,
        name: g.name,
        icon: null,
        banner: null,
        owner: g.owner_id === this.bot.id,
        permissions: this.guildPermissions(g.id, this.bot.id).toString(),
        features: [],
      })),
    );
  }

  /** Remove Guild Member: 10007 for a stranger, 50013 without Kick Members or above the bot; 204, and they are gone. */
  private kickMember({ p, call }: Ctx): Answer {
    const g = this.mustGuildApi(p.guild as string);
    const m = this.mustMember(g, p.user as string);
    this.require(this.guildPermissions(g.id, this.bot.id), P.KickMembers);
    if (m.user.id === this.bot.id) throw apiError(50013);
    this.requireMemberBelowBot(g, m.user.id);
    this.removeMember(g, m);
    this.writeAuditLog(g.id, kickEntry(m.user.id, this.bot.id, call.auditLogReason));
    return noContent();
  }

  /** Out of the guild: its voice state and threads too; GUILD_MEMBER_REMOVE to sessions with Server Members. */
  private removeMember(g: FakeGuildState, m: MemberState): void {
    g.members.delete(m.user.id);
    g.voice.delete(m.user.id);
    for (const t of g.threads.values()) t.members = t.members.filter((u) => u !== m.user.id);
    this.dispatch(
      'GUILD_MEMBER_REMOVE',
      { guild_id: g.id, user: this.userObject(m.user) },
      GatewayIntentBits.GuildMembers,
    );
  }

  private memberRole({ p, call }: Ctx, add: boolean): Answer {
    const g = this.mustGuildApi(p.guild as string);
    const m = this.mustMember(g, p.user as string);
    const role = g.roles.get(p.role as string);
    if (!role) throw apiError(10011);
    this.require(this.guildPermissions(g.id, this.bot.id), P.ManageRoles);
    this.requireRoleBelowBot(g, role);
    const hadRole = m.roles.includes(role.id);
    if (add && !hadRole) m.roles.push(role.id);
    if (!add) m.roles = m.roles.filter((r) => r !== role.id);
    if (add !== hadRole) {
      this.dispatchMemberUpdate(g, m);
      this.writeAuditLog(g.id, roleEntry(m.user.id, role, add, this.bot.id, call.auditLogReason));
    }
    return noContent();
  }

  private putOverwrite({ p, body, call }: Ctx): Answer {
    const { guild, channel } = this.mustChannel(p.channel as string);
    const botPerms = this.requireView(guild, p.channel as string);
    if (!channel) throw apiError(50024);
    this.require(botPerms, P.ManageRoles);
    const type = body.type;
    if (type !== 0 && type !== 1 && type !== '0' && type !== '1') {
      throw formError('type', 'BASE_TYPE_CHOICES', 'Value must be one of {0, 1}.');
    }
    const allow = bits(body.allow ?? '0');
    const deny = bits(body.deny ?? '0');
    // Only bits the bot has can be allowed/denied, unless it is admin or has a ManageRoles overwrite here.
    const admin = has(botPerms, P.Administrator);
    const manageOverwrite = channel.permission_overwrites.some(
      (o) =>
        has(bits(o.allow), P.ManageRoles) &&
        ((o.type === 1 && o.id === this.bot.id) ||
          (o.type === 0 && this.member(guild.id, this.bot.id)?.roles.includes(o.id))),
    );
    if (!admin && !manageOverwrite && ((allow | deny) & ~botPerms) !== 0n) throw apiError(50013);
    const id = p.overwrite as string;
    const next: FakeOverwrite = {
      id,
      type: Number(type) as 0 | 1,
      allow: allow.toString(),
      deny: deny.toString(),
    };
    this.setOverwrite(guild, channel, id, next, this.bot.id, call.auditLogReason);
    return noContent();
  }

  /** Writes (or with null deletes) an overwrite; CHANNEL_UPDATE, and the audit log entry for the change. */
  private setOverwrite(
    guild: FakeGuildState,
    channel: ChannelState,
    id: string,
    next: FakeOverwrite | null,
    executor: string,
    reason: string | undefined,
  ): void {
    const i = channel.permission_overwrites.findIndex((o) => o.id === id);
    const before = i >= 0 ? ({ ...channel.permission_overwrites[i] } as OverwriteState) : undefined;
    if (next && i >= 0) channel.permission_overwrites[i] = next;
    else if (next) channel.permission_overwrites.push(next);
    else if (i >= 0) channel.permission_overwrites.splice(i, 1);
    this.dispatch('CHANNEL_UPDATE', this.channelObject(guild, channel, true), GatewayIntentBits.Guilds);
    const entry = overwriteEntry(
      channel.id,
      before,
      next ?? undefined,
      executor,
      reason,
      guild.roles.get(id)?.name,
    );
    if (entry) this.writeAuditLog(guild.id, entry);
  }

  private deleteOverwrite({ p, call }: Ctx): Answer {
    const { guild, channel } = this.mustChannel(p.channel as string);
    const botPerms = this.requireView(guild, p.channel as string);
    if (!channel) throw apiError(50024);
    this.require(botPerms, P.ManageRoles);
    const i = channel.permission_overwrites.findIndex((o) => o.id === p.overwrite);
    if (i < 0) throw apiError(10009);
    this.setOverwrite(guild, channel, p.overwrite as string, null, this.bot.id, call.auditLogReason);
    return noContent();
  }

  private threadMember({ p }: Ctx, add: boolean): Answer {
    const { guild, thread } = this.mustThread(p.channel as string);
    const userId = this.meOr(p.user as string);
    if (!guild.members.has(userId)) throw apiError(10007);
    if (thread.thread_metadata.archived) throw apiError(50083);
    const botPerms = this.channelPermissions(thread.id, this.bot.id);
    if (add) {
      this.require(botPerms, P.SendMessagesInThreads);
      if (thread.type === 12 && !thread.members.includes(this.bot.id) && !has(botPerms, P.ManageThreads)) {
        throw apiError(50001);
      }
      if (!thread.members.includes(userId)) {
        thread.members.push(userId);
        this.dispatchThreadMembers(guild, thread, userId, true);
      }
    } else {
      const creator = thread.type === 12 && thread.owner_id === this.bot.id;
      if (userId !== this.bot.id && !creator) this.require(botPerms, P.ManageThreads);
      if (thread.members.includes(userId)) {
        thread.members = thread.members.filter((u) => u !== userId);
        this.dispatchThreadMembers(guild, thread, userId, false);
      }
    }
    return noContent();
  }

  /** Create DM: the bot's DM channel with `recipient_id` (the same one each time), as a DM channel object. */
  private createDm({ body }: Ctx): Answer {
    const recipient = typeof body.recipient_id === 'string' ? body.recipient_id : '';
    if (!/^\d{17,20}$/.test(recipient)) {
      throw formError('recipient_id', 'NUMBER_TYPE_COERCE', `Value "${recipient}" is not snowflake.`);
    }
    const user = this.findUser(recipient);
    if (!user) throw apiError(10013);
    let id = [...this.dmChannels].find(([, r]) => r === recipient)?.[0];
    if (!id) {
      id = snowflake();
      this.dmChannels.set(id, recipient);
    }
    return ok({ id, type: 1, last_message_id: null, flags: 0, recipients: [this.userObject(user)] });
  }

  /** A message in a DM channel: 50007 when the recipient accepts none from the bot (or is a bot). */
  private createDmMessage(channelId: string, recipient: string, body: Obj): Answer {
    if (this.closedDms.has(recipient) || this.findUser(recipient)?.bot) throw apiError(50007);
    if (!body.content && !Array.isArray(body.embeds) && !Array.isArray(body.components)) {
      throw new ApiError(400, 50006, 'Cannot send an empty message');
    }
    return ok(this.messageObject(this.newMessage('channel', channelId, undefined, undefined, body)));
  }

  private createMessage({ p, body }: Ctx): Answer {
    const recipient = this.dmChannels.get(p.channel as string);
    if (recipient !== undefined) return this.createDmMessage(p.channel as string, recipient, body);
    const { guild, thread } = this.mustChannel(p.channel as string);
    const forced = this.messageErrors.get(p.channel as string);
    if (forced !== undefined) throw apiError(forced);
    const botPerms = this.requireView(guild, p.channel as string);
    this.require(botPerms, thread ? P.SendMessagesInThreads : P.SendMessages);
    if (thread?.thread_metadata.archived) {
      if (thread.thread_metadata.locked && !has(botPerms, P.ManageThreads)) throw apiError(50083);
      thread.thread_metadata.archived = false;
    }
    if (!body.content && !Array.isArray(body.embeds) && !Array.isArray(body.components)) {
      throw new ApiError(400, 50006, 'Cannot send an empty message');
    }
    const m = this.newMessage('channel', p.channel as string, guild.id, undefined, body);
    return ok(this.messageObject(m));
  }

  // ---------------------------------------------------------------------------------------------- interactions

  private interactionCallback({ p, q, body, call }: Ctx): Answer {
    const state = this.interactions.get(p.interaction as string);
    if (!state || state.payload.token !== p.token) throw apiError(10062);
    const deadline = this.opts.ackDeadlineMs ?? 3000;
    if (!state.acked && Date.now() - state.createdAt > deadline) throw apiError(10062);
    if (state.acked) throw apiError(40060);
    const type = typeof body.type === 'number' ? body.type : Number.NaN;
    const allowed: Record<number, number[]> = {
      1: [1],
      2: [4, 5, 9, 12],
      3: [4, 5, 6, 7, 9],
      4: [8],
      5: [4, 5, 6, 7],
    };
    if (!(allowed[state.payload.type] ?? []).includes(type)) {
      throw formError(
        'type',
        'BASE_TYPE_CHOICES',
        `Value must be one of ${JSON.stringify(allowed[state.payload.type])}.`,
      );
    }
    const data = isObj(body.data) ? body.data : undefined;
    const withResponse = q.get('with_response') === 'true';
    state.acked = true;
    state.ackType = type;
    const payload = state.payload;
    const channelId = payload.channel_id ?? '0';
    let message: FakeMessage | undefined;
    if (type === 4 || type === 5) {
      const flags = (typeof data?.flags === 'number' ? data.flags : 0) | (type === 5 ? LOADING : 0);
      message = this.newMessage('original', channelId, payload.guild_id, payload.id, {
        ...(type === 4 ? data : {}),
        flags,
      });
      state.originalId = message.id;
    } else if (type === 6 || type === 7) {
      message = this.sourceMessage(state);
      state.originalId = message?.id;
      if (message && type === 7 && data) this.applyEdit(message, data);
    }
    const rec: RecordedCallback = {
      interactionId: payload.id,
      token: payload.token,
      type,
      data,
      withResponse,
      at: call.at,
    };
    this.callbacks.push(rec);
    this.emit('callback', rec);
    if (!withResponse) return noContent();
    return ok({
      interaction: {
        id: payload.id,
        type: payload.type,
        activity_instance_id: null,
        ...(message
          ? {
              response_message_id: message.id,
              response_message_loading: (message.flags & LOADING) !== 0,
              response_message_ephemeral: (message.flags & EPHEMERAL) !== 0,
            }
          : {}),
        ...(payload.channel_id ? { channel_id: payload.channel_id } : {}),
        ...(payload.guild_id ? { guild_id: payload.guild_id } : {}),
      },
      ...(message && type !== 6 ? { resource: { type, message: this.messageObject(message) } } : {}),
    });
  }

  private sourceMessage(state: InteractionState): FakeMessage | undefined {
    if (!state.sourceMessageId) return undefined;
    const existing = this.messages.find((m) => m.id === state.sourceMessageId);
    if (existing) return existing;
    const raw = isObj(state.payload.message) ? state.payload.message : {};
    const m = this.newMessage(
      'source',
      state.payload.channel_id ?? '0',
      state.payload.guild_id,
      undefined,
      raw,
    );
    m.id = state.sourceMessageId;
    return m;
  }

  /** The interaction behind a webhook token, checked like Discord does. */
  private webhookInteraction(p: Record<string, string>): InteractionState {
    const state = [...this.interactions.values()].find((s) => s.payload.token === p.token);
    if (!state || p.application !== this.application.id) throw apiError(10015);
    if (Date.now() - state.createdAt > (this.opts.tokenLifetimeMs ?? 15 * 60_000)) throw apiError(50027);
    return state;
  }

  private webhookMessage({ p, body }: Ctx, verb: 'GET' | 'PATCH' | 'DELETE'): Answer {
    const state = this.webhookInteraction(p);
    const id = p.message === undefined ? state.originalId : p.message;
    const m = id ? this.messages.find((x) => x.id === id && !x.deleted) : undefined;
    if (!state.acked || !m || (p.message !== undefined && m.interaction_id !== state.payload.id)) {
      throw apiError(10008);
    }
    if (verb === 'GET') return ok(this.messageObject(m));
    if (verb === 'DELETE') {
      m.deleted = true;
      this.emit('message', m);
      return noContent();
    }
    this.applyEdit(m, body);
    return ok(this.messageObject(m));
  }

  private followUp({ p, body }: Ctx): Answer {
    const state = this.webhookInteraction(p);
    if (!state.acked) throw apiError(10015);
    if (!body.content && !Array.isArray(body.embeds) && !Array.isArray(body.components)) {
      throw new ApiError(400, 50006, 'Cannot send an empty message');
    }
    const payload = state.payload;
    const m = this.newMessage('followup', payload.channel_id ?? '0', payload.guild_id, payload.id, body);
    return ok(this.messageObject(m));
  }

  private newMessage(
    kind: FakeMessage['kind'],
    channelId: string,
    guildId: string | undefined,
    interactionId: string | undefined,
    body: Obj,
  ): FakeMessage {
    const state = interactionId ? this.interactions.get(interactionId) : undefined;
    const commandType =
      state?.payload.type === 2 && isObj(state.payload.data) ? state.payload.data.type : undefined;
    const m: FakeMessage = {
      id: typeof body.id === 'string' && kind === 'source' ? body.id : snowflake(),
      kind,
      channel_id: channelId,
      guild_id: guildId,
      interaction_id: interactionId,
      content: typeof body.content === 'string' ? body.content : '',
      embeds: Array.isArray(body.embeds) ? body.embeds : [],
      components: Array.isArray(body.components) ? body.components : [],
      flags: typeof body.flags === 'number' ? body.flags : 0,
      allowed_mentions: body.allowed_mentions,
      author:
        isObj(body.author) && typeof body.author.id === 'string'
          ? (body.author as unknown as FakeUser)
          : this.bot,
      type: kind === 'original' ? (commandType === 1 ? 20 : commandType ? 23 : 0) : 0,
      timestamp: iso(),
      edited_timestamp: null,
      deleted: false,
      bodies: [body],
    };
    this.messages.push(m);
    this.emit('message', m);
    this.emit('change');
    return m;
  }

  private applyEdit(m: FakeMessage, body: Obj): void {
    if (typeof body.content === 'string' || body.content === null) m.content = body.content ?? '';
    if (Array.isArray(body.embeds)) m.embeds = body.embeds;
    if (Array.isArray(body.components)) m.components = body.components;
    if ('allowed_mentions' in body) m.allowed_mentions = body.allowed_mentions;
    // Editing a deferred reply ends its loading state; the ephemeral bit can't change.
    m.flags &= ~LOADING;
    if (typeof body.flags === 'number')
      m.flags = (m.flags & EPHEMERAL) | (body.flags & ~EPHEMERAL & ~LOADING);
    m.edited_timestamp = iso();
    m.bodies.push(body);
    this.emit('message', m);
    this.emit('change');
  }

  // ---------------------------------------------------------------------------------------------- commands

  private commandList(appId: string, guildId?: string): CommandState[] {
    if (appId !== this.application.id) throw new ApiError(403, 50001, 'Missing Access');
    if (guildId) this.mustGuildApi(guildId);
    return guildId ? (this.commands.guild.get(guildId) ?? []) : this.commands.global;
  }

  private overwriteCommands(appId: string, guildId: string | undefined, body: unknown): CommandState[] {
    const existing = this.commandList(appId, guildId);
    if (!Array.isArray(body)) throw formError('_root', 'BASE_TYPE_ARRAY', 'Must be an array.');
    if (body.length > 130)
      throw formError('_root', 'BASE_TYPE_MAX_LENGTH', 'Must be 130 or fewer in length.');
    const version = snowflake();
    const seen = new Set<string>();
    const next = body.map((raw: unknown, i): CommandState => {
      if (!isObj(raw))
        throw formError(`${i}`, 'DICT_TYPE_CONVERT', 'Only dictionaries may be used in a DictType');
      const type = typeof raw.type === 'number' ? raw.type : 1;
      const name = typeof raw.name === 'string' ? raw.name : '';
      const description = typeof raw.description === 'string' ? raw.description : '';
      if (!COMMAND_NAME.test(name) || (type === 1 && name !== name.toLowerCase())) {
        throw formError(`${i}.name`, 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
      }
      if (type === 1 && (description.length < 1 || description.length > 100)) {
        throw formError(`${i}.description`, 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
      }
      if (Array.isArray(raw.options) && raw.options.length > 25) {
        throw formError(`${i}.options`, 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
      }
      if (seen.has(`${type}:${name}`)) {
        throw formError(
          `${i}.name`,
          'APPLICATION_COMMANDS_DUPLICATE_NAME',
          `Application command names must be unique`,
        );
      }
      seen.add(`${type}:${name}`);
      const old = existing.find((c) => c.name === name && c.type === type);
      return {
        default_member_permissions: null,
        contexts: guildId ? null : [0, 1, 2],
        integration_types: [0],
        nsfw: false,
        options: [],
        ...raw,
        id: old?.id ?? snowflake(),
        application_id: this.application.id,
        version,
        ...(guildId ? { guild_id: guildId } : {}),
        name,
        type,
        description,
      };
    });
    if (guildId) this.commands.guild.set(guildId, next);
    else this.commands.global = next;
    return next;
  }

  // ============================================================================================== API objects

  userObject(u: FakeUser): Obj {
    return {
      id: u.id,
      username: u.username,
      global_name: u.global_name ?? null,
      avatar: null,
      discriminator: '0',
      public_flags: u.bot ? 524_288 : 0,
      flags: u.bot ? 524_288 : 0,
      ...(u.bot ? { bot: true } : {}),
      banner: null,
      accent_color: null,
      avatar_decoration_data: null,
      collectibles: null,
      primary_guild: null,
    };
  }

  memberObject(m: MemberState): Obj {
    return {
      avatar: null,
      banner: null,
      communication_disabled_until: m.communication_disabled_until,
      deaf: m.deaf ?? false,
      flags: 0,
      joined_at: m.joined_at,
      mute: m.mute ?? false,
      nick: m.nick,
      pending: false,
      premium_since: null,
      roles: [...m.roles],
      user: this.userObject(m.user),
    };
  }

  roleObject(r: FakeRole): Obj {
    return {
      id: r.id,
      name: r.name,
      description: null,
      permissions: r.permissions,
      position: r.position,
      color: r.color ?? 0,
      colors: { primary_color: r.color ?? 0, secondary_color: null, tertiary_color: null },
      hoist: r.hoist ?? false,
      managed: r.managed ?? false,
      mentionable: r.mentionable ?? false,
      icon: null,
      unicode_emoji: null,
      flags: 0,
      ...(r.tags ? { tags: r.tags } : {}),
    };
  }

  channelObject(g: FakeGuildState, c: ChannelState, withGuildId: boolean): Obj {
    const voice = VOICE_TYPES.has(c.type);
    return {
      id: c.id,
      type: c.type,
      ...(withGuildId ? { guild_id: g.id } : {}),
      name: c.name,
      position: c.position,
      parent_id: c.parent_id,
      permission_overwrites: c.permission_overwrites.map((o) => ({ ...o })),
      flags: 0,
      nsfw: c.nsfw,
      ...(c.type === 4
        ? {}
        : voice
          ? {
              bitrate: 64_000,
              user_limit: 0,
              rtc_region: null,
              rate_limit_per_user: 0,
              last_message_id: null,
            }
          : { topic: c.topic, rate_limit_per_user: 0, last_message_id: null }),
    };
  }

  threadObject(g: FakeGuildState, t: ThreadState, withGuildId: boolean): Obj {
    return {
      id: t.id,
      type: t.type,
      ...(withGuildId ? { guild_id: g.id } : {}),
      parent_id: t.parent_id,
      owner_id: t.owner_id,
      name: t.name,
      last_message_id: null,
      flags: 0,
      rate_limit_per_user: 0,
      thread_metadata: {
        archived: t.thread_metadata.archived,
        archive_timestamp: t.created,
        auto_archive_duration: t.thread_metadata.auto_archive_duration ?? 1440,
        locked: t.thread_metadata.locked,
        create_timestamp: t.created,
        ...(t.type === 12 ? { invitable: t.thread_metadata.invitable ?? true } : {}),
      },
      message_count: 0,
      member_count: Math.min(t.members.length, 50),
      total_message_sent: 0,
      ...(t.members.includes(this.bot.id) ? { member: this.threadMemberObject(t, this.bot.id) } : {}),
    };
  }

  threadMemberObject(t: ThreadState, userId: string, withMemberOf?: FakeGuildState): Obj {
    const member = withMemberOf ? this.memberOrNull(withMemberOf, userId) : null;
    return {
      id: t.id,
      user_id: userId,
      join_timestamp: t.created,
      flags: 0,
      ...(member ? { member } : {}),
    };
  }

  voiceStateObject(g: FakeGuildState, v: FakeVoiceState, withMember: boolean): Obj {
    const m = g.members.get(v.user_id);
    return {
      channel_id: v.channel_id,
      user_id: v.user_id,
      session_id: createHash('md5').update(`${g.id}:${v.user_id}`).digest('hex'),
      deaf: v.deaf ?? m?.deaf ?? false,
      mute: v.mute ?? m?.mute ?? false,
      self_deaf: v.self_deaf ?? false,
      self_mute: v.self_mute ?? false,
      self_video: false,
      self_stream: false,
      suppress: false,
      request_to_speak_timestamp: null,
      ...(withMember && m ? { member: this.memberObject(m) } : {}),
    };
  }

  guildObject(g: FakeGuildState): Obj {
    return {
      id: g.id,
      name: g.name,
      icon: null,
      description: null,
      home_header: null,
      splash: null,
      discovery_splash: null,
      features: [],
      banner: null,
      owner_id: g.owner_id,
      application_id: null,
      region: 'deprecated',
      afk_channel_id: null,
      afk_timeout: 300,
      system_channel_id: null,
      system_channel_flags: 0,
      widget_enabled: false,
      widget_channel_id: null,
      verification_level: 0,
      roles: [...g.roles.values()].map((r) => this.roleObject(r)),
      default_message_notifications: 0,
      mfa_level: 0,
      explicit_content_filter: 0,
      max_presences: null,
      max_members: 500_000,
      max_stage_video_channel_users: 50,
      max_video_channel_users: 25,
      vanity_url_code: null,
      premium_tier: 0,
      premium_subscription_count: 0,
      preferred_locale: g.preferred_locale,
      rules_channel_id: null,
      safety_alerts_channel_id: null,
      public_updates_channel_id: null,
      premium_progress_bar_enabled: false,
      nsfw: false,
      nsfw_level: 0,
      emojis: [],
      stickers: [],
      incidents_data: null,
    };
  }

  messageObject(m: FakeMessage): Obj {
    const state = m.interaction_id ? this.interactions.get(m.interaction_id) : undefined;
    const payload = state?.payload;
    const invoker = payload ? (isObj(payload.member) ? payload.member.user : payload.user) : undefined;
    return {
      id: m.id,
      type: m.type,
      channel_id: m.channel_id,
      ...(m.guild_id ? { guild_id: m.guild_id } : {}),
      author: this.userObject(m.author),
      content: m.content,
      timestamp: m.timestamp,
      edited_timestamp: m.edited_timestamp,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: [],
      embeds: m.embeds,
      components: m.components,
      pinned: false,
      flags: m.flags,
      ...(payload
        ? {
            webhook_id: this.application.id,
            application_id: this.application.id,
            interaction_metadata: {
              id: payload.id,
              type: payload.type,
              user: invoker,
              authorizing_integration_owners: payload.authorizing_integration_owners,
              ...(m.kind === 'original' ? {} : { original_response_message_id: state?.originalId }),
            },
          }
        : {}),
    };
  }

  private applicationObject(): Obj {
    return {
      id: this.application.id,
      name: this.application.name,
      icon: null,
      description: '',
      type: null,
      bot: this.userObject(this.bot),
      bot_public: false,
      bot_require_code_grant: false,
      verify_key: this.application.verifyKey,
      flags: this.application.flags,
      flags_new: String(this.application.flags),
      redirect_uris: [],
      interactions_endpoint_url: null,
      role_connections_verification_url: null,
      owner: this.userObject({ id: DISCORD_DEFAULTS.users.owner, username: 'olga' }),
      approximate_guild_count: this.guilds.size,
      approximate_user_install_count: 0,
      approximate_user_authorization_count: 0,
      explicit_content_filter: 0,
      team: null,
      eligible_oauth2_scopes: [],
      integration_types_config: { '0': {} },
      install_params: { scopes: ['bot', 'applications.commands'], permissions: '0' },
    };
  }
}

// ------------------------------------------------------------------------------------------------ helpers

function specMatches(spec: RouteSpec, call: RecordedCall): boolean {
  if (typeof spec === 'function') return spec(call);
  if (spec instanceof RegExp) return spec.test(`${call.method} ${call.path}`);
  let s = spec.trim();
  const m = /^([A-Za-z]+)\s+(.*)$/.exec(s);
  if (m) {
    if ((m[1] as string).toUpperCase() !== call.method) return false;
    s = (m[2] as string).trim();
  }
  if (s === '*') return true;
  const decoded = `/${s.split('/').slice(1).map(decodeSegment).join('/')}`;
  if (call.route && normTemplate(decoded) === normTemplate(call.route)) return true;
  return decoded === call.path;
}

/** @discordjs/rest's major parameter: a channel, guild, webhook (id + token) or interaction. */
function majorParameter(call: RecordedCall): string {
  const p = call.params;
  if (call.path.startsWith('/channels/') && p.channel) return `channel:${p.channel}`;
  if (call.path.startsWith('/guilds/') && p.guild) return `guild:${p.guild}`;
  if (call.path.startsWith('/webhooks/')) return `webhook:${p.application}/${p.token}`;
  if (call.path.startsWith('/interactions/')) return `interaction:${p.interaction}`;
  return 'global';
}

function errorAnswer(e: ApiError): Answer {
  return {
    status: e.status,
    body: { message: e.message, code: e.code, ...(e.errors !== undefined ? { errors: e.errors } : {}) },
  };
}

function hash(key: string): string {
  return createHash('sha1').update(key).digest('hex').slice(0, 32);
}

function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function interactionToken(): string {
  return Buffer.from(`interaction:${snowflake()}:${randomBytes(48).toString('base64url')}`).toString(
    'base64url',
  );
}

function mergeResolved(
  auto: Record<string, Record<string, unknown>> | undefined,
  extra: Record<string, Record<string, unknown>> | undefined,
): Record<string, Record<string, unknown>> | undefined {
  if (!extra) return auto;
  const out: Record<string, Record<string, unknown>> = { ...(auto ?? {}) };
  for (const [k, v] of Object.entries(extra)) out[k] = { ...(out[k] ?? {}), ...v };
  return out;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
