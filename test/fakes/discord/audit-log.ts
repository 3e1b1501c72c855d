/**
 * Audit log entries as Discord writes them (docs "Audit Logs": the entry object, the change object, the optional
 * audit entry info; /work/shared/reference/discord-openapi `AuditLogEntryResponse`), for the fake's
 * GUILD_AUDIT_LOG_ENTRY_CREATE dispatches (the entry plus `guild_id`). Pure builders: the fake fills in the id.
 */

/** Audit log events the fake writes (docs "Audit Log Events"). */
export const AUDIT = {
  ChannelOverwriteCreate: 13,
  ChannelOverwriteUpdate: 14,
  ChannelOverwriteDelete: 15,
  MemberKick: 20,
  MemberRoleUpdate: 25,
} as const;

export interface AuditChange {
  key: string;
  new_value?: unknown;
  old_value?: unknown;
}

/** An audit log entry without its id (snowflake) and guild. */
export interface AuditEntryBody {
  action_type: number;
  /** Who did it (the bot, for its own REST calls). */
  user_id: string | null;
  target_id: string | null;
  changes?: AuditChange[];
  options?: Record<string, string>;
  /** `X-Audit-Log-Reason`, when the call had one. */
  reason?: string;
}

export interface OverwriteState {
  id: string;
  type: 0 | 1;
  allow: string;
  deny: string;
}

const withReason = (reason: string | undefined) => (reason ? { reason } : {});

/** MEMBER_KICK: the target is the user; no changes. */
export function kickEntry(user: string, executor: string, reason?: string): AuditEntryBody {
  return { action_type: AUDIT.MemberKick, user_id: executor, target_id: user, ...withReason(reason) };
}

/** MEMBER_ROLE_UPDATE: `$add` / `$remove` with partial roles `{ id, name }`. */
export function roleEntry(
  user: string,
  role: { id: string; name: string },
  add: boolean,
  executor: string,
  reason?: string,
): AuditEntryBody {
  return {
    action_type: AUDIT.MemberRoleUpdate,
    user_id: executor,
    target_id: user,
    changes: [{ key: add ? '$add' : '$remove', new_value: [{ id: role.id, name: role.name }] }],
    ...withReason(reason),
  };
}

/**
 * CHANNEL_OVERWRITE_CREATE / UPDATE / DELETE for one overwrite: the target is the channel, `options` name whose
 * overwrite it is (`type` "0" role, "1" member; `role_name` for a role). A create lists every field's new value, a
 * delete every old one, an update only `allow` / `deny` where they changed. Undefined when nothing changed.
 */
export function overwriteEntry(
  channel: string,
  before: OverwriteState | undefined,
  after: OverwriteState | undefined,
  executor: string,
  reason?: string,
  roleName?: string,
): AuditEntryBody | undefined {
  const ow = after ?? before;
  if (!ow) return undefined;
  const options: Record<string, string> = {
    id: ow.id,
    type: String(ow.type),
    ...(ow.type === 0 && roleName ? { role_name: roleName } : {}),
  };
  const all = (o: OverwriteState, side: 'new_value' | 'old_value'): AuditChange[] =>
    (['id', 'type', 'allow', 'deny'] as const).map((key) => ({ key, [side]: o[key] }));
  let action: number;
  let changes: AuditChange[];
  if (!before && after) {
    action = AUDIT.ChannelOverwriteCreate;
    changes = all(after, 'new_value');
  } else if (before && !after) {
    action = AUDIT.ChannelOverwriteDelete;
    changes = all(before, 'old_value');
  } else if (before && after) {
    action = AUDIT.ChannelOverwriteUpdate;
    changes = (['allow', 'deny'] as const)
      .filter((key) => before[key] !== after[key])
      .map((key) => ({ key, old_value: before[key], new_value: after[key] }));
    if (changes.length === 0) return undefined;
  } else return undefined;
  return {
    action_type: action,
    user_id: executor,
    target_id: channel,
    changes,
    options,
    ...withReason(reason),
  };
}
