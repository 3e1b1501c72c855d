import { basename, extname } from 'node:path';
import { z } from 'zod';
import { type Path, type Problem, parseYaml, raw, readYamlFile } from '../../config/yaml-file.js';
import { GLOBAL_ROLES, GrantsOverrideSchema } from '../../core/index.js';

/** The console's "server": a YAML file of users, rooms and areas (README: "The console workspace file"). */

const LocalId = z
  .string()
  .regex(/^[A-Za-z0-9][\w.-]{0,63}$/, 'an id is letters, digits, ".", "_" and "-" (at most 64)');

const UserSchema = z.strictObject({
  id: LocalId,
  name: z.string().min(1).optional(),
  roles: z.array(z.enum(GLOBAL_ROLES)).default(['user']),
  /** Position of the user's highest role, for platforms that rank roles (rule 6). */
  rank: z.number().int().optional(),
  /** Their address: how an identity provider (SCIM) or a config identity names them. */
  email: z.email({ error: 'an email address (name@example.com)' }).max(254).optional(),
});

const RoomSchema = z.strictObject({
  id: LocalId,
  name: z.string().min(1).optional(),
  type: z.enum(['public', 'private', 'direct']).default('public'),
  members: z.array(LocalId).default([]),
  owners: z.array(LocalId).default([]),
  moderators: z.array(LocalId).default([]),
  /** Nobody can be removed from it (like Slack's #general). */
  undeletable: z.boolean().default(false),
});

const AreaSchema = z.strictObject({
  id: LocalId,
  name: z.string().min(1).optional(),
  rooms: z.array(LocalId).default([]),
  /** The area's own group (a Slack user group, a Discord role). */
  members: z.array(LocalId).optional(),
  managers: z.array(LocalId).default([]),
});

export const WorkspaceSchema = z.strictObject({
  /** Shown in the banner and used in case numbering; defaults to the file's name. */
  name: z.string().min(1).optional(),
  bot: LocalId,
  /** The workspace owner: never removable (rule 5). */
  owner: LocalId.optional(),
  users: z.array(UserSchema).min(1),
  rooms: z.array(RoomSchema).min(1),
  areas: z.array(AreaSchema).default([]),
  permissions: GrantsOverrideSchema.optional(),
  /** Removals per second the console allows, to try kickbot under a platform's rate limit (default: none). */
  rate: z.number().positive().optional(),
  /** Milliseconds each removal takes, to try kickbot against a platform's API latency (default: none). */
  latency: z.number().int().nonnegative().max(60_000).optional(),
});

export type WorkspaceData = z.infer<typeof WorkspaceSchema>;

/** Reads and checks a workspace file; every problem names the file, the line, the key and what is wrong. */
export function loadWorkspaceFile(file: string): WorkspaceData & { name: string } {
  return parseWorkspace(readYamlFile(file, 'workspace file'), file);
}

export function parseWorkspace(text: string, file: string): WorkspaceData & { name: string } {
  const { data } = parseYaml(text, file, WorkspaceSchema, { check: crossCheck });
  return { ...data, name: data.name ?? basename(file, extname(file)) };
}

/** The raw document, read without trusting its shape (the schema's problems are reported beside these). */
const { list, field, text } = raw;

/** References between users, rooms and areas: every one that is wrong. */
function crossCheck(data: unknown): Problem[] {
  const out: Problem[] = [];
  const twice = (kind: string, items: unknown, path: string) => {
    const seen = new Set<string>();
    for (const [i, item] of list(items).entries()) {
      const id = text(field(item, 'id'));
      if (id === undefined) continue;
      if (seen.has(id)) out.push({ path: [path, i, 'id'], message: `${kind} "${id}" is listed twice` });
      seen.add(id);
    }
    return seen;
  };
  const users = twice('user', field(data, 'users'), 'users');
  const emails = new Map<string, string>();
  for (const [i, user] of list(field(data, 'users')).entries()) {
    const email = text(field(user, 'email'))?.toLowerCase();
    const id = text(field(user, 'id')) ?? `users[${i}]`;
    if (email === undefined) continue;
    const first = emails.get(email);
    if (first !== undefined)
      out.push({ path: ['users', i, 'email'], message: `${email} is already the address of "${first}"` });
    else emails.set(email, id);
  }
  const rooms = twice('room', field(data, 'rooms'), 'rooms');
  twice('area', field(data, 'areas'), 'areas');
  if (users.size === 0) return out; // no users to check against: the schema says so
  /** Each entry of `ids` that is not a user; the others pass to `also`. */
  const known = (ids: unknown, path: Path, also?: (id: string, at: number) => string | undefined) => {
    for (const [at, id] of list(ids).entries()) {
      if (typeof id !== 'string') continue;
      const message = users.has(id) ? also?.(id, at) : `no user "${id}" in users`;
      if (message) out.push({ path: [...path, at], message });
    }
  };
  const bot = text(field(data, 'bot'));
  if (bot !== undefined && !users.has(bot))
    out.push({ path: ['bot'], message: `no user "${bot}" in users (add it with roles: [bot])` });
  const owner = text(field(data, 'owner'));
  if (owner !== undefined && !users.has(owner))
    out.push({ path: ['owner'], message: `no user "${owner}" in users` });
  for (const [i, room] of list(field(data, 'rooms')).entries()) {
    const members = list(field(room, 'members'));
    known(members, ['rooms', i, 'members']);
    for (const key of ['owners', 'moderators'] as const) {
      known(field(room, key), ['rooms', i, key], (id) =>
        members.includes(id) ? undefined : `"${id}" is not in this room's members`,
      );
    }
  }
  for (const [i, area] of list(field(data, 'areas')).entries()) {
    for (const [at, id] of list(field(area, 'rooms')).entries()) {
      if (typeof id === 'string' && !rooms.has(id))
        out.push({ path: ['areas', i, 'rooms', at], message: `no room "${id}" in rooms` });
    }
    known(field(area, 'managers'), ['areas', i, 'managers']);
    known(field(area, 'members'), ['areas', i, 'members']);
  }
  return out;
}
