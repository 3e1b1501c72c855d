import type { JsonResponse } from '../seed/http.js';
import { type SeedSystem, type StatusOutcome, statusOutcome } from '../seed/statuses.js';

/**
 * How kickbot reads Mudbase's error answers. The docs give only the 200 body (`{message}`), 400 and 401; the
 * error bodies, 403 and 404 are not documented, so this follows the `{message}` shape of the success answer and
 * the usual Express wording ("Chat not found", "Participant not found"). Pure, so the rules sit in one place.
 */

/**
 * Mudbase's statuses (`statuses.ts`): a 403 means the JWT's user may not manage the chat, a refusal a moderator
 * can act on. A 404 alone says nothing: its message tells the participant from the chat (`notFoundKind`).
 */
export const MUDBASE: SeedSystem = {
  id: 'mudbase',
  name: 'Mudbase',
  credential: 'JWT (expired or invalid token)',
  forbidden: {
    outcome: 'denied',
    code: 'not-allowed',
    hint: (chat) => `the user of kickbot's JWT may not manage the participants of Mudbase chat ${chat}`,
  },
};

/** A non-2xx answer: the user is not in the chat (a 404 about the participant or user), or a refusal. */
export type MudbaseError = { outcome: 'not_member' } | StatusOutcome;

/** Mudbase's own wording, from `message` only: a proxy's or router's 404 (`{error}`, HTML) carries none. */
export function mudbaseMessage(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const message = (body as { message?: unknown }).message;
  return typeof message === 'string' && message.trim() !== '' ? message.trim() : undefined;
}

/**
 * Which 404 it is. Both come from the same path, so only the message tells them apart: one that names the
 * participant or the user ("Participant not found", "User is not a participant of this chat") means there is
 * nobody to remove; one that names the chat or the project ("Chat not found", "Project not found") means the
 * chat is unknown. The participant is checked first because its messages may name the chat too. A 404 with
 * no Mudbase message at all is neither: most likely a wrong base URL, so it is a failure, never `not_member`.
 */
export function notFoundKind(message: string | undefined): 'participant' | 'chat' | 'unknown' {
  if (message === undefined) return 'unknown';
  if (/\b(participants?|user)\b/i.test(message)) return 'participant';
  if (/\b(chat|project)\b/i.test(message)) return 'chat';
  return 'unknown';
}

export interface ErrorContext {
  projectId: string;
  chatId: string;
  /** Takes anything secret out of a text Mudbase sent back, and keeps it short. */
  clean(text: string): string;
}

/** A non-2xx answer that `JsonHttp` did not already throw for (it throws on 429, 5xx and no answer). */
export function readError(res: JsonResponse, ctx: ErrorContext): MudbaseError {
  const message = mudbaseMessage(res.body);
  const said = message === undefined ? undefined : ctx.clean(message);
  switch (res.status) {
    case 400:
      return {
        outcome: 'failed',
        code: 'bad-request',
        hint: `Mudbase rejected the request: ${said ?? 'bad request (400)'}`,
      };
    case 404:
      switch (notFoundKind(message)) {
        case 'participant':
          return { outcome: 'not_member' };
        case 'chat':
          return {
            outcome: 'denied',
            code: 'room-not-found',
            hint: `Mudbase has no chat ${ctx.chatId} in project ${ctx.projectId}`,
          };
        default:
          return {
            outcome: 'failed',
            code: 'not-found',
            hint: 'Mudbase answered 404 without saying what is missing: check connectors.mudbase.url',
          };
      }
    default:
      return statusOutcome(MUDBASE, res.status, {
        room: ctx.chatId,
        ...(said === undefined ? {} : { said }),
      });
  }
}
