import { describe, expect, it } from 'vitest';
import { areaTargets, seedConnectors } from '../../src/cli/seeds.js';
import { parseConfig } from '../../src/config/config-file.js';
import { silentLogger, UsageError } from '../../src/core/index.js';
import { withConfigAreas } from '../../src/platforms/console/app.js';
import { parseWorkspace } from '../../src/platforms/console/workspace-file.js';

/** kickbot's config file: the connectors, the identity links and the areas' targets, each problem named by key. */

const FULL = `
connectors:
  rocketchat:    { url: "http://127.0.0.1:1", userId: { env: RC_USER_ID }, token: { env: RC_TOKEN } }
  feedbackhouse: { url: "http://127.0.0.1:2", apiKey: { env: FH_API_KEY } }
  docspace:      { url: "http://127.0.0.1:3", apiKey: { env: DOCSPACE_API_KEY } }
  mudbase:       { url: "http://127.0.0.1:4", projectId: proj_1, jwt: { env: MUDBASE_JWT } }
  betterforms:   { url: "http://127.0.0.1:5", apiKey: { env: BF_API_KEY } }
identities:
  - { console: bob, slack: U024BE7LH, rocketchat: rc-bob, docspace: 4c65a238-ca50-4374-b904-0d51d4c1822b, feedbackhouse: 507f1f77bcf86cd799439011, mudbase: usr_bob, betterforms: BF_BOB }
areas:
  - id: payments
    rooms: [general]
    targets:
      - { connector: rocketchat, room: GROUP_ID, type: private }
      - { connector: docspace, group: c652dba3-210e-436d-b264-df5ceda0a48e }
      - { connector: feedbackhouse, area: 997f1f77bcf86cd799439011 }
      - { connector: mudbase, chat: VL0TZudKjN6SiWtV }
      - { connector: betterforms, channel: channel1, mode: ignore }
      - { connector: betterforms, channel: lobby, mode: ignore, anonymous: true }
`;

const ENV = {
  RC_USER_ID: 'rc-kickbot',
  RC_TOKEN: 'fake-rc-token',
  FH_API_KEY: 'fake-fh-key',
  DOCSPACE_API_KEY: 'fake-ds-key',
  MUDBASE_JWT: 'fake-jwt',
  BF_API_KEY: 'fake-bf-key',
};

function problem(text: string): string {
  try {
    parseConfig(text, 'kickbot.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('expected a UsageError');
}

describe('config file: connectors, identities, targets', () => {
  it("GIVEN the issue's example THEN it parses, and every target becomes a room id of its system", () => {
    const config = parseConfig(FULL, 'kickbot.yaml');
    expect(areaTargets(config)('payments')).toEqual([
      'rocketchat:GROUP_ID',
      'docspace:c652dba3-210e-436d-b264-df5ceda0a48e',
      'feedbackhouse:997f1f77bcf86cd799439011',
      'mudbase:VL0TZudKjN6SiWtV',
      'betterforms:channel1',
      'betterforms:lobby',
    ]);
    expect(areaTargets(config)('support')).toEqual([]);
    expect(config.areas[0]?.targets?.[4]).toEqual({
      connector: 'betterforms',
      channel: 'channel1',
      mode: 'ignore',
      anonymous: false,
    });
    const connectors = seedConnectors(config, ENV, silentLogger);
    expect(connectors.map((c) => c.system)).toEqual([
      'rocketchat',
      'feedbackhouse',
      'docspace',
      'mudbase',
      'betterforms',
    ]);
  });

  it.each([
    [
      'a secret written in the file',
      'connectors:\n  docspace: { url: "http://x", apiKey: "abc123" }\n',
      'kickbot.yaml:2: connectors.docspace.apiKey: a secret is never written in the file: write { env: VARIABLE_NAME }',
    ],
    [
      'a URL that is not http',
      'connectors:\n  docspace: { url: "ftp://x", apiKey: { env: K } }\n',
      'connectors.docspace.url: an http:// or https:// URL',
    ],
    [
      'an unknown system',
      'connectors:\n  zulip: { url: "http://x" }\n',
      'connectors.zulip: unknown key "zulip"',
    ],
    [
      'a target of a system not configured',
      'areas:\n  - id: payments\n    targets:\n      - { connector: docspace, group: g1 }\n',
      'kickbot.yaml:4: areas[0].targets[0].connector: docspace is not configured under connectors',
    ],
    [
      'a target with the wrong key',
      'connectors:\n  mudbase: { url: "http://x", projectId: p, jwt: { env: J } }\nareas:\n  - id: a\n    targets:\n      - { connector: mudbase, room: c1 }\n',
      'areas[0].targets[0]',
    ],
    [
      'a betterforms mode that does not exist',
      'connectors:\n  betterforms: { url: "http://x", apiKey: { env: K } }\nareas:\n  - id: a\n    targets:\n      - { connector: betterforms, channel: c, mode: shout }\n',
      'areas[0].targets[0].mode',
    ],
    [
      'an identity of one system only',
      'identities:\n  - { console: bob }\n',
      'identities[0]: an identity links at least two systems',
    ],
    [
      'a person linked twice',
      'identities:\n  - { console: bob, slack: U1 }\n  - { console: rob, slack: U1 }\n',
      'kickbot.yaml:3: identities[1].slack: slack U1 is already linked in identities[0]',
    ],
    ['an identity of an unknown system', 'identities:\n  - { console: bob, zulip: z1 }\n', 'identities[0]'],
  ])('GIVEN %s THEN a usage error naming the key', (_what, text, message) => {
    expect(problem(text)).toContain(message);
  });

  it('GIVEN a secret whose environment variable is not set THEN the start stops naming the key and the variable', () => {
    const config = parseConfig(FULL, 'kickbot.yaml');
    const { RC_TOKEN: _, ...env } = ENV;
    expect(() => seedConnectors(config, env, silentLogger)).toThrow(
      new UsageError('config connectors.rocketchat.token: environment variable RC_TOKEN is not set'),
    );
  });
});

describe('console workspace areas merged with the config file', () => {
  const workspace = parseWorkspace(
    `
bot: kickbot
users: [{ id: bob }, { id: mo }, { id: olga }, { id: kickbot, roles: [bot] }]
rooms:
  - { id: general, type: public, members: [bob, mo] }
  - { id: random, type: public, members: [bob] }
areas:
  - { id: payments, rooms: [general], managers: [mo] }
`,
    'w.yaml',
  );

  it('GIVEN the same area id THEN rooms and managers are joined; a new id is added', () => {
    const config = parseConfig(
      'areas:\n  - { id: payments, rooms: [random, general], managers: { console: [olga] } }\n  - { id: support, rooms: [random] }\n',
      'kickbot.yaml',
    );
    const merged = withConfigAreas(workspace, config.areas);
    expect(merged.areas).toEqual([
      { id: 'payments', rooms: ['general', 'random'], managers: ['mo', 'olga'] },
      { id: 'support', rooms: ['random'], managers: [] },
    ]);
    expect(workspace.areas).toEqual([{ id: 'payments', rooms: ['general'], managers: ['mo'] }]);
  });
});
