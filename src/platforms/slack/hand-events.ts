import type { App } from '@slack/bolt';
import type { Core, Logger } from '../../core/index.js';
import { safeError } from '../log-safe.js';
import { SLACK, slackId, workspaceId } from './ids.js';

/** What kickbot learns from the Events API is told to the core as coming from here. */
export const SLACK_EVENTS_VIA = 'slack-events';

export interface SlackHandEventsOptions {
  core: Core;
  logger: Logger;
  /** The config's `byHand.slack`: false, and a member leaving opens no case (rejoin alerts still work). */
  byHand: boolean;
}

/** The outer event_callback as Bolt hands it to a listener (HTTP and Socket Mode alike). */
interface Envelope {
  team_id?: string;
  event_id?: string;
  event_time?: number;
  authorizations?: { user_id?: string; is_bot?: boolean }[];
}

/**
 * Slack's Events API, transport only: `member_left_channel` (a user left a channel, or someone removed them:
 * Slack's event says neither which nor who) → a by-hand case; `member_joined_channel` (with `inviter` when
 * someone added them) → a rejoin check. Bolt acks every event before its listeners run; the envelope's
 * `event_id` is the same on Slack's retries, so a redelivery opens no second case.
 */
export function listenForHandEvents(app: App, opts: SlackHandEventsOptions): void {
  app.event('member_left_channel', async ({ event, body }) => {
    const e = scope(body as Envelope, event.user);
    if (!e || !opts.byHand) return;
    await opts.core
      .byHand({
        eventId: e.eventId,
        platform: SLACK,
        workspace: workspaceId(e.team),
        target: slackId(e.team, event.user),
        room: slackId(e.team, event.channel),
        via: SLACK_EVENTS_VIA,
        at: e.at,
      })
      .catch((error: unknown) => log(opts.logger, error, e.eventId, 'member_left_channel'));
  });

  app.event('member_joined_channel', async ({ event, body }) => {
    const e = scope(body as Envelope, event.user);
    // Invited by the bot: kickbot's own undo re-adding them (the `restoring` marker says so too).
    if (!e || (event.inviter !== undefined && event.inviter === e.bot)) return;
    await opts.core
      .joined({
        eventId: e.eventId,
        platform: SLACK,
        workspace: workspaceId(e.team),
        room: slackId(e.team, event.channel),
        user: slackId(e.team, event.user),
        ...(event.inviter ? { actor: slackId(e.team, event.inviter) } : {}),
        at: e.at,
      })
      .catch((error: unknown) => log(opts.logger, error, e.eventId, 'member_joined_channel'));
  });
}

/** The workspace and event id of an event about `user`; undefined for the bot itself (its own comings and goings). */
function scope(
  body: Envelope,
  user: string,
): { team: string; eventId: string; at: number; bot?: string } | undefined {
  const bot = body.authorizations?.find((a) => a.is_bot)?.user_id;
  if (!body.team_id || !body.event_id || user === bot) return undefined;
  return {
    team: body.team_id,
    eventId: body.event_id,
    at: body.event_time ? body.event_time * 1000 : Date.now(),
    ...(bot ? { bot } : {}),
  };
}

function log(logger: Logger, error: unknown, eventId: string, type: string): void {
  logger.error({ err: safeError(error), event: eventId, type }, 'slack: event not handled');
}
