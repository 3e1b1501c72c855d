import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import formatsModule from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { commands } from '../../../commands/index.js';
import {
  PLACEHOLDER_URL,
  SLACK_SCOPES,
  type SlackManifestOptions,
  slackManifest,
  slackManifestYaml,
} from '../../../src/platforms/slack/manifest.js';
import { kickbot } from '../../helpers/cli.js';

/**
 * `manifest/slack.yaml`: generated from the command list, checked in unchanged, valid against Slack's official
 * JSON schema (/work/shared/reference/slack-manifest-schema, validated offline), least-privilege scopes, and
 * printed the same by `kickbot manifest slack`.
 */

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const CHECKED_IN = join(ROOT, 'manifest', 'slack.yaml');
const SCHEMAS = '/work/shared/reference/slack-manifest-schema';
const RAW = 'https://raw.githubusercontent.com/slackapi/manifest-schema/v0.5.0/schemas';

/** The bot scopes kickbot needs and no more (platforms.md, SLACK §5), sorted. */
const LEAST_PRIVILEGE = [
  'channels:manage', // conversations.kick / conversations.invite, public channels
  'channels:read', // conversations.info / members / list, public channels
  'chat:write', // chat.postMessage
  'commands', // the slash commands
  'groups:read', // conversations.info / members / list, private channels
  'groups:write', // conversations.kick / conversations.invite, private channels
  'im:write', // chat.postMessage to a user: the DM a removed person gets first
  'usergroups:read', // usergroups.list, usergroups.users.list
  'usergroups:write', // usergroups.users.update
  'users:read', // users.info, users.list
  'users:read.email', // users.lookupByEmail
];

/** Every Web API method the Slack connector calls (auth.test needs no scope). */
const METHODS = [
  'chat.postMessage',
  'conversations.kick',
  'conversations.invite',
  'conversations.info',
  'conversations.members',
  'conversations.list',
  'users.info',
  'users.list',
  'users.conversations',
  'users.lookupByEmail',
  'usergroups.list',
  'usergroups.users.list',
  'usergroups.users.update',
];

type Manifest = {
  _metadata: { major_version: number };
  features: {
    slash_commands: {
      command: string;
      description: string;
      usage_hint?: string;
      should_escape?: boolean;
      url?: string;
    }[];
  };
  oauth_config: { scopes: { bot: string[]; user?: string[] } };
  settings: {
    event_subscriptions?: { request_url?: string; bot_events?: string[] };
    interactivity: { is_enabled: boolean; request_url?: string };
    socket_mode_enabled: boolean;
  };
};

const readJson = (file: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(SCHEMAS, file), 'utf8')) as Record<string, unknown>;

/** Slack's schemas, offline: the dispatching schema and the two versions under the URLs it $refs. */
function validators(): { all: ValidateFunction; v1: ValidateFunction } {
  // Strict, except where Slack's dispatcher itself is loose (`required` under `not`, no `type: object`).
  const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false, strictRequired: false });
  formatsModule.default(ajv);
  ajv.addKeyword('_note'); // a comment in Slack's schema
  // Slack writes `regex` where JSON Schema has `pattern` (display_information.background_color): enforce it.
  ajv.addKeyword({
    keyword: 'regex',
    type: 'string',
    schemaType: 'string',
    validate: (re: string, data: string) => new RegExp(re).test(data),
  });
  ajv.addSchema(readJson('manifest.schema.1.0.0.json'), `${RAW}/manifest.schema.1.0.0.json`);
  ajv.addSchema(readJson('manifest.schema.2.0.0.json'), `${RAW}/manifest.schema.2.0.0.json`);
  const all = ajv.compile(readJson('manifest.schema.json'));
  const v1 = ajv.getSchema(`${RAW}/manifest.schema.1.0.0.json`);
  if (!v1) throw new Error('manifest.schema.1.0.0.json did not compile');
  return { all, v1 };
}

let schema: { all: ValidateFunction; v1: ValidateFunction };

function expectValid(manifest: unknown): void {
  for (const [name, validate] of Object.entries(schema)) {
    const ok = validate(manifest);
    expect(validate.errors ?? [], `against ${name}`).toEqual([]);
    expect(ok, `against ${name}`).toBe(true);
  }
}

const yamlOf = (opts: SlackManifestOptions = {}) => parse(slackManifestYaml(commands, opts)) as Manifest;

beforeAll(() => {
  schema = validators();
});

describe('manifest/slack.yaml', () => {
  it('GIVEN the checked-in manifest THEN it equals the generated one byte for byte', () => {
    const onDisk = readFileSync(CHECKED_IN, 'utf8');
    expect(onDisk).toBe(slackManifestYaml(commands));
  });

  it('GIVEN the checked-in manifest THEN its YAML is the generated object', () => {
    expect(parse(readFileSync(CHECKED_IN, 'utf8'))).toEqual(slackManifest(commands));
  });

  it("GIVEN the checked-in manifest THEN it validates against Slack's official schema (dispatcher and v1)", () => {
    const manifest = parse(readFileSync(CHECKED_IN, 'utf8')) as Manifest;
    expect(manifest._metadata.major_version).toBe(1);
    expectValid(manifest);
  });

  it('GIVEN a manifest the schema forbids THEN the validators say so (they are not vacuous)', () => {
    const bad = yamlOf();
    const broken = [
      { ...bad, features: { ...bad.features, slash_commands: [{ command: 'kick', description: 'x' }] } },
      { ...bad, display_information: { name: 'kickbot', background_color: 'purple' } },
      { ...bad, settings: { ...bad.settings, interactivity: { request_url: 'https://x.example' } } },
      { ...bad, extra: true },
      { ...bad, settings: { ...bad.settings, event_subscriptions: { bot_events: 'member_left_channel' } } },
    ];
    for (const manifest of broken) {
      expect(schema.all(manifest)).toBe(false);
      expect(schema.v1(manifest)).toBe(false);
    }
  });

  it('GIVEN HTTP mode (default) THEN every URL is <placeholder>/slack/events and interactivity has one', () => {
    const m = yamlOf();
    expect(m.settings.socket_mode_enabled).toBe(false);
    expect(m.settings.interactivity).toEqual({
      is_enabled: true,
      request_url: `${PLACEHOLDER_URL}/slack/events`,
    });
    // Removals made by hand and rejoins come as events, to the same URL (Bolt tells them apart).
    expect(m.settings.event_subscriptions).toEqual({
      request_url: `${PLACEHOLDER_URL}/slack/events`,
      bot_events: ['member_joined_channel', 'member_left_channel'],
    });
    for (const c of m.features.slash_commands) expect(c.url).toBe(`${PLACEHOLDER_URL}/slack/events`);
  });

  it('GIVEN --socket THEN it validates, has no URLs and socket_mode_enabled: true', () => {
    const text = slackManifestYaml(commands, { socketMode: true });
    const m = parse(text) as Manifest;
    expectValid(m);
    expect(m.settings.socket_mode_enabled).toBe(true);
    expect(m.settings.interactivity).toEqual({ is_enabled: true });
    expect(m.settings.event_subscriptions).toEqual({
      bot_events: ['member_joined_channel', 'member_left_channel'],
    });
    for (const c of m.features.slash_commands) expect(c).not.toHaveProperty('url');
    expect(text).not.toMatch(/\burl:/);
    expect(text).not.toContain(PLACEHOLDER_URL);
  });

  it.each(['https://bot.example.org', 'https://bot.example.org/'])(
    'GIVEN --url %s THEN it validates and every URL is https://bot.example.org/slack/events',
    (url) => {
      const m = yamlOf({ url });
      expectValid(m);
      const events = 'https://bot.example.org/slack/events';
      expect(m.settings.interactivity.request_url).toBe(events);
      expect(m.settings.event_subscriptions?.request_url).toBe(events);
      expect(m.features.slash_commands.map((c) => c.url)).toEqual(commands.map(() => events));
      const body = slackManifestYaml(commands, { url })
        .split('\n')
        .filter((line) => !line.startsWith('#'));
      expect(body.join('\n')).not.toContain(PLACEHOLDER_URL);
    },
  );

  it('GIVEN --prefix kb- THEN it validates and registers /kb-kick and the others', () => {
    const m = yamlOf({ prefix: 'kb-' });
    expectValid(m);
    expect(m.features.slash_commands.map((c) => c.command)).toEqual(commands.map((c) => `/kb-${c.name}`));
    expect(m.features.slash_commands.map((c) => c.command)).toContain('/kb-kick');
  });

  it('GIVEN the command list THEN every command is in the manifest, escaped, with its description and usage hint', () => {
    const slash = yamlOf().features.slash_commands;
    expect(slash.map((c) => c.command)).toEqual(commands.map((c) => `/${c.name}`));
    expect(slash.map((c) => c.command)).toEqual(
      expect.arrayContaining(['/kick', '/remove-area', '/leave', '/kickbot']),
    );
    for (const [i, c] of commands.entries()) {
      const entry = slash[i];
      expect(entry?.should_escape, c.name).toBe(true);
      expect(entry?.description, c.name).toBe(c.description);
      expect(entry?.usage_hint, c.name).toBe(c.hint);
      expect(c.hint.trim(), c.name).not.toBe('');
    }
  });

  it('GIVEN the bot scopes THEN each is explained by SLACK_SCOPES, and they are exactly the least-privilege set', () => {
    const { bot, user } = yamlOf().oauth_config.scopes;
    expect(user).toBeUndefined();
    expect(new Set(bot).size).toBe(bot.length);
    for (const scope of bot) {
      expect(Object.keys(SLACK_SCOPES), scope).toContain(scope);
      expect(SLACK_SCOPES[scope]?.trim(), scope).toBeTruthy();
    }
    expect(Object.keys(SLACK_SCOPES).sort()).toEqual(bot.slice().sort());
    expect(bot.slice().sort()).toEqual(LEAST_PRIVILEGE);
  });

  it('GIVEN every Web API method the connector calls THEN some scope explanation names it', () => {
    const explained = Object.values(SLACK_SCOPES).join('\n');
    for (const method of METHODS) expect(explained, method).toContain(method);
  });
});

// ------------------------------------------------------------------------------------------------ CLI

const COMPILED = join(ROOT, 'dist', 'src', 'platforms', 'slack', 'manifest.js');

describe('kickbot manifest slack (the built CLI)', () => {
  beforeAll(() => {
    // bin/kickbot.js runs dist/, which `npm test` builds first (tsc writes only outputs whose text changed).
    expect(
      statSync(COMPILED, { throwIfNoEntry: false }),
      'dist/ is missing: run `npx tsc -p .` first',
    ).toBeDefined();
  });

  it('GIVEN `manifest slack` THEN it prints the checked-in manifest, exit 0', async () => {
    const run = await kickbot(['manifest', 'slack']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(slackManifestYaml(commands));
    expect(run.stdout).toBe(readFileSync(CHECKED_IN, 'utf8'));
  });

  it.each([
    { cli: '--socket', flags: ['--socket'], opts: { socketMode: true } },
    {
      cli: '--url https://bot.example.org',
      flags: ['--url', 'https://bot.example.org'],
      opts: { url: 'https://bot.example.org' },
    },
    { cli: '--prefix kb-', flags: ['--prefix', 'kb-'], opts: { prefix: 'kb-' } },
  ])(
    'GIVEN `manifest slack $cli` THEN the same text as slackManifestYaml, and valid',
    async ({ flags, opts }) => {
      const run = await kickbot(['manifest', 'slack', ...flags]);
      expect(run.code).toBe(0);
      expect(run.stdout).toBe(slackManifestYaml(commands, opts));
      expectValid(parse(run.stdout));
    },
  );

  it('GIVEN a platform kickbot has no manifest for THEN a usage error, exit 2, nothing on stdout', async () => {
    const run = await kickbot(['manifest', 'teams']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('kickbot manifest knows slack');
  });
});
