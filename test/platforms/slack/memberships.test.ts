import { WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type HeldRoom, type Id, silentLogger } from '../../../src/core/index.js';
import { slackConnector } from '../../../src/platforms/slack/connector.js';
import { slackId } from '../../../src/platforms/slack/ids.js';
import { slackLogger } from '../../../src/platforms/slack/logger.js';
import type { SlackDirectory } from '../../../src/platforms/slack/SlackDirectory.js';
import type { SlackRemover } from '../../../src/platforms/slack/SlackRemover.js';
import { FakeSlack } from '../../fakes/slack/FakeSlack.js';
import { CONFIG, T, TOKEN, WORKSPACE } from '../../helpers/slack-rig.js';

/**
 * One user's rooms for an offboarding: their channels from `users.conversations`, page after page, then the user
 * groups that list them (one `usergroups.list` with `include_users`); and the directory's side, a config identity's
 * key or email to a Slack user id.
 */

const EXTRA = 250;
const extra = Array.from({ length: EXTRA }, (_, i) => `C1X${String(i).padStart(4, '0')}`);

let fake: FakeSlack;
let remover: SlackRemover;

beforeEach(async () => {
  fake = await FakeSlack.start(WORKSPACE);
  for (const [i, id] of extra.entries()) fake.addChannel({ id, name: `extra-${i}`, members: ['U0BOB'] });
  const client = new WebClient(TOKEN, {
    slackApiUrl: fake.apiUrl,
    retryConfig: { retries: 0 },
    logger: slackLogger(silentLogger),
  });
  remover = slackConnector({ client, config: CONFIG, logger: silentLogger }).remover;
});

afterEach(async () => {
  await fake.close();
});

async function pages(user: string): Promise<Id[][]> {
  const out: Id[][] = [];
  for await (const page of remover.memberships(slackId(T, user))) out.push(page.map((held) => held.room.id));
  return out;
}

describe('SlackRemover.memberships', () => {
  it('GIVEN bob in 253 channels and a user group THEN two pages of users.conversations (cursor), public and private, no DMs, then the group', async () => {
    const got = await pages('U0BOB');
    expect(got.map((p) => p.length)).toEqual([200, 53, 1]);
    expect(new Set(got.slice(0, 2).flat())).toEqual(
      new Set(['C0GENERAL', 'C0RANDOM', 'G0SECRET', ...extra].map((c) => slackId(T, c))),
    );
    expect(got[2]).toEqual([slackId(T, 'S0PAY')]);
    const calls = fake.callsTo('users.conversations');
    expect(calls.map((c) => [c.args.user, c.args.types])).toEqual([
      ['U0BOB', 'public_channel,private_channel'],
      ['U0BOB', 'public_channel,private_channel'],
    ]);
    expect(calls[0]?.args.cursor ?? '').toBe('');
    expect(calls[1]?.args.cursor).toBeTruthy();
  });

  it('GIVEN a user in no channel, or one Slack does not know THEN no page', async () => {
    expect(await pages('U0OWNERLESS')).toEqual([]);
    fake.addUser({ id: 'U0LONER', name: 'loner' });
    expect(await pages('U0LONER')).toEqual([]);
  });

  it('GIVEN Slack refuses the token THEN a ConnectorError unauthorized, not an empty list', async () => {
    fake.failNext('users.conversations', 'invalid_auth');
    await expect(pages('U0BOB')).rejects.toMatchObject({ name: 'ConnectorError', code: 'unauthorized' });
  });
});

describe('SlackRemover.memberships: user groups', () => {
  async function held(user: string): Promise<HeldRoom[]> {
    const out: HeldRoom[] = [];
    for await (const page of remover.memberships(slackId(T, user))) out.push(...page);
    return out;
  }

  it('GIVEN groups that list the user THEN each comes as a group room, as room() describes it, after the channels; one usergroups.list with users', async () => {
    fake.addUsergroup({ id: 'S0OPS', handle: 'ops', name: 'Ops', users: ['U0CAROL', 'U0DAVE'] });
    fake.addUsergroup({ id: 'S0OLD', handle: 'old', name: 'Old', users: ['U0CAROL'], disabled: true });
    const got = await held('U0CAROL');
    expect(fake.callsTo('usergroups.list').map((c) => c.args.include_users)).toEqual(['true']);
    const groups = got.filter((h) => h.room.type === 'group');
    expect(got.slice(-groups.length)).toEqual(groups); // channels first
    expect(groups).toEqual([
      { room: await remover.room(slackId(T, 'S0PAY')), roles: [] },
      { room: await remover.room(slackId(T, 'S0OPS')), roles: [] },
    ]);
    expect(groups[0]?.room).toEqual({
      id: slackId(T, 'S0PAY'),
      name: 'payments-team',
      type: 'group',
      owners: 0,
      label: '@payments-team',
    });
    expect(fake.callsTo('usergroups.users.list')).toEqual([]); // no lookup per group
  });

  it('GIVEN the user is taken out of a group THEN the group is no longer listed (not cached)', async () => {
    expect((await held('U0BOB')).map((h) => h.room.id)).toContain(slackId(T, 'S0PAY'));
    const result = await remover.remove({
      room: slackId(T, 'S0PAY'),
      user: slackId(T, 'U0BOB'),
      actor: slackId(T, 'U0ADMIN'),
      caseId: 1,
    });
    expect(result.outcome).toBe('removed');
    expect((await held('U0BOB')).map((h) => h.room.id)).not.toContain(slackId(T, 'S0PAY'));
  });

  const groupErrors: { error: string; answer: 'none' | 'throws' }[] = [
    { error: 'plan_upgrade_required', answer: 'none' },
    { error: 'paid_teams_only', answer: 'none' },
    { error: 'invalid_auth', answer: 'throws' },
    { error: 'missing_scope', answer: 'throws' },
  ];
  for (const t of groupErrors) {
    it(`GIVEN usergroups.list answers ${t.error} THEN ${t.answer === 'none' ? 'no group (a plan without groups)' : 'an error, not an empty list'}`, async () => {
      fake.failNext('usergroups.list', t.error);
      if (t.answer === 'none')
        expect((await held('U0BOB')).filter((h) => h.room.type === 'group')).toEqual([]);
      else await expect(held('U0BOB')).rejects.toBeTruthy();
    });
  }
});

describe('SlackDirectory: identities for an offboarding', () => {
  let directory: SlackDirectory;
  beforeEach(() => {
    const client = new WebClient(TOKEN, {
      slackApiUrl: fake.apiUrl,
      retryConfig: { retries: 0 },
      logger: slackLogger(silentLogger),
    });
    directory = slackConnector({ client, config: CONFIG, logger: silentLogger }).directory;
  });

  const keys: { key: string; expected: Id | undefined }[] = [
    { key: 'U024BE7LH', expected: slackId(T, 'U024BE7LH') },
    { key: 'W012A3CDE', expected: slackId(T, 'W012A3CDE') },
    { key: 'C0RANDOM', expected: undefined },
    { key: 'bob', expected: undefined },
    { key: 'U0BOB/../x', expected: undefined },
    { key: '', expected: undefined },
  ];
  for (const t of keys) {
    it(`GIVEN the key "${t.key}" THEN personId is ${t.expected ?? 'undefined'}`, async () => {
      expect(await directory.personId(t.key)).toBe(t.expected);
    });
  }

  it('GIVEN several lookups and bot() THEN auth.test is asked once; a failed one is asked again', async () => {
    fake.failNext('auth.test', 'fatal_error');
    await expect(directory.personId('U0BOB')).rejects.toBeTruthy();
    expect(await directory.personId('U0BOB')).toBe(slackId(T, 'U0BOB'));
    expect(await directory.personId('U0CAROL')).toBe(slackId(T, 'U0CAROL'));
    expect(await directory.bot({ workspace: `slack:${T}` })).toBe(slackId(T, fake.bot.userId));
    expect(fake.callsTo('auth.test')).toHaveLength(2);
  });

  it('GIVEN an address THEN findByEmail is that user (users.lookupByEmail); unknown, deactivated or not an address THEN undefined', async () => {
    fake.addUser({ id: 'U0MAIL', name: 'mail', email: 'bob@example.com' });
    fake.addUser({ id: 'U0GONE', name: 'gone', email: 'gone@example.com', deleted: true });
    expect(await directory.findByEmail('bob@example.com')).toBe(slackId(T, 'U0MAIL'));
    expect(await directory.findByEmail('nobody@example.com')).toBeUndefined();
    expect(await directory.findByEmail('gone@example.com')).toBeUndefined();
    expect(await directory.findByEmail('not an address')).toBeUndefined();
    expect(fake.callsTo('users.lookupByEmail').map((c) => c.args.email)).toEqual([
      'bob@example.com',
      'nobody@example.com',
      'gone@example.com',
    ]);
  });

  it('GIVEN Slack refuses the token on lookupByEmail THEN a ConnectorError unauthorized, not "no such user"', async () => {
    fake.failNext('users.lookupByEmail', 'invalid_auth');
    await expect(directory.findByEmail('bob@example.com')).rejects.toMatchObject({
      name: 'ConnectorError',
      code: 'unauthorized',
    });
  });
});
