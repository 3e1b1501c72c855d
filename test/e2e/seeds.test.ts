import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readEnv } from '../../src/cli/env.js';
import { consoleApp, createRuntime, type Runtime } from '../../src/cli/runtime.js';
import { parseConfig } from '../../src/config/config-file.js';
import { type ResultReply, silentLogger } from '../../src/core/index.js';
import { ConsoleSession } from '../../src/platforms/console/session.js';
import { renderText } from '../../src/render/text.js';
import { FakeBetterForms } from '../fakes/betterforms/FakeBetterForms.js';
import { FakeDocSpace } from '../fakes/docspace/FakeDocSpace.js';
import { FakeFeedbackHouse } from '../fakes/feedbackhouse/FakeFeedbackHouse.js';
import { FakeMudbase } from '../fakes/mudbase/FakeMudbase.js';
import { kickbot } from '../helpers/cli.js';
import {
  AREA,
  BOB,
  connectorsYaml,
  type Fakes,
  GROUP,
  SECRETS,
  startRocketChat,
} from '../helpers/seed-world.js';
import { closedPort } from '../helpers/slack-core.js';

/**
 * `/remove-area` from the console across every seed system at once, through kickbot's real wiring (config file,
 * secrets from the environment, identity links, area targets), against the five fakes: one result per system,
 * the summary, the audit log, `#<system>:<id>` rooms in `/kick` with DESIGN §5 applied there, and undo.
 */

const OTHER = {
  rocketchat: 'rc-olga',
  docspace: '9a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d',
  feedbackhouse: '507f1f77bcf86cd799439012',
  mudbase: 'usr_olga',
  betterforms: 'BF_OLGA',
};

const WORKSPACE = `
name: seeds
bot: kickbot
users:
  - { id: ada, roles: [admin] }
  - { id: mo, roles: [moderator] }
  - { id: bob }
  - { id: carol }
  - { id: olga }
  - { id: kickbot, roles: [bot] }
rooms:
  - { id: general, type: public, members: [ada, mo, bob, carol, kickbot] }
areas:
  - { id: payments, rooms: [general], managers: [mo] }
`;

async function startFakes(): Promise<Fakes> {
  const rc = await startRocketChat([
    [BOB.rocketchat, 'bob'],
    [OTHER.rocketchat, 'olga'],
    ['rc-carol', 'carol'],
  ]);
  rc.addRoom({
    id: 'GROUP1',
    name: 'payments-team',
    t: 'p',
    members: {
      [BOB.rocketchat]: [],
      [OTHER.rocketchat]: ['owner'],
      'rc-carol': [],
      [SECRETS.RC_USER_ID]: [],
    },
  });
  const ds = await FakeDocSpace.start({
    apiKey: SECRETS.DOCSPACE_API_KEY,
    users: { [BOB.docspace]: 'Bob', [OTHER.docspace]: 'Olga' },
    groups: [{ id: GROUP, name: 'Payments', members: [BOB.docspace, OTHER.docspace] }],
  });
  const fh = await FakeFeedbackHouse.start({ apiKey: SECRETS.FH_API_KEY });
  fh.addArea(AREA, [BOB.feedbackhouse, OTHER.feedbackhouse]);
  const mb = await FakeMudbase.start({
    projectId: 'proj_1',
    jwt: SECRETS.MUDBASE_JWT,
    chats: { VL0TZudKjN6SiWtV: [BOB.mudbase, OTHER.mudbase] },
  });
  const bf = await FakeBetterForms.start({
    apiKey: SECRETS.BF_API_KEY,
    channels: [
      { name: 'channel1', members: [BOB.betterforms, OTHER.betterforms] },
      { name: 'lobby', anonymous: true, members: ['tab-1'] },
    ],
  });
  return { rc, ds, fh, mb, bf };
}

function configText(f: Fakes): string {
  return `
${connectorsYaml(f)}identities:
  - { console: bob, rocketchat: ${BOB.rocketchat}, docspace: ${BOB.docspace}, feedbackhouse: ${BOB.feedbackhouse}, mudbase: ${BOB.mudbase}, betterforms: ${BOB.betterforms} }
  - { console: carol, rocketchat: rc-carol }
  - { console: olga, rocketchat: ${OTHER.rocketchat}, docspace: ${OTHER.docspace} }
areas:
  - id: payments
    targets:
      - { connector: rocketchat, room: GROUP1, type: private }
      - { connector: docspace, group: ${GROUP} }
      - { connector: feedbackhouse, area: ${AREA} }
      - { connector: mudbase, chat: VL0TZudKjN6SiWtV }
      - { connector: betterforms, channel: channel1, mode: ignore }
      - { connector: betterforms, channel: lobby, mode: ignore, anonymous: true }
`;
}

let dir: string;
let workspaceFile: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kickbot-seeds-'));
  workspaceFile = join(dir, 'seeds.yaml');
  writeFileSync(workspaceFile, WORKSPACE);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let fakes: Fakes;
let runtime: Runtime;
beforeEach(async () => {
  fakes = await startFakes();
  runtime = await createRuntime({
    env: readEnv({}),
    config: parseConfig(configText(fakes), 'kickbot.yaml'),
    logger: silentLogger,
    worker: false,
    console: { workspaceFile },
    rawEnv: SECRETS,
  });
});
afterEach(async () => {
  await runtime.close();
  await Promise.all(Object.values(fakes).map((f) => f.close()));
});

async function as(user: string, line: string): Promise<ResultReply> {
  const app = consoleApp(runtime);
  const reply = await app.core.handle(new ConsoleSession(app, { as: user, in: 'general' }).invocation(line));
  if (reply.kind !== 'result') throw new Error(`expected a result, got ${renderText(reply)}`);
  return reply;
}

const outcomes = (reply: ResultReply) =>
  reply.results.map((r) => [r.room, r.outcome, ...(r.code ? [r.code] : [])].join(' '));

describe('/remove-area across every seed system, from the console', () => {
  it('GIVEN the area manager removes bob THEN every system removes him, with one result each and the summary', async () => {
    const reply = await as('mo', '/remove-area payments @bob offboarding');
    expect(outcomes(reply)).toEqual([
      'console:general removed',
      'rocketchat:GROUP1 removed',
      `docspace:${GROUP} removed`,
      `feedbackhouse:${AREA} removed`,
      'mudbase:VL0TZudKjN6SiWtV removed',
      'betterforms:channel1 removed',
      'betterforms:lobby unsupported anonymous-channel',
    ]);
    expect(reply.summary).toBe('Removed 6 | Not a member 0 | Denied 0 | Failed 0 | Unsupported 1');
    expect(reply.areas).toEqual([
      {
        area: 'payments',
        users: ['console:bob'],
        usersNotUpdated: [],
        errors: [
          {
            room: 'betterforms:lobby',
            user: 'console:bob',
            outcome: 'unsupported',
            code: 'anonymous-channel',
          },
        ],
      },
    ]);
    expect(fakes.rc.isMember('GROUP1', BOB.rocketchat)).toBe(false);
    expect(fakes.ds.isMember(GROUP, BOB.docspace)).toBe(false);
    expect(fakes.fh.isMember(AREA, BOB.feedbackhouse)).toBe(false);
    expect(fakes.mb.isParticipant('VL0TZudKjN6SiWtV', BOB.mudbase)).toBe(false);
    expect(fakes.bf.isMember('channel1', BOB.betterforms)).toBe(false);
    // nobody else was touched
    expect(fakes.rc.isMember('GROUP1', OTHER.rocketchat)).toBe(true);
    expect(fakes.ds.isMember(GROUP, OTHER.docspace)).toBe(true);
    expect(fakes.fh.isMember(AREA, OTHER.feedbackhouse)).toBe(true);
    expect(fakes.mb.isParticipant('VL0TZudKjN6SiWtV', OTHER.mudbase)).toBe(true);
    expect(fakes.bf.isMember('channel1', OTHER.betterforms)).toBe(true);

    const text = renderText(reply);
    expect(text).toContain('Rocket.Chat #payments-team');
    expect(text).toContain('DocSpace group Payments');
    const audit = await runtime.store.readAudit({ caseId: reply.caseId });
    expect(audit).toHaveLength(7);
    expect(new Set(audit.map((r) => `${r.target} ${r.reason}`))).toEqual(
      new Set(['console:bob offboarding']),
    );
  });

  it('GIVEN carol, linked to Rocket.Chat only THEN removed there and unsupported no-identity elsewhere, without a call', async () => {
    const reply = await as('mo', '/remove-area payments @carol');
    expect(outcomes(reply)).toEqual([
      'console:general removed',
      'rocketchat:GROUP1 removed',
      `docspace:${GROUP} unsupported no-identity`,
      `feedbackhouse:${AREA} unsupported no-identity`,
      'mudbase:VL0TZudKjN6SiWtV unsupported no-identity',
      'betterforms:channel1 unsupported no-identity',
      'betterforms:lobby unsupported anonymous-channel',
    ]);
    expect(reply.results[2]?.hint).toBe(
      "no docspace account is linked to carol (identities in kickbot's config file)",
    );
    expect(fakes.ds.calls.filter((c) => c.method !== 'GET')).toEqual([]);
    expect(fakes.fh.calls).toEqual([]);
    expect(fakes.mb.calls).toEqual([]);
    expect(fakes.bf.calls).toEqual([]);
  });

  it('GIVEN bob is removed and the case undone THEN the systems with undo re-add him, the others say they cannot', async () => {
    const first = await as('mo', '/remove-area payments @bob');
    const undo = await as('mo', `/kickbot undo ${first.caseId}`);
    // (in the order the removals were recorded, which the systems' answers decide)
    expect(outcomes(undo).sort()).toEqual([
      'betterforms:channel1 unsupported no-undo',
      'console:general restored',
      `docspace:${GROUP} restored`,
      `feedbackhouse:${AREA} unsupported no-undo`,
      'mudbase:VL0TZudKjN6SiWtV restored',
      'rocketchat:GROUP1 restored',
    ]);
    expect(fakes.rc.isMember('GROUP1', BOB.rocketchat)).toBe(true);
    expect(fakes.ds.isMember(GROUP, BOB.docspace)).toBe(true);
    expect(fakes.mb.isParticipant('VL0TZudKjN6SiWtV', BOB.mudbase)).toBe(true);
  });
});

describe('/kick with a room of another system', () => {
  it('GIVEN #rocketchat:GROUP1, a private group THEN the admin may (bypass), a moderator who is not in it gets room-not-found', async () => {
    const refused = await as('mo', '/kick @bob #rocketchat:GROUP1');
    expect(outcomes(refused)).toEqual(['rocketchat:GROUP1 denied room-not-found']);
    expect(fakes.rc.isMember('GROUP1', BOB.rocketchat)).toBe(true);

    const done = await as('ada', `/kick @bob #rocketchat:GROUP1 #docspace:${GROUP}`);
    expect(outcomes(done)).toEqual(['rocketchat:GROUP1 removed', `docspace:${GROUP} removed`]);
    expect(fakes.rc.isMember('GROUP1', BOB.rocketchat)).toBe(false);
    expect(fakes.ds.isMember(GROUP, BOB.docspace)).toBe(false);
  });

  it("GIVEN olga, the Rocket.Chat group's only owner THEN denied last-owner by rule 8, without a kick", async () => {
    const reply = await as('ada', '/kick @olga #rocketchat:GROUP1');
    expect(outcomes(reply)).toEqual(['rocketchat:GROUP1 denied last-owner']);
    expect(fakes.rc.callsTo('POST /api/v1/groups.kick')).toEqual([]);
    expect(fakes.rc.isMember('GROUP1', OTHER.rocketchat)).toBe(true);
  });

  it('GIVEN bob leaves the Rocket.Chat group with /leave THEN he is out, recorded as leaving', async () => {
    const reply = await as('bob', '/leave #rocketchat:GROUP1');
    expect(reply.action).toBe('leave');
    expect(outcomes(reply)).toEqual(['rocketchat:GROUP1 removed']);
    expect(fakes.rc.isMember('GROUP1', BOB.rocketchat)).toBe(false);
  });
});

describe('kickbot run with the config file (the real CLI)', () => {
  it('GIVEN --config and the secrets in the environment THEN --json reports every system; without a secret THEN exit 2 naming it', async () => {
    const config = join(dir, 'kickbot.yaml');
    writeFileSync(config, configText(fakes));
    const args = ['run', '--workspace', workspaceFile, '--config', config, '--as', 'mo', '--json'];
    const ok = await kickbot([...args, '--', '/remove-area payments @bob'], { env: SECRETS });
    expect(ok.code).toBe(3); // the anonymous BetterForms channel is unsupported
    const json = JSON.parse(ok.stdout) as { status: string; results: { room: string; outcome: string }[] };
    expect(json.status).toBe('partial');
    expect(json.results.map((r) => `${r.room} ${r.outcome}`)).toEqual([
      'general removed',
      'rocketchat:GROUP1 removed',
      `docspace:${GROUP} removed`,
      `feedbackhouse:${AREA} removed`,
      'mudbase:VL0TZudKjN6SiWtV removed',
      'betterforms:channel1 removed',
      'betterforms:lobby unsupported',
    ]);
    for (const secret of Object.values(SECRETS).slice(1)) {
      expect(ok.stdout).not.toContain(secret);
      expect(ok.stderr).not.toContain(secret);
    }

    const { MUDBASE_JWT: _, ...missing } = SECRETS;
    const bad = await kickbot([...args, '--', '/remove-area payments @bob'], { env: missing });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(
      'config connectors.mudbase.jwt: environment variable MUDBASE_JWT is not set',
    );
  });
});

describe('one system in trouble while planning (kickbot run)', () => {
  it('GIVEN Rocket.Chat refuses the token (401) and DocSpace is unreachable THEN their pairs fail with hints naming them, every other system removes bob, exit 3', async () => {
    const config = join(dir, 'kickbot-trouble.yaml');
    const gone = `http://127.0.0.1:${await closedPort()}`;
    writeFileSync(config, configText(fakes).replace(fakes.ds.url, gone));
    const env = { ...SECRETS, RC_TOKEN: 'a-token-rocket-chat-refuses' };
    const args = ['run', '--workspace', workspaceFile, '--config', config, '--as', 'mo'];

    const run = await kickbot([...args, '--', '/remove-area payments @bob'], { env });
    expect(run.code).toBe(3);
    const lines = run.stdout.split('\n');
    // problems first: the two failed systems, the unsupported channel, then the removals
    expect(lines.filter((l) => l.startsWith('✗ '))).toEqual([
      "✗ bob in #rocketchat:GROUP1: failed (unauthorized): Rocket.Chat refused kickbot's credentials: check RC_USER_ID/RC_TOKEN",
      `✗ bob in #docspace:${GROUP}: failed (docspace-unreachable): kickbot could not get an answer from DocSpace: try again in a moment`,
      expect.stringMatching(/^✗ bob in .*lobby.*: unsupported \(anonymous-channel\)/),
    ]);
    expect(run.stdout).not.toContain('could not reach console');
    expect(run.stdout).toContain('Removed 4 | Not a member 0 | Denied 0 | Failed 2 | Unsupported 1');
    expect(fakes.rc.isMember('GROUP1', BOB.rocketchat)).toBe(true);
    expect(fakes.fh.isMember(AREA, BOB.feedbackhouse)).toBe(false);
    expect(fakes.mb.isParticipant('VL0TZudKjN6SiWtV', BOB.mudbase)).toBe(false);
    expect(fakes.bf.isMember('channel1', BOB.betterforms)).toBe(false);
    for (const secret of Object.values(env).slice(1)) expect(run.stdout + run.stderr).not.toContain(secret);

    const json = await kickbot([...args, '--json', '--', '/remove-area payments @carol'], { env });
    expect(json.code).toBe(3);
    const parsed = JSON.parse(json.stdout) as {
      status: string;
      results: { room: string; outcome: string; code?: string }[];
    };
    expect(parsed.status).toBe('partial');
    expect(parsed.results.map((r) => `${r.room} ${r.outcome} ${r.code ?? ''}`.trim())).toEqual([
      'general removed',
      'rocketchat:GROUP1 failed unauthorized',
      `docspace:${GROUP} failed docspace-unreachable`,
      `feedbackhouse:${AREA} unsupported no-identity`,
      'mudbase:VL0TZudKjN6SiWtV unsupported no-identity',
      'betterforms:channel1 unsupported no-identity',
      'betterforms:lobby unsupported anonymous-channel',
    ]);
  });
});
