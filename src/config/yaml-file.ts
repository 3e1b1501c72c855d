import { readFileSync } from 'node:fs';
import { isNode, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { UsageError } from '../core/errors.js';

export type Path = (string | number)[];

/** A parsed YAML file with its schema applied, and a way to say where in the file a path is. */
export interface YamlFile<T> {
  data: T;
  /** `file:line: a.b[2].c` for a path, falling back to the nearest parent that has a line. */
  where(path: Path): string;
}

export function readYamlFile(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`${file}: cannot read the ${what} (${code === 'ENOENT' ? 'no such file' : code})`);
  }
}

/** Parses YAML and checks it with `schema`; every problem names the file, the line, the key and what is wrong. */
export function parseYaml<S extends z.ZodType>(
  text: string,
  file: string,
  schema: S,
  opts: { empty?: unknown } = {},
): YamlFile<z.infer<S>> {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const syntax = doc.errors[0];
  if (syntax) {
    const { line, col } = lines.linePos(syntax.pos[0]);
    throw new UsageError(`${file}:${line}:${col}: not valid YAML: ${syntax.message.split('\n')[0]}`);
  }
  const where = (path: Path) => {
    const name = path.length
      ? path.map((k, i) => (typeof k === 'number' ? `[${k}]` : `${i ? '.' : ''}${k}`)).join('')
      : '(top level)';
    for (let p = path; ; p = p.slice(0, -1)) {
      const node = p.length ? doc.getIn(p, true) : doc.contents;
      if (isNode(node) && node.range) return `${file}:${lines.linePos(node.range[0]).line}: ${name}`;
      if (p.length === 0) return `${file}: ${name}`;
    }
  };
  const value = doc.toJS() ?? opts.empty;
  const parsed = schema.safeParse(value, { reportInput: true });
  if (!parsed.success) {
    const issue = parsed.error.issues[0] as z.core.$ZodIssue;
    const path = issue.path.filter((k): k is string | number => typeof k !== 'symbol');
    throw new UsageError(describeIssue(issue, path, where));
  }
  return { data: parsed.data, where };
}

function describeIssue(issue: z.core.$ZodIssue, path: Path, where: (path: Path) => string): string {
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] as string;
    return `${where([...path, key])}: unknown key "${issue.keys.join('", "')}"`;
  }
  if (issue.code === 'invalid_type' && issue.input === undefined)
    return `${where(path)}: missing (${issue.message})`;
  const got =
    issue.input === undefined || typeof issue.input === 'object'
      ? ''
      : ` (got ${JSON.stringify(issue.input)})`;
  return `${where(path)}: ${issue.message}${got}`;
}
