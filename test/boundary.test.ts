import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
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

  it.each(cmds)('GIVEN %s THEN it imports only the commands, the core, zod and parse-duration', (file) => {
    const bad = imports(file).filter((spec) => {
      if (!spec.startsWith('.')) return spec !== 'zod' && spec !== 'parse-duration';
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

/**
 * The core's public surface is src/core/index.ts: nothing outside src/core imports a core file by path but that one.
 * The code (src, commands, bench) and the tests outside test/core hold to it; the core's own tests (test/core) may
 * reach its internals (a rule table, the tokenizer) to test them one by one.
 */
describe('the core is reached through src/core/index.ts', () => {
  const outside = [...sources('src'), ...sources('commands'), ...sources('bench'), ...sources('test')].filter(
    (f) => !f.startsWith('src/core/') && !f.startsWith('test/core/'),
  );

  /** The core files (other than the index) a file imports by path. */
  const byPath = (file: string) =>
    imports(file)
      .filter((spec) => spec.startsWith('.'))
      .map((spec) => target(file, spec))
      .filter((to) => to.startsWith('src/core/') && to !== 'src/core/index.js');

  it('GIVEN the files outside the core THEN the scan found code, commands, benchmarks and tests', () => {
    for (const dir of ['src/', 'commands/', 'bench/', 'test/']) {
      expect(outside.some((f) => f.startsWith(dir))).toBe(true);
    }
  });

  it.each(outside)('GIVEN %s THEN it imports no core file but src/core/index.ts', (file) => {
    expect(byPath(file)).toEqual([]);
  });

  it('GIVEN an import of a core file by path THEN the check would catch it', () => {
    expect(target('src/http/api.ts', '../core/remove/plan.js')).toBe('src/core/remove/plan.js');
    expect(target('src/http/api.ts', '../core/index.js')).toBe('src/core/index.js');
    expect(target('bench/plan.bench.ts', '../src/core/ports.js')).toBe('src/core/ports.js');
  });
});

/** Every relative import of a file (static, type-only, re-export or dynamic), as paths from the project root. */
function importGraph(files: readonly string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(readFileSync(join(root, file), 'utf8'), true, true);
    graph.set(
      file,
      importedFiles
        .map((f) => f.fileName)
        .filter((spec) => spec.startsWith('.'))
        .map((spec) => target(file, spec).replace(/\.js$/, '.ts')),
    );
  }
  return graph;
}

/** The import cycles of a graph, each as the files around it (`a → b → a`); one per strongly connected set. */
function cyclesOf(graph: ReadonlyMap<string, readonly string[]>): string[] {
  // Tarjan's strongly connected components; a component of more than one file, or a file importing itself, is a cycle.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[] = [];
  let next = 0;
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop() as string;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || (graph.get(v) ?? []).includes(v)) {
      const members = new Set(component);
      cycles.push(pathThrough(graph, members, v).join(' → '));
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return cycles;
}

/** One way round a strongly connected set, from `start` back to it (breadth first: the shortest). */
function pathThrough(
  graph: ReadonlyMap<string, readonly string[]>,
  members: Set<string>,
  start: string,
): string[] {
  const from = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift() as string;
    for (const w of graph.get(v) ?? []) {
      if (!members.has(w)) continue;
      if (w === start) {
        const path = [start];
        for (let at = v; at !== start; at = from.get(at) as string) path.splice(1, 0, at);
        return [...path, start];
      }
      if (!from.has(w)) {
        from.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start];
}

describe('no import cycle (a module graph a reader follows one way)', () => {
  it('GIVEN src and commands THEN no file imports itself, directly or round a loop', () => {
    const graph = importGraph([...sources('src'), ...sources('commands')]);
    expect(graph.size).toBeGreaterThan(50);
    expect(cyclesOf(graph)).toEqual([]);
  });

  it.each([
    ['a two-file loop', { 'a.ts': ['b.ts'], 'b.ts': ['a.ts'] }, ['a.ts → b.ts → a.ts']],
    ['a file importing itself', { 'a.ts': ['a.ts'] }, ['a.ts → a.ts']],
    [
      'a longer loop beside a chain',
      { 'a.ts': ['b.ts'], 'b.ts': ['c.ts'], 'c.ts': ['d.ts', 'b.ts'], 'd.ts': [] },
      ['b.ts → c.ts → b.ts'],
    ],
    [
      'a chain and a diamond (no cycle)',
      { 'a.ts': ['b.ts', 'c.ts'], 'b.ts': ['d.ts'], 'c.ts': ['d.ts'], 'd.ts': [] },
      [],
    ],
  ])('GIVEN %s THEN the finder reports %j', (_name, edges, expected) => {
    expect(cyclesOf(new Map(Object.entries(edges)))).toEqual(expected);
  });
});
