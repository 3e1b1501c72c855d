import { z } from 'zod';
import { GLOBAL_ROLES, GrantsOverrideSchema } from '../core/index.js';
import { type Problem, parseYaml, raw, readYamlFile } from './yaml-file.js';

/** kickbot's own config file (`--config F` or `KICKBOT_CONFIG`): areas, role grants, the mod-log channel. */

const RoleGrants = z.record(z.string().min(1), z.array(z.enum(GLOBAL_ROLES)).min(1));
const PerPlatform = <T extends z.ZodType>(value: T) =>
  z.strictObject({ slack: value.optional(), discord: value.optional(), console: value.optional() });

/** A secret is never written in the file, only the environment variable that holds it. */
const Secret = z.strictObject(
  { env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name') },
  'a secret is never written in the file: write { env: VARIABLE_NAME }',
);
/** A value written out, or read from an environment variable like a secret. */
const Value = z.union([z.string().min(1), Secret]);
const BaseUrl = z.url({ protocol: /^https?$/, error: 'an http:// or https:// URL' });

/** The seed systems kickbot reaches through areas and `#<system>:<id>` rooms (`src/platforms/<name>/`). */
export const ConnectorsSchema = z.strictObject({
  rocketchat: z.strictObject({ url: BaseUrl, userId: Value, token: Secret }).optional(),
  feedbackhouse: z
    .strictObject({
      url: BaseUrl,
      apiKey: Secret,
      /** The header that carries the key (the API's docs do not name it): `Authorization: Bearer <key>` by default. */
      apiKeyHeader: z
        .string()
        .regex(/^[A-Za-z0-9-]+$/, 'a header name')
        .optional(),
    })
    .optional(),
  docspace: z.strictObject({ url: BaseUrl, apiKey: Secret }).optional(),
  mudbase: z.strictObject({ url: BaseUrl, projectId: Value, jwt: Secret }).optional(),
  betterforms: z.strictObject({ url: BaseUrl, apiKey: Secret }).optional(),
});
export type ConnectorsConfig = z.infer<typeof ConnectorsSchema>;
export type SeedSystem = keyof ConnectorsConfig;
export const SEED_SYSTEMS = ['rocketchat', 'feedbackhouse', 'docspace', 'mudbase', 'betterforms'] as const;

/** A room or group of an area in another system. */
export const TargetSchema = z.discriminatedUnion('connector', [
  z.strictObject({
    connector: z.literal('rocketchat'),
    room: z.string().min(1),
    /** `private` (a group, `p`) or `public` (a channel, `c`); asked from Rocket.Chat when left out. */
    type: z.enum(['private', 'public']).optional(),
  }),
  z.strictObject({ connector: z.literal('docspace'), group: z.string().min(1) }),
  z.strictObject({ connector: z.literal('feedbackhouse'), area: z.string().min(1) }),
  z.strictObject({ connector: z.literal('mudbase'), chat: z.string().min(1) }),
  z.strictObject({
    connector: z.literal('betterforms'),
    channel: z.string().min(1),
    mode: z.enum(['ignore', 'listen', 'receive']).default('ignore'),
    /** Only the user's own browser tab can leave an anonymous channel: kickbot reports it `unsupported`. */
    anonymous: z.boolean().default(false),
  }),
]);
export type TargetConfig = z.infer<typeof TargetSchema>;

const PLATFORMS = ['console', 'slack', 'discord', ...SEED_SYSTEMS] as const;
/**
 * One person's ids across systems, and their email address (`email:`), by which the identity provider (SCIM)
 * names them. Emails are compared without case.
 */
const IdentitySchema = z
  .partialRecord(z.enum([...PLATFORMS, 'email']), z.string().min(1))
  .refine((links) => links.email === undefined || z.email().safeParse(links.email).success, {
    message: 'email: not an email address',
    path: ['email'],
  })
  .refine((links) => Object.keys(links).length >= 2, 'an identity links at least two systems')
  .transform((links) => (links.email ? { ...links, email: links.email.toLowerCase() } : links));

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
  /** Rooms and groups in other systems that the area also reaches. */
  targets: z.array(TargetSchema).optional(),
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
  connectors: ConnectorsSchema.optional(),
  identities: z.array(IdentitySchema).optional(),
  /**
   * What `/offboard` reaches in a system that cannot list one person's rooms, besides the areas' targets (every
   * seed system: their APIs remove, they do not list).
   */
  offboard: z.strictObject({ targets: z.array(TargetSchema).default([]) }).optional(),
  /** A removal without a reason is a usage error that says so. */
  requireReason: z.boolean().optional(),
  /** Tell removed people by direct message before the removal (`--no-dm` skips it for one command). */
  notify: z.strictObject({ dm: z.boolean().default(false) }).optional(),
  /** The mod-log hears when someone removed within this many days joins the room again (0: never). */
  rejoinAlert: z.strictObject({ days: z.number().int().min(0).max(365).default(30) }).optional(),
  /** Open a case for removals made by hand in the platform's own UI (each platform on by default). */
  byHand: z.strictObject({ slack: z.boolean().default(true), discord: z.boolean().default(true) }).optional(),
});
export type Config = z.infer<typeof ConfigSchema>;

export const EMPTY_CONFIG: Config = { areas: [] };

export function parseConfig(text: string, file: string): Config {
  return parseYaml(text, file, ConfigSchema, { empty: {}, check: crossCheck }).data;
}

const { list, entries, field } = raw;

/** Areas listed twice, targets of systems not configured, people linked twice: every one, on the raw value. */
function crossCheck(data: unknown): Problem[] {
  const out: Problem[] = [];
  const seen = new Set<string>();
  const connectors = field(data, 'connectors');
  for (const [i, area] of list(field(data, 'areas')).entries()) {
    const id = field(area, 'id');
    if (typeof id === 'string') {
      if (seen.has(id)) out.push({ path: ['areas', i, 'id'], message: `area "${id}" is listed twice` });
      seen.add(id);
    }
    out.push(...unconfigured(list(field(area, 'targets')), connectors, ['areas', i, 'targets']));
  }
  out.push(
    ...unconfigured(list(field(field(data, 'offboard'), 'targets')), connectors, ['offboard', 'targets']),
  );
  const linked = new Map<string, number>();
  for (const [i, person] of list(field(data, 'identities')).entries()) {
    for (const [platform, id] of entries(person)) {
      if (typeof id !== 'string') continue;
      const first = linked.get(`${platform}:${id}`);
      if (first !== undefined)
        out.push({
          path: ['identities', i, platform],
          message: `${platform} ${id} is already linked in identities[${first}]`,
        });
      else linked.set(`${platform}:${id}`, i);
    }
  }
  return out;
}

/** Targets of seed systems that `connectors:` does not configure. */
function unconfigured(targets: unknown[], connectors: unknown, at: (string | number)[]): Problem[] {
  const out: Problem[] = [];
  for (const [j, target] of targets.entries()) {
    const system = field(target, 'connector');
    if (
      typeof system === 'string' &&
      SEED_SYSTEMS.includes(system as SeedSystem) &&
      !field(connectors, system)
    )
      out.push({ path: [...at, j, 'connector'], message: `${system} is not configured under connectors` });
  }
  return out;
}

/** The config file, or an empty config when none is given. */
export function loadConfig(file: string | undefined): Config {
  return file ? parseConfig(readYamlFile(file, 'config file'), file) : EMPTY_CONFIG;
}
