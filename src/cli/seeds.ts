import type { Config, ConnectorsConfig, TargetConfig } from '../config/config-file.js';
import {
  type Id,
  type Logger,
  type Metrics,
  makeId,
  type Remover,
  type Systems,
  UsageError,
} from '../core/index.js';
import { BetterFormsConnector } from '../platforms/betterforms/BetterFormsConnector.js';
import { DocSpaceConnector } from '../platforms/docspace/DocSpaceConnector.js';
import { FeedbackHouseConnector } from '../platforms/feedbackhouse/FeedbackHouseConnector.js';
import { MudbaseConnector } from '../platforms/mudbase/MudbaseConnector.js';
import { RocketChatConnector } from '../platforms/rocketchat/RocketChatConnector.js';

type Ref = string | { env: string };

/** A value from the config, or the environment variable it names; a missing variable names the key. */
function read(ref: Ref, key: string, env: NodeJS.ProcessEnv): string {
  if (typeof ref === 'string') return ref;
  const value = env[ref.env];
  if (!value) throw new UsageError(`config connectors.${key}: environment variable ${ref.env} is not set`);
  return value;
}

/** Every target the config names: the areas' and `offboard.targets`. */
const allTargets = (config: Config): TargetConfig[] => [
  ...config.areas.flatMap((a) => a.targets ?? []),
  ...(config.offboard?.targets ?? []),
];

const targetsOf = <C extends TargetConfig['connector']>(config: Config, connector: C) =>
  allTargets(config).filter((t) => t.connector === connector) as Extract<TargetConfig, { connector: C }>[];

/** The removers of the seed systems configured under `connectors:`, with their secrets read from the env. */
export function seedConnectors(
  config: Config,
  env: NodeJS.ProcessEnv,
  logger: Logger,
  metrics?: Metrics,
): Remover[] {
  const c: ConnectorsConfig = config.connectors ?? {};
  const out: Remover[] = [];
  const log = (system: string) => logger.child({ connector: system });
  if (c.rocketchat) {
    out.push(
      new RocketChatConnector({
        url: c.rocketchat.url,
        userId: read(c.rocketchat.userId, 'rocketchat.userId', env),
        token: read(c.rocketchat.token, 'rocketchat.token', env),
        targets: targetsOf(config, 'rocketchat').map((t) => ({
          room: t.room,
          ...(t.type ? { type: t.type } : {}),
        })),
        logger: log('rocketchat'),
        metrics,
      }),
    );
  }
  if (c.feedbackhouse) {
    out.push(
      new FeedbackHouseConnector({
        url: c.feedbackhouse.url,
        apiKey: read(c.feedbackhouse.apiKey, 'feedbackhouse.apiKey', env),
        ...(c.feedbackhouse.apiKeyHeader ? { apiKeyHeader: c.feedbackhouse.apiKeyHeader } : {}),
        logger: log('feedbackhouse'),
        metrics,
      }),
    );
  }
  if (c.docspace) {
    out.push(
      new DocSpaceConnector({
        url: c.docspace.url,
        apiKey: read(c.docspace.apiKey, 'docspace.apiKey', env),
        logger: log('docspace'),
        metrics,
      }),
    );
  }
  if (c.mudbase) {
    out.push(
      new MudbaseConnector({
        url: c.mudbase.url,
        projectId: read(c.mudbase.projectId, 'mudbase.projectId', env),
        jwt: read(c.mudbase.jwt, 'mudbase.jwt', env),
        logger: log('mudbase'),
        metrics,
      }),
    );
  }
  if (c.betterforms) {
    out.push(
      new BetterFormsConnector({
        url: c.betterforms.url,
        apiKey: read(c.betterforms.apiKey, 'betterforms.apiKey', env),
        targets: targetsOf(config, 'betterforms').map((t) => ({
          channel: t.channel,
          mode: t.mode,
          anonymous: t.anonymous,
        })),
        logger: log('betterforms'),
        metrics,
      }),
    );
  }
  return out;
}

/** A target as a room id of its system. */
export function targetId(t: TargetConfig): Id {
  switch (t.connector) {
    case 'rocketchat':
      return makeId(t.connector, t.room);
    case 'docspace':
      return makeId(t.connector, t.group);
    case 'feedbackhouse':
      return makeId(t.connector, t.area);
    case 'mudbase':
      return makeId(t.connector, t.chat);
    case 'betterforms':
      return makeId(t.connector, t.channel);
  }
}

/** Area id → the rooms it reaches in other systems. */
export function areaTargets(config: Config): (area: string) => readonly Id[] {
  const byArea = new Map(config.areas.map((a) => [a.id, (a.targets ?? []).map(targetId)]));
  return (area) => byArea.get(area) ?? [];
}

/** System → the rooms an offboarding reaches there when the system cannot list one person's rooms. */
export function offboardTargets(config: Config): (system: string) => readonly Id[] {
  const bySystem = new Map<string, Set<Id>>();
  for (const t of allTargets(config)) {
    const set = bySystem.get(t.connector) ?? new Set();
    set.add(targetId(t));
    bySystem.set(t.connector, set);
  }
  return (system) => [...(bySystem.get(system) ?? [])];
}

const envNames = (...refs: Ref[]) => refs.flatMap((r) => (typeof r === 'string' ? [] : [r.env]));

/**
 * How each system is named to moderators, and which environment variables hold kickbot's credentials there (the
 * config's `{ env: VAR }` entries), so that a refused credential names what to check.
 */
export function systemsOf(config: Config): Systems {
  const c: ConnectorsConfig = config.connectors ?? {};
  return {
    console: { name: 'the console workspace' },
    slack: { name: 'Slack', credentials: ['SLACK_BOT_TOKEN'] },
    discord: { name: 'Discord', credentials: ['DISCORD_TOKEN'] },
    rocketchat: {
      name: 'Rocket.Chat',
      credentials: c.rocketchat ? envNames(c.rocketchat.userId, c.rocketchat.token) : [],
    },
    feedbackhouse: {
      name: 'feedback.house',
      credentials: c.feedbackhouse ? envNames(c.feedbackhouse.apiKey) : [],
    },
    docspace: { name: 'DocSpace', credentials: c.docspace ? envNames(c.docspace.apiKey) : [] },
    mudbase: { name: 'Mudbase', credentials: c.mudbase ? envNames(c.mudbase.projectId, c.mudbase.jwt) : [] },
    betterforms: { name: 'BetterForms', credentials: c.betterforms ? envNames(c.betterforms.apiKey) : [] },
  };
}
