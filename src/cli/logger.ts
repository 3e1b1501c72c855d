import pino from 'pino';
import type { Logger } from '../core/ports.js';

/** Logs go to stderr as JSON lines, at `LOG_LEVEL` (default warn, so that the console stays readable). */
export function createLogger(level = process.env.LOG_LEVEL ?? 'warn'): Logger {
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
