import type { AdminPage } from './app.js';
import { hasControl } from './request.js';

/**
 * Which page a path is: patterns like `/admin/cases/:ws/:id`, each `:name` one path segment, decoded. A pattern
 * with fewer parameters wins (`/admin/batches/live` before `/admin/batches/:id`), whatever the order of the list.
 */

export type Match = { page: AdminPage; params: Record<string, string> } | { bad: string } | undefined;

interface Compiled {
  page: AdminPage;
  parts: string[];
}

/** The longest a decoded parameter may be (a workspace id, a case number). */
const MAX_PARAM = 200;

export function pageRouter(pages: readonly AdminPage[]): (path: string) => Match {
  const params = (c: Compiled) => c.parts.filter((p) => p.startsWith(':')).length;
  const compiled: Compiled[] = pages
    .map((page) => ({ page, parts: page.pattern.split('/') }))
    .sort((a, b) => params(a) - params(b));
  return (path) => {
    const segments = path.split('/');
    for (const { page, parts } of compiled) {
      const match = matchParts(parts, segments);
      if (match) return 'bad' in match ? match : { page, params: match.params };
    }
    return undefined;
  };
}

/**
 * The parameters when every literal part is the same and every parameter a non-empty segment; `bad` when the
 * pattern fits but a parameter does not decode.
 */
function matchParts(
  parts: readonly string[],
  segments: readonly string[],
): { params: Record<string, string> } | { bad: string } | undefined {
  if (parts.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  let bad: string | undefined;
  for (const [i, part] of parts.entries()) {
    const segment = segments[i] ?? '';
    if (!part.startsWith(':')) {
      if (part !== segment) return undefined;
    } else if (segment === '') {
      return undefined;
    } else {
      const value = decode(segment);
      if (value === undefined) bad ??= `the address part "${part.slice(1)}" is not a valid value`;
      else params[part.slice(1)] = value;
    }
  }
  return bad === undefined ? { params } : { bad };
}

/** A segment decoded, or undefined when it is malformed (`%zz`), too long or holds control characters. */
function decode(segment: string): string | undefined {
  try {
    const value = decodeURIComponent(segment);
    return value.length > MAX_PARAM || hasControl(value) ? undefined : value;
  } catch {
    return undefined;
  }
}
