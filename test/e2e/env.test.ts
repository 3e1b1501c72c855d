import { describe, it } from 'vitest';
import { kickbot } from '../helpers/cli.js';

/** Bad settings through the real CLI: each names the variable in plain words, all in one run, exit 2. */

const RUN = ['run', '--as', 'mo', '--', '/kick @bob spam'];

describe.concurrent('a bad environment variable is named in plain words', () => {
  it.for([
    ['LOG_LEVEL', 'loud', 'LOG_LEVEL: one of fatal, error, warn, info, debug, trace, silent, got "loud"'],
    ['HOST', '999.1.1.1', 'HOST: an IP address or a host name to listen on'],
    ['PORT', 'abc', 'PORT: a port number 0–65535, got "abc"'],
    [
      'DISCORD_TOKEN',
      'abc',
      "DISCORD_TOKEN: the bot's token from the Developer Portal (three parts separated by dots), got a value of 3 characters",
    ],
  ] as const)('GIVEN %s=%s THEN exit 2 and the line names it', async ([name, value, line], { expect }) => {
    const r = await kickbot(RUN, { env: { [name]: value } });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(line);
    expect(r.stderr).not.toMatch(/internal error|^\s+at /m);
    expect(r.stdout).not.toContain('removed');
  });

  it('GIVEN four bad variables THEN one run names all four, each once, and never echoes a secret', async ({
    expect,
  }) => {
    const secret = 'not-a-real-token';
    const r = await kickbot(['serve'], {
      env: { LOG_LEVEL: 'loud', HOST: '999.1.1.1', PORT: 'abc', DISCORD_TOKEN: secret },
    });
    expect(r.code, r.stderr).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toBe('kickbot: 4 environment variables are wrong:');
    expect(lines.slice(1).map((l) => l.trim().split(':')[0])).toEqual([
      'PORT',
      'HOST',
      'LOG_LEVEL',
      'DISCORD_TOKEN',
    ]);
    expect(r.stderr).toContain(
      'HOST: an IP address or a host name to listen on, like 127.0.0.1, 0.0.0.0 or localhost, got "999.1.1.1"',
    );
    expect(r.stderr).toContain(`got a value of ${secret.length} characters`);
    expect(r.stderr).not.toContain(secret);
  });

  it('GIVEN a Redis URL with a password THEN the complaint hides the password', async ({ expect }) => {
    const r = await kickbot(RUN, { env: { REDIS_URL: 'http://user:hunter2@redis.example:6379' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('REDIS_URL: a redis:// or rediss:// URL, got "http://***@redis.example:6379"');
    expect(r.stderr).not.toContain('hunter2');
  });
});
