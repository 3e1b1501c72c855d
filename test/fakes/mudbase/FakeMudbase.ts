import type { FakeAnswer, FakeRequest } from '../seed/JsonFake.js';
import { SeedFake } from '../seed/SeedFake.js';

/**
 * A fake Mudbase chat API holding what the docs describe (seed 001, anchors §2.2) and refusing anything else:
 * `DELETE /api/chat/projects/:projectId/chats/:chatId/participants` with exactly `{userId}` as a JSON body,
 * and its sibling POST with `{userId, role?}`, both behind `Authorization: Bearer <jwt>`. Where the docs are
 * silent it answers as an Express app would, with `{message}` bodies: 404 "Chat not found" for an unknown
 * project or chat, 404 "Participant not found" for someone not in the chat, 409 for adding someone twice.
 */

export type MudbaseRole = 'admin' | 'member';

export interface FakeMudbaseOptions {
  projectId: string;
  jwt: string;
  /** chatId → the participants' ids (as members) or userId → role. */
  chats?: Record<string, readonly string[] | Record<string, MudbaseRole>>;
}

export const PARTICIPANTS = '/api/chat/projects/:projectId/chats/:chatId/participants';
/** Route keys for `failNext` and `callsTo`. */
export const REMOVE_ROUTE = `DELETE ${PARTICIPANTS}`;
export const ADD_ROUTE = `POST ${PARTICIPANTS}`;

const ROLES: readonly string[] = ['admin', 'member'];

const answer = (status: number, message: string): FakeAnswer => ({ status, body: { message } });

/** The keys of a plain JSON object, or undefined for anything else. */
function keysOf(body: unknown): string[] | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  return Object.keys(body);
}

export class FakeMudbase extends SeedFake {
  readonly projectId: string;
  readonly #jwt: string;
  readonly #chats = new Map<string, Map<string, MudbaseRole>>();
  #revoked = false;

  private constructor(opts: FakeMudbaseOptions) {
    super();
    this.projectId = opts.projectId;
    this.#jwt = opts.jwt;
    for (const [chatId, participants] of Object.entries(opts.chats ?? {})) this.addChat(chatId, participants);
    this.http.route('DELETE', PARTICIPANTS, (req) => this.#guard(req) ?? this.#remove(req));
    this.http.route('POST', PARTICIPANTS, (req) => this.#guard(req) ?? this.#add(req));
  }

  static async start(opts: FakeMudbaseOptions): Promise<FakeMudbase> {
    const fake = new FakeMudbase(opts);
    await fake.http.listen();
    return fake;
  }

  /** The next call to the route (`REMOVE_ROUTE`, `ADD_ROUTE`) answers this instead. */
  failNext(route: string, answer: FakeAnswer): void {
    this.http.failNext(route, answer);
  }

  addChat(chatId: string, participants: readonly string[] | Record<string, MudbaseRole> = []): void {
    const entries: [string, MudbaseRole][] = Array.isArray(participants)
      ? participants.map((u): [string, MudbaseRole] => [u, 'member'])
      : Object.entries(participants as Record<string, MudbaseRole>);
    this.#chats.set(chatId, new Map(entries));
  }

  isParticipant(chatId: string, userId: string): boolean {
    return this.#chats.get(chatId)?.has(userId) ?? false;
  }

  roleOf(chatId: string, userId: string): MudbaseRole | undefined {
    return this.#chats.get(chatId)?.get(userId);
  }

  /** The configured JWT is refused from now on (expired, or its user logged out). */
  revoke(): void {
    this.#revoked = true;
  }

  /** Authentication first, then the chat: what every route checks before reading its body. */
  #guard(req: FakeRequest): FakeAnswer | undefined {
    if (this.#revoked || req.headers.authorization !== `Bearer ${this.#jwt}`) {
      return answer(401, 'Authentication required');
    }
    if (req.params.projectId !== this.projectId || !this.#chats.has(req.params.chatId ?? '')) {
      return answer(404, 'Chat not found');
    }
    return undefined;
  }

  /** A body is only read as JSON (`express.json()`): without the content type there is no `userId`. */
  #userId(req: FakeRequest, allowed: readonly string[]): string | FakeAnswer {
    const json = req.headers['content-type']?.startsWith('application/json') ?? false;
    const keys = json ? keysOf(req.body) : undefined;
    const userId = (req.body as { userId?: unknown } | undefined)?.userId;
    if (!keys || typeof userId !== 'string' || userId === '') return answer(400, 'userId is required');
    const extra = keys.find((k) => !allowed.includes(k));
    if (extra !== undefined) return answer(400, `"${extra}" is not allowed`);
    return userId;
  }

  #remove(req: FakeRequest): FakeAnswer {
    const userId = this.#userId(req, ['userId']);
    if (typeof userId !== 'string') return userId;
    const participants = this.#chat(req);
    if (!participants.delete(userId)) return answer(404, 'Participant not found');
    return answer(200, 'Participant removed successfully');
  }

  #add(req: FakeRequest): FakeAnswer {
    const userId = this.#userId(req, ['userId', 'role']);
    if (typeof userId !== 'string') return userId;
    const role = (req.body as { role?: unknown }).role ?? 'member';
    if (typeof role !== 'string' || !ROLES.includes(role)) return answer(400, 'role must be admin or member');
    const participants = this.#chat(req);
    if (participants.has(userId)) return answer(409, 'User is already a participant');
    participants.set(userId, role as MudbaseRole);
    return {
      status: 200,
      body: {
        success: true,
        data: { participants: [...participants].map(([id, r]) => ({ userId: id, role: r })) },
      },
    };
  }

  /** The chat `#guard` found. */
  #chat(req: FakeRequest): Map<string, MudbaseRole> {
    const participants = this.#chats.get(req.params.chatId ?? '');
    if (!participants) throw new Error('unreachable: #guard checks the chat');
    return participants;
  }
}
