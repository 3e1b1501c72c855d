import { randomUUID } from 'node:crypto';
import {
  ADMIN_ACTOR,
  fingerprintOf,
  type Handled,
  type Id,
  type Invocation,
  makeId,
  platformOf,
} from '../core/index.js';
import { renderText } from '../render/text.js';
import type { AdminView } from './app.js';

/**
 * The admin page's Undo and Cancel: `/kickbot undo N` and `/kickbot cancel N` run through `core.handle` as
 * ADMIN_ACTOR (the global admin role), so the same rules, records, confirmations and mod-log lines apply as for a
 * moderator's command. Each form carries a key made when the form was drawn: the invocation id, so a form sent
 * twice (a double click, a reload of the POST) runs once, and its reply can be shown after the redirect.
 */

const KEY = /^[A-Za-z0-9-]{16,64}$/;

/** A fresh key for a form. */
export const formKey = (): string => randomUUID();

/** The form's key when it is one, else a new one (the action still runs, only once per key). */
export function keyOf(form: URLSearchParams): string {
  const key = form.get('key') ?? '';
  return KEY.test(key) ? key : formKey();
}

const invocationId = (key: string): Id => makeId('admin', key);

/** Runs `/kickbot <text>` (`undo 12`, `cancel 12`) in `workspace` as the admin page; `channel`: where the case was. */
export function actAsAdmin(
  view: AdminView,
  workspace: Id,
  channel: Id,
  text: string,
  key: string,
): Promise<Handled> {
  const inv: Invocation = {
    id: invocationId(key),
    platform: platformOf(workspace),
    workspace,
    actor: ADMIN_ACTOR,
    channel,
    command: 'kickbot',
    input: { text },
    fingerprint: fingerprintOf(['admin page', workspace, text]),
    receivedAt: view.deps.now?.() ?? Date.now(),
  };
  return view.deps.runtime.core.handle(inv);
}

/** What an action whose key is in the URL (`?reply=<key>`) answered, as text; undefined for anything else. */
export async function shownReply(view: AdminView): Promise<string | undefined> {
  const key = view.url.searchParams.get('reply') ?? '';
  if (!KEY.test(key)) return undefined;
  const reply = await view.deps.runtime.store.awaitInvocation(invocationId(key), 0);
  return reply === undefined ? undefined : renderText(reply);
}
