import type { WebClient } from '@slack/web-api';
import type { Config } from '../../config/config-file.js';
import type { Logger } from '../../core/index.js';
import { SlackDirectory } from './SlackDirectory.js';
import { SlackLookups } from './SlackLookups.js';
import { SlackRemover } from './SlackRemover.js';
import { type GroupLocks, UsergroupEditor } from './usergroups.js';

export interface SlackConnectorOptions {
  client: WebClient;
  config: Config;
  logger: Logger;
  /** `conversations.kick` is Tier 3, about 50 a minute per workspace; every replica paces itself together. */
  ratePerSecond?: number;
  /** How long what Slack said about users, channels and user groups is reused. */
  cacheTtlMs?: number;
  /** The store's locks: a user group's read-modify-write is one at a time across replicas (else per process). */
  locks?: GroupLocks;
}

/** Slack's directory and remover. */
export interface SlackConnector {
  directory: SlackDirectory;
  remover: SlackRemover;
}

/**
 * Slack's directory and remover on one injected `WebClient` (which retries 429s after `Retry-After` and network
 * errors), sharing what Slack said about users, channels and user groups for a short while.
 */
export function slackConnector(options: SlackConnectorOptions): SlackConnector {
  const { client, config, logger } = options;
  const lookups = new SlackLookups(client, options.cacheTtlMs ?? 60_000);
  return {
    directory: new SlackDirectory({ client, config, logger, lookups }),
    remover: new SlackRemover({
      client,
      lookups,
      groups: new UsergroupEditor(client, lookups, options.locks),
      ratePerSecond: options.ratePerSecond ?? 50 / 60,
    }),
  };
}
