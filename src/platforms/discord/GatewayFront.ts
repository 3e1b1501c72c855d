import { Client, Events, GatewayIntentBits, type Interaction, MessageFlags, Routes } from 'discord.js';
import {
  type Core,
  type Invocation,
  type Logger,
  type Metrics,
  noMetrics,
  secondsSince,
} from '../../core/index.js';
import { safeError } from '../log-safe.js';
import { tokenRefused } from './answers.js';
import { discordAfterAck, discordJob, type Responder } from './flow.js';
import { listenForHandEvents } from './hand-events.js';
import { DISCORD } from './ids.js';
import { answerFor, cancelFor, focusedValue, invocation, type RawOption } from './interactions.js';
import { restMetrics } from './rest-metrics.js';

export interface GatewayFrontOptions {
  core: Core;
  logger: Logger;
  token: string;
  /** REST base (`https://discord.com/api` by default); the gateway URL comes from it too. */
  apiUrl?: string;
  /** The configured areas, for `/remove-area area:` autocompletion. */
  areas: () => readonly string[];
  /** Commands run at once after their deferrals; more wait their turn (deferrals never wait). */
  concurrency?: number;
  /** The config's `byHand.discord` (default true): removals made in Discord's UI open by-hand cases. */
  byHand?: boolean;
  /** The roles of the config's areas (`areas[].groups.discord`): taking one away by hand is a removal. */
  areaRoles?: () => ReadonlySet<string>;
  /**
   * DISCORD_MEMBER_EVENTS: ask for member joins (the privileged Server Members intent) for rejoin alerts after a
   * kick. Off by default: Discord refuses a login asking for a privileged intent the app was not given.
   */
  memberEvents?: boolean;
  /** Where deferrals (`kickbot_ack_seconds`) and the client's REST calls are recorded. */
  metrics?: Metrics;
}

/** Where the gateway connection stands: `/healthz` reports it. */
export type GatewayState = 'connecting' | 'connected' | 'refused';

export interface GatewayFront {
  /** The discord.js client of the current attempt (a failed login leaves a client that cannot connect again). */
  readonly client: Client;
  state(): GatewayState;
  /**
   * Logs in. A token Discord refuses rejects (serve stops); Discord unreachable does not: the front keeps trying
   * with backoff in the background, says so once in the log, and `state()` is `connecting` until it is in.
   */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Backoff between connection attempts: 1 s, doubling, at most this. */
const RECONNECT_MAX_MS = 30_000;

/**
 * Discord's gateway front end (discord.js): transport only. `interactionCreate` → an ephemeral deferral at
 * once → the core → `editReply` with an embed and a plain-text fallback.
 */
export function createGatewayFront(opts: GatewayFrontOptions): GatewayFront {
  const metrics = opts.metrics ?? noMetrics;
  const recorded = restMetrics(metrics);
  const newClient = (): Client => {
    const c = new Client({
      // Interactions need no intent, and kickbot reads guilds through REST: no gateway cache to keep up to date
      // (a channel's overwrites change with every removal), so the deferrals never wait behind that work. Guild
      // Moderation brings the audit log entries (removals made by hand); Server Members, when asked, member joins.
      intents: [
        GatewayIntentBits.GuildModeration,
        ...(opts.memberEvents ? [GatewayIntentBits.GuildMembers] : []),
      ],
      waitGuildTimeout: 0,
      rest: { ...(opts.apiUrl ? { api: opts.apiUrl } : {}), ...recorded.options },
    });
    recorded.watch(c.rest);
    c.on(Events.InteractionCreate, (interaction) => {
      handle(interaction).catch((error: unknown) =>
        opts.logger.error(
          { err: safeError(error), interaction: interaction.id },
          'discord: interaction failed',
        ),
      );
    });
    c.on(Events.Error, (error) => opts.logger.warn({ err: safeError(error) }, 'discord: client error'));
    listenForHandEvents(c, {
      core: opts.core,
      logger: opts.logger,
      byHand: opts.byHand ?? true,
      areaRoles: opts.areaRoles ?? (() => new Set()),
      memberEvents: opts.memberEvents ?? false,
    });
    return c;
  };
  let client = newClient();
  const after = discordAfterAck(opts.logger, opts.concurrency);

  async function handle(interaction: Interaction): Promise<void> {
    const arrived = performance.now();
    /** The deferral is Discord's ack: how long it took from the event's arrival. */
    const acked = () => metrics.ack(DISCORD, secondsSince(arrived));
    if (interaction.isAutocomplete()) {
      const typed = focusedValue(interaction.options.data as readonly RawOption[]).toLowerCase();
      const choices = opts
        .areas()
        .filter((a) => a.toLowerCase().includes(typed))
        .slice(0, 25);
      await interaction.respond(choices.map((a) => ({ name: a, value: a })));
      return;
    }
    if (!interaction.guildId || !interaction.channelId) {
      if (interaction.isRepliable()) {
        await interaction.reply({
          content: 'kickbot works in servers, not in direct messages.',
          flags: MessageFlags.Ephemeral,
        });
      }
      return;
    }
    const guild = interaction.guildId;
    const channel = interaction.channelId;
    const startedAt = Date.now();
    const responder: Responder = {
      edit: async (message) => {
        await interaction.editReply({
          content: message.content,
          embeds: message.embeds,
          components: message.components,
        });
      },
      post: async (content) => {
        await interaction.client.rest.post(Routes.channelMessages(channel), {
          body: { content, allowed_mentions: { users: [interaction.user.id] } },
        });
      },
    };
    /** The invocation runs after the deferral, in the queue; its answer edits the deferred reply. */
    const runLater = (build: () => Invocation) =>
      void after.enqueue(() => {
        const inv = build();
        return discordJob({
          responder,
          moderator: interaction.user.id,
          interaction: interaction.id,
          startedAt,
          call: (p) => opts.core.handle(inv, p),
        });
      });
    if (interaction.isChatInputCommand()) {
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      acked();
      runLater(() =>
        invocation({
          id: interaction.id,
          guild,
          channel,
          user: interaction.user.id,
          command: interaction.commandName,
          options: interaction.options.data as readonly RawOption[],
        }),
      );
      return;
    }
    if (interaction.isButton()) {
      const clicked = { id: interaction.id, guild, channel, user: interaction.user.id };
      // Cancel on a progress message: answered in a message of its own (the progress goes on being edited).
      const cancel = cancelFor(clicked, interaction.customId);
      if (cancel) {
        await interaction.deferReply({ flags: MessageFlags.Ephemeral });
        acked();
        runLater(() => cancel);
        return;
      }
      const inv = answerFor(clicked, interaction.customId);
      if (!inv) return;
      await interaction.deferUpdate();
      acked();
      runLater(() => inv);
    }
  }

  let refused = false;
  let stopped = false;
  let announced = false;
  let attempt = 0;
  let timer: NodeJS.Timeout | undefined;
  /** One login; on failure (not a refused token) a fresh client and another try later. */
  const connect = async (first: boolean): Promise<void> => {
    try {
      await client.login(opts.token);
      if (announced) opts.logger.info({}, 'discord: connected to the gateway');
    } catch (error) {
      if (stopped) return;
      if (tokenRefused(error)) {
        refused = true;
        if (first) throw error;
        opts.logger.error(
          { err: safeError(error) },
          'discord: Discord refused DISCORD_TOKEN; not connecting',
        );
        return;
      }
      if (!announced) {
        announced = true;
        opts.logger.warn(
          { err: safeError(error) },
          'discord: cannot reach Discord; kickbot keeps serving and connects with backoff (/healthz says "connecting")',
        );
      }
      client = newClient(); // a failed login destroys its client for good
      const wait = Math.min(RECONNECT_MAX_MS, 1_000 * 2 ** attempt++);
      timer = setTimeout(() => void connect(false), wait * (0.8 + Math.random() * 0.4));
    }
  };

  return {
    get client() {
      return client;
    },
    state: () => (refused ? 'refused' : client.isReady() ? 'connected' : 'connecting'),
    start: () => connect(true),
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await client.destroy();
    },
  };
}
