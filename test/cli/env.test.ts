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

describe('readEnv: SCIM and the Okta hook', () => {
  const failure = (env: NodeJS.ProcessEnv): Error => {
    try {
      readEnv(env);
    } catch (e) {
      return e as Error;
    }
    throw new Error('expected a UsageError');
  };

  it('GIVEN good values THEN they are read, and the hook header defaults to Authorization', () => {
    expect(
      readEnv({ KICKBOT_SCIM_TOKEN: 'a'.repeat(16), KICKBOT_OKTA_HOOK_SECRET: 'b'.repeat(40) }),
    ).toMatchObject({
      KICKBOT_SCIM_TOKEN: 'a'.repeat(16),
      KICKBOT_OKTA_HOOK_SECRET: 'b'.repeat(40),
      KICKBOT_OKTA_HOOK_HEADER: 'Authorization',
    });
    expect(readEnv({ KICKBOT_OKTA_HOOK_HEADER: 'X-Okta-Secret' }).KICKBOT_OKTA_HOOK_HEADER).toBe(
      'X-Okta-Secret',
    );
    expect(readEnv({})).not.toHaveProperty('KICKBOT_SCIM_TOKEN', expect.anything());
  });

  it('GIVEN a short token and secret THEN a UsageError names each variable and says only their lengths', () => {
    const error = failure({ KICKBOT_SCIM_TOKEN: 'short-token', KICKBOT_OKTA_HOOK_SECRET: 'tiny' });
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toBe(
      [
        '2 environment variables are wrong:',
        '  KICKBOT_SCIM_TOKEN: a token of at least 16 characters, got a value of 11 characters',
        '  KICKBOT_OKTA_HOOK_SECRET: a secret of at least 16 characters, got a value of 4 characters',
      ].join('\n'),
    );
    expect(error.message).not.toContain('short-token');
  });

  it('GIVEN a header name that is not one THEN a UsageError naming KICKBOT_OKTA_HOOK_HEADER', () => {
    const error = failure({ KICKBOT_OKTA_HOOK_HEADER: 'X Okta: secret' });
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toBe(
      'environment variable KICKBOT_OKTA_HOOK_HEADER: a header name, like Authorization or X-Okta-Secret, got "X Okta: secret"',
    );
  });
});
