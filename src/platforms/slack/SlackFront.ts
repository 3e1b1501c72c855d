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
import pLimit from 'p-limit';
import {
  answerInvocation,
  type Core,
  type Handled,
  type Invocation,
  type Logger,
  type Progress,
} from '../../core/index.js';
import type { Handler } from '../../http/server.js';
import { safeError } from '../log-safe.js';
import { CANCEL_ACTION, CONFIRM_ACTION, slackMessage } from './blocks.js';
import { slackEventsGuard } from './events-guard.js';
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
  const work = pLimit(opts.concurrency ?? 4);
  const names = new Set(opts.core.commands.map((c) => c.name));
  const prefix = opts.commandPrefix ?? '';

  app.command(/^\/.+/, async ({ command, ack, respond }) => {
    const name = command.command.replace(/^\//, '').replace(new RegExp(`^${escapeRegExp(prefix)}`), '');
    if (!names.has(name)) {
      await ack({
        response_type: 'ephemeral',
        text: `kickbot does not know ${command.command}. Try /${prefix}kickbot help.`,
      });
      return;
    }
    await ack({ response_type: 'ephemeral', text: `Working on \`${command.command} ${command.text}\`…` });
    const inv = invocation(command, name);
    void work(() => run(opts, respond, inv.id, (progress) => opts.core.handle(inv, progress)));
  });

  for (const action of [CONFIRM_ACTION, CANCEL_ACTION]) {
    app.action<BlockAction<ButtonAction>>(action, async ({ ack, body, action: button, respond }) => {
      await ack();
      const team = body.team?.id ?? body.user.team_id ?? '';
      const actor = slackId(team, body.user.id);
      const confirmId = button.value ?? '';
      const inv = answerInvocation(
        {
          // One trigger_id per click; a retried delivery of the same click carries it again.
          id: `${SLACK}:${body.trigger_id}`,
          platform: SLACK,
          workspace: workspaceId(team),
          actor,
          channel: slackId(team, body.channel?.id ?? ''),
          receivedAt: Date.now(),
        },
        confirmId,
        action === CONFIRM_ACTION,
      );
      void work(() =>
        run(
          opts,
          respond,
          `confirmation ${confirmId}`,
          (progress) => opts.core.handle(inv, progress),
          true, // the answer replaces the prompt, so that its buttons are gone
        ),
      );
    });
  }

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

/** Runs a command after its ack, and sends the result (and a few progress messages) back to the moderator. */
async function run(
  opts: SlackFrontOptions,
  respond: RespondFn,
  what: string,
  call: (progress: { onProgress: (p: Progress) => void }) => Promise<Handled>,
  replaceOriginal = false,
): Promise<void> {
  let sent = 0;
  let last = Date.now();
  const onProgress = (p: Progress) => {
    if (sent >= PROGRESS_MESSAGES || p.done >= p.total || Date.now() - last < PROGRESS_EVERY_MS) return;
    sent++;
    last = Date.now();
    const eta = p.etaMs === undefined ? '' : `, about ${Math.ceil(p.etaMs / 1000)} s to go`;
    respond({
      response_type: 'ephemeral',
      replace_original: false,
      text: `Removed ${p.done.toLocaleString('en')} of ${p.total.toLocaleString('en')} (${p.rate.toFixed(1)}/s${eta})…`,
    }).catch((error: unknown) =>
      opts.logger.warn({ err: safeError(error), invocation: what }, 'slack: progress not sent'),
    );
  };
  try {
    const reply = await call({ onProgress });
    // A redelivery (a Slack retry, another replica's copy): the first delivery answers; this one says nothing.
    if (reply.redelivered) return;
    await respond({ response_type: 'ephemeral', replace_original: replaceOriginal, ...slackMessage(reply) });
  } catch (error) {
    // Never the response_url (a capability) nor the reply text: the invocation and what the error was.
    opts.logger.error({ err: safeError(error), invocation: what }, 'slack: reply not delivered');
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
