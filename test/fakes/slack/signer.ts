import { createHmac, randomBytes } from 'node:crypto';

/**
 * Builds and signs requests the way Slack sends them to an app's Request URL.
 *
 * Shapes follow /work/shared/reference/platforms.md (SLACK §1, §4) and the captured payloads in
 * /work/shared/reference/payloads/slack-slash-command.json; the block_actions shape follows Bolt's own
 * `BlockAction` type (@slack/bolt 4.7, src/types/actions/block-action.ts).
 */

/** Workspace identifiers shared by the signer's defaults and FakeSlack's default workspace. */
export const SLACK_DEFAULTS = {
  teamId: 'T00FAKE00BB',
  teamDomain: 'acme-test-workspace',
  teamName: 'Acme Test Workspace',
  appId: 'A00FAKEAPP03',
  botUserId: 'U00FAKEBOT03',
  botId: 'B00FAKEBOT03',
  /** The deprecated verification token Slack still puts in every payload. */
  verificationToken: 'zCdEfGhIjKlMnOpQrStUvWxY',
  channelId: 'C00FAKECHAN3',
  channelName: 'support-agent-dev',
  userId: 'U00FAKEUSER2',
  userName: 'testuser',
} as const;

let serial = 0;
const nextSerial = () => ++serial;

/** A trigger_id shaped like Slack's (`<digits>.<digits>.<32 hex>`), unique per call. */
export function triggerId(): string {
  return `${10520020890661 + nextSerial()}.10229338706656.${randomBytes(16).toString('hex')}`;
}

/** A hooks.slack.com response_url shaped like Slack's, unique per call. */
export function hooksResponseUrl(
  kind: 'commands' | 'actions' = 'commands',
  teamId: string = SLACK_DEFAULTS.teamId,
) {
  return `https://hooks.slack.com/${kind}/${teamId}/${10521386623270 + nextSerial()}/${randomBytes(12).toString('base64url')}`;
}

/** A form-urlencoded body in the given key order, encoded as Slack encodes it (`/` → `%2F`, space → `+`). */
export function formBody(fields: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) params.append(key, value);
  return params.toString();
}

/** The fields of a slash command request; every field is a string, as in the form body. */
export interface SlashCommandFields {
  token?: string;
  team_id?: string;
  team_domain?: string;
  enterprise_id?: string;
  enterprise_name?: string;
  channel_id?: string;
  channel_name?: string;
  user_id?: string;
  user_name?: string;
  command?: string;
  text?: string;
  api_app_id?: string;
  is_enterprise_install?: string;
  response_url?: string;
  trigger_id?: string;
  [extra: string]: string | undefined;
}

/**
 * All fields Slack sends with a slash command, in the order of the captured payload, with the given ones
 * overriding the defaults. `enterprise_id`/`enterprise_name` appear only when given (Enterprise orgs only).
 * `trigger_id` and `response_url` are unique per call unless given.
 */
export function slashCommandFields(fields: SlashCommandFields = {}): Record<string, string> {
  const teamId = fields.team_id ?? SLACK_DEFAULTS.teamId;
  const ordered: Record<string, string | undefined> = {
    token: SLACK_DEFAULTS.verificationToken,
    team_id: teamId,
    team_domain: SLACK_DEFAULTS.teamDomain,
    enterprise_id: undefined,
    enterprise_name: undefined,
    channel_id: SLACK_DEFAULTS.channelId,
    channel_name: SLACK_DEFAULTS.channelName,
    user_id: SLACK_DEFAULTS.userId,
    user_name: SLACK_DEFAULTS.userName,
    command: '/kick',
    text: '',
    api_app_id: SLACK_DEFAULTS.appId,
    is_enterprise_install: 'false',
    response_url: hooksResponseUrl('commands', teamId),
    trigger_id: triggerId(),
  };
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) ordered[key] = value;
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(ordered)) if (value !== undefined) out[key] = value;
  return out;
}

/** The raw `application/x-www-form-urlencoded` body of a slash command. */
export function slashCommandBody(fields: SlashCommandFields = {}): string {
  return formBody(slashCommandFields(fields));
}

export interface ButtonClick {
  action_id: string;
  value?: string;
  block_id?: string;
  /** The button's label. */
  text?: string;
}

export interface BlockActionsInput extends Partial<ButtonClick> {
  /** The clicked elements; defaults to one button made of `action_id`/`value`/`block_id`/`text`. */
  actions?: ButtonClick[];
  user?: { id?: string; username?: string; name?: string; team_id?: string };
  team?: { id?: string; domain?: string } | null;
  channel?: { id?: string; name?: string };
  response_url?: string;
  trigger_id?: string;
  api_app_id?: string;
  token?: string;
  /** The ts of the message holding the buttons. */
  message_ts?: string;
  /** The source message; `null` leaves it out. Defaults to a bot message with an actions block. */
  message?: Record<string, unknown> | null;
  container?: Record<string, unknown>;
  /**
   * A click in an ephemeral message: `container.is_ephemeral` is true and no `message` is sent unless one
   * is given (Slack keeps no copy of ephemeral messages; Bolt's type has `message` optional).
   */
  ephemeral?: boolean;
  state?: { values: Record<string, unknown> };
  enterprise?: { id: string; name: string } | null;
  is_enterprise_install?: boolean;
}

/** A `block_actions` interaction payload (the object Slack JSON-encodes into the `payload` form field). */
export function blockActionsPayload(input: BlockActionsInput): Record<string, unknown> {
  const teamId = input.team?.id ?? SLACK_DEFAULTS.teamId;
  const channel = {
    id: input.channel?.id ?? SLACK_DEFAULTS.channelId,
    name: input.channel?.name ?? SLACK_DEFAULTS.channelName,
  };
  const messageTs =
    input.message_ts ?? `${Math.floor(Date.now() / 1000)}.${String(nextSerial()).padStart(6, '0')}`;
  const actionTs = `${(Date.now() / 1000).toFixed(6)}`;
  const clicks: ButtonClick[] =
    input.actions ??
    (input.action_id !== undefined
      ? [{ action_id: input.action_id, value: input.value, block_id: input.block_id, text: input.text }]
      : []);
  if (clicks.length === 0) throw new Error('blockActionsPayload: give action_id or actions');
  const actions = clicks.map((c) => ({
    action_id: c.action_id,
    block_id: c.block_id ?? 'actions',
    text: { type: 'plain_text', text: c.text ?? c.action_id, emoji: true },
    ...(c.value !== undefined ? { value: c.value } : {}),
    type: 'button',
    action_ts: actionTs,
  }));
  const ephemeral = input.ephemeral ?? false;
  const defaultMessage = {
    type: 'message',
    subtype: 'bot_message',
    text: "This content can't be displayed.",
    user: SLACK_DEFAULTS.botUserId,
    bot_id: SLACK_DEFAULTS.botId,
    ts: messageTs,
    blocks: [
      {
        type: 'actions',
        block_id: actions[0]?.block_id ?? 'actions',
        elements: actions.map((a) => ({
          type: 'button',
          action_id: a.action_id,
          text: a.text,
          ...('value' in a ? { value: a.value } : {}),
        })),
      },
    ],
  };
  const message =
    input.message === null ? undefined : (input.message ?? (ephemeral ? undefined : defaultMessage));
  const payload: Record<string, unknown> = {
    type: 'block_actions',
    user: {
      id: input.user?.id ?? SLACK_DEFAULTS.userId,
      username: input.user?.username ?? SLACK_DEFAULTS.userName,
      name: input.user?.name ?? input.user?.username ?? SLACK_DEFAULTS.userName,
      team_id: input.user?.team_id ?? teamId,
    },
    api_app_id: input.api_app_id ?? SLACK_DEFAULTS.appId,
    token: input.token ?? SLACK_DEFAULTS.verificationToken,
    container: input.container ?? {
      type: 'message',
      message_ts: messageTs,
      channel_id: channel.id,
      is_ephemeral: ephemeral,
    },
    trigger_id: input.trigger_id ?? triggerId(),
    team:
      input.team === null ? null : { id: teamId, domain: input.team?.domain ?? SLACK_DEFAULTS.teamDomain },
    enterprise: input.enterprise ?? null,
    is_enterprise_install: input.is_enterprise_install ?? false,
    channel,
    ...(message !== undefined ? { message } : {}),
    state: input.state ?? { values: {} },
    response_url: input.response_url ?? hooksResponseUrl('actions', teamId),
    actions,
  };
  return payload;
}

/** The raw form body of an interactivity request: one field, `payload`, holding the JSON. */
export function blockActionsBody(input: BlockActionsInput): string {
  return interactivityBody(blockActionsPayload(input));
}

/** Any interaction payload (block_actions, view_submission, …) as Slack posts it. */
export function interactivityBody(payload: Record<string, unknown>): string {
  return formBody({ payload: JSON.stringify(payload) });
}

export interface SlackSignatureHeaders {
  'x-slack-signature': string;
  'x-slack-request-timestamp': string;
}

/** `v0=` + hex HMAC-SHA256 of `v0:<timestamp>:<raw body>` keyed with the signing secret. */
export function signature(secret: string, body: string, timestamp: number | string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/** The two headers Slack signs a request with; `timestamp` (Unix seconds) defaults to now. */
export function sign(
  secret: string,
  body: string,
  timestamp: number = Math.floor(Date.now() / 1000),
): SlackSignatureHeaders {
  return {
    'x-slack-signature': signature(secret, body, timestamp),
    'x-slack-request-timestamp': String(timestamp),
  };
}

export interface PostSignedOptions {
  /** Unix seconds to sign with (and send); e.g. now − 600 for a stale request. */
  timestamp?: number;
  /** Sign the body, then send a different one (a flipped last character unless a string is given). */
  tamper?: boolean | string;
  /** Send no signature headers at all. */
  omitSignature?: boolean;
  /** Sign with this secret instead (or a made-up one when `true`). */
  wrongSecret?: boolean | string;
  /** Defaults to application/x-www-form-urlencoded, as Slack sends commands and interactivity. */
  contentType?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export interface SignedResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed as JSON, when it is JSON. */
  json?: unknown;
}

/** POSTs `body` to `url` signed like Slack, and reads the whole answer. */
export async function postSigned(
  url: string,
  secret: string,
  body: string,
  opts: PostSignedOptions = {},
): Promise<SignedResponse> {
  const key =
    opts.wrongSecret === undefined || opts.wrongSecret === false
      ? secret
      : typeof opts.wrongSecret === 'string'
        ? opts.wrongSecret
        : `${secret}-wrong`;
  const headers: Record<string, string> = {
    'content-type': opts.contentType ?? 'application/x-www-form-urlencoded',
    'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
    ...(opts.omitSignature ? {} : sign(key, body, opts.timestamp)),
    ...opts.headers,
  };
  const sent =
    opts.tamper === undefined || opts.tamper === false
      ? body
      : typeof opts.tamper === 'string'
        ? opts.tamper
        : tamperWith(body);
  const res = await fetch(url, {
    method: 'POST',
    headers,
    body: sent,
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  const text = await res.text();
  const out: SignedResponse = { status: res.status, headers: res.headers, text };
  if (text !== '') {
    try {
      out.json = JSON.parse(text);
    } catch {
      // not JSON: plain text acks are allowed
    }
  }
  return out;
}

function tamperWith(body: string): string {
  if (body === '') return 'x';
  const last = body.at(-1);
  return body.slice(0, -1) + (last === 'a' ? 'b' : 'a');
}

// ------------------------------------------------------------------------------------------------ Events API

/** An Events API event id shaped like Slack's (`Ev` + 9 characters), unique per call. */
export function eventId(): string {
  return `Ev${(100_000_000 + nextSerial()).toString(36).toUpperCase().padStart(9, '0')}`;
}

export interface EventCallbackInput {
  /** The inner event (`{ type: 'member_left_channel', user, channel, channel_type, team }`). */
  event: Record<string, unknown>;
  teamId?: string;
  eventId?: string;
  /** Unix seconds (default now). */
  eventTime?: number;
}

/**
 * The outer `event_callback` Slack posts to the Request URL (and wraps in a Socket Mode `events_api` envelope),
 * as the member_left_channel reference page shows it: token, team_id, api_app_id, event, type, authorizations
 * (the bot's, for a bot event subscription), event_id, event_time.
 */
export function eventCallback(input: EventCallbackInput): Record<string, unknown> {
  const team = input.teamId ?? SLACK_DEFAULTS.teamId;
  return {
    token: SLACK_DEFAULTS.verificationToken,
    team_id: team,
    api_app_id: SLACK_DEFAULTS.appId,
    event: { event_ts: `${Math.floor(Date.now() / 1000)}.000100`, ...input.event },
    type: 'event_callback',
    authorizations: [
      {
        enterprise_id: null,
        team_id: team,
        user_id: SLACK_DEFAULTS.botUserId,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    event_id: input.eventId ?? eventId(),
    event_time: input.eventTime ?? Math.floor(Date.now() / 1000),
    is_ext_shared_channel: false,
    event_context: `4-${randomBytes(24).toString('base64url')}`,
  };
}

/** The `url_verification` challenge Slack sends when the Request URL is saved. */
export function urlVerification(challenge: string): Record<string, unknown> {
  return { token: SLACK_DEFAULTS.verificationToken, challenge, type: 'url_verification' };
}
