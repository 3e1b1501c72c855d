import { noMetrics, UsageError } from '../../core/index.js';
import type { Front, Platform } from '../front.js';

/** Whether the environment configures Slack, and how completely. */
export function slackConfigured(env: {
  SLACK_BOT_TOKEN?: string;
  SLACK_SIGNING_SECRET?: string;
  SLACK_APP_TOKEN?: string;
}): boolean {
  if (!env.SLACK_BOT_TOKEN) return false;
  if (!env.SLACK_SIGNING_SECRET && !env.SLACK_APP_TOKEN) {
    throw new UsageError(
      'SLACK_BOT_TOKEN is set but neither SLACK_SIGNING_SECRET (HTTP mode) nor SLACK_APP_TOKEN (Socket Mode) is',
    );
  }
  return true;
}

/** Slack (SLACK_BOT_TOKEN with SLACK_SIGNING_SECRET or SLACK_APP_TOKEN). Bolt and the Web API load only here. */
export const slackPlatform: Platform = {
  name: 'slack',
  configured: slackConfigured,
  wanted: (request) => request.fromEnv && slackConfigured(request.env),
  async create({ env, config, logger, store, metrics = noMetrics }) {
    const botToken = env.SLACK_BOT_TOKEN ?? '';
    const [{ slackWebClient }, { slackConnector }, { createSlackFront }] = await Promise.all([
      import('./web-client.js'),
      import('./connector.js'),
      import('./SlackFront.js'),
    ]);
    const client = slackWebClient(botToken, {
      logger,
      timeoutMs: env.SLACK_API_TIMEOUT,
      metrics,
      ...(env.SLACK_API_URL ? { apiUrl: env.SLACK_API_URL } : {}),
    });
    const rate = env.SLACK_KICK_RATE;
    const { directory, remover } = slackConnector({
      client,
      config,
      logger,
      ratePerSecond: (rate.removals * 1000) / rate.windowMs,
      locks: store, // user-group changes one at a time across replicas
    });
    return {
      directory,
      remover,
      front: (core): Front => {
        const slack = createSlackFront({
          core,
          logger,
          botToken,
          ...(env.SLACK_SIGNING_SECRET ? { signingSecret: env.SLACK_SIGNING_SECRET } : {}),
          ...(env.SLACK_APP_TOKEN ? { appToken: env.SLACK_APP_TOKEN } : {}),
          ...(env.SLACK_API_URL ? { apiUrl: env.SLACK_API_URL } : {}),
          commandPrefix: env.SLACK_COMMAND_PREFIX,
          metrics,
          byHand: config.byHand?.slack ?? true,
        });
        const listener = slack.listener;
        return {
          name: 'slack',
          routes: listener ? { '/slack/events': { POST: listener } } : {},
          start: () => slack.start(),
          stop: () => slack.stop(),
          banner: (url) => (listener ? `Slack on ${url}/slack/events` : 'Slack in Socket Mode'),
        };
      },
    };
  },
};
