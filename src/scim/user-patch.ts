import { ScimError, type ScimPatchOperation, scimPatch } from 'scim-patch';
import { type ScimType, userAttributes } from './responses.js';
import type { ScimUserData, StoredScimUser } from './ScimStore.js';
import { describeIssues, type PatchInput, USER_SCHEMA, UserInput } from './schema.js';

export interface Refusal {
  status: number;
  detail: string;
  scimType: ScimType;
}

/** Keys that would reach an object's prototype if a path or a value named them. */
const UNSAFE = new Set(['__proto__', 'constructor', 'prototype']);

function unsafeKey(value: unknown, depth = 0): boolean {
  if (depth > 8) return true;
  if (Array.isArray(value)) return value.some((v) => unsafeKey(v, depth + 1));
  if (typeof value !== 'object' || value === null) return false;
  return Object.entries(value).some(([k, v]) => UNSAFE.has(k) || unsafeKey(v, depth + 1));
}

/** The user's data as a SCIM document, for scim-patch to work on. */
function document(user: StoredScimUser) {
  return {
    ...userAttributes(user),
    meta: { created: new Date(user.created), lastModified: new Date(user.lastModified) },
  };
}

/** The data a PUT or POST body gives; `active` missing keeps `fallbackActive` (a PUT never offboards by omission). */
export function dataOf(input: UserInput, fallbackActive: boolean): ScimUserData {
  return {
    userName: input.userName,
    ...(input.externalId !== undefined ? { externalId: input.externalId } : {}),
    ...(input.displayName !== undefined ? { displayName: input.displayName } : {}),
    ...(input.name ? { name: input.name } : {}),
    emails: input.emails ?? [],
    active: input.active ?? fallbackActive,
  };
}

/**
 * The user after a PatchOp (RFC 7644 §3.5.2), through scim-patch; attributes kickbot does not keep are accepted and
 * dropped. Both deactivations identity providers send work: Okta's `{"op":"replace","value":{"active":false}}` and
 * Entra ID's `{"op":"Replace","path":"active","value":"False"}` (its booleans are strings).
 */
export function patchUser(
  user: StoredScimUser,
  patch: PatchInput,
): { data: ScimUserData } | { refused: Refusal } {
  for (const op of patch.Operations) {
    if (
      unsafeKey(op.value) ||
      (op.path !== undefined && /(^|[.[\]:\s])(__proto__|constructor|prototype)([.[\]\s]|$)/.test(op.path))
    ) {
      return {
        refused: { status: 400, detail: 'the operation names a reserved attribute', scimType: 'invalidPath' },
      };
    }
    if (op.path !== undefined && /^(id|meta)(\.|$)/i.test(op.path.replace(/^urn:[^[]*:User:/i, ''))) {
      return {
        refused: {
          status: 400,
          detail: `${op.path} is set by kickbot and cannot be changed`,
          scimType: 'mutability',
        },
      };
    }
  }
  let patched: ReturnType<typeof document>;
  try {
    patched = scimPatch(document(user), patch.Operations as ScimPatchOperation[], {
      mutateDocument: false,
      treatMissingAsAdd: true,
    });
  } catch (error) {
    const scimType =
      (error instanceof ScimError && (error.scimCode as ScimType | undefined)) || 'invalidSyntax';
    const detail = error instanceof ScimError ? error.message : 'the patch could not be applied to this user';
    return { refused: { status: 400, detail: detail.slice(0, 300), scimType } };
  }
  if (patched.id !== user.id) {
    return {
      refused: { status: 400, detail: 'id is set by kickbot and cannot be changed', scimType: 'mutability' },
    };
  }
  const parsed = UserInput.safeParse({ ...patched, schemas: [USER_SCHEMA] });
  if (!parsed.success) {
    return {
      refused: {
        status: 400,
        detail: `after the patch, ${describeIssues(parsed.error)}`,
        scimType: 'invalidValue',
      },
    };
  }
  return { data: dataOf(parsed.data, user.active) };
}
