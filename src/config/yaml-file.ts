import { readFileSync } from 'node:fs';
import { isNode, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { UsageError } from '../core/index.js';
import { type Path, type Problem, plainIssue } from './yaml-issues.js';

export type { Path, Problem } from './yaml-issues.js';
export { raw } from './yaml-issues.js';

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

/**
 * Parses YAML and checks it with `schema`, and with `check` (references between entries, on the raw value, so that
 * they are found in the same run as the schema's problems). Every problem of the file is reported at once, in the
 * order of the file, each naming the file, the line, the key and what is wrong.
 */
export function parseYaml<S extends z.ZodType>(
  text: string,
  file: string,
  schema: S,
  opts: { empty?: unknown; check?: (value: unknown) => Problem[] } = {},
): YamlFile<z.infer<S>> {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length) {
    throw new UsageError(
      doc.errors
        .map((error) => {
          const { line, col } = lines.linePos(error.pos[0]);
          return `${file}:${line}:${col}: not valid YAML: ${error.message.split('\n')[0]}`;
        })
        .join('\n'),
    );
  }
  const locate = (path: Path): { line: number; text: string } => {
    const name = path.length
      ? path.map((k, i) => (typeof k === 'number' ? `[${k}]` : `${i ? '.' : ''}${k}`)).join('')
      : '(top level)';
    for (let p = path; ; p = p.slice(0, -1)) {
      const node = p.length ? doc.getIn(p, true) : doc.contents;
      if (isNode(node) && node.range) {
        const line = lines.linePos(node.range[0]).line;
        return { line, text: `${file}:${line}: ${name}` };
      }
      if (p.length === 0) return { line: 0, text: `${file}: ${name}` };
    }
  };
  const where = (path: Path) => locate(path).text;
  const value = doc.toJS() ?? opts.empty;
  const parsed = schema.safeParse(value, { reportInput: true });
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues.flatMap((issue) => plainIssue(issue as z.core.$ZodIssue))),
    ...(opts.check?.(value) ?? []),
  ];
  if (problems.length || !parsed.success) throw new UsageError(report(problems, locate));
  return { data: parsed.data, where };
}

/** The problems, one line each, in the order of the file; the same problem twice is said once. */
function report(problems: Problem[], locate: (path: Path) => { line: number; text: string }): string {
  const lines = problems
    .map((p, i) => ({ ...locate(p.path), message: p.message, i }))
    .sort((a, b) => a.line - b.line || a.i - b.i)
    .map((p) => `${p.text}: ${p.message}`);
  return [...new Set(lines)].join('\n');
}
