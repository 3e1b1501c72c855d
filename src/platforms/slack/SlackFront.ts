import {
  App,
  type BlockAction,
  type ButtonAction,
  HTTPReceiver,
  type RespondFn,
  type SlashCommand,
  SocketModeReceiver,
} from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import {
  answerInvocation,
  type Core,
  type Invocation,
  type Logger,
  type Metrics,
  noMetrics,
  secondsSince,
} from '../../core/index.js';
import type { Handler } from '../../http/server.js';
import { type AfterAckJob, createAfterAck } from '../after-ack.js';
import { safeError } from '../log-safe.js';
import { CANCEL_ACTION, CONFIRM_ACTION, progressMessage, STOP_ACTION, slackMessage } from './blocks.js';
import { slackEventsGuard } from './events-guard.js';
import { listenForHandEvents } from './hand-events.js';
import { SLACK, slackId, workspaceId } from './ids.js';
import { slackLogger } from './logger.js';

export interface SlackFrontOptions {
  core: Core;
  logger: Logger;
  botToken: string;
  /** HTTP mode: Slack signs every request with it. */
  signingSecret?: string;
  /** Socket Mode when set (an app-level `xapp-` token). */
  appToken?: string;
  /** The Web API's base URL (tests point it at a fake). */
  apiUrl?: string;
  /** Prefix of the commands as registered (`kb-` for `/kb-kick`), when the plain names clash in a workspace. */
  commandPrefix?: string;
  /** Commands run at once after their acks; more wait their turn (acks never wait). */
  concurrency?: number;
  /** The config's `byHand.slack` (default true): a member leaving a channel opens a by-hand case. */
  byHand?: boolean;
  /** At most one progress message per this many ms (default 5 s). */
  progressEveryMs?: number;
  /** Where the time from an event's arrival in Bolt to its ack is recorded (`kickbot_ack_seconds`). */
  metrics?: Metrics;
}

export interface SlackFront {
  app: App;
  client: WebClient;
  /** HTTP mode: the handler of `POST /slack/events`, to mount on kickbot's one HTTP server. */
  listener?: Handler;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** At most this many progress messages per command: `response_url` takes 5 messages in all. */
const PROGRESS_MESSAGES = 3;
const PROGRESS_EVERY_MS = 5_000;
/** Where Bolt's context carries when the event arrived. */
const ARRIVED = 'kickbotArrivedAt';

/**
 * Slack's front end (Bolt): transport only. It verifies (Bolt checks the signature), acks at once, turns the
 * slash command or button click into an Invocation, and renders the core's reply through `response_url`.
 */
export function createSlackFront(opts: SlackFrontOptions): SlackFront {
  const logger = slackLogger(opts.logger);
  const clientOptions = opts.apiUrl ? { slackApiUrl: opts.apiUrl } : {};
  const receiver = opts.appToken
    ? new SocketModeReceiver({ appToken: opts.appToken, logger, installerOptions: { clientOptions } })
    : new HTTPReceiver({
        signingSecret: opts.signingSecret ?? '',
        endpoints: '/slack/events',
        logger,
        // Bolt's default waits 3 s for an ack; kickbot acks every command at once.
        unhandledRequestTimeoutMillis: 3_001,
      });
  const app = new App({
    receiver,
    // No auth.test at start-up: kickbot starts even when Slack is unreachable, and learns the bot id later.
    authorize: async () => ({ botToken: opts.botToken }),
    clientOptions,
    logger,
  });
  const after = createAfterAck({
    logger: opts.logger,
    log: { front: 'slack', id: 'invocation', progressFailed: 'progress not sent' },
    progressEveryMs: opts.progressEveryMs ?? PROGRESS_EVERY_MS,
    maxProgress: PROGRESS_MESSAGES,
    ...(opts.concurrency !== undefined ? { concurrency: opts.concurrency } : {}),
  });
  const prefix = `/${opts.commandPrefix ?? ''}`;
  /** The known commands as typed, with or without the prefix (`/kb-kick`, `/kick` → `kick`). */
  const known = new Map(
    opts.core.commands.flatMap((c) => [
      [`/${c.name}`, c.name],
      [`${prefix}${c.name}`, c.name],
    ]),
  );

  const metrics = opts.metrics ?? noMetrics;
  // When Bolt hands kickbot an event (its signature checked), for the time its ack takes.
  app.use(async ({ context, next }) => {
    context[ARRIVED] = performance.now();
    await next();
  });
  /** Acks a command or a click, and records how long that took since the event arrived. */
  const acked = async (context: Record<string, unknown>, ack: () => Promise<void>): Promise<void> => {
    await ack();
    const arrived = context[ARRIVED];
    if (typeof arrived === 'number') metrics.ack(SLACK, secondsSince(arrived));
  };

  // The ack path: a map lookup and the ack. Everything else waits its turn after the ack is out.
  app.command(/^\/.+/, async ({ command, ack, respond, context }) => {
    const name = known.get(command.command);
    if (name === undefined) {
      await acked(context, () =>
        ack({
          response_type: 'ephemeral',
          text: `kickbot does not know ${command.command}. Try ${prefix}kickbot help.`,
        }),
      );
      return;
    }
    await acked(context, () =>
      ack({ response_type: 'ephemeral', text: `Working on \`${command.command} ${command.text}\`…` }),
    );
    void after.enqueue(() => {
      const inv = invocation(command, name);
      return job(respond, inv.id, (progress) => opts.core.handle(inv, progress));
    });
  });

  for (const action of [CONFIRM_ACTION, CANCEL_ACTION]) {
    app.action<BlockAction<ButtonAction>>(action, async ({ ack, body, action: button, respond, context }) => {
      await acked(context, ack);
      void after.enqueue(() => {
        const team = body.team?.id ?? body.user.team_id ?? '';
        const confirmId = button.value ?? '';
        const inv = answerInvocation(
          {
            // One trigger_id per click; a retried delivery of the same click carries it again.
            id: `${SLACK}:${body.trigger_id}`,
            platform: SLACK,
            workspace: workspaceId(team),
            actor: slackId(team, body.user.id),
            channel: slackId(team, body.channel?.id ?? ''),
            receivedAt: Date.now(),
          },
          confirmId,
          action === CONFIRM_ACTION,
        );
        return job(
          respond,
          `confirmation ${confirmId}`,
          (progress) => opts.core.handle(inv, progress),
          true, // the answer replaces the prompt, so that its buttons are gone
        );
      });
    });
  }

  listenForHandEvents(app, { core: opts.core, logger: opts.logger, byHand: opts.byHand ?? true });
  // Cancel on a progress message: `/kickbot cancel <N>` from whoever clicked (the core checks they may). The answer
  // replaces the progress message, so that its button is gone.
  app.action<BlockAction<ButtonAction>>(
    STOP_ACTION,
    async ({ ack, body, action: button, respond, context }) => {
      await acked(context, ack);
      void after.enqueue(() => {
        const team = body.team?.id ?? body.user.team_id ?? '';
        const inv: Invocation = {
          // One trigger_id per click; a retried delivery of the same click carries it again.
          id: `${SLACK}:${body.trigger_id}`,
          platform: SLACK,
          workspace: workspaceId(team),
          actor: slackId(team, body.user.id),
          channel: slackId(team, body.channel?.id ?? ''),
          command: 'kickbot',
          input: { text: `cancel ${button.value ?? ''}` },
          receivedAt: Date.now(),
        };
        return job(respond, inv.id, (progress) => opts.core.handle(inv, progress), true);
      });
    },
  );

  app.error(async (error) => {
    opts.logger.error({ err: safeError(error) }, 'slack: unhandled error');
  });

  return {
    app,
    client: app.client,
    ...(receiver instanceof HTTPReceiver ? { listener: slackEventsGuard(receiver.requestListener) } : {}),
    start: async () => {
      if (receiver instanceof SocketModeReceiver) await app.start();
    },
    stop: async () => {
      if (receiver instanceof SocketModeReceiver) await app.stop();
    },
  };
}

function invocation(command: SlashCommand, name: string): Invocation {
  const team = command.team_id;
  return {
    // One trigger_id per command typed; Slack's retries of the same request carry it again.
    id: `${SLACK}:${command.trigger_id}`,
    platform: SLACK,
    workspace: workspaceId(team),
    actor: slackId(team, command.user_id),
    channel: slackId(team, command.channel_id),
    command: name,
    input: { text: command.text },
    receivedAt: Date.now(),
  };
}

/** A command after its ack: a few progress messages, then the result, through `response_url`. */
function job(
  respond: RespondFn,
  id: string,
  call: AfterAckJob['call'],
  replaceOriginal = false,
): AfterAckJob {
  // One progress message, updated in place: each one replaces the last, and the result replaces the last one, so
  // that no Cancel button outlives the batch.
  let shown = false;
  return {
    id,
    call,
    progress: async (text, p) => {
      const replace = shown;
      shown = true; // before the call: progress messages go out without waiting for each other
      await respond({
        response_type: 'ephemeral',
        replace_original: replace,
        ...progressMessage(text, p.caseId),
      });
    },
    deliver: async (reply) => {
      await respond({
        response_type: 'ephemeral',
        replace_original: replaceOriginal || shown,
        ...slackMessage(reply),
      });
    },
  };
}
