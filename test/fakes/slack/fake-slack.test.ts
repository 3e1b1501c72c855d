import { App, LogLevel as BoltLogLevel, verifySlackRequest } from '@slack/bolt';
import {
  ErrorCode,
  LogLevel,
  type WebAPIHTTPError,
  type WebAPIPlatformError,
  type WebAPIRateLimitedError,
  WebClient,
  WebClientEvent,
  type WebClientOptions,
} from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeChannel, FakeSlack, type FakeUser } from './FakeSlack.js';
import {
  blockActionsBody,
  blockActionsPayload,
  formBody,
  postSigned,
  SLACK_DEFAULTS,
  sign,
  signature,
  slashCommandBody,
  slashCommandFields,
} from './signer.js';

const BOT = SLACK_DEFAULTS.botUserId;
const USERS: FakeUser[] = [
  { id: 'U0ALICE', name: 'alice', real_name: 'Alice A' },
  { id: 'U0BOB', name: 'bob', is_admin: true },
  { id: 'U0OWNER', name: 'olga', is_owner: true, is_primary_owner: true },
  { id: 'U0GUEST', name: 'gus', is_restricted: true },
  { id: 'U0GONE', name: 'gone', deleted: true },
];
const CHANNELS: FakeChannel[] = [
  { id: 'C0GENERAL', name: 'general', is_general: true, members: ['U0ALICE', 'U0BOB', BOT] },
  { id: 'C0ROOM', name: 'room', members: ['U0ALICE', 'U0BOB', BOT] },
  { id: 'C0NOBOT', name: 'nobot', members: ['U0ALICE'] },
  { id: 'G0PRIV', name: 'priv', is_private: true, members: ['U0ALICE', BOT] },
  { id: 'G0SECRET', name: 'secret', is_private: true, members: ['U0BOB'] },
  { id: 'D0IM', is_im: true, members: [BOT, 'U0ALICE'] },
  { id: 'G0MPIM', name: 'mpdm-alice--bob-1', is_mpim: true, members: ['U0ALICE', 'U0BOB', BOT] },
  { id: 'C0OLD', name: 'old', is_archived: true, members: ['U0ALICE', BOT] },
];

let fake: FakeSlack;

function client(opts: WebClientOptions = {}, token: string | null = fake.botToken): WebClient {
  const c = new WebClient(token ?? undefined, {
    slackApiUrl: fake.apiUrl,
    retryConfig: { retries: 0 },
    logLevel: LogLevel.ERROR,
    ...opts,
  });
  return c;
}

/** The Slack error code of a rejected Web API call (asserting it is a platform error). */
async function slackError(p: Promise<unknown>): Promise<string> {
  const e = (await p.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (err: unknown) => err,
  )) as WebAPIPlatformError;
  expect(e.code).toBe(ErrorCode.PlatformError);
  return e.data.error;
}

beforeEach(async () => {
  fake = await FakeSlack.start({
    users: USERS,
    channels: CHANNELS,
    usergroups: [{ id: 'S0MODS', handle: 'mods', name: 'Moderators', users: ['U0ALICE', 'U0BOB'] }],
  });
});

afterEach(async () => {
  await fake.close();
});

describe('FakeSlack Web API through the real WebClient', () => {
  it('answers auth.test for the bot token and refuses other tokens', async () => {
    const res = await client().auth.test();
    expect(res).toMatchObject({
      ok: true,
      user_id: BOT,
      bot_id: SLACK_DEFAULTS.botId,
      team_id: SLACK_DEFAULTS.teamId,
      url: `https://${SLACK_DEFAULTS.teamDomain}.slack.com/`,
    });
    expect(await slackError(client({}, 'xoxb-not-ours').auth.test())).toBe('invalid_auth');
    expect(await slackError(client({}, null).auth.test())).toBe('not_authed');
    expect(await slackError(client({}, fake.appToken).auth.test())).toBe('not_allowed_token_type');

    const [call] = fake.callsTo('auth.test');
    expect(call).toMatchObject({
      verb: 'POST',
      contentType: 'application/x-www-form-urlencoded',
      token: fake.botToken,
      status: 200,
      ok: true,
    });
    expect(call?.args).not.toHaveProperty('token');
  });

  it('accepts GET query strings and JSON bodies too', async () => {
    const get = await fetch(`${fake.apiUrl}users.info?user=U0ALICE`, {
      headers: { authorization: `Bearer ${fake.botToken}` },
    });
    expect(get.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await get.json()).toMatchObject({ ok: true, user: { id: 'U0ALICE', name: 'alice' } });

    const post = await fetch(`${fake.apiUrl}conversations.kick`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${fake.botToken}`,
        'content-type': 'application/json; charset=utf-8',
      },
      body: JSON.stringify({ channel: 'C0ROOM', user: 'U0BOB' }),
    });
    expect(await post.json()).toEqual({ ok: true, errors: {} });
    expect(fake.callsTo('conversations.kick')[0]).toMatchObject({ verb: 'POST', args: { user: 'U0BOB' } });

    // A token inside a JSON body is not read, as documented.
    const jsonToken = await fetch(`${fake.apiUrl}auth.test`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: fake.botToken }),
    });
    expect(await jsonToken.json()).toEqual({ ok: false, error: 'not_authed' });
    const formToken = await fetch(`${fake.apiUrl}auth.test`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: formBody({ token: fake.botToken }),
    });
    expect(await formToken.json()).toMatchObject({ ok: true, user_id: BOT });
    const unknown = await fetch(`${fake.apiUrl}conversations.nuke`, { method: 'POST' });
    expect(await unknown.json()).toMatchObject({ ok: false, error: 'unknown_method' });
  });

  it('users.info carries the flags; unknown users are user_not_found', async () => {
    const c = client();
    const { user } = await c.users.info({ user: 'U0OWNER' });
    expect(user).toMatchObject({ id: 'U0OWNER', is_owner: true, is_primary_owner: true, is_admin: false });
    expect((await c.users.info({ user: 'U0GUEST' })).user).toMatchObject({ is_restricted: true });
    expect((await c.users.info({ user: 'U0GONE' })).user).toMatchObject({ deleted: true });
    expect((await c.users.info({ user: BOT })).user).toMatchObject({ is_bot: true });
    expect(await slackError(c.users.info({ user: 'U0NOBODY' }))).toBe('user_not_found');
  });

  it('conversations.kick removes the member and answers {ok:true, errors:{}}', async () => {
    const res = await client().conversations.kick({ channel: 'C0ROOM', user: 'U0ALICE' });
    expect(res.ok).toBe(true);
    expect(res.errors).toEqual({});
    expect(fake.members('C0ROOM')).toEqual(['U0BOB', BOT]);
    expect(fake.callsTo('conversations.kick')[0]?.args).toEqual({ channel: 'C0ROOM', user: 'U0ALICE' });
    // A private channel the bot is in works the same.
    await client().conversations.kick({ channel: 'G0PRIV', user: 'U0ALICE' });
    expect(fake.isMember('G0PRIV', 'U0ALICE')).toBe(false);
  });

  it.each([
    ['not_in_channel', 'C0ROOM', 'U0OWNER'],
    ['cant_kick_from_general', 'C0GENERAL', 'U0ALICE'],
    ['cant_kick_self', 'C0ROOM', BOT],
    ['channel_not_found', 'C0MISSING', 'U0ALICE'],
    ['channel_not_found', 'G0SECRET', 'U0BOB'], // private, the bot is not a member
    ['user_not_found', 'C0ROOM', 'U0NOBODY'],
    ['method_not_supported_for_channel_type', 'D0IM', 'U0ALICE'],
    ['method_not_supported_for_channel_type', 'G0MPIM', 'U0ALICE'],
  ])('conversations.kick answers %s (%s, %s) as WebAPIPlatformError', async (error, channel, user) => {
    const before = fake.members(channel);
    expect(await slackError(client().conversations.kick({ channel, user }))).toBe(error);
    expect(fake.members(channel)).toEqual(before);
    expect(fake.callsTo('conversations.kick')[0]).toMatchObject({ status: 200, ok: false, error });
  });

  it('conversations.kick answers restricted_action and not_supported when the test says so', async () => {
    fake.kickRestricted = true;
    expect(await slackError(client().conversations.kick({ channel: 'C0ROOM', user: 'U0ALICE' }))).toBe(
      'restricted_action',
    );
    fake.kickRestricted = false;
    fake.notSupported('C0ROOM', 'U0ALICE');
    expect(await slackError(client().conversations.kick({ channel: 'C0ROOM', user: 'U0ALICE' }))).toBe(
      'not_supported',
    );
    expect(fake.isMember('C0ROOM', 'U0ALICE')).toBe(true);
  });

  it('conversations.info describes channels; hidden private channels are channel_not_found', async () => {
    const c = client();
    expect((await c.conversations.info({ channel: 'C0GENERAL' })).channel).toMatchObject({
      id: 'C0GENERAL',
      name: 'general',
      is_channel: true,
      is_group: false,
      is_private: false,
      is_im: false,
      is_mpim: false,
      is_general: true,
      is_archived: false,
      is_member: true,
    });
    expect((await c.conversations.info({ channel: 'G0PRIV' })).channel).toMatchObject({
      is_channel: false,
      is_group: true,
      is_private: true,
    });
    expect((await c.conversations.info({ channel: 'D0IM' })).channel).toMatchObject({
      is_im: true,
      user: 'U0ALICE',
    });
    expect((await c.conversations.info({ channel: 'C0OLD' })).channel).toMatchObject({ is_archived: true });
    expect((await c.conversations.info({ channel: 'C0NOBOT' })).channel).toMatchObject({ is_member: false });
    expect(await slackError(c.conversations.info({ channel: 'G0SECRET' }))).toBe('channel_not_found');
  });

  it('paginates conversations.members, users.list and conversations.list through client.paginate', async () => {
    const many = Array.from({ length: 250 }, (_, i) => `U1${String(i).padStart(4, '0')}`);
    for (const id of many) fake.addUser({ id, name: `user${id}` });
    fake.addChannel({ id: 'C0BIG', name: 'big', members: many });
    const c = client();

    const pages: string[][] = [];
    for await (const page of c.paginate('conversations.members', { channel: 'C0BIG', limit: 100 })) {
      pages.push((page as unknown as { members: string[] }).members);
    }
    expect(pages.map((p) => p.length)).toEqual([100, 100, 50]);
    expect(pages.flat()).toEqual(many);
    const cursors = fake.callsTo('conversations.members').map((call) => call.args.cursor);
    expect(cursors[0]).toBeUndefined();
    expect(cursors.slice(1).every((cur) => typeof cur === 'string' && cur !== '')).toBe(true);

    const ids = await c.paginate(
      'users.list',
      { limit: 60 },
      () => false,
      (acc: string[] | undefined, page) => [
        ...(acc ?? []),
        ...(page as unknown as { members: { id: string }[] }).members.map((m) => m.id),
      ],
    );
    expect(ids).toHaveLength(USERS.length + 1 + many.length);
    expect(fake.callsTo('users.list')).toHaveLength(5);

    const channels: string[] = [];
    for await (const page of c.paginate('conversations.list', {
      types: 'public_channel,private_channel',
      limit: 2,
    })) {
      channels.push(...(page as unknown as { channels: { id: string }[] }).channels.map((ch) => ch.id));
    }
    // G0SECRET is private without the bot; D0IM and G0MPIM are other types.
    expect(channels).toEqual(['C0GENERAL', 'C0ROOM', 'C0NOBOT', 'G0PRIV', 'C0OLD', 'C0BIG']);
    expect(await slackError(c.conversations.list({ types: 'everything' }))).toBe('invalid_types');
    expect(await slackError(c.conversations.members({ channel: 'C0BIG', cursor: 'bm9wZQ==' }))).toBe(
      'invalid_cursor',
    );
  });

  it('users.conversations: one user’s channels the bot can see, by types, exclude_archived, paged by cursor', async () => {
    const c = client();
    const ids = async (args: Record<string, unknown>) =>
      ((await c.users.conversations(args)).channels ?? []).map((ch) => ch.id);
    // Default type public_channel; G0SECRET is private without the bot; the DM and group DM are other types.
    expect(await ids({ user: 'U0ALICE' })).toEqual(['C0GENERAL', 'C0NOBOT', 'C0OLD', 'C0ROOM']);
    expect(
      await ids({ user: 'U0ALICE', types: 'public_channel,private_channel', exclude_archived: true }),
    ).toEqual(['C0GENERAL', 'C0NOBOT', 'C0ROOM', 'G0PRIV']);
    expect(await ids({ user: 'U0BOB', types: 'private_channel' })).toEqual([]);
    expect(await ids({ user: 'U0ALICE', types: 'im,mpim' })).toEqual(['D0IM', 'G0MPIM']);
    const last = await c.users.conversations({ user: 'U0BOB', limit: 999 });
    expect(last.response_metadata?.next_cursor).toBe('');
  });

  const pagingErrors: { name: string; args: Record<string, unknown>; error: string }[] = [
    { name: 'a limit over 999', args: { user: 'U0ALICE', limit: 1000 }, error: 'invalid_limit' },
    { name: 'a negative limit', args: { user: 'U0ALICE', limit: -1 }, error: 'invalid_limit' },
    {
      name: 'a cursor Slack never gave',
      args: { user: 'U0ALICE', cursor: 'bm9wZQ==' },
      error: 'invalid_cursor',
    },
    { name: 'an unknown user', args: { user: 'U0NOBODY' }, error: 'user_not_found' },
    { name: 'an unknown type', args: { user: 'U0ALICE', types: 'everything' }, error: 'invalid_types' },
  ];
  for (const t of pagingErrors) {
    it(`GIVEN users.conversations with ${t.name} THEN ${t.error}`, async () => {
      expect(await slackError(client().users.conversations(t.args))).toBe(t.error);
    });
  }

  it('GIVEN users.conversations pages THEN a cursor names the next channel, so leaving page one skips nothing', async () => {
    const many = Array.from({ length: 7 }, (_, i) => `C1X${i}`);
    for (const id of many) fake.addChannel({ id, name: id.toLowerCase(), members: ['U0GUEST', BOT] });
    const c = client();
    const seen: string[] = [];
    let cursor: string | undefined;
    const limits: (string | undefined)[] = [];
    do {
      const page = await c.users.conversations({ user: 'U0GUEST', limit: 3, ...(cursor ? { cursor } : {}) });
      const got = (page.channels ?? []).map((ch) => ch.id as string);
      seen.push(...got);
      // The user leaves what they were just listed in before the next page is asked for.
      for (const id of got) {
        const ch = fake.channels.get(id);
        if (ch) ch.members = ch.members.filter((m) => m !== 'U0GUEST');
      }
      cursor = page.response_metadata?.next_cursor || undefined;
      limits.push(String(fake.callsTo('users.conversations').at(-1)?.args.limit));
    } while (cursor);
    expect(seen).toEqual(many);
    expect(limits).toEqual(['3', '3', '3']);
  });

  it('users.lookupByEmail finds a user by address, whatever its case; an unknown one is users_not_found', async () => {
    fake.addUser({ id: 'U0MAIL', name: 'mail', email: 'Mail.User@example.com' });
    const found = await client().users.lookupByEmail({ email: 'mail.user@EXAMPLE.com' });
    expect(found.user).toMatchObject({ id: 'U0MAIL', profile: { email: 'Mail.User@example.com' } });
    expect(await slackError(client().users.lookupByEmail({ email: 'nobody@example.com' }))).toBe(
      'users_not_found',
    );
    expect(fake.callsTo('users.lookupByEmail')).toHaveLength(2);
  });

  it('conversations.invite adds members and reports each documented error', async () => {
    const c = client();
    const res = await c.conversations.invite({ channel: 'C0ROOM', users: 'U0OWNER,U0GUEST' });
    expect(res.channel).toMatchObject({ id: 'C0ROOM', name: 'room' });
    expect(fake.members('C0ROOM')).toEqual(['U0ALICE', 'U0BOB', BOT, 'U0OWNER', 'U0GUEST']);

    expect(await slackError(c.conversations.invite({ channel: 'C0ROOM', users: 'U0ALICE' }))).toBe(
      'already_in_channel',
    );
    expect(await slackError(c.conversations.invite({ channel: 'C0ROOM', users: BOT }))).toBe(
      'cant_invite_self',
    );
    expect(await slackError(c.conversations.invite({ channel: 'C0ROOM', users: 'U0NOBODY' }))).toBe(
      'user_not_found',
    );
    expect(await slackError(c.conversations.invite({ channel: 'G0SECRET', users: 'U0ALICE' }))).toBe(
      'channel_not_found',
    );
    expect(await slackError(c.conversations.invite({ channel: 'C0OLD', users: 'U0BOB' }))).toBe(
      'is_archived',
    );
    expect(await slackError(c.conversations.invite({ channel: 'D0IM', users: 'U0BOB' }))).toBe(
      'method_not_supported_for_channel_type',
    );
    // Not documented for the kick side, but for invite: the caller must be in the channel.
    expect(await slackError(c.conversations.invite({ channel: 'C0NOBOT', users: 'U0BOB' }))).toBe(
      'not_in_channel',
    );
    // One bad ID fails the whole call unless `force`.
    expect(await slackError(c.conversations.invite({ channel: 'G0PRIV', users: 'U0BOB,U0NOBODY' }))).toBe(
      'user_not_found',
    );
    expect(fake.isMember('G0PRIV', 'U0BOB')).toBe(false);
    const forced = await c.conversations.invite({ channel: 'G0PRIV', users: 'U0BOB,U0NOBODY', force: true });
    expect(forced.ok).toBe(true);
    expect(fake.isMember('G0PRIV', 'U0BOB')).toBe(true);
  });

  it('usergroups: list with users, users.list, and users.update replacing the whole list', async () => {
    const c = client();
    expect((await c.usergroups.list()).usergroups?.[0]).not.toHaveProperty('users');
    expect((await c.usergroups.list({ include_users: true })).usergroups).toEqual([
      expect.objectContaining({
        id: 'S0MODS',
        handle: 'mods',
        name: 'Moderators',
        users: ['U0ALICE', 'U0BOB'],
      }),
    ]);
    expect((await c.usergroups.users.list({ usergroup: 'S0MODS' })).users).toEqual(['U0ALICE', 'U0BOB']);

    const updated = await c.usergroups.users.update({ usergroup: 'S0MODS', users: 'U0BOB,U0OWNER' });
    expect(updated.usergroup).toMatchObject({ id: 'S0MODS', users: ['U0BOB', 'U0OWNER'] });
    expect(fake.usergroups.get('S0MODS')?.users).toEqual(['U0BOB', 'U0OWNER']);
    await c.usergroups.users.update({ usergroup: 'S0MODS', users: 'U0OWNER' });
    expect((await c.usergroups.users.list({ usergroup: 'S0MODS' })).users).toEqual(['U0OWNER']);

    expect(await slackError(c.usergroups.users.update({ usergroup: 'S0MODS', users: '' }))).toBe(
      'no_users_provided',
    );
    expect(await slackError(c.usergroups.users.update({ usergroup: 'S0MODS', users: 'U0NOBODY' }))).toBe(
      'invalid_users',
    );
    expect(await slackError(c.usergroups.users.update({ usergroup: 'S0NONE', users: 'U0BOB' }))).toBe(
      'no_such_subteam',
    );
    expect(await slackError(c.usergroups.users.list({ usergroup: 'S0NONE' }))).toBe('no_such_subteam');
    expect(fake.usergroups.get('S0MODS')?.users).toEqual(['U0OWNER']);
  });

  it('chat.postMessage and chat.postEphemeral record messages and need the bot in the channel', async () => {
    const c = client();
    const posted = await c.chat.postMessage({ channel: 'C0ROOM', text: 'kicked <@U0ALICE>' });
    expect(posted).toMatchObject({ ok: true, channel: 'C0ROOM', message: { text: 'kicked <@U0ALICE>' } });
    expect(posted.ts).toMatch(/^\d+\.\d{6}$/);
    expect(await slackError(c.chat.postMessage({ channel: 'C0NOBOT', text: 'hi' }))).toBe('not_in_channel');
    expect(await slackError(c.chat.postMessage({ channel: 'G0SECRET', text: 'hi' }))).toBe(
      'channel_not_found',
    );

    const eph = await c.chat.postEphemeral({ channel: 'C0ROOM', user: 'U0BOB', text: 'done' });
    expect(eph.message_ts).toMatch(/^\d+\.\d{6}$/);
    expect(await slackError(c.chat.postEphemeral({ channel: 'C0ROOM', user: 'U0OWNER', text: 'x' }))).toBe(
      'user_not_in_channel',
    );
    expect(fake.messages).toEqual([
      expect.objectContaining({ method: 'chat.postMessage', channel: 'C0ROOM', text: 'kicked <@U0ALICE>' }),
      expect.objectContaining({
        method: 'chat.postEphemeral',
        channel: 'C0ROOM',
        user: 'U0BOB',
        text: 'done',
      }),
    ]);
  });

  it('failNext injects errors (matching args, a number of times, an HTTP status)', async () => {
    const c = client();
    fake.failNext('conversations.kick', 'ratelimited', { match: (a) => a.user === 'U0BOB', times: 2 });
    expect(await slackError(c.conversations.kick({ channel: 'C0ROOM', user: 'U0BOB' }))).toBe('ratelimited');
    await c.conversations.kick({ channel: 'C0ROOM', user: 'U0ALICE' }); // does not match
    expect(await slackError(c.conversations.kick({ channel: 'C0ROOM', user: 'U0BOB' }))).toBe('ratelimited');
    await c.conversations.kick({ channel: 'C0ROOM', user: 'U0BOB' }); // used up
    expect(fake.members('C0ROOM')).toEqual([BOT]);

    fake.failNext('users.info', 'internal_error', { status: 500 });
    const e = (await c.users.info({ user: 'U0ALICE' }).catch((err: unknown) => err)) as WebAPIHTTPError;
    expect(e.code).toBe(ErrorCode.HTTPError);
    expect(e.statusCode).toBe(500);
    expect(fake.stats.injected).toBe(3);
  });

  it('delay holds a method back with a timer, and the call is visible while in flight', async () => {
    fake.delay('conversations.members', 80);
    const pending = client().conversations.members({ channel: 'C0ROOM' });
    const arrived = await fake.waitFor(() => fake.callsTo('conversations.members')[0], 1000, 'arrival');
    expect(arrived.status).toBeUndefined();
    // Other methods are not held back.
    await client().auth.test();
    expect(arrived.status).toBeUndefined();
    expect((await pending).members).toEqual(['U0ALICE', 'U0BOB', BOT]);
    const answered = await fake.waitForCall('conversations.members');
    expect((answered.answeredAt ?? 0) - answered.at).toBeGreaterThanOrEqual(79);
  });
});

describe("chat.postMessage to a user (the app's IM with them)", () => {
  it('GIVEN a user id as channel THEN it posts in the IM; a bot answers cannot_dm_bot; a closed Messages tab answers messages_tab_disabled', async () => {
    fake.addUser({ id: 'U0HELPER', name: 'helper', is_bot: true });
    fake.addUser({ id: 'U0QUIET', name: 'quiet', messages_tab_disabled: true });
    const web = client();
    const sent = await web.chat.postMessage({ channel: 'U0BOB', text: 'hello' });
    expect(sent.channel).toBe('D0BOB');
    expect(fake.messages.at(-1)).toMatchObject({ channel: 'D0BOB', text: 'hello' });
    expect(await slackError(web.chat.postMessage({ channel: 'U0HELPER', text: 'hi' }))).toBe('cannot_dm_bot');
    expect(await slackError(web.chat.postMessage({ channel: 'U0QUIET', text: 'hi' }))).toBe(
      'messages_tab_disabled',
    );
  });
});

describe('rate limits', () => {
  it('a 429 with Retry-After is waited out and retried by WebClient, and counted', async () => {
    // 60/min refills one call per second, so the computed Retry-After is 1.
    fake.rateLimit('conversations.kick', { perMinute: 60, burst: 1 });
    const c = client({ retryConfig: { retries: 2, minTimeout: 0, maxTimeout: 1 } });
    const waits: number[] = [];
    c.on(WebClientEvent.RATE_LIMITED, (seconds: number) => waits.push(seconds));

    await c.conversations.kick({ channel: 'C0ROOM', user: 'U0ALICE' });
    // The bucket is empty: answered 429 + Retry-After: 1 → WebClient pauses its queue 1 s and retries. Lift the
    // limit as soon as the 429 is out so the retry cannot race the refill.
    fake.once('call', () => fake.rateLimit('conversations.kick', null));
    const res = await c.conversations.kick({ channel: 'C0ROOM', user: 'U0BOB' });
    expect(res.ok).toBe(true);
    expect(waits).toEqual([1]);
    expect(fake.stats.limited).toBe(1);
    expect(fake.stats.limitedBy).toEqual({ 'conversations.kick': 1 });
    const kicks = fake.callsTo('conversations.kick');
    expect(kicks.map((k) => k.status)).toEqual([200, 429, 200]);
    expect(kicks[1]?.error).toBe('ratelimited');
    expect((kicks[2]?.at ?? 0) - (kicks[1]?.answeredAt ?? 0)).toBeGreaterThanOrEqual(990);
  });

  it('a Tier-3 bucket (50/min) sped up 60× throttles a burst that still all succeeds', async () => {
    fake.rateLimit('conversations.info', { perMinute: 50, scale: 60, retryAfter: 0 });
    const c = client({ retryConfig: { retries: 200, minTimeout: 10, maxTimeout: 20, factor: 1 } });
    const results = await Promise.all(
      Array.from({ length: 70 }, () => c.conversations.info({ channel: 'C0ROOM' })),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    expect(fake.stats.limited).toBeGreaterThanOrEqual(15);
    expect(fake.callsTo('conversations.info').filter((k) => k.status === 200)).toHaveLength(70);
  });

  it('rejectRateLimitedCalls surfaces WebAPIRateLimitedError; fractional Retry-After is cut to an integer', async () => {
    fake.rateLimit('users.info', { perMinute: 1, burst: 0, retryAfter: 7 });
    const strict = client({ rejectRateLimitedCalls: true });
    const e = (await strict.users
      .info({ user: 'U0ALICE' })
      .catch((err: unknown) => err)) as WebAPIRateLimitedError;
    expect(e.code).toBe(ErrorCode.RateLimitedError);
    expect(e.retryAfter).toBe(7);

    fake.rateLimit('users.info', { perMinute: 1, burst: 0, retryAfter: '0.9' });
    const seen: number[] = [];
    strict.on(WebClientEvent.RATE_LIMITED, (s: number) => seen.push(s));
    const e2 = (await strict.users
      .info({ user: 'U0ALICE' })
      .catch((err: unknown) => err)) as WebAPIRateLimitedError;
    expect(e2.retryAfter).toBe(0); // Number.parseInt('0.9', 10)
    expect(seen).toEqual([0]);
    expect(fake.stats.limited).toBe(2);
  });
});

describe('response_url sink and Socket Mode', () => {
  it('records JSON posted to a response_url and wakes waiters', async () => {
    const url = fake.responseUrl('T0001/123/abc');
    const waiting = fake.waitForResponse('T0001/123/abc');
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ response_type: 'ephemeral', text: 'done' }),
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('ok');
    expect(await waiting).toMatchObject({
      id: 'T0001/123/abc',
      body: { text: 'done' },
      authorization: false,
    });
    await expect(fake.waitForResponse('never', 30)).rejects.toThrow(/no response_url POST within 30 ms/);
  });

  it('apps.connections.open needs the app-level token and leads to the fake socket', async () => {
    expect(await slackError(client().apps.connections.open())).toBe('not_allowed_token_type');
    const res = await client({}, fake.appToken).apps.connections.open();
    expect(res.url).toMatch(
      new RegExp(`^ws://127\\.0\\.0\\.1:\\d+/socket\\?ticket=[0-9a-f-]+&app_id=${SLACK_DEFAULTS.appId}$`),
    );
  });

  it('drives a Bolt Socket Mode app: hello, slash_commands and interactive envelopes, acks', async () => {
    const app = new App({
      token: fake.botToken,
      appToken: fake.appToken,
      socketMode: true,
      botId: SLACK_DEFAULTS.botId,
      botUserId: BOT,
      logLevel: BoltLogLevel.ERROR,
      clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
    });
    app.command('/kick', async ({ command, ack, client: web, respond }) => {
      await ack({ response_type: 'ephemeral', text: `kicking ${command.text}` });
      await web.conversations.kick({ channel: command.channel_id, user: 'U0ALICE' });
      await respond({ text: 'kick finished' });
    });
    app.action('confirm', async ({ ack, action, client: web }) => {
      await ack();
      await web.chat.postMessage({
        channel: 'C0ROOM',
        text: `confirmed ${(action as { value?: string }).value}`,
      });
    });
    await app.start();
    try {
      expect(fake.openSockets()).toHaveLength(1);
      expect(fake.callsTo('apps.connections.open')[0]?.token).toBe(fake.appToken);

      const responseUrl = fake.responseUrl();
      const ack = await fake.sendEnvelope(
        'slash_commands',
        slashCommandFields({ channel_id: 'C0ROOM', text: '<@U0ALICE>', response_url: responseUrl }),
      );
      expect(ack.payload).toEqual({ response_type: 'ephemeral', text: 'kicking <@U0ALICE>' });
      const kick = await fake.waitForCall('conversations.kick');
      expect(kick.args).toMatchObject({ channel: 'C0ROOM', user: 'U0ALICE', team_id: SLACK_DEFAULTS.teamId });
      expect((await fake.waitForResponse(responseUrl)).body).toMatchObject({ text: 'kick finished' });

      const clickAck = await fake.sendEnvelope(
        'interactive',
        blockActionsPayload({ action_id: 'confirm', value: 'job-1', response_url: fake.responseUrl() }),
      );
      expect(clickAck.envelope_id).toEqual(expect.any(String));
      expect((await fake.waitForCall('chat.postMessage')).args.text).toBe('confirmed job-1');
    } finally {
      await app.stop();
    }
  });
});

describe('signer', () => {
  // Slack's worked example (platforms.md §4 gives secret, timestamp and signature). The body is not in
  // platforms.md; it is the one from docs.slack.dev/authentication/verifying-requests-from-slack as quoted by
  // several SDK test suites, and it is confirmed by producing exactly the documented signature below.
  const DOC_SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
  const DOC_TS = 1531420618;
  const DOC_SIGNATURE = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';
  const DOC_BODY =
    'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V' +
    '&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=' +
    '&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN' +
    '&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';

  it("matches Slack's documented worked example", () => {
    expect(signature(DOC_SECRET, DOC_BODY, DOC_TS)).toBe(DOC_SIGNATURE);
    expect(sign(DOC_SECRET, DOC_BODY, DOC_TS)).toEqual({
      'x-slack-signature': DOC_SIGNATURE,
      'x-slack-request-timestamp': '1531420618',
    });
    // formBody encodes like Slack: the documented body comes back byte for byte from its fields.
    expect(formBody(Object.fromEntries(new URLSearchParams(DOC_BODY)))).toBe(DOC_BODY);
    expect(() =>
      verifySlackRequest({
        signingSecret: DOC_SECRET,
        body: DOC_BODY,
        headers: { 'x-slack-signature': DOC_SIGNATURE, 'x-slack-request-timestamp': DOC_TS },
        nowMilliseconds: DOC_TS * 1000,
      }),
    ).not.toThrow();
  });

  it("verifies with Bolt's verifySlackRequest, and fails it when tampered, stale or wrongly keyed", () => {
    const secret = 'shhh-signing-secret';
    const body = slashCommandBody({ text: '<@U0ALICE|alice> <#C0ROOM|room>' });
    const h = sign(secret, body);
    const verify = (b: string, hs: typeof h, s = secret) =>
      verifySlackRequest({
        signingSecret: s,
        body: b,
        headers: {
          'x-slack-signature': hs['x-slack-signature'],
          'x-slack-request-timestamp': Number(hs['x-slack-request-timestamp']),
        },
      });
    expect(() => verify(body, h)).not.toThrow();
    expect(() => verify(`${body}x`, h)).toThrow(/signature mismatch/);
    expect(() => verify(body, h, 'other')).toThrow(/signature mismatch/);
    const stale = sign(secret, body, Math.floor(Date.now() / 1000) - 600);
    expect(() => verify(body, stale)).toThrow(/stale/);
  });

  it('builds slash command and block_actions bodies with the fields Slack sends', () => {
    const a = new URLSearchParams(slashCommandBody({ text: 'hello world', command: '/kick' }));
    const b = new URLSearchParams(slashCommandBody());
    expect([...a.keys()]).toEqual([
      'token',
      'team_id',
      'team_domain',
      'channel_id',
      'channel_name',
      'user_id',
      'user_name',
      'command',
      'text',
      'api_app_id',
      'is_enterprise_install',
      'response_url',
      'trigger_id',
    ]);
    expect(a.get('text')).toBe('hello world');
    expect(a.get('trigger_id')).toMatch(/^\d+\.\d+\.[0-9a-f]{32}$/);
    expect(a.get('trigger_id')).not.toBe(b.get('trigger_id'));
    expect(slashCommandBody({ text: 'a b' })).toContain('text=a+b');
    const ent = new URLSearchParams(slashCommandBody({ enterprise_id: 'E1', enterprise_name: 'Org' }));
    expect([...ent.keys()].slice(3, 5)).toEqual(['enterprise_id', 'enterprise_name']);

    const form = new URLSearchParams(blockActionsBody({ action_id: 'confirm', value: 'v1', block_id: 'b1' }));
    expect([...form.keys()]).toEqual(['payload']);
    const payload = JSON.parse(form.get('payload') ?? '{}');
    expect(payload).toMatchObject({
      type: 'block_actions',
      user: { id: SLACK_DEFAULTS.userId, username: SLACK_DEFAULTS.userName },
      team: { id: SLACK_DEFAULTS.teamId, domain: SLACK_DEFAULTS.teamDomain },
      channel: { id: SLACK_DEFAULTS.channelId },
      container: { type: 'message', is_ephemeral: false },
      actions: [{ action_id: 'confirm', value: 'v1', block_id: 'b1', type: 'button' }],
      message: { type: 'message' },
    });
    expect(payload.response_url).toMatch(/^https:\/\/hooks\.slack\.com\/actions\//);
    expect(blockActionsPayload({ action_id: 'x', ephemeral: true })).not.toHaveProperty('message');
  });

  it('postSigned drives a Bolt HTTP app: good signatures pass, bad ones get 401', async () => {
    const secret = 'bolt-signing-secret';
    const app = new App({
      token: fake.botToken,
      botId: SLACK_DEFAULTS.botId,
      botUserId: BOT,
      signingSecret: secret,
      logLevel: BoltLogLevel.ERROR,
      clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
    });
    app.command('/kick', async ({ ack, respond }) => {
      await ack({ response_type: 'ephemeral', text: 'on it' });
      await respond({ text: 'finished' });
    });
    app.action('confirm', async ({ ack, respond, action }) => {
      await ack();
      await respond({ text: `confirmed ${(action as { value?: string }).value}` });
    });
    const server = (await app.start({ port: 0, host: '127.0.0.1' })) as unknown as import('node:http').Server;
    try {
      const address = server.address() as import('node:net').AddressInfo;
      const endpoint = `http://127.0.0.1:${address.port}/slack/events`;
      const responseUrl = fake.responseUrl();
      const body = slashCommandBody({ command: '/kick', text: '<@U0ALICE>', response_url: responseUrl });
      const ok = await postSigned(endpoint, secret, body);
      expect(ok.status).toBe(200);
      expect(ok.json).toEqual({ response_type: 'ephemeral', text: 'on it' });
      expect((await fake.waitForResponse(responseUrl)).body).toMatchObject({ text: 'finished' });

      const click = await postSigned(
        endpoint,
        secret,
        blockActionsBody({ action_id: 'confirm', value: 'job-9', response_url: fake.responseUrl('click') }),
      );
      expect(click.status).toBe(200);
      expect((await fake.waitForResponse('click')).body).toMatchObject({ text: 'confirmed job-9' });

      for (const opts of [
        { tamper: true },
        { wrongSecret: true },
        { omitSignature: true },
        { timestamp: Math.floor(Date.now() / 1000) - 600 },
      ]) {
        expect(
          (await postSigned(endpoint, secret, slashCommandBody({ command: '/kick' }), opts)).status,
        ).toBe(401);
      }
    } finally {
      await app.stop();
    }
  });
});
