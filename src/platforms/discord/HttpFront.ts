import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { DiscordAPIError, type REST } from '@discordjs/rest';
import {
  type APIInteraction,
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  Routes,
} from 'discord-api-types/v10';
import { type Core, type Logger, type Metrics, noMetrics, secondsSince } from '../../core/index.js';
import { type Handler, readBody } from '../../http/server.js';
import { discordAfterAck, discordJob, type Responder } from './flow.js';
import { DISCORD } from './ids.js';
import { answerFor, cancelFor, focusedValue, invocation, type RawOption } from './interactions.js';

export interface HttpFrontOptions {
  core: Core;
  logger: Logger;
  /** The application's public key, as the Developer Portal shows it (64 hex characters). */
  publicKey: string;
  /** REST for follow-ups (`PATCH /webhooks/{app}/{token}/messages/@original`) and channel posts. */
  rest: REST;
  areas: () => readonly string[];
  concurrency?: number;
  /** Where the time from a request's arrival to its deferral is recorded (`kickbot_ack_seconds`). */
  metrics?: Metrics;
}

/** Signed requests older than this are refused, and a signature is accepted once (replays get 401). */
const MAX_AGE_S = 300;

/** The Ed25519 public key from the portal's hex form (a raw 32-byte key). */
export function publicKeyFromHex(hex: string): KeyObject {
  if (!/^[0-9a-f]{64}$/i.test(hex)) throw new Error('DISCORD_PUBLIC_KEY is not 64 hex characters');
  return createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(hex, 'hex').toString('base64url') },
    format: 'jwk',
  });
}

/**
 * Discord's HTTP interactions endpoint (`POST /discord/interactions`): the mode for several replicas behind a
 * load balancer. Verifies Ed25519 with node:crypto (401 otherwise), answers PING with PONG, defers commands
 * and button clicks at once, then works and edits the deferred reply through REST.
 */
export function createHttpFront(opts: HttpFrontOptions): Handler {
  const key = publicKeyFromHex(opts.publicKey);
  const after = discordAfterAck(opts.logger, opts.concurrency);
  const seen = new Map<string, number>();

  const verified = (signature: string, timestamp: string, body: Buffer): boolean => {
    if (!/^[0-9a-f]{128}$/i.test(signature) || !/^\d{1,12}$/.test(timestamp)) return false;
    const now = Date.now() / 1000;
    if (Math.abs(now - Number(timestamp)) > MAX_AGE_S) return false;
    if (!verify(null, Buffer.concat([Buffer.from(timestamp), body]), key, Buffer.from(signature, 'hex')))
      return false;
    const seenKey = signature.toLowerCase();
    if (seen.has(seenKey)) return false; // a replay (per process: replicas each keep their own)
    seen.set(seenKey, now);
    if (seen.size > 10_000) for (const [s, t] of seen) if (now - t > MAX_AGE_S) seen.delete(s);
    return true;
  };

  const metrics = opts.metrics ?? noMetrics;
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const arrived = performance.now();
    if (req.method !== 'POST') return void res.writeHead(405, { allow: 'POST' }).end();
    const body = await readBody(req);
    if (!body) return void res.writeHead(413).end('the request body is larger than 1 MB');
    const signature = String(req.headers['x-signature-ed25519'] ?? '');
    const timestamp = String(req.headers['x-signature-timestamp'] ?? '');
    if (!verified(signature, timestamp, body))
      return void res.writeHead(401).end('invalid request signature');
    let interaction: APIInteraction;
    try {
      interaction = JSON.parse(body.toString('utf8')) as APIInteraction;
    } catch {
      return void res.writeHead(400).end('not JSON');
    }
    const send = (json: unknown): void => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(json));
    };

    if (interaction.type === InteractionType.Ping) return send({ type: InteractionResponseType.Pong });
    if (interaction.type === InteractionType.ApplicationCommandAutocomplete) {
      const typed = focusedValue(interaction.data.options as readonly RawOption[]).toLowerCase();
      const choices = opts
        .areas()
        .filter((a) => a.toLowerCase().includes(typed))
        .slice(0, 25);
      return send({
        type: InteractionResponseType.ApplicationCommandAutocompleteResult,
        data: { choices: choices.map((a) => ({ name: a, value: a })) },
      });
    }
    const guild = interaction.guild_id;
    const channel =
      interaction.channel?.id ?? ('channel_id' in interaction ? interaction.channel_id : undefined);
    const user = interaction.member?.user.id ?? interaction.user?.id;
    if (!guild || !channel || !user) {
      return send({
        type: InteractionResponseType.ChannelMessageWithSource,
        data: { content: 'kickbot works in servers, not in direct messages.', flags: MessageFlags.Ephemeral },
      });
    }
    const startedAt = Date.now();
    /** Defers the interaction: the response is Discord's ack. */
    const defer = (json: unknown): void => {
      send(json);
      metrics.ack(DISCORD, secondsSince(arrived));
    };
    const responder: Responder = {
      edit: (message) =>
        editOriginal(opts.rest, interaction.application_id, interaction.token, {
          content: message.content,
          embeds: message.embeds,
          components: message.components,
          allowed_mentions: { parse: [] },
        }),
      post: async (content) => {
        await opts.rest.post(Routes.channelMessages(channel), {
          body: { content, allowed_mentions: { users: [user] } },
        });
      },
    };

    if (interaction.type === InteractionType.ApplicationCommand) {
      defer({
        type: InteractionResponseType.DeferredChannelMessageWithSource,
        data: { flags: MessageFlags.Ephemeral },
      });
      const data = interaction.data as { name: string; options?: RawOption[] };
      void after.enqueue(() => {
        const inv = invocation({
          id: interaction.id,
          guild,
          channel,
          user,
          command: data.name,
          options: data.options,
        });
        return discordJob({
          responder,
          moderator: user,
          interaction: interaction.id,
          startedAt,
          call: (p) => opts.core.handle(inv, p),
        });
      });
      return;
    }
    if (interaction.type === InteractionType.MessageComponent) {
      const customId = interaction.data.custom_id;
      // Cancel on a progress message: answered in a message of its own (the progress goes on being edited).
      const cancel = cancelFor({ id: interaction.id, guild, channel, user }, customId);
      defer(
        cancel
          ? {
              type: InteractionResponseType.DeferredChannelMessageWithSource,
              data: { flags: MessageFlags.Ephemeral },
            }
          : { type: InteractionResponseType.DeferredMessageUpdate },
      );
      void after.enqueue(() => {
        const inv = cancel ?? answerFor({ id: interaction.id, guild, channel, user }, customId);
        if (!inv) return undefined;
        return discordJob({
          responder,
          moderator: user,
          interaction: interaction.id,
          startedAt,
          call: (p) => opts.core.handle(inv, p),
        });
      });
      return;
    }
    send({ type: InteractionResponseType.Pong });
  };
}

/**
 * Edits the deferred reply. Right after an HTTP-mode deferral Discord can answer 10015/10008 for a few seconds
 * (the deferred message is not there yet): try again with backoff rather than lose the moderator's answer.
 */
async function editOriginal(rest: REST, app: string, token: string, body: unknown): Promise<void> {
  for (const wait of [250, 500, 1_000, 2_000, 4_000, 0]) {
    try {
      await rest.patch(Routes.webhookMessage(app, token, '@original'), { body, auth: false });
      return;
    } catch (error) {
      const code = error instanceof DiscordAPIError ? Number(error.code) : undefined;
      if ((code !== 10015 && code !== 10008) || wait === 0) throw error;
      await delay(wait);
    }
  }
}
