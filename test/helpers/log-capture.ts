import { Writable } from 'node:stream';
import pino from 'pino';
import type { Logger } from '../../src/core/ports.js';

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
