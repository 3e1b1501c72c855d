import type { Handled, Logger, Progress } from '../../core/index.js';
import { type AfterAck, type AfterAckJob, createAfterAck } from '../after-ack.js';
import { type DiscordMessage, discordMessage, progressMessage } from './render.js';

/** How a front end answers an interaction it has deferred. */
export interface Responder {
  /** Edits the deferred (ephemeral) reply; the interaction token allows this for 15 minutes. */
  edit(message: DiscordMessage): Promise<void>;
  /** Posts in the channel, for when the token has expired. */
  post(content: string): Promise<void>;
}

/** An interaction token lives 15 minutes; past 14, the answer goes to the channel instead. */
export const TOKEN_MS = 14 * 60_000;
const PROGRESS_EVERY_MS = 3_000;

/** Discord's after-the-deferral runner: progress edits every few seconds while the token lives. */
export function discordAfterAck(logger: Logger, concurrency?: number): AfterAck {
  return createAfterAck({
    logger,
    log: { front: 'discord', id: 'interaction', progressFailed: 'progress not shown' },
    progressEveryMs: PROGRESS_EVERY_MS,
    expiresAfterMs: TOKEN_MS,
    ...(concurrency !== undefined ? { concurrency } : {}),
  });
}

export interface AnswerOptions {
  responder: Responder;
  moderator: string;
  /** The interaction's id, for the log lines (never its token or webhook URL). */
  interaction?: string;
  startedAt?: number;
  call: (progress: { onProgress: (p: Progress) => void }) => Promise<Handled>;
}

/**
 * A deferred interaction as a job of the runner: the result in the reply while the token lives, else in the
 * channel, addressed to the moderator.
 */
export function discordJob(opts: AnswerOptions): AfterAckJob {
  return {
    id: opts.interaction ?? '',
    ...(opts.startedAt !== undefined ? { startedAt: opts.startedAt } : {}),
    call: opts.call,
    // The progress edit carries a Cancel button; the result's edit replaces its components, so the button goes.
    progress: (content, p) => opts.responder.edit(progressMessage(content, p.caseId)),
    deliver: (reply) => opts.responder.edit(discordMessage(reply)),
    expired: (reply) => opts.responder.post(`<@${opts.moderator}> ${discordMessage(reply).content}`),
  };
}

/** Runs the core for one deferred interaction and answers (outside any queue). */
export function answer(opts: AnswerOptions & { logger: Logger }): Promise<void> {
  return discordAfterAck(opts.logger).run(discordJob(opts));
}
