import pino from 'pino';
import { type Logger, UsageError } from '../core/index.js';
import { LOG_LEVELS } from './env.js';

/** Logs go to stderr as JSON lines, at `LOG_LEVEL` (default warn, so that the console stays readable). */
export function createLogger(level = process.env.LOG_LEVEL ?? 'warn'): Logger {
  // readEnv checks LOG_LEVEL first; this keeps pino's own "unknown level" from ever reaching a user.
  if (!(LOG_LEVELS as readonly string[]).includes(level))
    throw new UsageError(
      `environment variable LOG_LEVEL: one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(level)}`,
    );
  return pino(
    {
      level,
      base: { app: 'kickbot' },
      redact: {
        paths: ['*.token', '*.apiKey', '*.authorization', '*.headers.authorization'],
        censor: '[redacted]',
      },
    },
    pino.destination(2),
  );
}
