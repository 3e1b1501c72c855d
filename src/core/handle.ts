import { randomUUID } from 'node:crypto';
import { cancelCase } from './cancel.js';
import { listCases } from './case-list.js';
import { editCase } from './cases/edit.js';
import { showCase } from './cases/view.js';
import type { CommandDefinition, Request } from './command.js';
import type { CoreDeps } from './deps.js';
import { ConnectorError, StoreUnavailableError, UsageError } from './errors.js';
import type { Invocation } from './invocation.js';
import { offboard } from './offboard/run.js';
import { leave, type RunOptions, remove } from './remove/run.js';
import type { Reply, UsageReply } from './reply.js';
import { describeTrouble } from './systems.js';
import { checkText, tokenize } from './tokens.js';
import { undo } from './undo.js';

/**
 * A reply handed back for an invocation id seen before (a redelivery): the first run's reply, marked. Chat fronts
 * acknowledge a redelivery and post nothing (the first delivery answered); the CLI and the API print it.
 */
export type Handled = Reply & { redelivered?: true };

export interface HandleSettings {
  commands: readonly CommandDefinition[];
  /** How long a redelivered invocation id is remembered. */
  dedupeTtlMs: number;
  /** How long a redelivery waits for the first delivery's result before answering "already running". */
  dedupeWaitMs: number;
}

const STORE_DOWN: Reply = {
  kind: 'refused',
  code: 'store-unavailable',
  message: 'kickbot cannot reach its state store (Redis), so nothing was done. Try again in a moment.',
};

/** An id a client chose (`Idempotency-Key`, `--key`) came back with another request: it is not run. */
const KEY_REUSED: Reply = {
  kind: 'refused',
  code: 'key-reused',
  message:
    'This key was already used for a different request, so nothing was done. Use a new key for a new request.',
};

/**
 * The core's one entry point: an invocation runs once (a redelivery gets the first run's reply), its command
 * says what it asks for, and that request goes to its use case; an answer to a confirmation runs what it confirms.
 */
export function createHandle(deps: CoreDeps, settings: HandleSettings) {
  const byName = new Map(settings.commands.map((c) => [c.name, c]));

  async function handle(inv: Invocation, opts: RunOptions = {}): Promise<Handled> {
    try {
      const claim = await deps.store.claimInvocation(inv.id, settings.dedupeTtlMs, inv.fingerprint);
      if (claim.state === 'mismatch') return KEY_REUSED;
      if (claim.state === 'done') return { ...claim.reply, redelivered: true };
      if (claim.state === 'running') {
        const first: Reply = (await deps.store.awaitInvocation(inv.id, settings.dedupeWaitMs)) ?? {
          kind: 'refused',
          code: 'already-running',
          message: 'This command is already running; its result goes to whoever sent it first.',
        };
        return { ...first, redelivered: true };
      }
    } catch (error) {
      if (error instanceof StoreUnavailableError) return STORE_DOWN;
      throw error;
    }
    try {
      const reply = await dispatch(inv, opts);
      await deps.store.completeInvocation(inv.id, reply, settings.dedupeTtlMs).catch((error: unknown) => {
        deps.logger.warn({ err: error, invocation: inv.id }, 'result not kept for redeliveries');
      });
      return reply;
    } catch (error) {
      await deps.store.releaseInvocation(inv.id).catch(() => {});
      return failure(error, inv);
    }
  }

  async function dispatch(inv: Invocation, opts: RunOptions): Promise<Reply> {
    if ('answer' in inv.input) return answer(inv.input.answer, inv.actor, opts);
    const command = byName.get(inv.command);
    if (!command) {
      const known = settings.commands.map((c) => `/${c.name}`).join(', ');
      return { kind: 'usage', message: `unknown command /${inv.command}; kickbot knows ${known}` };
    }
    try {
      const request = requestOf(command, inv, settings.commands);
      return request.kind === 'usage' ? request : await run(request, inv, opts);
    } catch (error) {
      if (error instanceof UsageError)
        return { kind: 'usage', message: error.message, usage: error.usage ?? command.usage };
      throw error;
    }
  }

  function run(request: Request, inv: Invocation, opts: RunOptions): Promise<Reply> {
    switch (request.kind) {
      case 'remove':
        return remove(deps, inv, request, opts);
      case 'leave':
        return leave(deps, inv, request.room, opts);
      case 'offboard':
        return offboard(deps, inv, request, opts);
      case 'undo':
        return undo(deps, inv, request.caseId);
      case 'cases':
        return listCases(deps, inv, request);
      case 'case':
        return showCase(deps, inv, request.caseId);
      case 'note':
      case 'reason':
        return editCase(deps, inv, request);
      case 'cancel':
        return cancelCase(deps, inv, request.caseId);
      case 'reply':
        return Promise.resolve(request.reply);
    }
  }

  /** `yes` runs the pending invocation as confirmed; `no` drops it. Anyone but its moderator is refused. */
  async function answer(
    to: { confirmId: string; yes: boolean },
    actor: string,
    opts: RunOptions,
  ): Promise<Reply> {
    const pending = await deps.store.peekPending(to.confirmId);
    if (!pending || pending.expiresAt <= deps.clock.now()) {
      return {
        kind: 'refused',
        code: 'expired',
        message: 'This confirmation has expired or was already answered.',
      };
    }
    if (pending.invocation.actor !== actor) {
      return {
        kind: 'refused',
        code: 'not-yours',
        message: 'Only the moderator who asked can answer this confirmation.',
      };
    }
    const taken = await deps.store.takePending(to.confirmId);
    if (!taken)
      return { kind: 'refused', code: 'expired', message: 'This confirmation was already answered.' };
    if (!to.yes) return { kind: 'info', message: 'Cancelled; nobody was removed.' };
    const confirmed = { ...taken.invocation, id: `${taken.invocation.id}/confirmed`, confirmed: true };
    return handle(confirmed, opts);
  }

  /** What the moderator reads when a run threw: the store or the home platform away, or an apology with a ref. */
  function failure(error: unknown, inv: Invocation): Reply {
    if (error instanceof StoreUnavailableError) return STORE_DOWN;
    if (error instanceof ConnectorError) {
      // Only the home platform's lookups get here (another system's trouble fails that system's pairs only).
      deps.logger.warn({ code: error.code, invocation: inv.id }, 'platform unavailable while planning');
      const trouble = describeTrouble(error, inv.platform, deps.systems);
      return { kind: 'refused', code: error.code, message: `${trouble.hint}. Nothing was done.` };
    }
    const ref = randomUUID().slice(0, 8);
    deps.logger.error({ err: error, ref, invocation: inv.id, command: inv.command }, 'command failed');
    return {
      kind: 'error',
      ref,
      message: `Sorry, something went wrong (reference ${ref}); nothing more was done.`,
    };
  }

  return handle;
}

/** The invocation's input (text, ids or typed options) to what its command asks for, or a usage reply. */
function requestOf(
  command: CommandDefinition,
  inv: Invocation,
  commands: readonly CommandDefinition[],
): Request | UsageReply {
  let raw: unknown;
  if ('text' in inv.input) {
    checkText(inv.input.text);
    raw = command.fromText(tokenize(inv.input.text), inv.input.text);
  } else if ('refs' in inv.input) {
    if (!command.fromRefs) throw new UsageError(`/${command.name} takes text, not ids`);
    raw = command.fromRefs(inv.input.refs);
  } else if ('options' in inv.input && command.fromOptions) {
    raw = command.fromOptions(inv.input.options);
  } else {
    throw new UsageError(`/${command.name} takes text, not options`);
  }
  const parsed = command.args.safeParse(raw);
  if (!parsed.success) {
    const messages = [...new Set(parsed.error.issues.map((issue) => issue.message))];
    return { kind: 'usage', message: messages.join('; '), usage: command.usage };
  }
  return command.request(parsed.data, commands);
}
