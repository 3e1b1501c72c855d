import { localOf } from '../ids.js';
import type { Invocation } from '../invocation.js';
import type { OffboardDeps } from './walk.js';

/** The channels of invocations that came from no room (`<platform>:api`, `<platform>:scim`). */
const HEADLESS = new Set(['api', 'scim']);

/**
 * One notice for a whole offboarding (or its undo), in the room the command was typed in (and so the mod-log):
 * never one per room, which for someone in thousands of rooms would be thousands of posts. The API and SCIM type
 * in no room, so they post none.
 */
export async function offboardNotice(
  deps: Pick<OffboardDeps, 'connectors' | 'logger'>,
  inv: Invocation,
  caseId: number,
  text: string,
): Promise<void> {
  if (HEADLESS.has(localOf(inv.channel))) return;
  try {
    await deps.connectors.notice(inv.channel, text);
  } catch (error) {
    deps.logger.warn({ err: error, room: inv.channel, caseId }, 'offboarding notice not posted');
  }
}
