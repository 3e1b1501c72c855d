import { basename, extname } from 'node:path';
import { z } from 'zod';
import { type Path, parseYaml, readYamlFile } from '../../config/yaml-file.js';
import { UsageError } from '../../core/errors.js';
import { GLOBAL_ROLES, GrantsOverrideSchema } from '../../core/permissions.js';

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
  const { data, where } = parseYaml(text, file, WorkspaceSchema);
  const problem = crossCheck(data);
  if (problem) throw new UsageError(`${where(problem.path)}: ${problem.message}`);
  return { ...data, name: data.name ?? basename(file, extname(file)) };
}

/** References between users, rooms and areas. */
function crossCheck(data: WorkspaceData): { path: Path; message: string } | undefined {
  const users = new Set<string>();
  for (const [i, u] of data.users.entries()) {
    if (users.has(u.id)) return { path: ['users', i, 'id'], message: `user "${u.id}" is listed twice` };
    users.add(u.id);
  }
  const unknownUser = (ids: readonly string[], path: Path) => {
    const at = ids.findIndex((id) => !users.has(id));
    return at < 0 ? undefined : { path: [...path, at], message: `no user "${ids[at]}" in users` };
  };
  if (!users.has(data.bot))
    return { path: ['bot'], message: `no user "${data.bot}" in users (add it with roles: [bot])` };
  if (data.owner && !users.has(data.owner))
    return { path: ['owner'], message: `no user "${data.owner}" in users` };
  const rooms = new Set<string>();
  for (const [i, r] of data.rooms.entries()) {
    if (rooms.has(r.id)) return { path: ['rooms', i, 'id'], message: `room "${r.id}" is listed twice` };
    rooms.add(r.id);
    for (const key of ['members', 'owners', 'moderators'] as const) {
      const bad = unknownUser(r[key], ['rooms', i, key]);
      if (bad) return bad;
    }
    for (const key of ['owners', 'moderators'] as const) {
      const at = r[key].findIndex((id) => !r.members.includes(id));
      if (at >= 0)
        return { path: ['rooms', i, key, at], message: `"${r[key][at]}" is not in this room's members` };
    }
  }
  const areas = new Set<string>();
  for (const [i, a] of data.areas.entries()) {
    if (areas.has(a.id)) return { path: ['areas', i, 'id'], message: `area "${a.id}" is listed twice` };
    areas.add(a.id);
    const at = a.rooms.findIndex((id) => !rooms.has(id));
    if (at >= 0) return { path: ['areas', i, 'rooms', at], message: `no room "${a.rooms[at]}" in rooms` };
    const bad =
      unknownUser(a.managers, ['areas', i, 'managers']) ??
      unknownUser(a.members ?? [], ['areas', i, 'members']);
    if (bad) return bad;
  }
  return undefined;
}
