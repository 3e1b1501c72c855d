import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => relative(root, join(e.parentPath, e.name)));
}

/** Every module specifier a file imports, statically or dynamically, and what it re-exports from. */
function imports(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  const patterns = [
    /^\s*(?:import|export)\b[^;'"]*?\bfrom\s*['"]([^'"]+)['"]/gm, // import … from 'x', export … from 'x'
    /^\s*import\s*['"]([^'"]+)['"]/gm, // import 'x'
    /\bimport\(\s*['"]([^'"]+)['"]/g, // import('x')
  ];
  return patterns.flatMap((p) => [...text.matchAll(p)].map((m) => m[1] as string));
}

const SDKS = /^(@slack\/|discord\.js$|@discordjs\/|discord-api-types|ioredis$|bullmq$|redis$)/;

/** Where a relative import lands, as a path from the project root. */
const target = (file: string, spec: string) => relative(root, resolve(root, dirname(file), spec));

describe('boundaries (DESIGN §2: the core and the commands import no platform SDK and no Redis client)', () => {
  const core = sources('src/core');
  const cmds = sources('commands');

  it('GIVEN the core and the commands THEN they exist (the scan is not empty)', () => {
    expect(core.length).toBeGreaterThan(5);
    expect(cmds.length).toBeGreaterThanOrEqual(5);
  });

  it.each([...core, ...cmds])('GIVEN %s THEN it imports no platform SDK or Redis client', (file) => {
    expect(imports(file).filter((spec) => SDKS.test(spec))).toEqual([]);
  });

  it.each(core)('GIVEN %s THEN it imports only the core, zod, p-map and node built-ins', (file) => {
    const bad = imports(file).filter((spec) =>
      spec.startsWith('.')
        ? !target(file, spec).startsWith('src/core/')
        : !/^(zod|p-map|node:.+)$/.test(spec),
    );
    expect(bad).toEqual([]);
  });

  it.each(cmds)('GIVEN %s THEN it imports only the commands, the core and zod', (file) => {
    const bad = imports(file).filter((spec) => {
      if (!spec.startsWith('.')) return spec !== 'zod';
      const to = target(file, spec);
      return !to.startsWith('commands/') && !to.startsWith('src/core/');
    });
    expect(bad).toEqual([]);
  });

  it('GIVEN a file that imports an SDK THEN the check would catch it', () => {
    expect(SDKS.test('@slack/bolt')).toBe(true);
    expect(SDKS.test('discord.js')).toBe(true);
    expect(SDKS.test('ioredis')).toBe(true);
    expect(SDKS.test('bullmq')).toBe(true);
    expect(SDKS.test('zod')).toBe(false);
  });
});
