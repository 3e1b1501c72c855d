import { filter as compile, type Filter, parse } from 'scim2-parse-filter';
import type { StoredScimUser } from './ScimStore.js';
import { LIMITS, USER_SCHEMA } from './schema.js';

/** The attributes a filter may name: those kickbot keeps (lower-case, dotted). */
const KNOWN = new Set([
  'id',
  'externalid',
  'username',
  'displayname',
  'active',
  'name',
  'name.formatted',
  'name.familyname',
  'name.givenname',
  'name.middlename',
  'name.honorificprefix',
  'name.honorificsuffix',
  'emails',
  'emails.value',
  'emails.type',
  'emails.primary',
  'meta.created',
  'meta.lastmodified',
  'meta.resourcetype',
]);
/** The case-exact ones (RFC 7643 §3.1, §4.1): every other string compares case-insensitively. */
const CASE_EXACT = new Set(['id', 'externalid']);

export class InvalidFilter extends Error {
  override readonly name = 'InvalidFilter';
}

/** `urn:…:core:2.0:User:userName` → `username`. */
function plain(attrPath: string): string {
  const lower = attrPath.toLowerCase();
  const urn = `${USER_SCHEMA.toLowerCase()}:`;
  return lower.startsWith(urn) ? lower.slice(urn.length) : lower;
}

/** Checks every attribute path, strips the core schema URN and lower-cases the values of case-insensitive ones. */
function prepare(f: Filter, parent = ''): Filter {
  switch (f.op) {
    case 'and':
    case 'or':
      return { op: f.op, filters: f.filters.map((c) => prepare(c, parent)) };
    case 'not':
      return { op: 'not', filter: prepare(f.filter, parent) };
    case '[]': {
      const path = known(f.attrPath, parent);
      return { op: '[]', attrPath: path, valFilter: prepare(f.valFilter, `${path}.`) };
    }
    case 'pr':
      return { op: 'pr', attrPath: known(f.attrPath, parent) };
    default: {
      const attrPath = known(f.attrPath, parent);
      const lower = typeof f.compValue === 'string' && !CASE_EXACT.has(`${parent}${attrPath}`);
      return { ...f, attrPath, compValue: lower ? (f.compValue as string).toLowerCase() : f.compValue };
    }
  }
}

function known(attrPath: string, parent: string): string {
  const path = plain(attrPath);
  if (!KNOWN.has(`${parent}${path}`)) {
    throw new InvalidFilter(`the filter names ${JSON.stringify(attrPath)}, which kickbot does not keep`);
  }
  return path;
}

/** Parses a `filter` query parameter (RFC 7644 §3.4.2.2); InvalidFilter says what is wrong. */
export function parseFilter(text: string): Filter {
  if (text.length > LIMITS.filter)
    throw new InvalidFilter(`the filter is longer than ${LIMITS.filter} characters`);
  let ast: Filter;
  try {
    ast = parse(text);
  } catch {
    // The parser's messages quote tokens back at the client; ours says what it expected.
    throw new InvalidFilter(
      `the filter ${JSON.stringify(text.slice(0, 100))} is not a SCIM filter (like userName eq "bob@example.com")`,
    );
  }
  return prepare(ast);
}

/** The user as a filter sees it: its attributes with lower-case keys, and lower-case values where case does not count. */
function view(user: StoredScimUser): Record<string, unknown> {
  const low = (s: string | undefined) => s?.toLowerCase();
  const name =
    user.name && Object.fromEntries(Object.entries(user.name).map(([k, v]) => [k.toLowerCase(), low(v)]));
  return {
    id: user.id,
    externalid: user.externalId,
    username: low(user.userName),
    displayname: low(user.displayName),
    active: user.active,
    name,
    emails: user.emails.map((e) => ({ value: low(e.value), type: low(e.type), primary: e.primary })),
    meta: { created: low(user.created), lastmodified: low(user.lastModified), resourcetype: 'user' },
  };
}

/** A predicate for a prepared filter (from parseFilter). */
export function matcher(f: Filter): (user: StoredScimUser) => boolean {
  const test = compile(f);
  return (user) => test(view(user));
}

/**
 * The index a filter can be answered from: `userName eq "…"` or `externalId eq "…"`, alone or as one side of an
 * `and` (the rest is then checked on what the index gives). Undefined when every user must be looked at.
 */
export function indexHint(f: Filter | undefined): { userName: string } | { externalId: string } | undefined {
  if (!f) return undefined;
  if (f.op === 'eq' && typeof f.compValue === 'string') {
    if (f.attrPath === 'username') return { userName: f.compValue };
    if (f.attrPath === 'externalid') return { externalId: f.compValue };
  }
  if (f.op === 'and') {
    for (const c of f.filters) {
      const hint = indexHint(c);
      if (hint) return hint;
    }
  }
  return undefined;
}
