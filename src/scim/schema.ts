import { z } from 'zod';

/** The URNs of RFC 7643 / RFC 7644 that kickbot speaks. */
export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
export const LIST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** Bounds on what an identity provider may store here. */
export const LIMITS = { value: 1024, userName: 256, emails: 20, operations: 50, path: 512, filter: 2048 };

/**
 * The SCIM string of a boolean: Entra ID sends `"True"` / `"False"` where RFC 7643 says boolean, so both are
 * read (case-insensitively); anything else is left for the schema to refuse.
 */
export function scimBoolean(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const lower = value.toLowerCase();
  return lower === 'true' ? true : lower === 'false' ? false : value;
}

const Text = (max = LIMITS.value) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? 'required' : 'must be a string') })
    .max(max, `at most ${max} characters`);

/** `schemas`: a short list of URNs that names `urn`. */
const SchemasWith = (urn: string) =>
  z
    .unknown()
    .refine(
      (v) => Array.isArray(v) && v.length <= 10 && v.includes(urn),
      `must include "${urn}"`,
    ) as z.ZodType<string[]>;
const Bool = z.preprocess(scimBoolean, z.boolean());

const Email = z.object({
  value: Text().min(1),
  type: Text(64).optional(),
  primary: Bool.optional(),
});

const Name = z.object({
  formatted: Text().optional(),
  familyName: Text().optional(),
  givenName: Text().optional(),
  middleName: Text().optional(),
  honorificPrefix: Text().optional(),
  honorificSuffix: Text().optional(),
});

/**
 * The attributes of a User that kickbot keeps (RFC 7643 §4.1); whatever else a client sends (password, phone
 * numbers, the enterprise extension, groups) is accepted and not stored. `id` and `meta` are the server's.
 */
export const UserInput = z.object({
  schemas: SchemasWith(USER_SCHEMA),
  userName: Text(LIMITS.userName)
    .trim()
    .min(1, 'must not be empty')
    .refine((s) => ![...s].some((c) => c.charCodeAt(0) < 0x20), 'must not contain control characters'),
  externalId: Text().min(1).optional(),
  displayName: Text().optional(),
  name: Name.optional(),
  emails: z.array(Email).max(LIMITS.emails, `at most ${LIMITS.emails} emails`).optional(),
  active: Bool.optional(),
});
export type UserInput = z.infer<typeof UserInput>;
export type ScimName = z.infer<typeof Name>;
export type ScimEmail = z.infer<typeof Email>;

/** One PATCH request (RFC 7644 §3.5.2); `op` in any case (Entra ID capitalises it). */
export const PatchInput = z.object({
  schemas: SchemasWith(PATCH_SCHEMA),
  Operations: z
    .array(
      z.object({
        op: z
          .string()
          .max(16)
          .transform((op) => op.toLowerCase())
          .pipe(z.enum(['add', 'remove', 'replace'], 'one of add, remove, replace')),
        path: Text(LIMITS.path).optional(),
        value: z.unknown().optional(),
      }),
    )
    .min(1, 'at least one operation')
    .max(LIMITS.operations, `at most ${LIMITS.operations} operations`),
});
export type PatchInput = z.infer<typeof PatchInput>;

/** A zod failure as one line naming where it is: `userName: must not be empty`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.length > 0 ? `${issue.path.join('.')}: ` : ''}${issue.message}`)
    .join('; ');
}
