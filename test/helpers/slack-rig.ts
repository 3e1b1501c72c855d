import type { Config } from '../../src/config/config-file.js';
import { EMPTY_CONFIG } from '../../src/config/config-file.js';
import { type Core, type CoreOptions, type Store, silentLogger } from '../../src/core/index.js';
import { type HttpServer, startHttpServer } from '../../src/http/server.js';
import {
  createSlackFront,
  type SlackFront,
  type SlackFrontOptions,
} from '../../src/platforms/slack/SlackFront.js';
import { FakeSlack, type FakeSlackOptions, type RecordedResponse } from '../fakes/slack/FakeSlack.js';
import {
  type BlockActionsInput,
  blockActionsBody,
  postSigned,
  type SignedResponse,
  SLACK_DEFAULTS,
  slashCommandBody,
} from '../fakes/slack/signer.js';
import { slackCore } from './slack-core.js';

export const SECRET = 'test-signing-secret-0123456789';
export const TOKEN = 'xoxb-test-bot-token';
export const T = SLACK_DEFAULTS.teamId;

/** A small Slack workspace: an admin, a moderator (by kickbot grant), members, channels of every kind. */
export const WORKSPACE: FakeSlackOptions = {
  botToken: TOKEN,
  users: [
    { id: 'U0OWNER', name: 'olivia', is_owner: true, is_primary_owner: true, is_admin: true },
    { id: 'U0ADMIN', name: 'ada', is_admin: true },
    { id: 'U0MOD', name: 'mo' },
    { id: 'U0BOB', name: 'bob' },
    { id: 'U0CAROL', name: 'carol' },
    { id: 'U0DAVE', name: 'dave' },
  ],
  channels: [
    {
      id: 'C0GENERAL',
      name: 'general',
      is_general: true,
      members: ['U0OWNER', 'U0ADMIN', 'U0MOD', 'U0BOB', 'U0CAROL', 'U00FAKEBOT03'],
    },
    { id: 'C0RANDOM', name: 'random', members: ['U0ADMIN', 'U0MOD', 'U0BOB', 'U0CAROL', 'U00FAKEBOT03'] },
    { id: 'G0SECRET', name: 'secret', is_private: true, members: ['U0ADMIN', 'U0BOB', 'U00FAKEBOT03'] },
    { id: 'D0DIRECT', is_im: true, members: ['U0ADMIN', 'U0BOB'] },
  ],
  usergroups: [{ id: 'S0PAY', handle: 'payments-team', name: 'Payments team', users: ['U0BOB', 'U0CAROL'] }],
};

export const CONFIG: Config = {
  grants: { slack: { U0MOD: ['moderator'] } },
  areas: [
    {
      id: 'payments',
      rooms: ['random', 'G0SECRET'],
      managers: { slack: ['U0MOD'] },
      groups: { slack: 'S0PAY' },
    },
  ],
};

export interface SlackRig {
  fake: FakeSlack;
  core: Core;
  store: Store;
  front: SlackFront;
  server: HttpServer;
  /** POST `/slack/events` of kickbot's HTTP server. */
  events: string;
  /** Types a signed slash command; resolves with the HTTP ack and a way to await the result on response_url. */
  command(
    command: string,
    text: string,
    opts?: { user?: string; channel?: string; trigger?: string },
  ): Promise<{ ack: SignedResponse; result: () => Promise<RecordedResponse>; responseUrl: string }>;
  /** Clicks a button of a prompt; resolves with the HTTP ack and the answer on the click's response_url. */
  click(input: BlockActionsInput): Promise<{ ack: SignedResponse; result: () => Promise<RecordedResponse> }>;
  close(): Promise<void>;
}

/** Real Bolt and a real WebClient against the fake Slack, kickbot's core between them, on loopback. */
export async function slackRig(
  opts: {
    fake?: FakeSlackOptions;
    config?: Config;
    store?: Store;
    core?: Partial<CoreOptions>;
    ratePerSecond?: number;
    /** Front options beyond the rig's own (e.g. `progressEveryMs`). */
    front?: Partial<SlackFrontOptions>;
  } = {},
): Promise<SlackRig> {
  const fake = await FakeSlack.start(opts.fake ?? WORKSPACE);
  const { core, store } = slackCore({
    apiUrl: fake.apiUrl,
    ...(opts.config ? { config: opts.config } : {}),
    ...(opts.store ? { store: opts.store } : {}),
    ...(opts.core ? { core: opts.core } : {}),
    ...(opts.ratePerSecond !== undefined ? { ratePerSecond: opts.ratePerSecond } : {}),
  });
  const front = createSlackFront({
    core,
    logger: silentLogger,
    botToken: TOKEN,
    signingSecret: SECRET,
    apiUrl: fake.apiUrl,
    ...opts.front,
  });
  if (!front.listener) throw new Error('HTTP mode expected');
  const server = await startHttpServer({
    port: 0,
    host: '127.0.0.1',
    routes: { '/slack/events': front.listener },
  });
  const events = `${server.url}/slack/events`;
  return {
    fake,
    core,
    store,
    front,
    server,
    events,
    async command(command, text, o = {}) {
      const responseUrl = fake.responseUrl();
      const body = slashCommandBody({
        command,
        text,
        user_id: o.user ?? 'U0MOD',
        channel_id: o.channel ?? 'C0RANDOM',
        response_url: responseUrl,
        ...(o.trigger ? { trigger_id: o.trigger } : {}),
      });
      const ack = await postSigned(events, SECRET, body);
      return { ack, responseUrl, result: () => fake.waitForResponse(responseUrl, 5_000) };
    },
    async click(input) {
      const responseUrl = fake.responseUrl();
      const ack = await postSigned(
        events,
        SECRET,
        blockActionsBody({ ephemeral: true, ...input, response_url: responseUrl }),
      );
      return { ack, result: () => fake.waitForResponse(responseUrl, 5_000) };
    },
    async close() {
      await server.close();
      await fake.close();
    },
  };
}

export { EMPTY_CONFIG };
