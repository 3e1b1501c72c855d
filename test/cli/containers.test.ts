import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { EnvSchema } from '../../src/cli/env.js';
import { cleanEnv, ROOT } from '../helpers/cli.js';
import { redisUrl, testPrefix } from '../helpers/redis.js';
import { freePort } from '../helpers/redis-server.js';

/**
 * Docker cannot run here, so the image is checked for what can be checked without it: the Dockerfile's and
 * compose.yaml's promises (slim Node 20, non-root, production dependencies only, AOF), the variables they set
 * being kickbot's own, and the entry point and health check run exactly as the image runs them.
 */

const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const compose = parse(readFileSync(join(ROOT, 'compose.yaml'), 'utf8'), { merge: true }) as {
  services: Record<
    string,
    {
      command?: string[];
      environment?: Record<string, string>;
      image?: string;
      healthcheck?: { test?: string[] };
    }
  >;
};
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** The Dockerfile's instructions (continuation lines joined), stage by stage. */
function stages(): string[][] {
  const lines = dockerfile
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'));
  const out: string[][] = [];
  for (const line of lines) {
    if (line.startsWith('FROM ')) out.push([]);
    out.at(-1)?.push(line);
  }
  return out;
}
const finalStage = () => stages().at(-1) ?? [];
const instruction = (name: string) => finalStage().find((l) => l.startsWith(`${name} `));
const execForm = (name: string) => JSON.parse(instruction(name)?.slice(name.length + 1) ?? '[]') as string[];

describe('the Dockerfile', () => {
  test('is multi-stage on Node 20 slim, and the image runs as a non-root user', () => {
    expect(stages().length).toBeGreaterThanOrEqual(2);
    for (const stage of stages()) expect(stage[0]).toMatch(/^FROM node:20(\.\d+)*-[a-z]+-slim\b/);
    const user = instruction('USER')?.slice(5).trim();
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user);
  });

  test('the image holds production dependencies only, and nothing the build stage does not make', () => {
    const copies = finalStage().filter((l) => l.startsWith('COPY '));
    const modules = copies.find((l) => / node_modules$/.test(l)) ?? '';
    const from = /--from=(\S+)/.exec(modules)?.[1];
    const deps = stages().find((s) => s[0]?.endsWith(` AS ${from}`)) ?? [];
    expect(deps.some((l) => /npm ci .*--omit=dev/.test(l))).toBe(true);
    // Every file copied from the build context exists in the repository.
    for (const line of copies.filter((l) => !l.includes('--from='))) {
      const sources = line.split(/\s+/).slice(1, -1);
      for (const source of sources) expect(existsSync(join(ROOT, source)), source).toBe(true);
    }
  });

  test('no compiled file imports a development dependency (the image has none)', () => {
    const build = JSON.parse(readFileSync(join(ROOT, 'tsconfig.build.json'), 'utf8')) as {
      include: string[];
    };
    expect(build.include.sort()).toEqual(['commands', 'src']);
    const dev = new Set(Object.keys(pkg.devDependencies));
    const files = sourceFiles(['src', 'commands']);
    const offenders = files.flatMap((file) => {
      const text = readFileSync(join(ROOT, file), 'utf8');
      return [...text.matchAll(/from '([^'.][^']*)'|import\('([^'.][^']*)'\)/g)]
        .map((m) =>
          (m[1] ?? m[2] ?? '')
            .split('/')
            .slice(0, (m[1] ?? m[2])?.startsWith('@') ? 2 : 1)
            .join('/'),
        )
        .filter((name) => dev.has(name))
        .map((name) => `${file}: ${name}`);
    });
    expect(offenders).toEqual([]);
  });

  test('the health check asks /healthz on PORT, and the entry point is the kickbot CLI serving by default', () => {
    const check = instruction('HEALTHCHECK') ?? '';
    expect(check).toContain('/healthz');
    expect(check).toContain('process.env.PORT');
    const entry = execForm('ENTRYPOINT');
    expect(entry[0]).toBe('node');
    expect(existsSync(join(ROOT, entry.at(-1) ?? ''))).toBe(true);
    expect(execForm('CMD')).toEqual(['serve']);
  });
});

describe('compose.yaml', () => {
  test('runs two serve replicas, one worker and Redis with AOF on', () => {
    const commands = Object.values(compose.services).map((s) => s.command?.[0]);
    expect(commands.filter((c) => c === 'serve')).toHaveLength(2);
    expect(commands.filter((c) => c === 'worker')).toHaveLength(1);
    const redis = Object.values(compose.services).find((s) => s.image?.startsWith('redis'));
    expect(redis?.command?.join(' ')).toMatch(/--appendonly yes/);
  });

  test('sets only variables kickbot reads, and points every kickbot service at that Redis', () => {
    const known = new Set(Object.keys(EnvSchema.shape));
    for (const [name, service] of Object.entries(compose.services)) {
      if (service.image?.startsWith('redis')) continue;
      const vars = Object.keys(service.environment ?? {});
      expect(
        vars.filter((v) => !known.has(v)),
        name,
      ).toEqual([]);
      expect(service.environment?.REDIS_URL, name).toBe('redis://redis:6379');
    }
  });
});

const running: ChildProcess[] = [];
afterEach(() => {
  for (const child of running.splice(0)) child.kill('SIGKILL');
});

/** Starts the image's entry point with `args` as the container would, and resolves with what it printed first. */
async function startAsImage(args: string[], env: Record<string, string>, ready: RegExp): Promise<string> {
  const [, ...nodeArgs] = execForm('ENTRYPOINT');
  const child = spawn(process.execPath, [...nodeArgs, ...args], { cwd: ROOT, env: cleanEnv(env) });
  running.push(child);
  let out = '';
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      if (ready.test(out)) resolve(out);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
}

describe('the entry point, run as the image runs it', () => {
  const env = (extra: Record<string, string> = {}) => ({
    ...Object.fromEntries(
      Object.entries(compose.services['serve-1']?.environment ?? {}).filter(([, v]) => !v.startsWith('${')),
    ),
    REDIS_URL: redisUrl(),
    KICKBOT_REDIS_PREFIX: testPrefix(),
    HOST: '127.0.0.1', // the image listens on 0.0.0.0; tests stay on loopback
    METRICS_PORT: '0',
    ...extra,
  });

  test('serve answers the HEALTHCHECK command, which fails once it is gone', async () => {
    const out = await startAsImage(
      [...execForm('CMD'), '--no-worker'],
      env({ KICKBOT_API_KEY: 'k'.repeat(24) }),
      /HTTP on http:\/\/127\.0\.0\.1:(\d+)/,
    );
    const port = /HTTP on http:\/\/127\.0\.0\.1:(\d+)/.exec(out)?.[1] ?? '';
    const check = JSON.parse(
      instruction('HEALTHCHECK')?.replace(/^HEALTHCHECK .*?CMD /, '') ?? '[]',
    ) as string[];
    const run = (p: string) =>
      promisify(execFile)(process.execPath, check.slice(1), {
        env: { PATH: process.env.PATH, PORT: p },
      }).then(
        () => 0,
        (e: { code?: number }) => e.code ?? 1,
      );
    expect(await run(port)).toBe(0);
    const child = running.pop();
    child?.kill('SIGTERM');
    await once(child as ChildProcess, 'exit');
    expect(await run(port)).toBe(1);
  });

  test("the worker command starts on the same environment and answers compose's health check", async () => {
    const port = String(await freePort());
    const out = await startAsImage(
      compose.services.worker?.command ?? [],
      env({ METRICS_PORT: port }),
      /kickbot worker · redis store/,
    );
    expect(out).toContain(`metrics on http://127.0.0.1:${port}/metrics`);
    const [, ...check] = compose.services.worker?.healthcheck?.test ?? [];
    expect(check.join(' ')).toContain(`:${compose.services.worker?.environment?.METRICS_PORT}/healthz`);
    const args = check.slice(1).map((a) => a.replace(/:\d+\/healthz/, `:${port}/healthz`));
    await expect(promisify(execFile)(process.execPath, args)).resolves.toBeDefined();
  });
});

/** The TypeScript files under `dirs`, relative to the repository. */
function sourceFiles(dirs: string[]): string[] {
  return dirs.flatMap((dir) =>
    readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
      .filter((name) => /\.tsx?$/.test(name))
      .map((name) => join(dir, name)),
  );
}
