import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPILED, kickbot } from '../helpers/cli.js';

/**
 * The real CLI (`bin/kickbot.js`, which runs the compiled `dist/`), as a user or a script runs it:
 * stdout, stderr and exit codes of DESIGN §8.
 */

const run = (as: string, line: string, ...flags: string[]) =>
  kickbot(['run', '--as', as, ...flags, '--', line]);

interface RunJson {
  status: 'ok' | 'partial' | 'error';
  results: { room: string; user: string; area?: string; outcome: string; code?: string }[];
  message: string;
}

/** stdout of `run --json`: exactly one line, one JSON object of the shape of DESIGN §8. */
function json(stdout: string): RunJson {
  const lines = stdout.split('\n').filter((l) => l !== '');
  expect(lines, `stdout: ${stdout}`).toHaveLength(1);
  const value = JSON.parse(lines[0] as string) as RunJson & Record<string, unknown>;
  expect(Object.keys(value)).toEqual(expect.arrayContaining(['status', 'results', 'message']));
  // `case` (the case number) is the only field beyond those of DESIGN §8.
  expect(Object.keys(value).filter((k) => !['status', 'results', 'message', 'case'].includes(k))).toEqual([]);
  expect(['ok', 'partial', 'error']).toContain(value.status);
  expect(typeof value.message).toBe('string');
  expect(Array.isArray(value.results)).toBe(true);
  for (const r of value.results) {
    expect(Object.keys(r).filter((k) => !['room', 'user', 'area', 'outcome', 'code'].includes(k))).toEqual(
      [],
    );
    expect(typeof r.room).toBe('string');
    expect(typeof r.user).toBe('string');
    expect(typeof r.outcome).toBe('string');
  }
  return value;
}

const noStackTrace = (text: string) => expect(text).not.toMatch(/^\s+at /m);

/** A usage error found before the command ran: nothing on stdout but, at most, a JSON object with no results. */
function nothingDone(stdout: string) {
  if (stdout.trim() === '') return;
  expect(json(stdout)).toMatchObject({ status: 'error', results: [] });
}

const ELEVEN = ['bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy', 'mallory', 'olga'];
const KICK_ELEVEN = `/kick ${ELEVEN.map((u) => `@${u}`).join(' ')} spam`;

const SMALL = `
name: small
bot: kickbot
owner: ada
users:
  - { id: ada, roles: [admin] }
  - { id: mo, roles: [moderator] }
  - { id: bob }
  - { id: kickbot, roles: [bot] }
rooms:
  - { id: general, members: [ada, mo, bob, kickbot], owners: [ada] }
`;

let dir = '';
const tmpFile = (name: string, text: string) => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};

beforeAll(() => {
  if (!existsSync(COMPILED)) throw new Error(`${COMPILED} is missing: build first (npx tsc -p .)`);
  dir = mkdtempSync(join(tmpdir(), 'kickbot-cli-'));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.concurrent('kickbot run --json (demo workspace)', () => {
  it('a removal: ok, exit 0', async ({ expect }) => {
    const r = await run('mo', '/kick @bob spam', '--json');
    expect(r.code).toBe(0);
    expect(json(r.stdout)).toMatchObject({
      status: 'ok',
      results: [{ room: 'general', user: 'bob', outcome: 'removed' }],
      message: 'Removed 1 | Not a member 0 | Denied 0 | Failed 0',
    });
    expect(json(r.stdout).results[0]).not.toHaveProperty('code');
    noStackTrace(r.stderr);
  });

  it('a user who is not a member: ok, exit 0', async ({ expect }) => {
    const r = await run('mo', '/kick @olga #random', '--json');
    expect(r.code).toBe(0);
    expect(json(r.stdout)).toMatchObject({
      status: 'ok',
      results: [{ room: 'random', user: 'olga', outcome: 'not_member' }],
      message: 'Removed 0 | Not a member 1 | Denied 0 | Failed 0',
    });
  });

  it('a private room the moderator cannot see: denied room-not-found, exit 3', async ({ expect }) => {
    const r = await run('mo', '/kick @bob #secret spam', '--json');
    expect(r.code).toBe(3);
    expect(json(r.stdout)).toMatchObject({
      status: 'error',
      results: [{ room: 'secret', user: 'bob', outcome: 'denied', code: 'room-not-found' }],
    });
  });

  it('the workspace owner: denied protected, exit 3', async ({ expect }) => {
    const r = await run('mo', '/kick @ada', '--json');
    expect(r.code).toBe(3);
    expect(json(r.stdout)).toMatchObject({
      status: 'error',
      results: [{ room: 'general', user: 'ada', outcome: 'denied', code: 'protected' }],
      message: 'Removed 0 | Not a member 0 | Denied 1 | Failed 0',
    });
  });

  it('an undeletable room: unsupported, exit 3', async ({ expect }) => {
    const r = await run('mo', '/kick @bob', '--in', 'lobby', '--json');
    expect(r.code).toBe(3);
    expect(json(r.stdout)).toMatchObject({
      status: 'error',
      results: [{ room: 'lobby', user: 'bob', outcome: 'unsupported', code: 'undeletable' }],
    });
  });

  it('a mixed batch: partial, exit 3', async ({ expect }) => {
    const r = await run('mo', '/kick @bob @ada spam', '--json');
    expect(r.code).toBe(3);
    expect(json(r.stdout)).toEqual(
      expect.objectContaining({
        status: 'partial',
        results: [
          { room: 'general', user: 'bob', outcome: 'removed' },
          { room: 'general', user: 'ada', outcome: 'denied', code: 'protected' },
        ],
        message: 'Removed 1 | Not a member 0 | Denied 1 | Failed 0',
      }),
    );
  });

  it('an area removal names the area of each pair', async ({ expect }) => {
    const r = await run('mo', '/remove-area payments @bob spam', '--json');
    expect(r.code).toBe(0);
    const out = json(r.stdout);
    expect(out.status).toBe('ok');
    expect(out.results.length).toBeGreaterThan(0);
    for (const pair of out.results)
      expect(pair).toMatchObject({ user: 'bob', area: 'payments', outcome: 'removed' });
  });

  it('/kickbot help: ok, exit 0', async ({ expect }) => {
    const r = await run('mo', '/kickbot help', '--json');
    expect(r.code).toBe(0);
    expect(json(r.stdout)).toMatchObject({ status: 'ok', results: [] });
    expect(json(r.stdout).message).toContain('/kick @user');
  });

  it('a usage error: exit 2, the message on stderr', async ({ expect }) => {
    const r = await run('mo', '/kick', '--json');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('name at least one user');
    expect(json(r.stdout)).toMatchObject({ status: 'error', results: [] });
    noStackTrace(r.stderr);
  });

  it('an unknown command: exit 2', async ({ expect }) => {
    const r = await run('mo', '/nope @bob', '--json');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown command /nope');
  });

  it('11 users without --yes: exit 2, nothing removed, stderr says to run again with --yes', async ({
    expect,
  }) => {
    const r = await run('mo', KICK_ELEVEN, '--json');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Run again with --yes');
    expect(r.stderr).not.toContain('was removed');
    expect(r.stderr).not.toContain('were removed');
    const out = json(r.stdout);
    expect(out).toMatchObject({ status: 'error', results: [] });
    expect(out.message).toContain('Nothing was done');
  });

  it('11 users without --yes under a --key: exit 2, and the message says a confirmed run needs a new key', async ({
    expect,
  }) => {
    const r = await run('mo', KICK_ELEVEN, '--key', 'batch-1');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'Nothing was done. Run again with --yes and a new --key (this one is bound to this run) to confirm.',
    );
  });

  it('11 users with --yes: all removed, exit 0', async ({ expect }) => {
    const r = await run('mo', KICK_ELEVEN, '--json', '--yes');
    expect(r.code).toBe(0);
    const out = json(r.stdout);
    expect(out.status).toBe('ok');
    expect(out.results.map((p) => [p.user, p.outcome])).toEqual(ELEVEN.map((u) => [u, 'removed']));
    expect(out.message).toBe('Removed 11 | Not a member 0 | Denied 0 | Failed 0');
  });
});

describe.concurrent('kickbot run: usage errors', () => {
  it('an unknown --as user: exit 2, naming the user', async ({ expect }) => {
    const r = await run('zed', '/kick @bob', '--json');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no user "zed"');
    nothingDone(r.stdout);
    noStackTrace(r.stderr);
  });

  it('an unknown --in room: exit 2, naming the room', async ({ expect }) => {
    const r = await run('mo', '/kick @bob', '--in', 'nowhere');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no room "nowhere"');
    expect(r.stdout).toBe('');
  });

  it('a command line that does not start with "/": exit 2', async ({ expect }) => {
    const r = await run('mo', 'kick @bob');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('give the command after "--"');
    expect(r.stdout).toBe('');
  });

  it('an unknown option: exit 2, the error on stderr', async ({ expect }) => {
    const r = await kickbot(['run', '--as', 'mo', '--bogus', '--', '/kick @bob']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option '--bogus'");
    expect(r.stdout).toBe('');
  });

  it('a missing --as: exit 2', async ({ expect }) => {
    const r = await kickbot(['run', '--', '/kick @bob']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--as');
    expect(r.stdout).toBe('');
  });

  it('an unknown subcommand: exit 2', async ({ expect }) => {
    const r = await kickbot(['bogus']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown command 'bogus'");
  });

  it('no subcommand at all is a usage error: exit 2, the help on stderr', async ({ expect }) => {
    const r = await kickbot([]);
    expect(r.stderr).toContain('Usage: kickbot');
    expect(r.code).toBe(2);
  });

  it('--help: exit 0, the help on stdout', async ({ expect }) => {
    const r = await kickbot(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: kickbot');
    expect(r.stdout).toContain('run [options]');
  });

  it('help: exit 0', async ({ expect }) => {
    const r = await kickbot(['help', 'run']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: kickbot run');
  });
});

describe.concurrent('kickbot run: workspace files', () => {
  it('runs on a workspace file of its own', async ({ expect }) => {
    const file = tmpFile('small.yaml', SMALL);
    const r = await run('mo', '/kick @bob spam', '--workspace', file, '--json');
    expect(r.code).toBe(0);
    expect(json(r.stdout)).toMatchObject({
      status: 'ok',
      results: [{ room: 'general', user: 'bob', outcome: 'removed' }],
    });
  });

  it('a broken workspace file: exit 2, file, line and key named, no stack trace', async ({ expect }) => {
    const file = tmpFile('bad-role.yaml', SMALL.replace('{ id: bob }', '{ id: bob, roles: [boss] }'));
    const r = await run('mo', '/kick @bob', '--workspace', file, '--json');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}:8: users[2].roles[0]`);
    nothingDone(r.stdout);
    noStackTrace(r.stderr);
  });

  it('a member who is not a user: exit 2, naming the entry', async ({ expect }) => {
    const file = tmpFile(
      'zed.yaml',
      SMALL.replace('members: [ada, mo, bob, kickbot]', 'members: [ada, mo, zed]'),
    );
    const r = await run('mo', '/kick @bob', '--workspace', file);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}:11: rooms[0].members[2]: no user "zed" in users`);
    noStackTrace(r.stderr);
  });

  it('a file that is not YAML: exit 2, file:line:col', async ({ expect }) => {
    const file = tmpFile('not-yaml.yaml', 'bot: kickbot\nusers:\n  - { id: ada\nrooms: []\n');
    const r = await run('mo', '/kick @bob', '--workspace', file);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: not valid YAML`),
    );
    noStackTrace(r.stderr);
  });

  it('a missing workspace file: exit 2, no such file', async ({ expect }) => {
    const file = join(dir, 'missing.yaml');
    const r = await run('mo', '/kick @bob', '--workspace', file);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}: cannot read the workspace file (no such file)`);
    noStackTrace(r.stderr);
  });

  it('the console on a broken workspace file: exit 2, no stack trace', async ({ expect }) => {
    const file = tmpFile('bad-type.yaml', SMALL.replace('{ id: general,', '{ id: general, type: secret,'));
    const r = await kickbot(['console', '--workspace', file], { input: ':quit\n' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}:11: rooms[0].type`);
    noStackTrace(r.stderr);
  });
});

describe.concurrent('kickbot run without --json', () => {
  it('the room confirmation, the pair and the summary on stdout; exit 0', async ({ expect }) => {
    const r = await run('mo', '/kick @bob spam');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')).toEqual([
      '#general: Bob was removed by Mo (reason: spam) · case 1',
      '✓ Bob removed from #general',
      'Removed 1 | Not a member 0 | Denied 0 | Failed 0 · case 1',
      '',
    ]);
    expect(r.stderr).toBe('');
  });

  it('a denial on stdout; exit 3', async ({ expect }) => {
    const r = await run('mo', '/kick @ada');
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/^✗ Ada in #general: denied \(protected\)/m);
    expect(r.stdout).toContain('Removed 0 | Not a member 0 | Denied 1 | Failed 0 · case 1');
  });

  it('a usage error on stderr; exit 2', async ({ expect }) => {
    const r = await run('mo', '/kick');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('name at least one user');
    expect(r.stdout).toBe('');
  });

  it('11 users without --yes: exit 2, nothing on stdout, stderr says how to confirm', async ({ expect }) => {
    const r = await run('mo', KICK_ELEVEN);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('Run again with --yes');
  });
});

describe.concurrent('kickbot console and serve', () => {
  it('console: banner, confirmation, summary; exit 0 at the end of the input', async ({ expect }) => {
    const r = await kickbot(['console'], { input: `${KICK_ELEVEN}\nyes\n:who\n` });
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^kickbot console · workspace "demo" \(.*demo-workspace\.yaml\) · /);
    expect(lines[1]).toMatch(/^You are mo in #general\. /);
    expect(lines).toContain('This would remove 11 (room, user) pairs. Batches over 10 need a confirmation.');
    expect(lines).toContain(
      '#general: Bob, Carol, Dave, Erin, Frank and 6 others were removed by Mo (reason: spam) · case 1',
    );
    expect(lines).toContain('Removed 11 | Not a member 0 | Denied 0 | Failed 0 · case 1');
    expect(lines).toContain('In #general: ada (owner), mo, kickbot');
    noStackTrace(r.stderr);
  });

  it('console --as and :as a user who does not exist', async ({ expect }) => {
    const r = await kickbot(['console', '--as', 'ada', '--in', 'secret'], {
      input: ':as zed\n:quit\n/kick @bob\n',
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('You are ada in #secret.');
    expect(r.stdout).toContain('no user "zed"');
    expect(r.stdout).not.toContain('removed');
  });

  it('console --as an unknown user: exit 2', async ({ expect }) => {
    const r = await kickbot(['console', '--as', 'zed'], { input: ':quit\n' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no user "zed"');
    noStackTrace(r.stderr);
  });

  it('serve without platform credentials starts the console', async ({ expect }) => {
    const r = await kickbot(['serve'], { input: ':quit\n' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('No platform credentials are set');
    expect(r.stdout).toMatch(/^kickbot console · workspace "demo"/m);
    noStackTrace(r.stderr);
  });
});
