import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeBetterForms } from '../fakes/betterforms/FakeBetterForms.js';
import { FakeDocSpace } from '../fakes/docspace/FakeDocSpace.js';
import { FakeFeedbackHouse } from '../fakes/feedbackhouse/FakeFeedbackHouse.js';
import { FakeMudbase } from '../fakes/mudbase/FakeMudbase.js';
import { FakeRocketChat } from '../fakes/rocketchat/FakeRocketChat.js';

/**
 * The five seed systems' fakes as the end-to-end tests use them (ids, secrets, the config's `connectors:`), and an
 * offboarding's world: a console workspace where bob is in several rooms and an area
 * group, and the five seed systems' fakes where he is linked (config `identities`) and reached through an area's
 * targets and `offboard.targets`. Carol has no link anywhere but the console; olivia owns the workspace; ada is an
 * admin; mo is a moderator whom the workspace grants `offboard-user`.
 */

export const BOB = {
  rocketchat: 'rc-bob',
  docspace: '4c65a238-ca50-4374-b904-0d51d4c1822b',
  feedbackhouse: '507f1f77bcf86cd799439011',
  mudbase: 'usr_bob',
  betterforms: 'BF_BOB',
};
const ADA = { rocketchat: 'rc-ada', docspace: '9a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d' };
export const GROUP = 'c652dba3-210e-436d-b264-df5ceda0a48e';
export const AREA = '997f1f77bcf86cd799439011';
export const CHAT = 'VL0TZudKjN6SiWtV';
export const SECRETS = {
  RC_USER_ID: 'rc-kickbot',
  RC_TOKEN: 'fake-rc-token-0001',
  FH_API_KEY: 'fake-fh-key-0001',
  DOCSPACE_API_KEY: 'fake-docspace-key-0001',
  MUDBASE_JWT: 'fake-mudbase-jwt-0001',
  BF_API_KEY: 'fake-bf-key-0001',
};

export const WORKSPACE = `
name: offboard
bot: kickbot
owner: olivia
permissions:
  offboard-user: [admin, moderator]
users:
  - { id: olivia, roles: [admin] }
  - { id: ada, roles: [admin] }
  - { id: mo, roles: [moderator] }
  - { id: bob }
  - { id: carol }
  - { id: kickbot, roles: [bot] }
rooms:
  - { id: general, type: public, members: [olivia, ada, mo, bob, carol, kickbot] }
  - { id: dev, type: public, members: [ada, mo, bob, kickbot] }
  - { id: secret, type: private, members: [ada, bob, kickbot] }
areas:
  - { id: payments, rooms: [general], members: [bob, carol, ada], managers: [mo] }
`;

export interface Fakes {
  rc: FakeRocketChat;
  ds: FakeDocSpace;
  fh: FakeFeedbackHouse;
  mb: FakeMudbase;
  bf: FakeBetterForms;
}

/** The Rocket.Chat fake with kickbot's account (an admin, SECRETS' credentials) and these users (id, username). */
export async function startRocketChat(
  users: readonly (readonly [string, string])[],
): Promise<FakeRocketChat> {
  const rc = await FakeRocketChat.start({
    caller: { id: SECRETS.RC_USER_ID, username: 'kickbot', roles: ['admin'] },
    token: SECRETS.RC_TOKEN,
  });
  for (const [id, username] of users) rc.addUser({ id, username, roles: ['user'] });
  return rc;
}

export async function startFakes(): Promise<Fakes> {
  const rc = await startRocketChat([
    [BOB.rocketchat, 'bob'],
    [ADA.rocketchat, 'ada'],
  ]);
  rc.addRoom({
    id: 'GROUP1',
    name: 'payments-team',
    t: 'p',
    members: { [BOB.rocketchat]: [], [ADA.rocketchat]: ['owner'], [SECRETS.RC_USER_ID]: [] },
  });
  rc.addRoom({
    id: 'DEV1',
    name: 'dev',
    t: 'c',
    members: { [BOB.rocketchat]: [], [ADA.rocketchat]: ['owner'], [SECRETS.RC_USER_ID]: [] },
  });
  const ds = await FakeDocSpace.start({
    apiKey: SECRETS.DOCSPACE_API_KEY,
    users: { [BOB.docspace]: 'Bob', [ADA.docspace]: 'Ada' },
    groups: [{ id: GROUP, name: 'Payments', members: [BOB.docspace, ADA.docspace] }],
  });
  const fh = await FakeFeedbackHouse.start({ apiKey: SECRETS.FH_API_KEY });
  fh.addArea(AREA, [BOB.feedbackhouse]);
  const mb = await FakeMudbase.start({
    projectId: 'proj_1',
    jwt: SECRETS.MUDBASE_JWT,
    chats: { [CHAT]: [BOB.mudbase] },
  });
  const bf = await FakeBetterForms.start({
    apiKey: SECRETS.BF_API_KEY,
    channels: [{ name: 'channel1', members: [BOB.betterforms] }],
  });
  return { rc, ds, fh, mb, bf };
}

export async function closeFakes(fakes: Fakes): Promise<void> {
  await Promise.all(Object.values(fakes).map((f) => f.close()));
}

/** The config file's `connectors:` block for the five fakes, their secrets read from SECRETS' variables. */
export function connectorsYaml(f: Fakes): string {
  return `connectors:
  rocketchat:    { url: "${f.rc.url}", userId: { env: RC_USER_ID }, token: { env: RC_TOKEN } }
  feedbackhouse: { url: "${f.fh.url}", apiKey: { env: FH_API_KEY } }
  docspace:      { url: "${f.ds.url}", apiKey: { env: DOCSPACE_API_KEY } }
  mudbase:       { url: "${f.mb.url}", projectId: proj_1, jwt: { env: MUDBASE_JWT } }
  betterforms:   { url: "${f.bf.url}", apiKey: { env: BF_API_KEY } }
`;
}

/** The config file: the five systems, identity links, the area's targets, and `offboard.targets`. */
export function configText(f: Fakes): string {
  return `
${connectorsYaml(f)}identities:
  - { console: bob, rocketchat: ${BOB.rocketchat}, docspace: ${BOB.docspace}, feedbackhouse: ${BOB.feedbackhouse}, mudbase: ${BOB.mudbase}, betterforms: ${BOB.betterforms} }
  - { console: ada, rocketchat: ${ADA.rocketchat}, docspace: ${ADA.docspace} }
areas:
  - id: payments
    targets:
      - { connector: rocketchat, room: GROUP1, type: private }
      - { connector: docspace, group: ${GROUP} }
      - { connector: feedbackhouse, area: ${AREA} }
offboard:
  targets:
    - { connector: rocketchat, room: DEV1, type: public }
    - { connector: mudbase, chat: ${CHAT} }
    - { connector: betterforms, channel: channel1, mode: ignore }
`;
}

/** Where bob still is in each seed system. */
export function bobIn(f: Fakes): string[] {
  return [
    ...['GROUP1', 'DEV1'].filter((r) => f.rc.isMember(r, BOB.rocketchat)).map((r) => `rocketchat:${r}`),
    ...(f.ds.isMember(GROUP, BOB.docspace) ? ['docspace'] : []),
    ...(f.fh.isMember(AREA, BOB.feedbackhouse) ? ['feedbackhouse'] : []),
    ...(f.mb.isParticipant(CHAT, BOB.mudbase) ? ['mudbase'] : []),
    ...(f.bf.isMember('channel1', BOB.betterforms) ? ['betterforms'] : []),
  ];
}

export const EVERYWHERE = [
  'rocketchat:GROUP1',
  'rocketchat:DEV1',
  'docspace',
  'feedbackhouse',
  'mudbase',
  'betterforms',
];

/** A directory with the workspace file and the config file for these fakes; `remove()` when done. */
export function files(f: Fakes): { dir: string; workspace: string; config: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'kickbot-offboard-'));
  const workspace = join(dir, 'workspace.yaml');
  const config = join(dir, 'kickbot.yaml');
  writeFileSync(workspace, WORKSPACE);
  writeFileSync(config, configText(f));
  return { dir, workspace, config, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
