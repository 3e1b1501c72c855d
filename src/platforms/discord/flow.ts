import type { Handled, Logger, Progress } from '../../core/index.js';
import { safeError } from '../log-safe.js';
import { type DiscordMessage, discordMessage } from './render.js';

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

/**
 * Runs the core for a deferred interaction and answers: progress edits for long batches (every few seconds),
 * then the result — in the reply while the token lives, else in the channel, addressed to the moderator.
 */
export async function answer(opts: {
  logger: Logger;
  responder: Responder;
  moderator: string;
  /** The interaction's id, for the log lines (never its token or webhook URL). */
  interaction?: string;
  startedAt?: number;
  call: (progress: { onProgress: (p: Progress) => void }) => Promise<Handled>;
}): Promise<void> {
  const startedAt = opts.startedAt ?? Date.now();
  let last = Date.now();
  const live = () => Date.now() - startedAt < TOKEN_MS;
  const onProgress = (p: Progress) => {
    if (p.done >= p.total || Date.now() - last < PROGRESS_EVERY_MS || !live()) return;
    last = Date.now();
    const eta = p.etaMs === undefined ? '' : `, about ${Math.ceil(p.etaMs / 1000)} s to go`;
    const text = `Removed ${p.done.toLocaleString('en')} of ${p.total.toLocaleString('en')} (${p.rate.toFixed(1)}/s${eta})…`;
    opts.responder
      .edit({ content: text, embeds: [], components: [], allowed_mentions: { parse: [] } })
      .catch((error: unknown) =>
        opts.logger.warn(
          { err: safeError(error), interaction: opts.interaction },
          'discord: progress not shown',
        ),
      );
  };
  try {
    const reply = await opts.call({ onProgress });
    // A redelivery of an interaction id already handled: its first delivery answers; this one says nothing.
    if (reply.redelivered) return;
    const message = discordMessage(reply);
    if (live()) await opts.responder.edit(message);
    else await opts.responder.post(`<@${opts.moderator}> ${message.content}`);
  } catch (error) {
    opts.logger.error(
      { err: safeError(error), interaction: opts.interaction },
      'discord: reply not delivered',
    );
  }
}
