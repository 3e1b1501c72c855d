import type { Logger as SlackLogger } from '@slack/logger';
import { LogLevel } from '@slack/logger';
import type { Logger } from '../../core/index.js';
import { withoutUrls } from '../log-safe.js';

/**
 * Bolt and the Web API client log through kickbot's logger (pino: JSON lines on stderr, no payloads). Their
 * debug lines hold request bodies (message text) and are dropped; every other line loses its URLs (a
 * `response_url` is a capability).
 */
export function slackLogger(logger: Logger): SlackLogger {
  let level = LogLevel.WARN;
  const at =
    (method: 'info' | 'warn' | 'error') =>
    (...msg: unknown[]) =>
      logger[method](
        { component: 'bolt' },
        withoutUrls(msg.map((m) => (m instanceof Error ? m.message : String(m))).join(' ')).slice(0, 500),
      );
  return {
    debug: () => {},
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
