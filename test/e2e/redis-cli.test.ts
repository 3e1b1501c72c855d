import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as pause } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { redisUrl, testPrefix } from '../helpers/redis.js';
import { freePort, type RedisServer, startRedisServer } from '../helpers/redis-server.js';

/**
 * The real CLI (`bin/kickbot.js`, the compiled `dist/`) on Redis: dedupe across processes, the audit log,
 * `serve` through a Redis outage (/healthz, refusals, recovery), and the environment checks. Each test has a
 * key prefix of its own on the run's shared Redis, or a redis-server of its own when it stops Redis.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin', 'kickbot.js');
const COMPILED = join(ROOT, 'dist', 'src', 'cli', 'main.js');
/** Longest a one-shot CLI run may take before the test kills it and fails (a hang is a bug). */
const RUN_LIMIT_MS = 15_000;

const REFUSAL = 'kickbot cannot reach its state store (Redis), so nothing was done. Try again in a moment.';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** No log level, no platform credentials, no Redis: the CLI as a fresh shell would start it, plus `extra`. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (/^(LOG_LEVEL|NODE_OPTIONS|SLACK_|DISCORD_|REDIS_|KICKBOT_|PORT$|HOST$)/.test(key)) delete env[key];
  }
  env.PORT = '0'; // `serve` listens; any free port will do
  return { ...env, ...extra };
}

/** Env for a test's own namespace on a Redis. */
const onRedis = (url: string, prefix: string) => ({ REDIS_URL: url, KICKBOT_REDIS_PREFIX: prefix });

/** Every child still running when the file ends is killed (each test also ends its own, see below). */
const children = new Set<ChildProcessWithoutNullStreams>();
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
});

function spawnKickbot(args: readonly string[], env: NodeJS.ProcessEnv): ChildProcessWithoutNullStreams {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env });
  children.add(child);
  child.on('close', () => children.delete(child));
  child.stdin.on('error', () => {}); // the CLI may exit before reading its input
  return child;
}

/** Runs `kickbot …` with `input` on stdin (then closed); resolves when it has exited, fails if it hangs. */
function kickbot(args: readonly string[], extraEnv: Record<string, string> = {}, input = ''): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawnKickbot(args, cleanEnv(extraEnv));
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `kickbot ${args.join(' ')} did not exit within ${RUN_LIMIT_MS} ms\n${stdout.slice(-3_000)}\n${stderr.slice(-3_000)}`,
        ),
      );
    }, RUN_LIMIT_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input);
  });
}

const kick = (env: Record<string, string>, key: string, line = '/kick @bob spam') =>
  kickbot(['run', '--json', '--key', key, '--as', 'mo', '--', line], env);

/** The one JSON object `run --json` prints. */
function json(stdout: string): Record<string, unknown> {
  const lines = stdout.split('\n').filter((l) => l !== '');
  expect(lines, `stdout: ${stdout}`).toHaveLength(1);
  return JSON.parse(lines[0] as string) as Record<string, unknown>;
}

const noStackTrace = (text: string) => expect(text).not.toMatch(/^\s+at /m);

/** A long-running kickbot (`serve`): its output so far, waits on it, and its exit. */
class Live {
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;
  readonly #child: ChildProcessWithoutNullStreams;
  #listeners = new Set<() => void>();

  constructor(args: readonly string[], env: NodeJS.ProcessEnv) {
    this.#child = spawnKickbot(args, env);
    this.#child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      this.stdout += chunk;
      for (const listener of this.#listeners) listener();
    });
    this.#child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr += chunk;
    });
    this.exited = new Promise((resolve) => this.#child.on('close', (code) => resolve(code)));
    this.exited.then(() => {
      for (const listener of this.#listeners) listener();
    });
  }

  get running(): boolean {
    return this.#child.exitCode === null && this.#child.signalCode === null;
  }

  kill(): void {
    if (this.running) this.#child.kill('SIGKILL');
  }

  send(line: string): void {
    this.#child.stdin.write(`${line}\n`);
  }

  /** Resolves with the first match of `pattern` in stdout after `from` (an offset), failing after `timeoutMs`. */
  waitFor(pattern: RegExp, from = 0, timeoutMs = 15_000): Promise<RegExpExecArray> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const match = pattern.exec(this.stdout.slice(from));
        if (match) return done(() => resolve(match));
        if (!this.running)
          done(() => reject(new Error(`kickbot exited before printing ${pattern}\n${this.output()}`)));
      };
      const timer = setTimeout(
        () => done(() => reject(new Error(`no ${pattern} within ${timeoutMs} ms\n${this.output()}`))),
        timeoutMs,
      );
      const done = (settle: () => void) => {
        clearTimeout(timer);
        this.#listeners.delete(check);
        settle();
      };
      this.#listeners.add(check);
      check();
    });
  }

  /** Resolves with the exit code, failing if it has not exited within `timeoutMs`. */
  async exit(timeoutMs = 10_000): Promise<number | null> {
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`kickbot did not exit within ${timeoutMs} ms\n${this.output()}`)),
        timeoutMs,
      );
    });
    try {
      return await Promise.race([this.exited, limit]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The output so far for a failure message (the end of stderr: an outage fills it with log lines). */
  output(): string {
    return `--- stdout\n${this.stdout.slice(-3_000)}\n--- stderr (end)\n${this.stderr.slice(-3_000)}`;
  }
}

interface Health {
  status: number;
  body: Record<string, unknown>;
}

async function health(base: string): Promise<Health> {
  const res = await fetch(`${base}/healthz`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Polls /healthz until it answers `status` (bounded). */
async function healthBecomes(base: string, status: number, timeoutMs = 15_000): Promise<Health> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const h = await health(base);
    if (h.status === status) return h;
    if (Date.now() > deadline)
      throw new Error(`/healthz still ${h.status} ${JSON.stringify(h.body)} after ${timeoutMs} ms`);
    await pause(50); // the interval of a bounded poll, not a wait for something to happen
  }
}

/** The serve processes and Redis servers of the test running now (the serve tests do not run concurrently). */
const lives: Live[] = [];
const servers: RedisServer[] = [];

/** A redis-server of the test's own, stopped after the test. */
async function ownRedis(opts: { persist?: boolean } = {}): Promise<RedisServer> {
  const server = await startRedisServer(opts);
  servers.push(server);
  return server;
}

/** Starts `kickbot serve` and resolves once its HTTP port is known and the console has started. */
async function serve(env: NodeJS.ProcessEnv): Promise<{ live: Live; base: string }> {
  const live = new Live(['serve'], env);
  lives.push(live);
  const match = await live.waitFor(/^HTTP on (http:\/\/127\.0\.0\.1:\d+) \(\/healthz, \/metrics\)$/m);
  await live.waitFor(/^You are mo in #general\./m);
  return { live, base: match[1] as string };
}

beforeAll(() => {
  if (!existsSync(COMPILED)) throw new Error(`${COMPILED} is missing: build first (npx tsc -p .)`);
});

describe.concurrent('kickbot run on one REDIS_URL', () => {
  it('two concurrent runs with the same --key: one removes, the other prints the same result; a new key: not_member', async ({
    expect,
  }) => {
    const env = onRedis(redisUrl(), testPrefix());
    const [a, b] = await Promise.all([kick(env, 'same'), kick(env, 'same')]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    expect(json(a.stdout)).toEqual({
      status: 'ok',
      results: [{ room: 'general', user: 'bob', outcome: 'removed' }],
      message: 'Removed 1 | Not a member 0 | Denied 0 | Failed 0',
      case: 1,
    });
    expect(b.stdout).toBe(a.stdout); // identical JSON: the first run's result, from dedupe
    // The room was told once: only the run that removed posted the confirmation (on stderr with --json).
    const notices = [a, b].filter((r) => r.stderr.includes('#general: Bob was removed by Mo'));
    expect(notices).toHaveLength(1);
    noStackTrace(a.stderr + b.stderr);

    const c = await kick(env, 'other');
    expect(c.code, c.stderr).toBe(0);
    expect(json(c.stdout)).toEqual({
      status: 'ok',
      results: [{ room: 'general', user: 'bob', outcome: 'not_member' }],
      message: 'Removed 0 | Not a member 1 | Denied 0 | Failed 0',
      case: 2,
    });

    // The audit log has one removal of bob (case 1), and case 2's not_member: nothing twice.
    const audit = await kickbot(['audit', '--json'], env);
    expect(audit.code, audit.stderr).toBe(0);
    const records = audit.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records.map((r) => [r.caseId, r.target, r.outcome, r.invocation])).toEqual([
      [1, 'console:bob', 'removed', 'console:same'],
      [2, 'console:bob', 'not_member', 'console:other'],
    ]);
  });

  it('a --key used for another command: exit 2 saying so, and carol is not removed; the same command again prints the first result', async ({
    expect,
  }) => {
    const env = onRedis(redisUrl(), testPrefix());
    const first = await kick(env, 'offboard-bob', '/kick @bob spam');
    expect(first.code, first.stderr).toBe(0);
    const other = await kick(env, 'offboard-bob', '/kick @carol spam');
    const message =
      'This key was already used for a different request, so nothing was done. Use a new key for a new request.';
    expect(other.code, other.stderr).toBe(2);
    expect(json(other.stdout)).toEqual({ status: 'error', results: [], message });
    expect(other.stderr).toContain(message);
    const same = await kick(env, 'offboard-bob', '/kick   @bob spam ');
    expect(same.code, same.stderr).toBe(0);
    expect(same.stdout).toBe(first.stdout);
    const carol = await kick(env, 'offboard-carol', '/kick @carol spam');
    expect(json(carol.stdout)).toMatchObject({
      results: [{ room: 'general', user: 'carol', outcome: 'removed' }],
      case: 2,
    });
    noStackTrace(other.stderr);
  });

  it.for([
    ['with its in-process worker', []],
    ['with --no-worker', ['--no-worker']],
  ])(
    'kickbot run %s against a Redis that is not there: the store refusal, exit 3, in seconds',
    async ([, flags], { expect }) => {
      const env = onRedis(`redis://127.0.0.1:${await freePort()}`, testPrefix());
      const started = Date.now();
      const r = await kickbot(
        ['run', '--json', ...(flags as string[]), '--as', 'mo', '--', '/kick @bob spam'],
        env,
      );
      // The mechanism (one connection attempt, no lingering sockets) is tested in test/store/redis-connect.test.ts;
      // this is a generous bound on what the user sees, process start included on a busy machine (idle: about
      // 1.3 s; it was 7.6 s).
      expect(Date.now() - started).toBeLessThan(6_000);
      expect(r.code, r.stderr).toBe(3);
      expect(json(r.stdout)).toEqual({ status: 'error', results: [], message: REFUSAL });
      expect(r.stderr).not.toContain('internal error');
    },
  );
});

describe.concurrent('kickbot audit and worker', () => {
  it('kickbot audit prints the cases, oldest first; --json one record per line; --limit the newest', async ({
    expect,
  }) => {
    const env = onRedis(redisUrl(), testPrefix());
    const first = await kick(env, 'k1', '/kick @bob @ada spam');
    expect(first.code, first.stderr).toBe(3); // ada is protected
    const second = await kick(env, 'k2', '/kick @carol');
    expect(second.code, second.stderr).toBe(0);

    const text = await kickbot(['audit'], env);
    expect(text.code, text.stderr).toBe(0);
    const lines = text.stdout.split('\n').filter((l) => l !== '');
    expect(lines).toHaveLength(3);
    const stamp = '\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d';
    expect(lines[0]).toMatch(
      new RegExp(`^${stamp} console:demo case 1 · mo remove ada @ general: denied \\(protected\\)`),
    );
    expect(lines[1]).toMatch(
      new RegExp(`^${stamp} console:demo case 1 · mo remove bob @ general: removed · reason: spam$`),
    );
    expect(lines[2]).toMatch(
      new RegExp(`^${stamp} console:demo case 2 · mo remove carol @ general: removed$`),
    );

    const asJson = await kickbot(['audit', '--json'], env);
    expect(asJson.code, asJson.stderr).toBe(0);
    const records = asJson.stdout
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records.map((r) => [r.caseId, r.target, r.outcome, r.code])).toEqual([
      [1, 'console:ada', 'denied', 'protected'],
      [1, 'console:bob', 'removed', undefined],
      [2, 'console:carol', 'removed', undefined],
    ]);
    for (const r of records) {
      expect(r).toMatchObject({ workspace: 'console:demo', action: 'remove', actor: 'console:mo' });
      expect(typeof r.at).toBe('number');
      expect(r.invocation).toMatch(/^console:k[12]$/);
    }

    const newest = await kickbot(['audit', '--json', '--limit', '1'], env);
    expect(newest.code, newest.stderr).toBe(0);
    expect(
      newest.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).target),
    ).toEqual(['console:carol']);
  });

  it('run --json -- "/kickbot cases" prints the page of cases as JSON, newest first', async ({ expect }) => {
    const env = onRedis(redisUrl(), testPrefix());
    expect((await kick(env, 'c1', '/kick @bob @ada spam')).code).toBe(3);
    expect((await kick(env, 'c2', '/kick @carol')).code).toBe(0);
    const run = await kick(env, 'c3', '/kickbot cases');
    expect(run.code, run.stderr).toBe(0);
    const out = json(run.stdout);
    expect(out).toMatchObject({
      status: 'ok',
      cases: {
        page: 1,
        more: false,
        items: [
          { case: 2, by: 'Mo', command: '/kick Carol from #general', counts: { removed: 1 }, undone: false },
          {
            case: 1,
            by: 'Mo',
            command: '/kick Bob, Ada from #general',
            counts: { removed: 1, denied: 1 },
            reason: 'spam',
            undone: false,
          },
        ],
      },
    });
    expect(String(out.message).split('\n')[0]).toBe('Cases, newest first:');
  });

  it('kickbot audit without REDIS_URL: exit 2, naming REDIS_URL', async ({ expect }) => {
    const r = await kickbot(['audit']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('REDIS_URL');
    expect(r.stdout).toBe('');
    noStackTrace(r.stderr);
  });

  it('kickbot worker without REDIS_URL: exit 2, naming REDIS_URL', async ({ expect }) => {
    const r = await kickbot(['worker']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('REDIS_URL');
    noStackTrace(r.stderr);
  });
});

describe('kickbot serve and /healthz', () => {
  afterEach(async () => {
    for (const live of lives.splice(0)) live.kill();
    for (const server of servers.splice(0)) await server.stop();
  });

  it('through a Redis outage: 200 up, 503 down with a refusal to /kick, 200 again and /kick works; :quit exits 0', async () => {
    const server = await ownRedis({ persist: true });
    const { live, base } = await serve(cleanEnv(onRedis(server.url, testPrefix())));
    expect(live.stdout).toMatch(
      /^kickbot console · workspace "demo" \(.*\) · redis store at redis:\/\/127\.0\.0\.1:\d+/m,
    );

    expect(await health(base)).toEqual({
      status: 200,
      body: {
        status: 'ok',
        ok: true,
        store: 'redis',
        redis: 'up',
        persistence: 'aof',
        worker: true,
        platforms: ['console'],
      },
    });

    await server.stop();
    const down = await healthBecomes(base, 503);
    expect(down.body).toMatchObject({ status: 'degraded', ok: false, store: 'redis', redis: 'down' });

    let from = live.stdout.length;
    live.send('/kick @bob spam');
    await live.waitFor(new RegExp(REFUSAL.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), from);
    expect(live.stdout.slice(from)).not.toContain('removed');
    expect(live.running).toBe(true);
    expect((await health(base)).status).toBe(503); // still serving

    await server.start();
    expect((await healthBecomes(base, 200)).body).toMatchObject({
      status: 'ok',
      store: 'redis',
      redis: 'up',
    });
    from = live.stdout.length;
    live.send('/kick @bob spam');
    await live.waitFor(/^Removed 1 \| Not a member 0 \| Denied 0 \| Failed 0 · case 1$/m, from);
    expect(live.stdout.slice(from)).toContain('✓ Bob removed from #general');

    live.send(':quit');
    expect(await live.exit()).toBe(0);
    // Logs are JSON lines on stderr; an outage must not print raw stack traces there.
    noStackTrace(live.stderr);
  });

  it('Redis gone: :quit still ends serve, exit 0', async () => {
    const server = await ownRedis();
    const { live, base } = await serve(cleanEnv(onRedis(server.url, testPrefix())));
    await server.stop();
    await healthBecomes(base, 503);
    live.send(':quit');
    expect(await live.exit(), live.output()).toBe(0);
  });

  it('Redis gone: a console command that reads the workspace (:who) answers, and the console keeps running', async () => {
    const server = await ownRedis();
    const { live, base } = await serve(cleanEnv(onRedis(server.url, testPrefix())));
    await server.stop();
    await healthBecomes(base, 503);
    const from = live.stdout.length;
    live.send(':who');
    live.send(':help');
    await live.waitFor(/^Console commands:$/m, from, 10_000);
    expect(live.stdout.slice(from)).toMatch(/Redis/);
    expect(live.running).toBe(true);
    expect((await health(base)).status).toBe(503);
  });

  it('GIVEN a Redis without persistence restarted empty mid-way THEN serve warns, /healthz says persistence none, and no case number is reused', async () => {
    const server = await ownRedis(); // --save '' --appendonly no: the default of many dev setups
    const { live, base } = await serve(cleanEnv(onRedis(server.url, testPrefix())));
    expect(live.stdout).toMatch(
      /· redis store at redis:\/\/127\.0\.0\.1:\d+ · WARNING: Redis keeps nothing on disk/m,
    );
    expect(live.stdout).toContain('run Redis with --appendonly yes');
    expect(live.stderr).toContain('"persistence":"none"'); // and in the log
    expect((await health(base)).body).toMatchObject({ status: 'ok', redis: 'up', persistence: 'none' });

    let from = live.stdout.length;
    live.send('/kick @bob spam');
    await live.waitFor(/· case 1$/m, from);
    from = live.stdout.length;
    live.send('/kick @carol');
    await live.waitFor(/^Removed 1 .*· case 2$/m, from);

    await server.stop();
    await healthBecomes(base, 503);
    await server.start(); // empty: nothing was on disk
    await healthBecomes(base, 200);

    from = live.stdout.length;
    live.send('/kick @dave');
    const after = await live.waitFor(/· case (\d+)$/m, from);
    expect(Number(after[1])).toBe(3); // above every case this process has seen, not a new case 1
    expect(live.stdout.slice(from)).not.toMatch(/case [12]\b/);
    expect(live.stderr).toContain('Redis lost its data');
    expect(live.stderr).toContain('New cases continue above case 2');
    live.send(':quit');
    expect(await live.exit()).toBe(0);
  });

  it('without REDIS_URL: /healthz says store memory', async () => {
    const { live, base } = await serve(cleanEnv());
    expect(live.stdout).toMatch(/^kickbot console · workspace "demo" \(.*\) · memory store/m);
    expect(await health(base)).toEqual({
      status: 200,
      body: { status: 'ok', ok: true, store: 'memory', worker: false, platforms: ['console'] },
    });
    live.send(':quit');
    expect(await live.exit()).toBe(0);
  });
});

describe.concurrent('the environment is checked at start', () => {
  it.for([
    ['KICKBOT_RATE_LIMIT', 'lots'],
    ['REDIS_URL', 'http://x'],
    ['KICKBOT_BULK_THRESHOLD', '-1'],
    ['KICKBOT_JOB_LOCK', 'forever'],
  ])('%s=%s: exit 2, naming the variable', async ([name, value], { expect }) => {
    const r = await kickbot(['run', '--as', 'mo', '--', '/kick @bob spam'], {
      [name as string]: value as string,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`environment variable ${name}`);
    expect(r.stdout).not.toContain('removed');
    noStackTrace(r.stderr);
  });

  it('PORT=http for serve: exit 2, naming PORT', async ({ expect }) => {
    const r = await kickbot(['serve'], { PORT: 'http' }, ':quit\n');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('environment variable PORT');
    noStackTrace(r.stderr);
  });
});
