import { Writable } from 'node:stream';
import pino from 'pino';
import type { Logger } from '../../src/core/index.js';

/** A pino logger (as `kickbot serve` makes it) writing its JSON lines into `lines`. */
export function captureLogger(lines: string[]): Logger {
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return pino({ level: 'debug' }, sink);
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** One call of a `loggerTo` logger, as the code made it. */
export interface Logged {
  level: LogLevel;
  obj: Record<string, unknown>;
  msg: string | undefined;
}

/**
 * A logger that hands every call, at every level, to `onLog` (its children too, without their bindings):
 * for a test that reads what was logged as objects rather than JSON lines.
 */
export function loggerTo(onLog: (entry: Logged) => void): Logger {
  const at =
    (level: LogLevel) =>
    (obj: object, msg?: string): void =>
      onLog({ level, obj: obj as Record<string, unknown>, msg });
  const logger: Logger = {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: () => logger,
  };
  return logger;
}
