import { z } from 'zod';
import { UsageError } from '../core/errors.js';
import { GLOBAL_ROLES, GrantsOverrideSchema } from '../core/permissions.js';
import { parseYaml, readYamlFile } from './yaml-file.js';

/** kickbot's own config file (`--config F` or `KICKBOT_CONFIG`): areas, role grants, the mod-log channel. */

const RoleGrants = z.record(z.string().min(1), z.array(z.enum(GLOBAL_ROLES)).min(1));
const PerPlatform = <T extends z.ZodType>(value: T) =>
  z.strictObject({ slack: value.optional(), discord: value.optional(), console: value.optional() });

export const AreaConfigSchema = z.strictObject({
  id: z
    .string()
    .regex(/^[A-Za-z0-9][\w.-]{0,63}$/, 'an area id is letters, digits, ".", "_" and "-" (at most 64)'),
  name: z.string().min(1).optional(),
  /** Rooms on the platform the command came from: channel names or ids. */
  rooms: z.array(z.string().min(1)).default([]),
  /** Who manages the area (holds `remove-area-user` for it), by platform user id. */
  managers: PerPlatform(z.array(z.string().min(1))).optional(),
  /** The area's own group: a Slack user group id (S…), a Discord role id. */
  groups: PerPlatform(z.string().min(1)).optional(),
});
export type AreaConfig = z.infer<typeof AreaConfigSchema>;

export const ConfigSchema = z.strictObject({
  /** Overrides of the default role table (DESIGN §5). */
  permissions: GrantsOverrideSchema.optional(),
  /** Roles kickbot adds to what the platform says, by platform user id: `slack: { U024BE7LH: [moderator] }`. */
  grants: PerPlatform(RoleGrants).optional(),
  /** A channel that gets a copy of every room confirmation. */
  modLog: PerPlatform(z.string().min(1)).optional(),
  areas: z.array(AreaConfigSchema).default([]),
});
export type Config = z.infer<typeof ConfigSchema>;

export const EMPTY_CONFIG: Config = { areas: [] };

export function parseConfig(text: string, file: string): Config {
  const { data, where } = parseYaml(text, file, ConfigSchema, { empty: {} });
  const seen = new Set<string>();
  for (const [i, area] of data.areas.entries()) {
    if (seen.has(area.id))
      throw new UsageError(`${where(['areas', i, 'id'])}: area "${area.id}" is listed twice`);
    seen.add(area.id);
  }
  return data;
}

/** The config file, or an empty config when none is given. */
export function loadConfig(file: string | undefined): Config {
  return file ? parseConfig(readYamlFile(file, 'config file'), file) : EMPTY_CONFIG;
}
