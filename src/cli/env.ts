import { z } from 'zod';
import { UsageError } from '../core/errors.js';

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

/** kickbot's environment, read and checked once at start; a bad value names the variable. */
export const EnvSchema = z.object({
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'a redis:// or rediss:// URL' }).optional(),
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
  HOST: z.string().default('127.0.0.1'),
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
  DISCORD_TOKEN: z.string().min(20, 'a bot token').optional(),
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
});

export type Env = z.infer<typeof EnvSchema>;

export function readEnv(env: NodeJS.ProcessEnv = process.env): Env {
  const parsed = EnvSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new UsageError(`environment variable ${String(issue?.path[0])}: ${issue?.message}`);
}
