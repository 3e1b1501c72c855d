import { describe, expect, it } from 'vitest';
import { isHost, readEnv } from '../../src/cli/env.js';
import { createLogger } from '../../src/cli/logger.js';
import { UsageError } from '../../src/core/index.js';

describe('isHost', () => {
  it.each([
    ['127.0.0.1', true],
    ['0.0.0.0', true],
    ['::', true],
    ['::1', true],
    ['localhost', true],
    ['kickbot.example.org', true],
    ['kickbot.example.org.', true],
    ['my-host-2', true],
    ['999.1.1.1', false],
    ['1.2.3', false],
    ['-bad.example', false],
    ['bad_host', false],
    ['has space', false],
    ['http://x', false],
    ['', false],
  ])('GIVEN %j THEN %s', (value, ok) => {
    expect(isHost(value)).toBe(ok);
  });
});

describe('readEnv', () => {
  it('GIVEN good values THEN they are read, LOG_LEVEL included', () => {
    expect(readEnv({ HOST: '0.0.0.0', PORT: '8080', LOG_LEVEL: 'debug' })).toMatchObject({
      HOST: '0.0.0.0',
      PORT: 8080,
      LOG_LEVEL: 'debug',
    });
  });

  it('GIVEN a bad secret THEN its length is said, never its value', () => {
    const error = (() => {
      try {
        readEnv({ SLACK_BOT_TOKEN: 'secret-value', KICKBOT_API_KEY: 'short' });
      } catch (e) {
        return e as Error;
      }
      throw new Error('expected a UsageError');
    })();
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toBe(
      [
        '2 environment variables are wrong:',
        '  SLACK_BOT_TOKEN: a bot token (xoxb-…), got a value of 12 characters',
        '  KICKBOT_API_KEY: a key of at least 16 characters, got a value of 5 characters',
      ].join('\n'),
    );
  });

  it('GIVEN createLogger with a level pino does not know THEN a usage error naming LOG_LEVEL', () => {
    expect(() => createLogger('loud')).toThrow(UsageError);
    expect(() => createLogger('loud')).toThrow(/LOG_LEVEL: one of .*, got "loud"/);
  });
});
