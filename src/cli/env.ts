import { isIP } from 'node:net';
import { z } from 'zod';
import { UsageError } from '../core/index.js';

const Duration = z
  .string()
  .regex(/^\d+(ms|s|m|h)$/, 'a duration like 500ms, 30s, 10m or 1h')
  .transform((v) => {
    const n = Number.parseInt(v, 10);
    if (v.endsWith('ms')) return n;
    return n * { s: 1_000, m: 60_000, h: 3_600_000 }[v.slice(-1) as 's' | 'm' | 'h'];
  });

/** `300/10m`: removals per moderator per window. */
const RateLimit = z
  .string()
  .regex(/^\d+\/\d+(ms|s|m|h)$/, 'removals per window, like 300/10m')
  .transform((v) => {
    const [n, window] = v.split('/') as [string, string];
    return { removals: Number(n), windowMs: Duration.parse(window) };
  });

const Port = z.coerce.number().int().min(0).max(65_535);

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;
/** An IP address, or a host name (RFC 1123 labels; all-digit names like 999.1.1.1 are not names but bad IPs). */
export function isHost(value: string): boolean {
  if (isIP(value) !== 0) return true;
  if (/^[\d.]+$/.test(value) || value.length > 253) return false;
  return value
    .replace(/\.$/, '')
    .split('.')
    .every((label) => LABEL.test(label));
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** kickbot's environment, read and checked once at start; a bad value names the variable. */
export const EnvSchema = z.object({
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'a redis:// or rediss:// URL' }).optional(),
  /** Redis Cluster: some of its nodes, `host:port,host:port` (REDIS_URL then gives only the password and TLS, if any). */
  REDIS_CLUSTER_NODES: z
    .string()
    .regex(/^[\w.-]+:\d{1,5}(,[\w.-]+:\d{1,5})*$/)
    .optional(),
  /** Key prefix in Redis (several kickbots, or tests, on one Redis). */
  KICKBOT_REDIS_PREFIX: z
    .string()
    .regex(/^[\w.-]+$/)
    .default('kickbot'),
  /** Where the console keeps its workspace memberships (default: REDIS_URL). */
  KICKBOT_CONSOLE_REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  KICKBOT_RATE_LIMIT: RateLimit.default({ removals: 10_000, windowMs: 10 * 60_000 }),
  KICKBOT_CONFIRM_THRESHOLD: z.coerce.number().int().nonnegative().default(10),
  KICKBOT_BULK_THRESHOLD: z.coerce.number().int().nonnegative().default(50),
  /** How long a worker holds a bulk slice without renewing; a dead worker's slice moves on after about this. */
  KICKBOT_JOB_LOCK: Duration.default(30_000),
  PORT: Port.default(3000),
  /** `/metrics` on a port of its own (default: on PORT, beside everything else). */
  METRICS_PORT: Port.optional(),
  /** Turns on the admin page at `/admin`: the token an operator signs in with. */
  KICKBOT_ADMIN_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
  /** This deployment's public base URL (the admin page's install instructions; default: the address it was reached at). */
  KICKBOT_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  HOST: z.string().refine(isHost).default('127.0.0.1'),
  /** pino's levels; default warn for the console and `run`, info for `serve` and `worker`. */
  LOG_LEVEL: z.enum(LOG_LEVELS).optional(),
  /** kickbot's config file (areas, grants, mod-log channel); `--config` wins. */
  KICKBOT_CONFIG: z.string().optional(),
  SLACK_BOT_TOKEN: z
    .string()
    .regex(/^xox[bp]-/, 'a bot token (xoxb-…)')
    .optional(),
  SLACK_SIGNING_SECRET: z.string().min(8).optional(),
  /** Socket Mode when set: an app-level token (xapp-…). */
  SLACK_APP_TOKEN: z
    .string()
    .regex(/^xapp-/, 'an app-level token (xapp-…)')
    .optional(),
  /** Another Web API base URL (tests, proxies). */
  SLACK_API_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** The prefix of the registered commands, if the manifest was generated with --prefix. */
  SLACK_COMMAND_PREFIX: z
    .string()
    .regex(/^[a-z0-9_-]*$/)
    .default(''),
  /** How long a Slack Web API call may take before kickbot gives up on it (a removal is then retried). */
  SLACK_API_TIMEOUT: Duration.default(10_000),
  /** conversations.kick's rate (Tier 3: about 50 a minute per workspace), shared by every replica. */
  SLACK_KICK_RATE: RateLimit.default({ removals: 50, windowMs: 60_000 }),
  /** Turns on kickbot's HTTP API (`POST /api/v1/removals`): the key scripts send as `Authorization: Bearer`. */
  KICKBOT_API_KEY: z.string().min(16, 'at least 16 characters').optional(),
  /** Turns on SCIM 2.0 at `/scim/v2`: the token the identity provider sends as `Authorization: Bearer`. */
  KICKBOT_SCIM_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
  /** Turns on Okta's event hook at `/hooks/okta`: the secret Okta sends in KICKBOT_OKTA_HOOK_HEADER. */
  KICKBOT_OKTA_HOOK_SECRET: z.string().min(16, 'at least 16 characters').optional(),
  /** The header Okta sends that secret in (its "Authentication field"). */
  KICKBOT_OKTA_HOOK_HEADER: z
    .string()
    .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$/, 'a header name')
    .default('Authorization'),
  DISCORD_TOKEN: z
    .string()
    .min(20)
    .regex(/^[\w-]+\.[\w-]+\.[\w-]+$/)
    .optional(),
  /** HTTP interactions mode when set (the application's public key, 64 hex characters). */
  DISCORD_PUBLIC_KEY: z
    .string()
    .regex(/^[0-9a-f]{64}$/i, '64 hex characters')
    .optional(),
  DISCORD_APPLICATION_ID: z
    .string()
    .regex(/^\d{5,25}$/, 'a snowflake')
    .optional(),
  /** Another REST base URL (tests); the gateway URL is asked from it too. */
  DISCORD_API_URL: z.url({ protocol: /^https?$/ }).optional(),
  /**
   * `1`: ask the gateway for member joins (the privileged Server Members intent), for rejoin alerts after a kick.
   * Off by default: Discord refuses a login asking for a privileged intent the app was not given.
   */
  DISCORD_MEMBER_EVENTS: z
    .enum(['0', '1'])
    .default('0')
    .transform((v) => v === '1'),
});

export type Env = z.infer<typeof EnvSchema>;

/** What each variable holds, in plain words: the first half of every complaint. */
const EXPECTED: Record<keyof Env, string> = {
  REDIS_URL: 'a redis:// or rediss:// URL',
  REDIS_CLUSTER_NODES: 'cluster nodes as host:port,host:port',
  KICKBOT_REDIS_PREFIX: 'a key prefix of letters, digits, ".", "_" and "-"',
  KICKBOT_CONSOLE_REDIS_URL: 'a redis:// or rediss:// URL',
  KICKBOT_RATE_LIMIT: 'removals per window, like 300/10m',
  KICKBOT_CONFIRM_THRESHOLD: 'a whole number, 0 or more',
  KICKBOT_BULK_THRESHOLD: 'a whole number, 0 or more',
  KICKBOT_JOB_LOCK: 'a duration like 500ms, 30s, 10m or 1h',
  PORT: 'a port number 0–65535',
  METRICS_PORT: 'a port number 0–65535',
  KICKBOT_ADMIN_TOKEN: 'a token of at least 16 characters',
  KICKBOT_PUBLIC_URL: 'an http:// or https:// URL',
  HOST: 'an IP address or a host name to listen on, like 127.0.0.1, 0.0.0.0 or localhost',
  LOG_LEVEL: `one of ${LOG_LEVELS.join(', ')}`,
  KICKBOT_CONFIG: 'the path of a config file',
  SLACK_BOT_TOKEN: 'a bot token (xoxb-…)',
  SLACK_SIGNING_SECRET: "the app's signing secret (Basic Information in the app settings)",
  SLACK_APP_TOKEN: 'an app-level token (xapp-…)',
  SLACK_API_URL: 'an http:// or https:// URL',
  SLACK_COMMAND_PREFIX: 'the command prefix: lower-case letters, digits, "_" and "-"',
  SLACK_API_TIMEOUT: 'a duration like 500ms, 10s or 1m',
  SLACK_KICK_RATE: 'removals per window, like 50/1m',
  KICKBOT_API_KEY: 'a key of at least 16 characters',
  KICKBOT_SCIM_TOKEN: 'a token of at least 16 characters',
  KICKBOT_OKTA_HOOK_SECRET: 'a secret of at least 16 characters',
  KICKBOT_OKTA_HOOK_HEADER: 'a header name, like Authorization or X-Okta-Secret',
  DISCORD_TOKEN: "the bot's token from the Developer Portal (three parts separated by dots)",
  DISCORD_PUBLIC_KEY: "the application's public key (64 hex characters)",
  DISCORD_APPLICATION_ID: "the application's id (a snowflake: digits)",
  DISCORD_API_URL: 'an http:// or https:// URL',
  DISCORD_MEMBER_EVENTS: '1 (member joins: needs the Server Members intent) or 0',
};

/** Variables whose value is never printed: only its length. */
const SECRETS = new Set<string>([
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_APP_TOKEN',
  'KICKBOT_API_KEY',
  'KICKBOT_SCIM_TOKEN',
  'KICKBOT_OKTA_HOOK_SECRET',
  'KICKBOT_ADMIN_TOKEN',
  'DISCORD_TOKEN',
]);

/** How a bad value is quoted back: secrets by length, URLs without a password, the rest as given. */
function got(name: string, value: string): string {
  if (SECRETS.has(name)) return `got a value of ${value.length} character${value.length === 1 ? '' : 's'}`;
  const shown = /REDIS_URL$/.test(name) ? value.replace(/\/\/[^@/]*@/, '//***@') : value;
  return `got ${JSON.stringify(shown.length > 80 ? `${shown.slice(0, 80)}…` : shown)}`;
}

/** Checks the whole environment; every bad variable is named in one message (`NAME: what is expected, got …`). */
export function readEnv(env: NodeJS.ProcessEnv = process.env): Env {
  const given = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')) as Record<string, string>;
  const parsed = EnvSchema.safeParse(given);
  if (parsed.success) return parsed.data;
  const names = [...new Set(parsed.error.issues.map((issue) => String(issue.path[0])))];
  const problems = names.map(
    (name) => `${name}: ${EXPECTED[name as keyof Env] ?? 'a valid value'}, ${got(name, given[name] ?? '')}`,
  );
  throw new UsageError(
    problems.length === 1
      ? `environment variable ${problems[0]}`
      : `${problems.length} environment variables are wrong:\n${problems.map((p) => `  ${p}`).join('\n')}`,
  );
}
