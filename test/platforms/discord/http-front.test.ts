import { afterEach, describe, expect, it, vi } from 'vitest';
import { perms } from '../../fakes/discord/FakeDiscord.js';
import {
  addMembers,
  CONNECT,
  caseRows,
  controlledNow,
  edit,
  editsOf,
  guildWrites,
  kick,
  kickbot,
  kickbotCalls,
  MEMBER,
  MEMBER_ROLE,
  MESSAGES,
  mentions,
  OPT,
  ORIGINAL,
  OVERWRITE,
  privateVoice,
  removeArea,
  result,
  sees,
  setRolePermissions,
  THREAD_MEMBER,
  textOf,
  undoCase,
  VIEW,
} from '../../helpers/discord-flows.js';
import { D, type DiscordRig, discordRig } from '../../helpers/discord-rig.js';

let rig: DiscordRig | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await rig?.close();
  rig = undefined;
});

async function start(): Promise<DiscordRig> {
  rig = await discordRig();
  return rig;
}

const DEFERRED = { type: 5, data: { flags: 64 } };

describe('Discord HTTP interactions: signatures', () => {
  it('GIVEN a PING THEN 200 {type: 1}', async () => {
    const { fake, http } = await start();
    const res = await http.post(fake.pingInteraction());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ type: 1 });
    expect(kickbotCalls(fake)).toEqual([]);
  });

  const seconds = () => Math.floor(Date.now() / 1000);
  it.each([
    ['signed with another key', () => ({ wrongKey: true })],
    ['a body changed after signing', () => ({ tamper: true })],
    ['no signature header', () => ({ omitSignature: 'signature' as const })],
    ['no timestamp header', () => ({ omitSignature: 'timestamp' as const })],
    ['no headers at all', () => ({ omitSignature: true })],
    ['a timestamp older than 5 minutes', () => ({ timestamp: seconds() - 301 })],
    ['a timestamp 5 minutes ahead', () => ({ timestamp: seconds() + 310 })],
  ])('GIVEN a /kick with %s THEN 401 and no REST call at all', async (_what, opts) => {
    const { fake, http } = await start();
    const res = await http.post(kick(fake, { user: D.users.bob, reason: 'spam' }), opts());
    expect(res.status).toBe(401);
    // A PING after it is answered: the endpoint is alive and the refused request left nothing running.
    expect((await http.post(fake.pingInteraction())).status).toBe(200);
    expect(kickbotCalls(fake)).toEqual([]);
    expect(fake.callbacks.filter((c) => c.type !== 1)).toEqual([]);
    expect(sees(fake, D.channels.private, D.users.bob)).toBe(true);
  });

  it('GIVEN a signed PING of 1,020,000 bytes (under the 1 MB cap every route shares) THEN PONG, not 401', async () => {
    const { fake, http } = await start();
    const ping = { ...fake.pingInteraction(), padding: 'x'.repeat(1_020_000) };
    const res = await http.post(ping);
    expect([res.status, res.body]).toEqual([200, { type: 1 }]);
  });

  it('GIVEN the exact same signed /kick twice THEN the replay gets 401 and adds no REST call', async () => {
    const { fake, http } = await start();
    const interaction = kick(fake, { user: D.users.bob, reason: 'spam' });
    const timestamp = Math.floor(Date.now() / 1000);
    expect((await http.post(interaction, { timestamp })).status).toBe(200);
    await result(fake, interaction);
    const before = kickbotCalls(fake).length;
    const replay = await http.post(interaction, { timestamp });
    expect(replay.status).toBe(401);
    expect((await http.post(fake.pingInteraction())).status).toBe(200);
    expect(kickbotCalls(fake)).toHaveLength(before);
    expect(fake.callsTo('PUT', OVERWRITE)).toHaveLength(1);
  });

  it('GIVEN a replay of a signed /kick with the signature in upper-case hex THEN 401 as well', async () => {
    // The same signature bytes: hex is read case-insensitively, so the replay check must be as well.
    const { fake, http } = await start();
    const sent: { headers: Record<string, string>; body: string }[] = [];
    const realFetch = globalThis.fetch;
    vi.spyOn(globalThis, 'fetch').mockImplementation((input, init) => {
      if (String(input) === http.url)
        sent.push({ headers: init?.headers as Record<string, string>, body: String(init?.body) });
      return realFetch(input, init);
    });
    const interaction = kick(fake, { user: D.users.bob, reason: 'spam' });
    expect((await http.post(interaction)).status).toBe(200);
    await result(fake, interaction);
    const before = kickbotCalls(fake).length;
    const captured = sent[0];
    if (!captured) throw new Error('the signed request was not seen');
    const signature = captured.headers['x-signature-ed25519'] as string;
    const replay = await realFetch(http.url, {
      method: 'POST',
      headers: { ...captured.headers, 'x-signature-ed25519': signature.toUpperCase() },
      body: captured.body,
    });
    expect(replay.status).toBe(401);
    expect(kickbotCalls(fake)).toHaveLength(before);
  });
});

describe('Discord HTTP interactions: /kick', () => {
  it('GIVEN carol kicks bob from #private with a reason THEN a deferral at once, the overwrite, the audit reason, a silent notice and the edited reply', async () => {
    const { fake, http } = await start();
    const interaction = kick(fake, { user: D.users.bob, channel: D.channels.private, reason: 'spam' });
    const res = await http.post(interaction);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(DEFERRED);

    const reply = await result(fake, interaction);
    const put = fake.callsTo('PUT', OVERWRITE);
    expect(put).toHaveLength(1);
    expect(put[0]?.params).toEqual({ channel: D.channels.private, overwrite: D.users.bob });
    expect(put[0]?.body).toEqual({ type: 1, allow: '0', deny: (1n << 10n).toString() });
    expect(put[0]?.status).toBe(204);
    expect(put[0]?.auditLogReason).toBe(`kickbot case 1 by ${D.users.carol}: spam`);
    expect(fake.overwrite(D.channels.private, D.users.bob)).toEqual({
      id: D.users.bob,
      type: 1,
      allow: '0',
      deny: '1024',
    });
    expect(sees(fake, D.channels.private, D.users.bob)).toBe(false);
    expect(sees(fake, D.channels.private, D.users.alice)).toBe(true);

    const notices = fake.callsTo('POST', MESSAGES);
    expect(notices).toHaveLength(1);
    expect(notices[0]?.params.channel).toBe(D.channels.private);
    expect(notices[0]?.body).toEqual({
      content: `<#${D.channels.private}>: <@${D.users.bob}> was removed by <@${D.users.carol}> (reason: spam) · case 1`,
      allowed_mentions: { parse: [] },
    });

    expect(reply.content).toBe('Removed 1 | Not a member 0 | Denied 0 | Failed 0 · case 1');
    expect(reply.embeds).toHaveLength(1);
    expect(reply.embeds[0]).toMatchObject({
      title: 'Removed 1 | Not a member 0 | Denied 0 | Failed 0',
      description: `✓ <@${D.users.bob}> removed from <#${D.channels.private}>`,
      color: 0x2e7d32,
      footer: { text: 'case 1 · /kickbot undo case:1 re-adds them' },
    });
    expect(reply.components).toEqual([]);
    expect(reply.allowed_mentions).toEqual({ parse: [] });
    const original = fake.originalMessage(interaction.id);
    expect(original?.flags).toBe(64);
    expect(original?.content).toBe(reply.content);
    expect(await caseRows(rig as DiscordRig, 1)).toEqual([
      { room: D.channels.private, user: D.users.bob, outcome: 'removed' },
    ]);
  });

  it('GIVEN more: with alice and a private voice channel THEN four removals, Connect denied on voice and alice disconnected', async () => {
    const { fake, http } = await start();
    privateVoice(fake); // the default voice channel is open to everyone, which kickbot rightly refuses
    const interaction = kick(fake, {
      user: D.users.bob,
      channel: D.channels.private,
      more: `<@${D.users.alice}> <#${D.channels.voice}>`,
      reason: 'raid',
    });
    expect((await http.post(interaction)).body).toEqual(DEFERRED);
    const reply = await result(fake, interaction);
    expect(reply.content).toBe('Removed 4 | Not a member 0 | Denied 0 | Failed 0 · case 1');

    const puts = fake.callsTo('PUT', OVERWRITE);
    const bodyOf = (channel: string, user: string) =>
      puts.find((c) => c.params.channel === channel && c.params.overwrite === user)?.body;
    const text = { type: 1, allow: '0', deny: VIEW.toString() };
    const voice = { type: 1, allow: '0', deny: (VIEW | CONNECT).toString() };
    expect(puts).toHaveLength(4);
    expect(bodyOf(D.channels.private, D.users.bob)).toEqual(text);
    expect(bodyOf(D.channels.private, D.users.alice)).toEqual(text);
    expect(bodyOf(D.channels.voice, D.users.bob)).toEqual(voice);
    expect(bodyOf(D.channels.voice, D.users.alice)).toEqual(voice);
    for (const c of puts) expect(c.auditLogReason).toBe(`kickbot case 1 by ${D.users.carol}: raid`);

    // alice was talking in the voice channel: she is disconnected; bob was not there, so nothing is sent for him.
    const moves = fake.callsTo('PATCH', MEMBER);
    expect(moves).toHaveLength(1);
    expect(moves[0]?.params.user).toBe(D.users.alice);
    expect(moves[0]?.body).toEqual({ channel_id: null });
    expect(moves[0]?.status).toBe(200);
    expect(fake.voiceState(D.guildId, D.users.alice)).toBeUndefined();
    for (const user of [D.users.alice, D.users.bob]) {
      expect(sees(fake, D.channels.voice, user)).toBe(false);
      expect(sees(fake, D.channels.private, user)).toBe(false);
    }
    // One notice per channel, naming both.
    const notices = fake.callsTo('POST', MESSAGES).map((c) => c.params.channel);
    expect(notices.sort()).toEqual([D.channels.private, D.channels.voice].sort());
  });

  it('GIVEN the active thread THEN bob is removed from its members', async () => {
    const { fake, http } = await start();
    const interaction = kick(fake, {
      user: D.users.bob,
      channel: D.threads.active,
      from: D.channels.general,
    });
    expect((await http.post(interaction)).body).toEqual(DEFERRED);
    const reply = await result(fake, interaction);
    expect(reply.content).toContain('Removed 1 |');
    const deletes = fake.callsTo('DELETE', THREAD_MEMBER);
    expect(deletes).toHaveLength(1);
    expect(deletes[0]?.params).toEqual({ channel: D.threads.active, user: D.users.bob });
    expect(deletes[0]?.auditLogReason).toBe(`kickbot case 1 by ${D.users.carol}`);
    expect(fake.isThreadMember(D.threads.active, D.users.bob)).toBe(false);
    expect(fake.isThreadMember(D.threads.active, D.users.alice)).toBe(true);
    expect(fake.callsTo('PUT', OVERWRITE)).toEqual([]);
  });

  it('GIVEN the archived thread THEN unsupported archived-thread, and bob stays in it', async () => {
    const { fake, http } = await start();
    const interaction = kick(fake, {
      user: D.users.bob,
      channel: D.threads.archived,
      from: D.channels.general,
    });
    await http.post(interaction);
    const reply = await result(fake, interaction);
    expect(reply.content).toContain('Removed 0 |');
    expect(textOf(reply)).toContain(
      'unsupported (archived-thread): the thread is archived; unarchive it first',
    );
    expect(await caseRows(rig as DiscordRig, 1)).toEqual([
      { room: D.threads.archived, user: D.users.bob, outcome: 'unsupported', code: 'archived-thread' },
    ]);
    expect(fake.isThreadMember(D.threads.archived, D.users.bob)).toBe(true);
    expect(fake.callsTo('POST', MESSAGES)).toEqual([]);
  });

  it('GIVEN the private thread, which carol sees through Manage Threads THEN alice is removed from it', async () => {
    const { fake, http } = await start();
    // carol is not in the thread; her Moderator role has Manage Threads in #general, so she sees and manages it.
    expect(fake.isThreadMember(D.threads.private, D.users.carol)).toBe(false);
    const interaction = kick(fake, {
      user: D.users.alice,
      channel: D.threads.private,
      from: D.channels.general,
    });
    await http.post(interaction);
    await result(fake, interaction);
    expect(await caseRows(rig as DiscordRig, 1)).toEqual([
      { room: D.threads.private, user: D.users.alice, outcome: 'removed' },
    ]);
    expect(fake.isThreadMember(D.threads.private, D.users.alice)).toBe(false);
  });

  it('GIVEN #general, which everyone can see THEN unsupported with a hint and nothing written', async () => {
    const { fake, http } = await start();
    const interaction = kick(fake, { user: D.users.bob, channel: D.channels.general });
    await http.post(interaction);
    const reply = await result(fake, interaction);
    expect(reply.content).toBe('Removed 0 | Not a member 0 | Denied 0 | Failed 0 | Unsupported 1 · case 1');
    expect(textOf(reply)).toContain('unsupported (public-channel): everyone can see #general');
    expect(textOf(reply)).toContain('/remove-area');
    expect(guildWrites(fake)).toEqual([]);
  });

  it('GIVEN alice, who is no moderator THEN denied not-allowed and nothing written', async () => {
    const { fake, http } = await start();
    const interaction = kick(fake, { user: D.users.bob, by: D.users.alice });
    await http.post(interaction);
    await result(fake, interaction);
    expect(await caseRows(rig as DiscordRig, 1)).toEqual([
      { room: D.channels.private, user: D.users.bob, outcome: 'denied', code: 'not-allowed' },
    ]);
    expect(guildWrites(fake)).toEqual([]);
  });
});

describe('Discord HTTP interactions: hierarchy and the bot’s own permissions', () => {
  it('GIVEN targets at or above carol THEN protected (owner, an administrator) or hierarchy (same rank), and no REST write', async () => {
    const { fake, http } = await start();
    const admin = '1300000000000000210';
    const peer = '1300000000000000211';
    fake.addMember(D.guildId, {
      user: { id: admin, username: 'ada' },
      roles: [D.roles.member, D.roles.admin],
    });
    fake.addMember(D.guildId, {
      user: { id: peer, username: 'pete' },
      roles: [D.roles.member, D.roles.moderator],
    });
    const interaction = kick(fake, {
      user: D.users.owner,
      more: mentions([admin, peer]),
    });
    await http.post(interaction);
    const reply = await result(fake, interaction);
    expect(reply.content).toBe('Removed 0 | Not a member 0 | Denied 3 | Failed 0 · case 1');
    const rows = await caseRows(rig as DiscordRig, 1);
    expect(rows).toEqual(
      expect.arrayContaining([
        { room: D.channels.private, user: D.users.owner, outcome: 'denied', code: 'protected' },
        { room: D.channels.private, user: admin, outcome: 'denied', code: 'protected' },
        { room: D.channels.private, user: peer, outcome: 'denied', code: 'hierarchy' },
      ]),
    );
    expect(textOf(reply)).toContain('your highest role is not above theirs');
    expect(guildWrites(fake)).toEqual([]);
    expect(fake.calls.filter((c) => c.status === 403)).toEqual([]);
  });

  it('GIVEN the owner kicks someone whose role is above the bot’s THEN denied hierarchy (the bot’s rank) and no REST write', async () => {
    const { fake, http } = await start();
    fake.addRole(D.guildId, { id: '1300000000000000305', name: 'Senior', position: 5, permissions: '0' });
    const senior = '1300000000000000212';
    fake.addMember(D.guildId, {
      user: { id: senior, username: 'sam' },
      roles: [D.roles.member, '1300000000000000305'],
    });
    const interaction = kick(fake, { user: senior, by: D.users.owner });
    await http.post(interaction);
    const reply = await result(fake, interaction);
    expect(await caseRows(rig as DiscordRig, 1)).toEqual([
      { room: D.channels.private, user: senior, outcome: 'denied', code: 'hierarchy' },
    ]);
    expect(textOf(reply)).toContain("the bot's highest role is not above theirs");
    expect(guildWrites(fake)).toEqual([]);
  });

  it('GIVEN the bot’s role lacks Manage Roles THEN failed missing-permissions naming it, and no REST write (no 403 collected)', async () => {
    const { fake, http } = await start();
    setRolePermissions(
      fake,
      D.roles.kickbot,
      perms(
        'ViewChannel',
        'SendMessages',
        'SendMessagesInThreads',
        'Connect',
        'ManageThreads',
        'MoveMembers',
        'KickMembers',
      ),
    );
    const interaction = kick(fake, { user: D.users.bob, reason: 'spam' });
    await http.post(interaction);
    const reply = await result(fake, interaction);
    expect(await caseRows(rig as DiscordRig, 1)).toEqual([
      { room: D.channels.private, user: D.users.bob, outcome: 'failed', code: 'missing-permissions' },
    ]);
    expect(textOf(reply)).toContain(
      'failed (missing-permissions): kickbot lacks Manage Permissions (Manage Roles)',
    );
    expect(guildWrites(fake)).toEqual([]);
    expect(fake.calls.filter((c) => c.status === 403)).toEqual([]);
    expect(sees(fake, D.channels.private, D.users.bob)).toBe(true);

    // The area's role needs Manage Roles too.
    const area = removeArea(fake, { area: 'payments', users: `<@${D.users.alice}>` });
    await http.post(area);
    const areaReply = await result(fake, area);
    expect(await caseRows(rig as DiscordRig, 2)).toEqual(
      expect.arrayContaining([
        { room: D.channels.private, user: D.users.alice, outcome: 'failed', code: 'missing-permissions' },
        {
          room: `role:${D.roles.member}`,
          user: D.users.alice,
          outcome: 'failed',
          code: 'missing-permissions',
        },
      ]),
    );
    expect(textOf(areaReply)).toContain(
      "kickbot lacks Manage Roles, with kickbot's own role above the area's role",
    );
    expect(guildWrites(fake)).toEqual([]);
    expect(fake.calls.filter((c) => c.status === 403)).toEqual([]);
  });
  it('GIVEN bob’s own overwrite allows a permission the bot lacks (Attach Files) THEN no 403 is collected', async () => {
    const { fake, http } = await start();
    fake
      .guild(D.guildId)
      ?.channels.get(D.channels.private)
      ?.permission_overwrites.push({
        id: D.users.bob,
        type: 1,
        allow: perms('ViewChannel', 'AttachFiles'),
        deny: '0',
      });
    const interaction = kick(fake, { user: D.users.bob });
    await http.post(interaction);
    await result(fake, interaction);
    // Discord only lets a bot allow or deny permissions it has itself: the overwrite kickbot would write keeps
    // Attach Files, so it must know before calling that Discord will refuse it.
    expect(fake.calls.filter((c) => c.status === 403)).toEqual([]);
    const [row] = await caseRows(rig as DiscordRig, 1);
    expect(row?.outcome === 'removed' || row?.code === 'missing-permissions').toBe(true);
  });

  it('GIVEN the bot lost Manage Roles after a kick THEN undo fails missing-permissions without collecting a 403', async () => {
    const now = controlledNow(); // before the rig, so that kickbot's 30-second caches follow it
    const { fake, http } = await start();
    const first = kick(fake, { user: D.users.bob });
    await http.post(first);
    expect((await result(fake, first)).content).toContain('Removed 1 |');
    setRolePermissions(
      fake,
      D.roles.kickbot,
      perms('ViewChannel', 'SendMessages', 'Connect', 'ManageThreads'),
    );
    now.advance(31_000); // what kickbot read about the guild has expired
    const undo = undoCase(fake, 1);
    await http.post(undo);
    await result(fake, undo);
    expect(await caseRows(rig as DiscordRig, 2)).toEqual([
      { room: D.channels.private, user: D.users.bob, outcome: 'failed', code: 'missing-permissions' },
    ]);
    expect(fake.calls.filter((c) => c.status === 403)).toEqual([]);
    expect(fake.overwrite(D.channels.private, D.users.bob)?.deny).toBe('1024');
  });

  it('GIVEN the bot may not send messages in #private THEN bob is removed and the notice is not attempted (no 403)', async () => {
    const { fake, http } = await start();
    const overwrites = fake.guild(D.guildId)?.channels.get(D.channels.private)?.permission_overwrites ?? [];
    const botRole = overwrites.find((o) => o.id === D.roles.kickbot);
    if (botRole) botRole.deny = perms('SendMessages');
    const interaction = kick(fake, { user: D.users.bob });
    await http.post(interaction);
    expect((await result(fake, interaction)).content).toContain('Removed 1 |');
    expect(sees(fake, D.channels.private, D.users.bob)).toBe(false);
    expect(fake.calls.filter((c) => c.status === 403)).toEqual([]);
  });
});

describe('Discord HTTP interactions: /remove-area', () => {
  it('GIVEN carol, the manager of payments THEN bob loses #private (overwrite) and the Member role', async () => {
    const { fake, http } = await start();
    const interaction = removeArea(fake, {
      area: 'payments',
      users: `<@${D.users.bob}>`,
      reason: 'left the team',
    });
    expect((await http.post(interaction)).body).toEqual(DEFERRED);
    const reply = await result(fake, interaction);
    expect(reply.content).toBe('Removed 2 | Not a member 0 | Denied 0 | Failed 0 · case 1');
    expect(textOf(reply)).toContain('area **payments**: removed 1, not in the area 0, not removed 0');
    const put = fake.callsTo('PUT', OVERWRITE);
    expect(put.map((c) => c.params)).toEqual([{ channel: D.channels.private, overwrite: D.users.bob }]);
    const del = fake.callsTo('DELETE', MEMBER_ROLE);
    expect(del.map((c) => c.params)).toEqual([{ guild: D.guildId, user: D.users.bob, role: D.roles.member }]);
    expect(del[0]?.auditLogReason).toBe(`kickbot case 1 by ${D.users.carol}: left the team`);
    expect(fake.member(D.guildId, D.users.bob)?.roles).toEqual([]);
    expect(sees(fake, D.channels.private, D.users.bob)).toBe(false);
  });

  it('GIVEN alice, who manages no area THEN every pair is denied not-allowed and nothing is written', async () => {
    const { fake, http } = await start();
    const interaction = removeArea(fake, { area: 'payments', users: `<@${D.users.bob}>`, by: D.users.alice });
    await http.post(interaction);
    const reply = await result(fake, interaction);
    expect(reply.content).toBe('Removed 0 | Not a member 0 | Denied 2 | Failed 0 · case 1');
    expect((await caseRows(rig as DiscordRig, 1)).map((r) => r.code)).toEqual(['not-allowed', 'not-allowed']);
    expect(textOf(reply)).toContain('you need to be a manager of this area');
    expect(guildWrites(fake)).toEqual([]);
  });

  it('GIVEN autocomplete of area THEN type 8 with the configured areas', async () => {
    const { fake, http } = await start();
    const focused = (value: string) =>
      fake.autocompleteInteraction({
        name: 'remove-area',
        user: D.users.carol,
        channel: D.channels.private,
        options: [{ name: 'area', type: OPT.string, value, focused: true }],
      });
    const all = await http.post(focused(''));
    expect(all.status).toBe(200);
    expect(all.body).toEqual({ type: 8, data: { choices: [{ name: 'payments', value: 'payments' }] } });
    expect((await http.post(focused('PAY'))).body).toEqual({
      type: 8,
      data: { choices: [{ name: 'payments', value: 'payments' }] },
    });
    expect((await http.post(focused('zzz'))).body).toEqual({ type: 8, data: { choices: [] } });
    expect(kickbotCalls(fake)).toEqual([]);
  });
});

describe('Discord HTTP interactions: /kickbot and /leave', () => {
  it('GIVEN undo of a kick THEN the earlier allow overwrite comes back exactly, and one that did not exist is deleted', async () => {
    const { fake, http } = await start();
    const channel = fake.guild(D.guildId)?.channels.get(D.channels.private);
    const before = {
      id: D.users.bob,
      type: 1 as const,
      allow: perms('ViewChannel', 'SendMessages'),
      deny: '0',
    };
    channel?.permission_overwrites.push({ ...before });

    const first = kick(fake, { user: D.users.bob, more: `<@${D.users.alice}>`, reason: 'spam' });
    await http.post(first);
    expect((await result(fake, first)).content).toContain('Removed 2 |');
    // bob keeps what else his overwrite allowed; View Channel moves from allow to deny.
    expect(fake.overwrite(D.channels.private, D.users.bob)).toEqual({
      ...before,
      allow: perms('SendMessages'),
      deny: perms('ViewChannel'),
    });
    expect(sees(fake, D.channels.private, D.users.bob)).toBe(false);

    const undo = undoCase(fake, 1);
    expect((await http.post(undo)).body).toEqual(DEFERRED);
    const reply = await result(fake, undo);
    expect(reply.content).toBe('Restored 2 | Already a member 0 | Denied 0 | Failed 0 · case 2');
    expect(textOf(reply)).toContain(`✓ <@${D.users.bob}> re-added to <#${D.channels.private}>`);
    expect(fake.overwrite(D.channels.private, D.users.bob)).toEqual(before);
    expect(fake.overwrite(D.channels.private, D.users.alice)).toBeUndefined();
    const deletes = fake.callsTo('DELETE', OVERWRITE);
    expect(deletes.map((c) => c.params.overwrite)).toEqual([D.users.alice]);
    expect(deletes[0]?.status).toBe(204);
    expect(sees(fake, D.channels.private, D.users.bob)).toBe(true);
    expect(sees(fake, D.channels.private, D.users.alice)).toBe(true);
    const notice = fake.callsTo('POST', MESSAGES).at(-1)?.body as { content: string };
    expect(notice.content).toContain('re-added by');
    expect(notice.content).toContain('(undo of case 1) · case 2');
  });

  it('GIVEN undo of /remove-area and of a thread kick THEN the role and the thread membership come back', async () => {
    const { fake, http } = await start();
    const area = removeArea(fake, { area: 'payments', users: `<@${D.users.bob}>` });
    await http.post(area);
    expect((await result(fake, area)).content).toContain('Removed 2 |');
    const thread = kick(fake, { user: D.users.bob, channel: D.threads.active, from: D.channels.general });
    await http.post(thread);
    expect((await result(fake, thread)).content).toContain('Removed 1 |');
    expect(fake.isThreadMember(D.threads.active, D.users.bob)).toBe(false);

    const undoArea = undoCase(fake, 1);
    await http.post(undoArea);
    expect((await result(fake, undoArea)).content).toBe(
      'Restored 2 | Already a member 0 | Denied 0 | Failed 0 · case 3',
    );
    expect(fake.callsTo('PUT', MEMBER_ROLE).map((c) => c.params)).toEqual([
      { guild: D.guildId, user: D.users.bob, role: D.roles.member },
    ]);
    expect(fake.member(D.guildId, D.users.bob)?.roles).toEqual([D.roles.member]);
    expect(fake.overwrite(D.channels.private, D.users.bob)).toBeUndefined();
    expect(sees(fake, D.channels.private, D.users.bob)).toBe(true);

    const undoThread = undoCase(fake, 2);
    await http.post(undoThread);
    expect((await result(fake, undoThread)).content).toContain('Restored 1 |');
    expect(fake.callsTo('PUT', THREAD_MEMBER).map((c) => c.params)).toEqual([
      { channel: D.threads.active, user: D.users.bob },
    ]);
    expect(fake.isThreadMember(D.threads.active, D.users.bob)).toBe(true);
  });

  it('GIVEN /kickbot cases and /kickbot help THEN info answers', async () => {
    const { fake, http } = await start();
    const first = kick(fake, { user: D.users.bob, reason: 'spam' });
    await http.post(first);
    await result(fake, first);

    const cases = kickbot(fake, 'cases');
    expect((await http.post(cases)).body).toEqual(DEFERRED);
    const list = await result(fake, cases);
    expect(list.embeds).toEqual([]);
    expect(list.components).toEqual([]);
    expect(list.content).toContain('Cases, newest first:');
    expect(list.content).toMatch(
      new RegExp(
        `case 1 · .* UTC · <@${D.users.carol}> · /kick <@${D.users.bob}> from <#${D.channels.private}> · removed 1 · reason: spam`,
      ),
    );

    const help = kickbot(fake, 'help', [], D.users.bob);
    expect((await http.post(help)).body).toEqual(DEFERRED);
    const text = (await result(fake, help)).content;
    expect(text).toContain('kickbot commands:');
    for (const name of ['/kick', '/remove-area', '/leave', '/kickbot']) expect(text).toContain(name);
  });

  it('GIVEN /leave by bob in #private THEN bob shuts himself out, announced as leaving', async () => {
    const { fake, http } = await start();
    const interaction = fake.commandInteraction({
      name: 'leave',
      user: D.users.bob,
      channel: D.channels.private,
    });
    expect((await http.post(interaction)).body).toEqual(DEFERRED);
    const reply = await result(fake, interaction);
    expect(reply.content).toBe('Removed 1 | Not a member 0 | Denied 0 | Failed 0 · case 1');
    expect(fake.callsTo('PUT', OVERWRITE).map((c) => c.params)).toEqual([
      { channel: D.channels.private, overwrite: D.users.bob },
    ]);
    expect(sees(fake, D.channels.private, D.users.bob)).toBe(false);
    expect(fake.callsTo('POST', MESSAGES).map((c) => c.body)).toEqual([
      {
        content: `<#${D.channels.private}>: <@${D.users.bob}> left · case 1`,
        allowed_mentions: { parse: [] },
      },
    ]);
  });
});

describe('Discord HTTP interactions: confirmation, dedupe, DMs', () => {
  it('GIVEN a batch of 11 THEN Confirm/Cancel buttons and nothing changed; another user’s click is refused; carol’s runs it; a second click has expired', async () => {
    const { fake, http } = await start();
    const ids = addMembers(fake, 11);
    const interaction = kick(fake, { user: ids[0] as string, more: mentions(ids.slice(1)) });
    expect((await http.post(interaction)).body).toEqual(DEFERRED);
    const prompt = await result(fake, interaction);
    expect(prompt.content).toContain('This would remove 11 (room, user) pairs');
    const buttons = prompt.components[0]?.components ?? [];
    expect(buttons.map((b) => b.label)).toEqual(['Remove 11', 'Cancel']);
    const confirm = buttons[0]?.custom_id ?? '';
    expect(confirm).toMatch(/^kickbot:confirm:[0-9a-f-]{36}$/);
    expect(buttons[1]?.custom_id).toBe(confirm.replace('confirm', 'cancel'));
    expect(guildWrites(fake)).toEqual([]);

    const click = (user: string) =>
      fake.componentInteraction({ custom_id: confirm, user, channel: D.channels.private });
    const stranger = click(D.users.alice);
    expect((await http.post(stranger)).body).toEqual({ type: 6 });
    expect((await edit(fake, stranger)).content).toBe(
      'Only the moderator who asked can answer this confirmation.',
    );
    expect(guildWrites(fake)).toEqual([]);

    const mine = click(D.users.carol);
    expect((await http.post(mine)).body).toEqual({ type: 6 });
    const done = await result(fake, mine);
    expect(done.content).toBe('Removed 11 | Not a member 0 | Denied 0 | Failed 0 · case 1');
    expect(done.components).toEqual([]);
    expect(fake.callsTo('PUT', OVERWRITE)).toHaveLength(11);
    for (const id of ids) expect(sees(fake, D.channels.private, id)).toBe(false);

    const again = click(D.users.carol);
    expect((await http.post(again)).body).toEqual({ type: 6 });
    expect((await edit(fake, again)).content).toBe('This confirmation has expired or was already answered.');
    expect(fake.callsTo('PUT', OVERWRITE)).toHaveLength(11);
  });

  it('GIVEN a batch of 11 and Cancel THEN nobody is removed', async () => {
    const { fake, http } = await start();
    const ids = addMembers(fake, 11);
    const interaction = kick(fake, { user: ids[0] as string, more: mentions(ids.slice(1)) });
    await http.post(interaction);
    const cancel = (await result(fake, interaction)).components[0]?.components[1]?.custom_id ?? '';
    const click = fake.componentInteraction({
      custom_id: cancel,
      user: D.users.carol,
      channel: D.channels.private,
    });
    expect((await http.post(click)).body).toEqual({ type: 6 });
    expect((await edit(fake, click)).content).toBe('Cancelled; nobody was removed.');
    expect(guildWrites(fake)).toEqual([]);
  });

  it('GIVEN the same interaction delivered twice (same id, new signature) THEN both deferred, one removal, one edit of the reply', async () => {
    const { fake, http } = await start();
    const interaction = kick(fake, { user: D.users.bob, reason: 'spam' });
    const now = Math.floor(Date.now() / 1000);
    const [a, b] = await Promise.all([
      http.post(interaction, { timestamp: now }),
      http.post(interaction, { timestamp: now - 1 }),
    ]);
    expect(a.body).toEqual(DEFERRED);
    expect(b.body).toEqual(DEFERRED);
    expect((await result(fake, interaction)).content).toBe(
      'Removed 1 | Not a member 0 | Denied 0 | Failed 0 · case 1',
    );
    // a third delivery after the first finished, then a command as a barrier (the work queue runs in order)
    await http.post(interaction, { timestamp: now - 2 });
    const help = kickbot(fake, 'help');
    await http.post(help);
    await edit(fake, help);
    expect(editsOf(fake, interaction)).toHaveLength(1);
    expect(fake.callsTo('PUT', OVERWRITE)).toHaveLength(1);
    expect(fake.callsTo('POST', MESSAGES)).toHaveLength(1);
  });

  it('GIVEN a /kick in a DM THEN an ephemeral "servers only" answer and no REST call', async () => {
    const { fake, http } = await start();
    const dm = fake.commandInteraction({
      name: 'kick',
      guild: null,
      user: D.users.bob,
      options: [{ name: 'user', type: OPT.user, value: D.users.alice }],
    });
    const res = await http.post(dm);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      type: 4,
      data: { content: 'kickbot works in servers, not in direct messages.', flags: 64 },
    });
    expect(kickbotCalls(fake)).toEqual([]);
  });
});

describe('Discord HTTP interactions: Discord errors as outcomes', () => {
  it('GIVEN 50013 on the overwrite THEN failed missing-permissions, with the permission named', async () => {
    const { fake, http } = await start();
    fake.failNext(`PUT ${OVERWRITE}`, { code: 50013 });
    const interaction = kick(fake, { user: D.users.bob });
    await http.post(interaction);
    const reply = await result(fake, interaction);
    expect(await caseRows(rig as DiscordRig, 1)).toEqual([
      { room: D.channels.private, user: D.users.bob, outcome: 'failed', code: 'missing-permissions' },
    ]);
    expect(textOf(reply)).toContain('kickbot lacks Manage Permissions (Manage Roles) in the channel');
    expect(reply.embeds[0]?.color).toBe(0xc62828);
  });

  it('GIVEN 10007 on the overwrite THEN not_member', async () => {
    const { fake, http } = await start();
    fake.failNext(`PUT ${OVERWRITE}`, { code: 10007 });
    const interaction = kick(fake, { user: D.users.bob });
    await http.post(interaction);
    expect((await result(fake, interaction)).content).toBe(
      'Removed 0 | Not a member 1 | Denied 0 | Failed 0 · case 1',
    );
    expect(await caseRows(rig as DiscordRig, 1)).toEqual([
      { room: D.channels.private, user: D.users.bob, outcome: 'not_member' },
    ]);
  });

  it('GIVEN 50083 on the thread member THEN unsupported archived-thread', async () => {
    const { fake, http } = await start();
    fake.failNext(`DELETE ${THREAD_MEMBER}`, { code: 50083 });
    const interaction = kick(fake, {
      user: D.users.bob,
      channel: D.threads.active,
      from: D.channels.general,
    });
    await http.post(interaction);
    await result(fake, interaction);
    expect(await caseRows(rig as DiscordRig, 1)).toEqual([
      { room: D.threads.active, user: D.users.bob, outcome: 'unsupported', code: 'archived-thread' },
    ]);
  });

  it('GIVEN a 429 with Retry-After on the overwrite THEN @discordjs/rest waits and bob is still removed', async () => {
    const { fake, http } = await start();
    fake.failNext(`PUT ${OVERWRITE}`, { status: 429, retryAfter: 0.05 });
    const interaction = kick(fake, { user: D.users.bob });
    await http.post(interaction);
    expect((await result(fake, interaction)).content).toBe(
      'Removed 1 | Not a member 0 | Denied 0 | Failed 0 · case 1',
    );
    expect(fake.stats.limited).toBeGreaterThanOrEqual(1);
    expect(fake.callsTo('PUT', OVERWRITE).map((c) => c.status)).toEqual([429, 204]);
    expect(sees(fake, D.channels.private, D.users.bob)).toBe(false);
  });
});

describe('Discord HTTP interactions: delivering the reply', () => {
  it('GIVEN Discord has not taken in the deferral yet when kickbot edits the reply (404, 10015) THEN kickbot tries again and the result arrives', async () => {
    // discord/discord-api-docs#7220: in HTTP mode the reply to a deferral is now and then refused as an unknown
    // webhook for a moment, until Discord has processed the deferral; the edit succeeds when retried.
    const { fake, http } = await start();
    fake.failNext(`PATCH ${ORIGINAL}`, { code: 10015 });
    const interaction = kick(fake, { user: D.users.bob });
    await http.post(interaction);
    await fake.waitFor(
      () => (editsOf(fake, interaction).some((c) => c.status === 200) ? true : undefined),
      5000,
      'the result in the reply',
    );
    expect(fake.originalMessage(interaction.id)?.content.startsWith('Removed 1 |')).toBe(true);
    expect(editsOf(fake, interaction).map((c) => c.status)).toEqual([404, 200]);
  });
});
