import { createServer } from 'node:net';
import { WebClient } from '@slack/web-api';
import { commands } from '../../commands/index.js';
import type { Config } from '../../src/config/config-file.js';
import { type Core, type CoreOptions, createCore, type Store, silentLogger } from '../../src/core/index.js';
import { type SlackConnector, slackConnector } from '../../src/platforms/slack/connector.js';
import { slackLogger } from '../../src/platforms/slack/logger.js';
import { MemoryStore } from '../../src/store/MemoryStore.js';
import { CONFIG, TOKEN } from './slack-rig.js';

export interface SlackCore {
  core: Core;
  store: Store;
  client: WebClient;
  connector: SlackConnector;
}

/**
 * kickbot's core with a real Slack connector whose WebClient talks to `apiUrl`, built as the Slack rig builds
 * it (for fronts the rig does not make: Socket Mode, an unreachable Web API).
 */
export function slackCore(opts: {
  apiUrl: string;
  config?: Config;
  store?: Store;
  core?: Partial<CoreOptions>;
  ratePerSecond?: number;
  /** WebClient retries of a failed call (default 2, without waiting). */
  retries?: number;
}): SlackCore {
  const client = new WebClient(TOKEN, {
    slackApiUrl: opts.apiUrl,
    retryConfig: { retries: opts.retries ?? 2, minTimeout: 0, maxTimeout: 10 },
    logger: slackLogger(silentLogger),
  });
  const connector = slackConnector({
    client,
    config: opts.config ?? CONFIG,
    logger: silentLogger,
    ratePerSecond: opts.ratePerSecond ?? 1_000,
  });
  const store = opts.store ?? new MemoryStore();
  const core = createCore({
    directories: [connector.directory],
    removers: [connector.remover],
    store,
    commands,
    ...opts.core,
  });
  return { core, store, client, connector };
}

/** A loopback port nothing listens on (it was free a moment ago): a Slack that cannot be reached. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
