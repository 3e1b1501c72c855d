import { openCase } from './cases/open.js';
import { UNKNOWN_ACTOR } from './connectors.js';
import type { CoreDeps } from './deps.js';
import { type Id, platformOf } from './ids.js';
import type { Invocation } from './invocation.js';
import { clearPairMarker, OWN_ACTION_MS, type PairMarker, readPairMarker, setPairMarker } from './markers.js';
import { systemName } from './offboard/walk.js';
import type { RoomRole } from './permissions.js';
import type { UndoData } from './ports/facts.js';

/** A removal someone made in a platform's own UI, as a front learnt it (Discord audit log, Slack events). */
export interface HandRemoval {
  /** The platform's id of what it told (Discord audit log entry id, Slack `event_id`): one case per id. */
  eventId: string;
  platform: string;
  workspace: Id;
  /** Who did it, where the platform says so (Discord does; Slack does not). */
  actor?: Id;
  target: Id;
  room: Id;
  /** The room roles the target lost, for an undo. */
  roles?: RoomRole[];
  /** What the platform needs to undo it exactly (a Discord overwrite as it was). */
  undo?: UndoData;
  reason?: string;
  /** How kickbot learnt it: `discord-audit-log`, `slack-events`. */
  via: string;
  /** What was done, in a few words (`member kick`, `role taken away`), for the case's command line. */
  detail?: string;
  at: number;
}

/** Someone joined a room (or got access back): a front tells the core, which alerts on a recent removal. */
export interface RoomJoin {
  eventId: string;
  platform: string;
  workspace: Id;
  room: Id;
  user: Id;
  /** Who let them back in, where the platform says so. */
  actor?: Id;
  at: number;
}

/** How long an event id is remembered, so that a redelivered event (Slack retries, a gateway replay) counts once. */
const EVENT_TTL_MS = 24 * 60 * 60_000;

/**
 * Opens a by-hand case and tells the mod-log; kickbot's own removals are not counted twice (the pair marker it
 * writes around its own calls). The case number, or undefined when nothing was opened (kickbot's own removal, or
 * an event already counted).
 */
export async function byHand(deps: CoreDeps, removal: HandRemoval): Promise<number | undefined> {
  const marker = await readPairMarker(deps.store, removal.room, removal.target);
  if (marker && ownAction(marker, deps.clock.now())) return undefined;
  const inv = handInvocation(removal);
  if (!(await firstTime(deps, inv.id))) return undefined;
  const actor = inv.actor;
  try {
    const caseId = await deps.store.nextCaseId(removal.workspace);
    const name = systemName(deps, removal.platform);
    const detail = removal.detail ?? (removal.actor ? 'removed' : 'left or was removed');
    await openCase(deps, inv, caseId, {
      byHand: { via: removal.via, detail },
      command: `removed by hand in ${name} (${detail})`,
    });
    await deps.store.appendAudit(
      [
        {
          caseId,
          workspace: removal.workspace,
          action: 'remove',
          actor,
          target: removal.target,
          room: removal.room,
          ...(removal.reason ? { reason: removal.reason } : {}),
          outcome: 'removed',
          ...(removal.roles && removal.roles.length > 0 ? { roles: [...removal.roles] } : {}),
          ...(removal.undo ? { undo: removal.undo } : {}),
          invocation: inv.id,
          at: removal.at,
        },
      ],
      `${inv.id}#${caseId}#audit`,
    );
    const ttl = Math.max(deps.rejoinAlertMs, OWN_ACTION_MS);
    const at = deps.clock.now();
    await setPairMarker(
      deps.store,
      removal.room,
      removal.target,
      { caseId, at, state: 'removed' },
      ttl,
    ).catch(() => {}); // a hint for rejoin alerts, never the record
    const [who, by, where] = await Promise.all([
      userLabel(deps, removal.target),
      userLabel(deps, actor),
      roomLabel(deps, removal.room),
    ]);
    const what = removal.actor
      ? `${who} was removed from ${where} by hand by ${by} (${name})`
      : `${who} left ${where} or was removed by someone; ${name} does not say which or by whom`;
    const reason = removal.reason ? ` (reason: ${removal.reason})` : '';
    const text = `${what}${reason} · case ${caseId} · /kickbot undo ${caseId} re-adds them`;
    await tellModLog(deps, removal.platform, removal.workspace, text, {
      event: 'by-hand case',
      caseId,
      room: removal.room,
      user: removal.target,
      actor,
    });
    await deps.store.completeInvocation(inv.id, { kind: 'info', message: text }, EVENT_TTL_MS);
    return caseId;
  } catch (error) {
    await deps.store.releaseInvocation(inv.id).catch(() => {}); // a redelivery may try again
    throw error;
  }
}

/** Tells the mod-log when someone kickbot removed from this room within the rejoin window is back. */
export async function joined(deps: CoreDeps, join: RoomJoin): Promise<void> {
  if (deps.rejoinAlertMs <= 0) return;
  const marker = await readPairMarker(deps.store, join.room, join.user);
  // `restoring`: kickbot's own undo is re-adding them; `removing`: its call is still out.
  if (marker?.state !== 'removed') return;
  const ago = Math.max(0, deps.clock.now() - marker.at);
  if (ago > deps.rejoinAlertMs) return;
  const id = `rejoin:${join.platform}:${join.eventId}`;
  if (!(await firstTime(deps, id))) return;
  const [who, where, by] = await Promise.all([
    userLabel(deps, join.user),
    roomLabel(deps, join.room),
    join.actor ? userLabel(deps, join.actor) : undefined,
  ]);
  const text = `${who} joined ${where} again, ${duration(ago)} after case ${marker.caseId} removed them${by ? ` · let back in by ${by}` : ''}`;
  // One alert per removal: the next time they leave and come back is another story.
  await clearPairMarker(deps.store, join.room, join.user).catch(() => {});
  await tellModLog(deps, join.platform, join.workspace, text, {
    event: 'rejoin',
    caseId: marker.caseId,
    room: join.room,
    user: join.user,
    ...(join.actor ? { actor: join.actor } : {}),
  });
  await deps.store.completeInvocation(id, { kind: 'info', message: text }, EVENT_TTL_MS);
}

/** kickbot's own call is out (`removing`), or it removed them a moment ago: the platform's event is about that. */
function ownAction(marker: PairMarker, now: number): boolean {
  return marker.state === 'removing' || (marker.state === 'removed' && now - marker.at < OWN_ACTION_MS);
}

/** The by-hand case as an invocation: its id counts the event once, the rest is what the case records. */
function handInvocation(removal: HandRemoval): Invocation {
  return {
    id: `hand:${removal.platform}:${removal.eventId}`,
    platform: removal.platform,
    workspace: removal.workspace,
    actor: removal.actor ?? UNKNOWN_ACTOR,
    channel: removal.room,
    command: 'by-hand',
    input: { text: '' },
    receivedAt: removal.at,
  };
}

/** Whether this event id is new (claimed now); a redelivery, or one being handled, answers false. */
async function firstTime(deps: CoreDeps, id: string): Promise<boolean> {
  return (await deps.store.claimInvocation(id, EVENT_TTL_MS)).state === 'new';
}

/**
 * Posts to the platform's mod-log channel. Without one (or when the post fails) the log says what happened, by ids
 * only: logs carry no message text (a reason can be anything).
 */
async function tellModLog(
  deps: CoreDeps,
  platform: string,
  workspace: Id,
  text: string,
  fields: { event: string; caseId: number; room: Id; user: Id; actor?: Id },
): Promise<void> {
  let told = false;
  try {
    const directory = deps.connectors.hasDirectory(platform)
      ? deps.connectors.directory(platform)
      : undefined;
    told = (await directory?.modLog?.(workspace, text)) ?? false;
  } catch (error) {
    deps.logger.warn({ err: error, workspace, ...fields }, 'mod-log message not posted');
    return;
  }
  if (!told) deps.logger.info({ workspace, ...fields }, `${fields.event} (no mod-log channel to tell)`);
}

/** How the platform names a user in a message; the id's own label when the lookup fails. */
async function userLabel(deps: CoreDeps, user: Id): Promise<string> {
  try {
    const info = (await deps.connectors.users([user])).get(user);
    if (info) return info.label ?? info.name;
  } catch {
    // the label below says who it is
  }
  return deps.connectors.label(user, 'user');
}

async function roomLabel(deps: CoreDeps, room: Id): Promise<string> {
  try {
    if (deps.connectors.serves(platformOf(room))) {
      const info = await deps.connectors.remover(room).room(room);
      if (info) return info.label ?? `#${info.name}`;
    }
  } catch {
    // the label below says which it is
  }
  return deps.connectors.label(room, 'room');
}

/** `3 days`, `5 hours`, `12 minutes`, `a moment`. */
export function duration(ms: number): string {
  const units: [number, string][] = [
    [24 * 60 * 60_000, 'day'],
    [60 * 60_000, 'hour'],
    [60_000, 'minute'],
  ];
  for (const [size, name] of units) {
    const n = Math.floor(ms / size);
    if (n >= 1) return `${n} ${name}${n === 1 ? '' : 's'}`;
  }
  return 'a moment';
}
