import { performance } from 'node:perf_hooks';
import pLimit from 'p-limit';
import type { Clock, Handled, Logger, Progress, Reply } from '../core/index.js';
import { progressText } from '../render/progress.js';
import { safeError } from './log-safe.js';

/**
 * What every front end does once it has acked (Slack's 3 s, Discord's deferral): run the command off the ack
 * path, show progress every few seconds, deliver the reply, say nothing for a redelivery, and fall back when the
 * way back has expired. Each front brings its own `progress`/`deliver`; errors are logged with ids only (never
 * a token, a response_url or the reply text).
 */
export interface AfterAckOptions {
  logger: Logger;
  /** How the log lines name the front, the job's id and a failed progress message. */
  log: { front: string; id: 'invocation' | 'interaction'; progressFailed: string };
  /** At most one progress message per this many ms (none before the first interval has passed). */
  progressEveryMs: number;
  /** At most this many progress messages per command (Slack's response_url takes 5 messages in all). */
  maxProgress?: number;
  /** Past this age (from `startedAt`) the way back is gone: no more progress, and `expired` delivers. */
  expiresAfterMs?: number;
  /** Commands run at once after their acks; more wait their turn (acks never wait). */
  concurrency?: number;
  clock?: Pick<Clock, 'now'>;
  /** The clock of the gap a job waits for after the last ack (default: the process's monotonic clock). */
  gapClock?: Clock;
}

export interface AfterAckJob {
  /** For the log lines: the invocation or interaction id. */
  id?: string;
  /** When the front received it (default: when the job starts). */
  startedAt?: number;
  call(progress: { onProgress: (p: Progress) => void }): Promise<Handled>;
  /** Shows a progress line ("Removed 120 of 400 (…)…"); `p.caseId` names the case a Cancel button stops. */
  progress?(text: string, p: Progress): Promise<void>;
  /** A front that draws progress itself (the console's bar) takes every report instead of `progress` lines. */
  watch?(p: Progress): void;
  deliver(reply: Reply): Promise<void>;
  /** Delivers once `expiresAfterMs` has passed (e.g. Discord: a post in the channel). */
  expired?(reply: Reply): Promise<void>;
}

export interface AfterAck {
  /**
   * Queues a job and returns at once: the job is built only after a turn of the event loop, so that the ack
   * (already sent) is never behind per-command work. Resolves once the job is done (tests wait on it).
   */
  enqueue(build: () => AfterAckJob | undefined): Promise<void>;
  /** Runs one job now, outside the queue. */
  run(job: AfterAckJob): Promise<void>;
}

/** A job starts once no ack has gone out for this long… */
const QUIET_MS = 5;
/** …or once it has waited this long (a steady stream of commands never starves the work). */
const MAX_DEFER_MS = 500;

const MONOTONIC: Clock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export function createAfterAck(opts: AfterAckOptions): AfterAck {
  const clock = opts.clock ?? { now: () => Date.now() };
  const queue = pLimit(opts.concurrency ?? 4);
  const timer = opts.gapClock ?? MONOTONIC;
  let lastAck = Number.NEGATIVE_INFINITY;
  let waiting: Promise<void> | undefined;
  /**
   * Acks first: while a burst of commands is being acked, the work behind them waits for a gap (bounded). Jobs
   * waiting at the same time share one wait, so they start in the order they were acked.
   */
  const gap = (): Promise<void> => {
    waiting ??= (async () => {
      const since = timer.now();
      while (timer.now() - lastAck < QUIET_MS && timer.now() - since < MAX_DEFER_MS)
        await timer.sleep(QUIET_MS);
    })().finally(() => {
      waiting = undefined;
    });
    return waiting;
  };
  const { front, id: idKey, progressFailed } = opts.log;

  async function run(job: AfterAckJob): Promise<void> {
    const startedAt = job.startedAt ?? clock.now();
    const live = () => clock.now() - startedAt < (opts.expiresAfterMs ?? Number.POSITIVE_INFINITY);
    let sent = 0;
    let last = clock.now();
    const onProgress = (p: Progress) => {
      if (job.watch) return job.watch(p);
      if (!job.progress) return;
      if (sent >= (opts.maxProgress ?? Number.POSITIVE_INFINITY) || p.done >= p.total) return;
      if (clock.now() - last < opts.progressEveryMs || !live()) return;
      sent++;
      last = clock.now();
      job
        .progress(progressText(p), p)
        .catch((error: unknown) =>
          opts.logger.warn({ err: safeError(error), [idKey]: job.id }, `${front}: ${progressFailed}`),
        );
    };
    try {
      const reply = await job.call({ onProgress });
      // A redelivery (a retry, another replica's copy): the first delivery answers; this one says nothing.
      if (reply.redelivered) return;
      if (live() || !job.expired) await job.deliver(reply);
      else await job.expired(reply);
    } catch (error) {
      opts.logger.error({ err: safeError(error), [idKey]: job.id }, `${front}: reply not delivered`);
    }
  }

  return {
    run,
    enqueue: (build) => {
      lastAck = timer.now();
      return new Promise<void>((resolve) => setImmediate(resolve)).then(() =>
        queue(async () => {
          await gap();
          const job = build();
          if (job) await run(job);
        }),
      );
    },
  };
}
