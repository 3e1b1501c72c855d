import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder holding kickbot's package.json, wherever this file was compiled to. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('kickbot: package.json not found above the CLI');
    dir = parent;
  }
  return dir;
}

/** The demo workspace `npm start` and `kickbot console` use when no `--workspace` is given. */
export function demoWorkspace(): string {
  const file = join(packageRoot(), 'examples', 'demo-workspace.yaml');
  const rel = relative(process.cwd(), file);
  return rel.startsWith('..') ? file : rel;
}

/** kickbot's version, from its package.json. */
export function kickbotVersion(): string {
  const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version?: unknown };
  return typeof pkg.version === 'string' ? pkg.version : 'unknown';
}
