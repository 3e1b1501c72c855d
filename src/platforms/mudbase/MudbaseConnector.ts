import {
  type Id,
  type Logger,
  localOf,
  type Metrics,
  type RemovalTarget,
  type RemoveResult,
  type Remover,
  type RestoreResult,
  type RoomInfo,
  type RoomRole,
} from '../../core/index.js';
import { JsonHttp, type JsonResponse } from '../seed/http.js';
import { type ErrorContext, readError } from './answers.js';

export interface MudbaseOptions {
  /** The API's base URL (`https://api.mudbase.dev`); the paths start at `/api/chat`. */
  url: string;
  /** The project the chats belong to: every call is scoped to it. */
  projectId: string;
  /** A JWT for a user allowed to manage the chats' participants; sent as `Authorization: Bearer`. */
  jwt: string;
  logger: Logger;
  /** Where its API calls, failures and rate-limit waits are recorded. */
  metrics?: Metrics;
  timeoutMs?: number;
}

/** Texts Mudbase sends back end up in hints; they are kept short. */
const MAX_TEXT = 200;

/**
 * Mudbase chats (`mudbase:<chatId>` rooms, `mudbase:<userId>` users), through
 * `DELETE /api/chat/projects/{projectId}/chats/{chatId}/participants` with the body `{userId}`, and its sibling
 * POST to undo. Mudbase documents no way to list a chat's participants nor to look a chat up, so kickbot
 * cannot know beforehand: every target is tried and Mudbase's answer decides (`membership: false`), and an
 * unknown chat shows up as a `room-not-found` denial of the removal rather than in `room`.
 */
export class MudbaseConnector implements Remover {
  readonly system = 'mudbase';
  readonly #http: JsonHttp;
  readonly #projectId: string;
  readonly #jwt: string;
  readonly #logger: Logger;

  constructor(options: MudbaseOptions) {
    this.#http = new JsonHttp(options.url, 'mudbase', {
      metrics: options.metrics,
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      secrets: [{ value: options.jwt, as: '[jwt]' }],
    });
    this.#projectId = options.projectId;
    this.#jwt = options.jwt;
    this.#logger = options.logger;
  }

  /** No lookup exists: any chat id is taken as a private chat, and the removal's answer tells if it exists. */
  async room(id: Id): Promise<RoomInfo | undefined> {
    const chatId = localOf(id);
    return { id, name: chatId, type: 'private', owners: 0, label: `Mudbase chat ${chatId}` };
  }

  /** The body is exactly `{userId}`, on a DELETE (`JsonHttp` sends it; some clients would drop it). */
  async remove(target: RemovalTarget): Promise<RemoveResult> {
    const chatId = localOf(target.room);
    const res = await this.#participants('DELETE', chatId, { userId: localOf(target.user) });
    if (res.status >= 200 && res.status < 300) return { outcome: 'removed' };
    const error = readError(res, this.#context(chatId));
    this.#log('remove', chatId, res.status, error.outcome);
    return error;
  }

  /**
   * Re-adds the user as a `member`: without a participant lookup kickbot never learnt their Mudbase role, and
   * `member` is the one that grants nothing. The docs do not say what adding a participant twice answers;
   * kickbot reads a 409 ("User is already a participant") as `already_member`, the usual meaning of a conflict
   * on an add. A 404 about the user means Mudbase does not know them.
   */
  async restore(target: RemovalTarget, _roles: readonly RoomRole[]): Promise<RestoreResult> {
    const chatId = localOf(target.room);
    const res = await this.#participants('POST', chatId, { userId: localOf(target.user), role: 'member' });
    if (res.status >= 200 && res.status < 300) {
      if ((res.body as { success?: unknown } | undefined)?.success === false) {
        return { outcome: 'failed', code: 'not-restored', hint: 'Mudbase did not add the participant' };
      }
      return { outcome: 'restored' };
    }
    if (res.status === 409) return { outcome: 'already_member' };
    const error = readError(res, this.#context(chatId));
    this.#log('restore', chatId, res.status, error.outcome);
    // Undo has no `denied`; a 404 about the user on an add means Mudbase does not know them.
    if (error.outcome === 'not_member')
      return { outcome: 'failed', code: 'user-not-found', hint: 'Mudbase does not know this user' };
    return { outcome: 'failed', code: error.code, hint: error.hint };
  }

  #participants(method: 'DELETE' | 'POST', chatId: string, body: object): Promise<JsonResponse> {
    const path = `/api/chat/projects/${encodeURIComponent(this.#projectId)}/chats/${encodeURIComponent(chatId)}/participants`;
    return this.#http.request({
      method,
      path,
      route: '/api/chat/projects/:id/chats/:id/participants',
      headers: { authorization: `Bearer ${this.#jwt}` },
      body,
    });
  }

  #context(chatId: string): ErrorContext {
    return { projectId: this.#projectId, chatId, clean: (text) => this.#clean(text) };
  }

  /** Mudbase's texts reach moderators: at most MAX_TEXT characters of them (JsonHttp took any JWT out). */
  #clean(text: string): string {
    return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text;
  }

  /** Status and chat only: never the request's headers or Mudbase's whole body. */
  #log(action: string, chatId: string, status: number, outcome: string): void {
    if (outcome === 'not_member') return;
    this.#logger.warn({ action, chat: chatId, status }, `mudbase: ${action} answered ${status}`);
  }
}
