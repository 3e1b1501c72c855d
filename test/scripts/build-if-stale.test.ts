import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

/** `npm start`'s prestart: tsc only when a source is newer than the last successful build (a tiny project here). */

const SCRIPT = join(ROOT, 'scripts', 'build-if-stale.mjs');
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Dates a file `seconds` from now (mtimes, not sleeps). */
const date = (file: string, seconds: number) => {
  const when = new Date(Date.now() + seconds * 1000);
  utimesSync(file, when, when);
};

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kickbot-build-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'src', 'a.ts'), 'export const a: number = 1;\n');
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { outDir: 'dist', rootDir: '.', module: 'NodeNext', target: 'ES2022', types: [] },
      include: ['src'],
    }),
  );
  for (const file of ['src/a.ts', 'src', 'tsconfig.json', 'package.json']) date(join(dir, file), -120); // written earlier
  return dir;
}

function build(dir: string) {
  const run = spawnSync(process.execPath, [SCRIPT, dir], { encoding: 'utf8' });
  return { code: run.status, out: `${run.stdout}${run.stderr}` };
}

const mtime = (file: string) => statSync(file).mtimeMs;

describe('scripts/build-if-stale.mjs', () => {
  it('GIVEN no build THEN tsc runs; GIVEN nothing changed THEN tsc is skipped and dist/ left alone', () => {
    const dir = project();
    const first = build(dir);
    expect(first).toMatchObject({ code: 0 });
    expect(first.out).toContain('building (no finished build yet)');
    const out = join(dir, 'dist', 'src', 'a.js');
    expect(readFileSync(out, 'utf8')).toContain('export const a = 1');
    date(out, -60); // so that a rebuild would be seen
    const before = mtime(out);

    const second = build(dir);
    expect(second).toEqual({ code: 0, out: 'kickbot: dist/ is up to date, skipping tsc\n' });
    expect(mtime(out)).toBe(before);
  });

  it.each([
    ['a source file', ['src', 'a.ts']],
    ['tsconfig.json', ['tsconfig.json']],
    ['package.json', ['package.json']],
  ])('GIVEN %s newer than the last build THEN tsc runs again', (_what, path) => {
    const dir = project();
    expect(build(dir).code).toBe(0);
    date(join(dir, 'dist', '.build-stamp'), -60); // the last build, a minute ago…
    date(join(dir, ...path), -30); // …and a change after it
    const again = build(dir);
    expect(again.code).toBe(0);
    expect(again.out).toContain(`building (${path[0]} changed since the last build)`);
    expect(build(dir).out).toContain('up to date');
  });

  it('GIVEN a build that fails THEN its exit code, and the next start tries again', () => {
    const dir = project();
    expect(build(dir).code).toBe(0);
    date(join(dir, 'dist', '.build-stamp'), -60);
    writeFileSync(join(dir, 'src', 'b.ts'), "export const b: number = 'text';\n");
    const failed = build(dir);
    expect(failed.code).not.toBe(0);
    expect(failed.out).toContain('TS2322');
    expect(build(dir).out).toContain('building (src changed since the last build)');
  });

  it('GIVEN kickbot itself THEN npm start and npm install go through it', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts.prestart).toBe('node scripts/build-if-stale.mjs');
    expect(pkg.scripts.prepare).toBe('node scripts/build-if-stale.mjs');
  });
});
