import type { Logger as SlackLogger } from '@slack/logger';
import { LogLevel } from '@slack/logger';
import type { Logger } from '../../core/ports.js';

/** Bolt and the Web API client log through kickbot's logger (pino: JSON lines on stderr, no payloads). */
export function slackLogger(logger: Logger): SlackLogger {
  let level = LogLevel.WARN;
  const at =
    (method: 'debug' | 'info' | 'warn' | 'error') =>
    (...msg: unknown[]) =>
      logger[method](
        { component: 'bolt' },
        msg.map((m) => (m instanceof Error ? m.message : String(m))).join(' '),
      );
  return {
    debug: at('debug'),
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
