import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { kickbot, ROOT } from '../helpers/cli.js';

/** Small CLI flags through the real CLI: --version, and the Slack manifest's --url. */

const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

describe.concurrent('kickbot --version', () => {
  it.for(['--version', '-V'])(
    'GIVEN %s THEN the version of package.json on stdout, exit 0',
    async (flag, { expect }) => {
      const r = await kickbot([flag]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe(`${VERSION}\n`);
    },
  );
});

describe.concurrent('kickbot manifest slack --url', () => {
  it.for(['notaurl', 'http://bot.example.org', 'bot.example.org'])(
    'GIVEN --url %s THEN a usage error naming --url: exit 2, no manifest',
    async (url, { expect }) => {
      const r = await kickbot(['manifest', 'slack', '--url', url]);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(
        `kickbot: --url: kickbot's public base URL, like https://kickbot.example.org (Slack posts only to https://), got "${url}"\n`,
      );
      expect(r.stdout).toBe('');
    },
  );

  it('GIVEN --socket and --url THEN a usage error saying the URL is unused: exit 2, no manifest', async ({
    expect,
  }) => {
    const r = await kickbot(['manifest', 'slack', '--socket', '--url', 'https://bot.example.org']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--url is unused with --socket');
    expect(r.stdout).toBe('');
  });

  it('GIVEN a good https URL THEN the manifest posts to <url>/slack/events, exit 0', async ({ expect }) => {
    const r = await kickbot(['manifest', 'slack', '--url', 'https://bot.example.org/']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('request_url: https://bot.example.org/slack/events');
  });
});
