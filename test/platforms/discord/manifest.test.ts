import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import formatsModule from 'ajv-formats';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { commands } from '../../../commands/index.js';
import { flattenOptions, type RawOption } from '../../../src/platforms/discord/interactions.js';
import {
  BOT_PERMISSION_INTEGER,
  BOT_PERMISSIONS,
  discordCommands,
  discordCommandsJson,
  inviteUrl,
} from '../../../src/platforms/discord/manifest.js';
import { DISCORD_DEFAULTS as D, FakeDiscord } from '../../fakes/discord/FakeDiscord.js';
import { COMPILED, kickbot } from '../../helpers/cli.js';

/**
 * The Discord command payload and install URL: `manifest/discord-commands.json` is the generated payload, checked in
 * unchanged; it validates against Discord's official OpenAPI document (the request body of
 * `PUT /applications/{application_id}/commands`, offline) and the documented limits (platforms.md DISCORD §1);
 * `/kick` is only shown to members who can kick; the invite URL asks for exactly the permissions the connector
 * uses; typed options flatten to what the commands read; and the CLI prints / registers the same payload.
 */

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const CHECKED_IN = join(ROOT, 'manifest', 'discord-commands.json');
const OPENAPI = '/work/shared/reference/discord-openapi/openapi.json';

/** Discord's name rule for commands and options (docs "Application Commands", naming). */
const NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

type Json = Record<string, unknown>;
interface Option {
  name: string;
  description: string;
  type: number;
  required?: boolean;
  options?: Option[];
  choices?: { name: string; value: string | number }[];
  channel_types?: number[];
  [key: string]: unknown;
}
interface Command {
  name: string;
  description: string;
  type: number;
  options: Option[];
  default_member_permissions: string | null;
  contexts: number[];
}

const checkedIn = (): Command[] => JSON.parse(readFileSync(CHECKED_IN, 'utf8')) as Command[];

// ------------------------------------------------------------------------------------------------ the official schema

interface Validators {
  /** The request body of PUT /applications/{application_id}/commands (an array of commands). */
  bulk: ValidateFunction;
  /** The request body of POST /applications/{application_id}/commands (one command). */
  create: ValidateFunction;
  /** Each option type's own schema (`ApplicationCommand…Option`), to say precisely what a oneOf refused. */
  option: Map<number, ValidateFunction>;
}

const OPTION_SCHEMAS: Record<number, string> = {
  1: 'ApplicationCommandSubcommandOption',
  2: 'ApplicationCommandSubcommandGroupOption',
  3: 'ApplicationCommandStringOption',
  4: 'ApplicationCommandIntegerOption',
  5: 'ApplicationCommandBooleanOption',
  6: 'ApplicationCommandUserOption',
  7: 'ApplicationCommandChannelOption',
  8: 'ApplicationCommandRoleOption',
  9: 'ApplicationCommandMentionableOption',
  10: 'ApplicationCommandNumberOption',
  11: 'ApplicationCommandAttachmentOption',
};

function validators(): Validators {
  const doc = JSON.parse(readFileSync(OPENAPI, 'utf8')) as {
    openapi: string;
    paths: Record<string, Record<string, { requestBody: { content: Record<string, { schema: Json }> } }>>;
    components: Json;
  };
  expect(doc.openapi).toMatch(/^3\.1\./); // OpenAPI 3.1: its schemas are JSON Schema 2020-12
  const body = (path: string, method: string): Json => {
    const schema = doc.paths[path]?.[method]?.requestBody.content['application/json']?.schema;
    if (!schema) throw new Error(`no JSON request body for ${method.toUpperCase()} ${path}`);
    // `#/components/...` refs resolve within the document: the schema is compiled with the document's components.
    return { ...schema, components: doc.components };
  };
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  formatsModule.default(ajv); // int32, int64, …
  ajv.addFormat('snowflake', /^(0|[1-9][0-9]*)$/);
  const option = new Map(
    Object.entries(OPTION_SCHEMAS).map(([type, name]) => [
      Number(type),
      ajv.compile({ $ref: `#/components/schemas/${name}`, components: doc.components }),
    ]),
  );
  return {
    bulk: ajv.compile(body('/applications/{application_id}/commands', 'put')),
    create: ajv.compile(body('/applications/{application_id}/commands', 'post')),
    option,
  };
}

/** What the official schema of its own type says about each option, at every level: `command option: path message`. */
function optionErrors(c: Command): string[] {
  const out: string[] = [];
  for (const [where, o] of allOptions(c.options, c.name)) {
    const validate = schema.option.get(o.type);
    if (!validate) {
      out.push(`${where}: unknown option type ${o.type}`);
    } else if (!validate(o)) {
      for (const e of validate.errors ?? []) {
        if (e.keyword === 'oneOf' || e.keyword === 'const') continue; // the summary line below says it
        out.push(`${where}: ${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
      }
      for (const e of validate.errors ?? []) {
        if (e.keyword === 'oneOf') {
          const value = e.instancePath
            .split('/')
            .slice(1)
            .reduce<unknown>((v, k) => (v as Record<string, unknown>)?.[k], o);
          out.push(`${where}: ${e.instancePath} = ${JSON.stringify(value)} is none of ${e.schemaPath}`);
        }
      }
    }
  }
  return out;
}

/**
 * The commands as the schema types them. The one field where Discord's documentation and its OpenAPI document
 * disagree: `default_member_permissions` is documented as a string bitset (what discord-api-types and discord.js
 * send) and typed `integer` in the OpenAPI; Discord's API "accepts ints in string fields and strings in int fields
 * (as long as they can be parsed as ints)" (discord/discord-api-spec#11, a Discord maintainer). So a decimal string
 * there is checked as the integer it stands for — and only a decimal string.
 */
function asSchemaTypes(cmds: readonly Command[]): Json[] {
  return cmds.map((c) => {
    const p = c.default_member_permissions;
    if (p !== null) expect(p, `${c.name}: default_member_permissions`).toMatch(/^(0|[1-9]\d*)$/);
    return { ...c, default_member_permissions: p === null ? null : Number(p) };
  });
}

/** Ajv's errors without the noise of every oneOf branch that did not apply. */
const brief = (errors: ValidateFunction['errors']): string[] => [
  ...new Set(
    (errors ?? [])
      .filter((e) => e.keyword !== 'const' && e.keyword !== 'enum')
      .map((e) => `${e.instancePath || '/'}: ${e.message}`),
  ),
];

let schema: Validators;
beforeAll(() => {
  schema = validators();
});

/** Every option at every level, with where it is. */
function* allOptions(options: readonly Option[] | undefined, where: string): Generator<[string, Option]> {
  for (const o of options ?? []) {
    yield [`${where} ${o.name}`, o];
    yield* allOptions(o.options, `${where} ${o.name}`);
  }
}

/** The characters Discord counts against a command's 8000: names, descriptions and choice values, at every level. */
function countedCharacters(c: Command): number {
  let n = c.name.length + c.description.length;
  for (const [, o] of allOptions(c.options, c.name)) {
    n += o.name.length + o.description.length;
    for (const choice of o.choices ?? []) n += choice.name.length + String(choice.value).length;
  }
  return n;
}

describe('manifest/discord-commands.json', () => {
  it('GIVEN the checked-in file THEN it equals the generated payload byte for byte', () => {
    expect(readFileSync(CHECKED_IN, 'utf8')).toBe(discordCommandsJson(commands));
    expect(checkedIn()).toEqual(JSON.parse(JSON.stringify(discordCommands(commands))));
  });

  it('GIVEN every option at every level THEN the official schema of its type accepts it', () => {
    expect(checkedIn().flatMap(optionErrors)).toEqual([]);
  });

  it('GIVEN the payload THEN it validates against the official OpenAPI request body of PUT …/commands', () => {
    const ok = schema.bulk(asSchemaTypes(checkedIn()));
    expect(brief(schema.bulk.errors)).toEqual([]);
    expect(ok).toBe(true);
  });

  it.each(commands.map((c) => c.name))(
    'GIVEN /%s THEN it validates against the official create-command schema (POST …/commands)',
    (name) => {
      const command = asSchemaTypes(checkedIn()).find((c) => c.name === name);
      const ok = schema.create(command);
      expect(brief(schema.create.errors)).toEqual([]);
      expect(ok).toBe(true);
    },
  );

  it('GIVEN payloads the schema forbids THEN the validators say so (they are not vacuous)', () => {
    const [kick] = asSchemaTypes(checkedIn()) as [Json & { options: Json[] }];
    const option = kick.options[0] as Json;
    const broken: Json[] = [
      { ...kick, name: 'x'.repeat(33) },
      { ...kick, description: 'd'.repeat(101) },
      { ...kick, options: Array.from({ length: 26 }, (_, i) => ({ ...option, name: `o${i}` })) },
      { ...kick, options: [{ ...option, description: '' }] },
      { ...kick, options: [{ ...option, type: 42 }] },
      { ...kick, default_member_permissions: -1 },
      { ...kick, contexts: [7] },
      { description: 'no name' },
    ];
    for (const command of broken) {
      expect(schema.create(command), JSON.stringify(command).slice(0, 80)).toBe(false);
      expect(schema.bulk([command]), JSON.stringify(command).slice(0, 80)).toBe(false);
    }
    expect(schema.bulk(Array.from({ length: 131 }, () => kick))).toBe(false); // ≤ 130 per bulk overwrite
  });

  it('GIVEN every command THEN lowercase names of Discord’s pattern, descriptions 1–100, ≤ 25 options at every level, ≤ 8000 counted characters', () => {
    for (const c of checkedIn()) {
      expect(c.name, c.name).toMatch(NAME);
      expect(c.name, c.name).toBe(c.name.toLowerCase());
      expect(c.type, c.name).toBe(1); // CHAT_INPUT
      expect(c.description.length, c.name).toBeGreaterThanOrEqual(1);
      expect(c.description.length, c.name).toBeLessThanOrEqual(100);
      expect(c.options.length, c.name).toBeLessThanOrEqual(25);
      for (const [where, o] of allOptions(c.options, c.name)) {
        expect(o.name, where).toMatch(NAME);
        expect(o.name, where).toBe(o.name.toLowerCase());
        expect(o.description.length, where).toBeGreaterThanOrEqual(1);
        expect(o.description.length, where).toBeLessThanOrEqual(100);
        expect((o.options ?? []).length, where).toBeLessThanOrEqual(25);
        expect((o.choices ?? []).length, where).toBeLessThanOrEqual(25);
      }
      expect(countedCharacters(c), c.name).toBeLessThanOrEqual(8000);
      expect(c.contexts, c.name).toEqual([0]); // guilds only
    }
    expect(new Set(checkedIn().map((c) => c.name)).size).toBe(checkedIn().length);
  });

  it('GIVEN every level of options THEN the required ones come before the optional ones', () => {
    const check = (options: readonly Option[] | undefined, where: string) => {
      const values = (options ?? []).filter((o) => o.type !== 1 && o.type !== 2);
      const firstOptional = values.findIndex((o) => !o.required);
      if (firstOptional >= 0) {
        expect(
          values
            .slice(firstOptional)
            .filter((o) => o.required)
            .map((o) => o.name),
          `${where}: required after optional`,
        ).toEqual([]);
      }
      for (const o of options ?? []) check(o.options, `${where} ${o.name}`);
    };
    for (const c of checkedIn()) check(c.options, c.name);
  });

  it('GIVEN the commands THEN their typed options are as the issue lists them', () => {
    const byName = new Map(checkedIn().map((c) => [c.name, c]));
    const shape = (name: string) =>
      byName
        .get(name)
        ?.options.map((o) => [o.name, o.type, o.required ?? false, o.options?.map((s) => s.name)]);
    expect([...byName.keys()]).toEqual(['kick', 'remove-area', 'leave', 'offboard', 'kickbot']);
    // USER 6, CHANNEL 7, STRING 3, BOOLEAN 5, SUB_COMMAND 1
    expect(shape('kick')).toEqual([
      ['user', 6, true, undefined],
      ['channel', 7, false, undefined],
      ['reason', 3, false, undefined],
      ['more', 3, false, undefined],
      ['for', 3, false, undefined],
      ['dm', 5, false, undefined],
    ]);
    expect(shape('remove-area')).toEqual([
      ['area', 3, true, undefined],
      ['users', 3, true, undefined],
      ['reason', 3, false, undefined],
      ['for', 3, false, undefined],
      ['dm', 5, false, undefined],
    ]);
    expect(byName.get('remove-area')?.options[0]?.autocomplete).toBe(true);
    expect(shape('leave')).toEqual([['channel', 7, false, undefined]]);
    expect(shape('offboard')).toEqual([
      ['user', 6, true, undefined],
      ['reason', 3, false, undefined],
      ['more', 3, false, undefined],
      ['dm', 5, false, undefined],
    ]);
    expect(shape('kickbot')).toEqual([
      ['help', 1, false, undefined],
      ['undo', 1, false, ['case']],
      ['cases', 1, false, ['user', 'by', 'since', 'page']],
      ['case', 1, false, ['case']],
      ['note', 1, false, ['case', 'text']],
      ['reason', 1, false, ['case', 'text']],
      ['cancel', 1, false, ['case']],
    ]);
  });

  it('GIVEN default_member_permissions THEN /kick and /offboard need KICK_MEMBERS ("2"), /remove-area MANAGE_ROLES, /leave and /kickbot none', () => {
    const perms = Object.fromEntries(checkedIn().map((c) => [c.name, c.default_member_permissions]));
    expect(perms).toEqual({
      kick: '2', // 1 << 1
      'remove-area': '268435456', // 1 << 28
      leave: null,
      offboard: '2',
      kickbot: null,
    });
  });
});

describe('BOT_PERMISSIONS and the invite URL', () => {
  // Documented bits (docs "Permissions"), written out.
  const EXPECTED = {
    'View Channels': 1024n, // 1 << 10
    'Send Messages': 2048n, // 1 << 11
    'Send Messages in Threads': 274877906944n, // 1 << 38
    'Embed Links': 16384n, // 1 << 14
    Connect: 1048576n, // 1 << 20
    'Manage Roles (channel overwrites and area roles)': 268435456n, // 1 << 28
    'Manage Threads (thread members)': 17179869184n, // 1 << 34
    'Move Members (voice disconnect)': 16777216n, // 1 << 24
    'Kick Members (offboarding: out of the server)': 2n, // 1 << 1
    'View Audit Log (removals made by hand)': 128n, // 1 << 7
  };
  /** 1024 + 2048 + 274877906944 + 16384 + 1048576 + 268435456 + 17179869184 + 16777216 + 2 + 128 */
  const INTEGER = 292344056962n;

  it('GIVEN the listed permissions THEN each is its documented bit and the integer is exactly their OR', () => {
    expect(BOT_PERMISSIONS).toEqual(EXPECTED);
    expect(BOT_PERMISSION_INTEGER).toBe(INTEGER);
    expect(Object.values(EXPECTED).reduce((a, b) => a + b, 0n)).toBe(INTEGER); // distinct bits: sum = OR
  });

  it('GIVEN an application id THEN the OAuth2 URL with the bot and applications.commands scopes and that integer', () => {
    const url = inviteUrl('123');
    expect(url).toBe(
      'https://discord.com/oauth2/authorize?client_id=123&scope=bot+applications.commands&permissions=292344056962',
    );
    // `+` is a space in an application/x-www-form-urlencoded query (WHATWG URL, what browsers and Discord's
    // authorize page parse it with); the Developer Portal's URL generator itself writes `scope=bot+applications.commands`.
    const parsed = new URL(url);
    expect(parsed.origin + parsed.pathname).toBe('https://discord.com/oauth2/authorize');
    expect(Object.fromEntries(parsed.searchParams)).toEqual({
      client_id: '123',
      scope: 'bot applications.commands',
      permissions: '292344056962',
    });
  });
});

describe('flattenOptions (typed options → what the commands read)', () => {
  const cases: [string, RawOption[] | undefined, Json][] = [
    ['no options', undefined, {}],
    [
      'USER → <@id>',
      [{ name: 'user', type: 6, value: '1300000000000000202' }],
      { user: '<@1300000000000000202>' },
    ],
    [
      'CHANNEL → <#id>',
      [{ name: 'channel', type: 7, value: '1300000000000000402' }],
      { channel: '<#1300000000000000402>' },
    ],
    [
      'ROLE → <@&id>',
      [{ name: 'group', type: 8, value: '1300000000000000301' }],
      { group: '<@&1300000000000000301>' },
    ],
    ['STRING as it is', [{ name: 'reason', type: 3, value: 'spam <@1>' }], { reason: 'spam <@1>' }],
    ['INTEGER as a number', [{ name: 'case', type: 4, value: 12 }], { case: 12 }],
    ['BOOLEAN as it is', [{ name: 'yes', type: 5, value: true }], { yes: true }],
    ['an option without a value is left out', [{ name: 'reason', type: 3 }], {}],
    ['a subcommand without options', [{ name: 'help', type: 1 }], { subcommand: 'help' }],
    [
      'a subcommand and its options',
      [{ name: 'undo', type: 1, options: [{ name: 'case', type: 4, value: 3 }] }],
      { subcommand: 'undo', case: 3 },
    ],
    [
      'a subcommand with a USER option',
      [{ name: 'cases', type: 1, options: [{ name: 'user', type: 6, value: '1300000000000000201' }] }],
      { subcommand: 'cases', user: '<@1300000000000000201>' },
    ],
    [
      '/kick with everything',
      [
        { name: 'user', type: 6, value: '1300000000000000202' },
        { name: 'channel', type: 7, value: '1300000000000000402' },
        { name: 'reason', type: 3, value: 'spam' },
        { name: 'more', type: 3, value: '<@1300000000000000201> <#1300000000000000403>' },
      ],
      {
        user: '<@1300000000000000202>',
        channel: '<#1300000000000000402>',
        reason: 'spam',
        more: '<@1300000000000000201> <#1300000000000000403>',
      },
    ],
  ];

  it.each(cases)('%s', (_what, options, expected) => {
    expect(flattenOptions(options)).toEqual(expected);
  });
});

// ------------------------------------------------------------------------------------------------ the CLI

describe('kickbot manifest | register | invite-url discord', () => {
  const APP = '1399999999999999991';
  let fake: FakeDiscord;

  beforeAll(() => {
    if (!existsSync(COMPILED)) throw new Error(`${COMPILED} is missing: build first (npx tsc -p .)`);
  });
  beforeEach(async () => {
    fake = await FakeDiscord.start({ application: { id: APP } });
  });
  afterEach(async () => {
    await fake.close();
  });

  const discordEnv = () => ({ DISCORD_TOKEN: fake.token, DISCORD_API_URL: fake.apiUrl });
  const generated = () => JSON.parse(JSON.stringify(discordCommands(commands))) as unknown;

  it('manifest discord prints the checked-in JSON', async () => {
    const run = await kickbot(['manifest', 'discord']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toBe(readFileSync(CHECKED_IN, 'utf8'));
  });

  it('register discord: asks GET /applications/@me for the id, then PUTs the generated payload globally', async () => {
    const run = await kickbot(['register', 'discord'], { env: discordEnv() });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('/kick, /remove-area, /leave, /offboard, /kickbot');
    expect(fake.callsTo('GET', '/applications/@me')).toHaveLength(1);
    const puts = fake.callsTo('PUT', '*');
    expect(puts.map((c) => [c.path, c.status, c.auth])).toEqual([
      [`/applications/${APP}/commands`, 200, 'bot'],
    ]);
    expect(puts[0]?.body).toEqual(generated());
    expect(fake.commands.global.map((c) => c.name)).toEqual([
      'kick',
      'remove-area',
      'leave',
      'offboard',
      'kickbot',
    ]);
  });

  it('register discord --guild ID: PUTs to the guild route', async () => {
    const run = await kickbot(['register', 'discord', '--guild', D.guildId], { env: discordEnv() });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(D.guildId);
    const puts = fake.callsTo('PUT', '*');
    expect(puts.map((c) => [c.path, c.status])).toEqual([
      [`/applications/${APP}/guilds/${D.guildId}/commands`, 200],
    ]);
    expect(puts[0]?.body).toEqual(generated());
    expect(fake.commands.guild.get(D.guildId)?.map((c) => c.default_member_permissions)).toEqual([
      '2',
      '268435456',
      null,
      '2',
      null,
    ]);
    expect(fake.commands.global).toEqual([]);
  });

  it("invite-url discord prints the URL with the fake's application id", async () => {
    const run = await kickbot(['invite-url', 'discord'], { env: discordEnv() });
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toBe(
      `https://discord.com/oauth2/authorize?client_id=${APP}&scope=bot+applications.commands&permissions=292344056962\n`,
    );
  });

  it('register discord without DISCORD_TOKEN exits 2 naming it, and calls nothing', async () => {
    const run = await kickbot(['register', 'discord'], { env: { DISCORD_API_URL: fake.apiUrl } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('DISCORD_TOKEN');
    expect(run.stdout).toBe('');
    expect(fake.calls).toEqual([]);
  });
});
