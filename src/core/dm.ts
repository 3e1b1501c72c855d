import pMap from 'p-map';
import type { Connectors } from './connectors.js';
import { ConnectorError } from './errors.js';
import { type Id, platformOf } from './ids.js';
import type { Invocation } from './invocation.js';
import { nameList } from './notices.js';
import type { Clock, Logger } from './ports/clock-logger.js';
import type { Store } from './ports/store.js';

/**
 * Telling the removed people (`--dm`, config `notify.dm`): one direct message each, before the removal (they may
 * lose the room it would have come through) and after the case is opened (so it names the case). A DM never holds
 * the removal up: all of them together get at most DM_BUDGET_MS, and whatever failed is noted on the case.
 */

/** How long the direct messages of one command may take, all together. */
export const DM_BUDGET_MS = 5_000;
/** Direct messages sent at once. */
const DM_CONCURRENCY = 4;
/** Rooms a message names before "and N more". */
const MAX_ROOMS = 10;

export interface DmDeps {
  connectors: Connectors;
  store: Store;
  clock: Clock;
  logger: Logger;
}

/** One person to tell, and what about. */
export interface DmPerson {
  user: Id;
  /** The rooms they are being removed from; empty: an offboarding (everything kickbot reaches). */
  rooms: readonly Id[];
  reason: string | undefined;
}

/** Whether this command tells the removed people: its `--dm` / `--no-dm`, else the config's `notify.dm`. */
export const dmWanted = (dm: boolean | undefined, byDefault: boolean) => dm ?? byDefault;

/** `2026-12-06 14:00 UTC` */
export function utc(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** `You are being removed from #a, #b by mo (reason: spam) · case 12 · until 2026-12-06 14:00 UTC` */
export function dmText(
  person: DmPerson,
  by: string,
  caseId: number,
  until: number | undefined,
  label: (id: Id) => string,
): string {
  const rooms = person.rooms.map(label);
  const where =
    rooms.length === 0
      ? 'every room kickbot reaches (an offboarding)'
      : rooms.length > MAX_ROOMS
        ? `${rooms.slice(0, MAX_ROOMS).join(', ')} and ${rooms.length - MAX_ROOMS} more`
        : rooms.join(', ');
  return [
    `You are being removed from ${where} by ${by}${person.reason ? ` (reason: ${person.reason})` : ''}`,
    `case ${caseId}`,
    ...(until !== undefined ? [`until ${utc(until)}`] : []),
  ].join(' · ');
}

/**
 * Sends each person on the command's platform their message, notes each as a `dm` event on the case, and answers
 * the line the moderator reads about the ones that failed (undefined: none failed). Never throws.
 */
export async function tellPeople(
  deps: DmDeps,
  inv: Invocation,
  caseId: number,
  people: readonly DmPerson[],
  textOf: (person: DmPerson) => string,
  label: (id: Id) => string,
): Promise<string | undefined> {
  const here = people.filter((p) => platformOf(p.user) === inv.platform);
  if (here.length === 0) return undefined;
  const directory = deps.connectors.directory(inv.platform);
  const failed: { user: Id; code: string }[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const budget = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), DM_BUDGET_MS);
    timer.unref?.();
  });
  try {
    await pMap(
      here,
      async (person) => {
        const code = await sendOne(directory.dm?.bind(directory), person, textOf(person), budget, deps);
        if (code !== undefined) failed.push({ user: person.user, code });
        const event = {
          kind: 'dm' as const,
          at: deps.clock.now(),
          user: person.user,
          ok: code === undefined,
          ...(code !== undefined ? { code } : {}),
        };
        await deps.store
          .appendCaseEvent(inv.workspace, caseId, event, `${inv.id}#${caseId}#dm#${person.user}`)
          .catch((error: unknown) =>
            deps.logger.warn({ err: error, caseId, user: person.user }, 'dm event not recorded'),
          );
      },
      { concurrency: DM_CONCURRENCY },
    );
  } finally {
    clearTimeout(timer);
  }
  if (failed.length === 0) return undefined;
  const names = nameList(failed.map((f) => `${label(f.user)} (${describe(f.code)})`));
  return `Direct message not delivered to ${names}; the removal went ahead.`;
}

/** One message: undefined when sent, else a code (`dm-closed`, `timeout`, the platform's error). */
async function sendOne(
  dm: ((user: Id, text: string) => Promise<void>) | undefined,
  person: DmPerson,
  text: string,
  budget: Promise<'timeout'>,
  deps: Pick<DmDeps, 'logger'>,
): Promise<string | undefined> {
  if (!dm) return 'unsupported';
  try {
    const sent = await Promise.race([dm(person.user, text).then(() => 'sent' as const), budget]);
    return sent === 'sent' ? undefined : 'timeout';
  } catch (error) {
    if (error instanceof ConnectorError) return error.code;
    deps.logger.warn({ err: error, user: person.user }, 'direct message failed');
    return 'internal-error';
  }
}

const CODES: Record<string, string> = {
  'dm-closed': 'they accept no direct messages',
  timeout: 'no answer in time',
  unsupported: 'this platform sends no direct messages',
};

const describe = (code: string) => CODES[code] ?? code;
