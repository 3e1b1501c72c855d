import { createPublicKey, verify } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DiscordAPIError, REST } from '@discordjs/rest';
import {
  type AutocompleteInteraction,
  ButtonInteraction,
  ChannelType,
  ChatInputCommandInteraction,
  Client,
  Events,
  GatewayIntentBits,
  GuildMember,
  type Interaction,
  MessageFlags,
  type NonThreadGuildBasedChannel,
  OverwriteType,
} from 'discord.js';
import { PermissionFlagsBits as P, Routes } from 'discord-api-types/v10';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keyPair, postInteraction, publicKeyFromHex, signInteraction, verifyInteraction } from './ed25519.js';
import { DISCORD_DEFAULTS as D, FakeDiscord, perms } from './FakeDiscord.js';

let fake: FakeDiscord;
const clients: Client[] = [];
const rests: REST[] = [];
const servers: Server[] = [];

beforeEach(async () => {
  fake = await FakeDiscord.start();
});

afterEach(async () => {
  for (const c of clients.splice(0)) await c.destroy();
  for (const r of rests.splice(0)) {
    r.clearHashSweeper();
    r.clearHandlerSweeper();
  }
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
  await fake.close();
});

/** Resolves with the event's arguments, or rejects after `ms`. */
function next<T extends unknown[]>(emitter: NodeJS.EventEmitter, event: string, ms = 3000): Promise<T> {
  return once(emitter, event, { signal: AbortSignal.timeout(ms) }) as Promise<T>;
}

async function login(intents: GatewayIntentBits[] = [GatewayIntentBits.Guilds]): Promise<Client> {
  const client = new Client({ intents, rest: { api: fake.apiUrl } });
  clients.push(client);
  const ready = next(client, Events.ClientReady);
  await client.login(fake.token);
  await ready;
  return client;
}

function rest(token = fake.token): REST {
  const r = new REST({ version: '10', api: fake.apiUrl }).setToken(token);
  rests.push(r);
  return r;
}

/** The DiscordAPIError a promise rejects with. */
async function apiError(p: Promise<unknown>): Promise<DiscordAPIError> {
  const e = await p.then(
    () => {
      throw new Error('expected the request to fail');
    },
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(DiscordAPIError);
  return e as DiscordAPIError;
}

describe('FakeDiscord gateway with a discord.js Client', () => {
  it('logs in with the bot token; clientReady fires with the guild, channels and roles cached', async () => {
    const client = await login();

    expect(fake.calls[0]).toMatchObject({ method: 'GET', path: '/gateway/bot', auth: 'bot', status: 200 });
    expect(fake.identifies).toHaveLength(1);
    expect(fake.identifies[0]).toMatchObject({
      token: fake.token,
      intents: GatewayIntentBits.Guilds,
      compress: false,
    });
    expect(fake.dispatches.map((d) => `${d.s}:${d.t}`)).toEqual(['1:READY', '2:GUILD_CREATE']);

    expect(client.user?.id).toBe(D.botId);
    expect(client.application?.id).toBe(D.applicationId);
    const guild = client.guilds.cache.get(D.guildId);
    expect(guild?.available).toBe(true);
    expect(guild?.ownerId).toBe(D.users.owner);
    expect(guild?.roles.cache.size).toBe(5);
    expect(guild?.roles.everyone.id).toBe(D.guildId);
    expect(guild?.roles.cache.get(D.roles.kickbot)?.managed).toBe(true);
    const general = guild?.channels.cache.get(D.channels.general);
    expect(general?.type).toBe(ChannelType.GuildText);
    const priv = guild?.channels.cache.get(D.channels.private) as NonThreadGuildBasedChannel;
    expect(priv.permissionOverwrites.cache.get(D.guildId)?.deny.has(P.ViewChannel)).toBe(true);
    expect(guild?.channels.cache.get(D.channels.voice)?.type).toBe(ChannelType.GuildVoice);
    // Active threads come with GUILD_CREATE, archived ones don't.
    expect(guild?.channels.cache.get(D.threads.active)?.isThread()).toBe(true);
    expect(guild?.channels.cache.has(D.threads.archived)).toBe(false);
    // Without GuildPresences, GUILD_CREATE carries only the bot and the members in voice.
    expect(guild?.members.me?.id).toBe(D.botId);
    expect(guild?.members.cache.has(D.users.alice)).toBe(true);
    expect(guild?.members.cache.has(D.users.bob)).toBe(false);
    expect(guild?.voiceStates.cache.get(D.users.alice)?.channelId).toBe(D.channels.voice);
  });

  it('acknowledges heartbeats at the configured interval', async () => {
    await fake.close();
    fake = await FakeDiscord.start({ heartbeatIntervalMs: 40 });
    const client = await login();
    await fake.waitFor(() => fake.stats.heartbeats >= 2, 2000, 'two heartbeats');
    expect(fake.gatewayPayloads.filter((p) => p.op === 1).length).toBeGreaterThanOrEqual(2);
    expect(client.ws.ping).toBeGreaterThanOrEqual(0);
  });

  it('refuses a wrong token and disallowed privileged intents', async () => {
    const bad = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiUrl } });
    clients.push(bad);
    await expect(bad.login('not.the.token')).rejects.toThrow();
    expect(fake.calls.at(-1)).toMatchObject({ path: '/gateway/bot', status: 401, auth: 'invalid' });

    const strict = await FakeDiscord.start({ privilegedIntents: 0 });
    try {
      const client = new Client({
        intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMembers],
        rest: { api: strict.apiUrl },
      });
      clients.push(client);
      await expect(client.login(strict.token)).rejects.toThrow(/intent/i);
      expect(strict.identifies).toHaveLength(0);
    } finally {
      await destroyClients();
      await strict.close();
    }
  });

  it('delivers a command interaction whose options resolve; deferReply, editReply and followUp reach the fake', async () => {
    const client = await login();
    const payload = fake.commandInteraction({
      name: 'kick',
      user: D.users.carol,
      options: [
        { name: 'user', type: 6, value: D.users.bob },
        { name: 'room', type: 7, value: D.channels.general },
      ],
    });
    const received = next<[Interaction]>(client, Events.InteractionCreate);
    fake.dispatchInteraction(payload);
    const [interaction] = await received;

    expect(interaction).toBeInstanceOf(ChatInputCommandInteraction);
    if (!interaction.isChatInputCommand()) throw new Error('not a chat input command');
    expect(interaction.commandName).toBe('kick');
    expect(interaction.user.id).toBe(D.users.carol);
    expect(interaction.options.getUser('user', true).id).toBe(D.users.bob);
    const member = interaction.options.getMember('user');
    expect(member).toBeInstanceOf(GuildMember);
    expect((member as GuildMember).roles.cache.has(D.roles.member)).toBe(true);
    expect(interaction.options.getChannel('room', true, [ChannelType.GuildText]).id).toBe(D.channels.general);
    expect(interaction.memberPermissions?.has(P.KickMembers)).toBe(true);
    expect(interaction.appPermissions.has(P.ManageRoles)).toBe(true);

    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const callback = await fake.waitForCallback(payload.id);
    expect(callback).toMatchObject({ type: 5, data: { flags: MessageFlags.Ephemeral }, withResponse: false });
    expect(fake.originalMessage(payload.id)?.flags).toBe(MessageFlags.Ephemeral | MessageFlags.Loading);

    const edited = await interaction.editReply('Removed <@bob> from #general');
    expect(edited.content).toBe('Removed <@bob> from #general');
    const patch = await fake.waitForCall('PATCH', '/webhooks/:app/:token/messages/@original');
    expect(patch.rawPath).toContain('/messages/%40original');
    expect(patch.auth).toBe('none');
    expect(fake.originalMessage(payload.id)).toMatchObject({
      content: 'Removed <@bob> from #general',
      flags: MessageFlags.Ephemeral,
    });

    await interaction.followUp({ content: 'undo with /undo', flags: MessageFlags.Ephemeral });
    expect(fake.followUps(payload.id)).toMatchObject([
      { content: 'undo with /undo', flags: MessageFlags.Ephemeral },
    ]);
    expect(fake.callsTo('POST', '/webhooks/:app/:token')[0]?.query).toEqual({ wait: 'true' });

    // A second initial response is refused, as Discord does.
    const again = await apiError(
      rest().post(Routes.interactionCallback(payload.id, payload.token), { body: { type: 4 }, auth: false }),
    );
    expect(again).toMatchObject({ code: 40060, status: 400 });
  });

  it('delivers component and autocomplete interactions; update and respond reach the fake', async () => {
    const client = await login();
    const button = fake.componentInteraction({ custom_id: 'confirm:kick', user: D.users.carol });
    const clicked = next<[Interaction]>(client, Events.InteractionCreate);
    fake.dispatchInteraction(button);
    const [click] = await clicked;
    expect(click).toBeInstanceOf(ButtonInteraction);
    if (!click.isButton()) throw new Error('not a button');
    expect(click.customId).toBe('confirm:kick');
    await click.update({ content: 'Done.', components: [] });
    expect(await fake.waitForCallback(button.id)).toMatchObject({ type: 7, data: { content: 'Done.' } });
    expect(fake.originalMessage(button.id)).toMatchObject({
      kind: 'source',
      content: 'Done.',
      components: [],
    });

    const auto = fake.autocompleteInteraction({
      name: 'remove-area',
      options: [{ name: 'room', type: 3, value: 'gen', focused: true }],
    });
    const typed = next<[AutocompleteInteraction]>(client, Events.InteractionCreate);
    fake.dispatchInteraction(auto);
    const [ac] = await typed;
    expect(ac.isAutocomplete()).toBe(true);
    expect(ac.options.getFocused()).toBe('gen');
    await ac.respond([{ name: '#general', value: D.channels.general }]);
    expect(await fake.waitForCallback(auto.id)).toMatchObject({
      type: 8,
      data: { choices: [{ name: '#general', value: D.channels.general }] },
    });
  });

  it('sends gateway events for model changes, so the client cache follows', async () => {
    const client = await login([GatewayIntentBits.Guilds, GatewayIntentBits.GuildVoiceStates]);
    const channel = client.channels.cache.get(D.channels.general) as NonThreadGuildBasedChannel;
    const updated = next(client, Events.ChannelUpdate);
    // bob isn't cached (GUILD_CREATE without GuildPresences carries only the bot and voice members), so
    // discord.js needs the overwrite type spelled out; without it, it throws "not a User nor a Role".
    await channel.permissionOverwrites.edit(
      D.users.bob,
      { ViewChannel: false },
      { type: OverwriteType.Member, reason: 'kicked by /kick' },
    );
    await updated;
    expect(channel.permissionOverwrites.cache.get(D.users.bob)?.deny.has(P.ViewChannel)).toBe(true);
    const put = await fake.waitForCall('PUT', `/channels/${D.channels.general}/permissions/${D.users.bob}`);
    expect(put.body).toEqual({ id: D.users.bob, type: 1, allow: '0', deny: '1024' });
    expect(put.auditLogReason).toBe('kicked by /kick');

    const guild = client.guilds.cache.get(D.guildId);
    const left = next(client, Events.VoiceStateUpdate);
    await guild?.members.edit(D.users.alice, { channel: null });
    await left;
    expect(guild?.voiceStates.cache.get(D.users.alice)?.channelId ?? null).toBeNull();
    expect(fake.voiceState(D.guildId, D.users.alice)).toBeUndefined();
  });
});

describe('FakeDiscord audit log entries (GUILD_AUDIT_LOG_ENTRY_CREATE)', () => {
  const withAuditLog = () => {
    const role = fake.guild(D.guildId)?.roles.get(D.roles.kickbot);
    if (role) role.permissions = (BigInt(role.permissions) | P.ViewAuditLog).toString();
  };

  it('GIVEN Guild Moderation and View Audit Log THEN discord.js parses each entry: kick, role, member overwrite', async () => {
    withAuditLog();
    const client = await login([GatewayIntentBits.GuildModeration]);
    const seen: {
      action: number;
      executor: string | null;
      target: string | null;
      changes: unknown;
      extra: unknown;
      reason: string | null;
    }[] = [];
    let fifth: () => void = () => {};
    const five = new Promise<void>((resolve) => {
      fifth = resolve;
    });
    client.on(Events.GuildAuditLogEntryCreate, (e, guild) => {
      expect(guild.id).toBe(D.guildId);
      seen.push({
        action: e.action,
        executor: e.executorId,
        target: e.targetId,
        changes: e.changes,
        extra: e.extra,
        reason: e.reason,
      });
      if (seen.length === 5) fifth();
    });
    fake.kickByHand(D.guildId, D.users.bob, D.users.carol, 'raid');
    fake.roleByHand(D.guildId, D.users.alice, D.roles.member, false, D.users.owner);
    fake.overwriteByHand(
      D.channels.private,
      D.users.alice,
      { allow: '0', deny: perms('ViewChannel') },
      D.users.owner,
    );
    fake.overwriteByHand(
      D.channels.private,
      D.users.alice,
      { allow: perms('SendMessages'), deny: perms('ViewChannel') },
      D.users.owner,
    );
    fake.overwriteByHand(D.channels.private, D.users.alice, null, D.users.owner);
    await five;
    expect(seen).toEqual([
      { action: 20, executor: D.users.carol, target: D.users.bob, changes: [], extra: null, reason: 'raid' },
      {
        action: 25,
        executor: D.users.owner,
        target: D.users.alice,
        changes: [{ key: '$remove', new: [{ id: D.roles.member, name: 'Member' }] }],
        extra: null,
        reason: null,
      },
      {
        action: 13,
        executor: D.users.owner,
        target: D.channels.private,
        changes: [
          { key: 'id', new: D.users.alice },
          { key: 'type', new: 1 },
          { key: 'allow', new: '0' },
          { key: 'deny', new: '1024' },
        ],
        extra: { id: D.users.alice, type: '1' },
        reason: null,
      },
      {
        action: 14,
        executor: D.users.owner,
        target: D.channels.private,
        changes: [{ key: 'allow', old: '0', new: '2048' }],
        extra: { id: D.users.alice, type: '1' },
        reason: null,
      },
      {
        action: 15,
        executor: D.users.owner,
        target: D.channels.private,
        changes: [
          { key: 'id', old: D.users.alice },
          { key: 'type', old: 1 },
          { key: 'allow', old: '2048' },
          { key: 'deny', old: '1024' },
        ],
        extra: { id: D.users.alice, type: '1' },
        reason: null,
      },
    ]);
    expect(fake.member(D.guildId, D.users.bob)).toBeUndefined();
    expect(fake.overwrite(D.channels.private, D.users.alice)).toBeUndefined();
  });

  it("GIVEN the bot's own REST writes THEN their entries carry its X-Audit-Log-Reason and its id as executor", async () => {
    withAuditLog();
    await rest().delete(Routes.guildMemberRole(D.guildId, D.users.bob, D.roles.member), {
      reason: 'kickbot case 3 by carol',
    });
    await rest().put(Routes.channelPermission(D.channels.private, D.users.bob), {
      body: { type: 1, allow: '0', deny: perms('ViewChannel') },
      reason: 'kickbot case 4 by carol',
    });
    expect(fake.auditLog.map((e) => [e.action_type, e.user_id, e.reason])).toEqual([
      [25, D.botId, 'kickbot case 3 by carol'],
      [13, D.botId, 'kickbot case 4 by carol'],
    ]);
  });

  it('GIVEN no View Audit Log, or no Guild Moderation intent THEN no dispatch', async () => {
    await login([GatewayIntentBits.GuildModeration]);
    fake.kickByHand(D.guildId, D.users.bob, D.users.carol);
    withAuditLog();
    const other = await login([GatewayIntentBits.Guilds]);
    expect(other.isReady()).toBe(true);
    fake.kickByHand(D.guildId, D.users.alice, D.users.carol);
    expect(fake.auditLog).toHaveLength(2);
    expect(fake.dispatches.filter((d) => d.t === 'GUILD_AUDIT_LOG_ENTRY_CREATE')).toHaveLength(1); // the first session, second kick
  });
});

describe('FakeDiscord REST with @discordjs/rest', () => {
  it('PUTs and DELETEs a member overwrite; the model changes and the audit reason arrives decoded', async () => {
    const r = rest();
    const reason = 'kick: spam / flood ✓ 100%';
    await r.put(Routes.channelPermission(D.channels.general, D.users.bob), {
      body: { type: 1, allow: '0', deny: perms('ViewChannel') },
      reason,
    });
    expect(fake.overwrite(D.channels.general, D.users.bob)).toEqual({
      id: D.users.bob,
      type: 1,
      allow: '0',
      deny: String(P.ViewChannel),
    });
    expect(fake.channelPermissions(D.channels.general, D.users.bob)).toBe(0n);
    const [call] = fake.callsTo('PUT', '/channels/:c/permissions/:id');
    expect(call).toMatchObject({ status: 204, auth: 'bot', auditLogReason: reason });
    expect(call?.headers['x-audit-log-reason']).toBe(encodeURIComponent(reason));
    expect(call?.headers['x-ratelimit-limit']).toBeUndefined();

    await r.delete(Routes.channelPermission(D.channels.general, D.users.bob));
    expect(fake.overwrite(D.channels.general, D.users.bob)).toBeUndefined();
    expect(await apiError(r.delete(Routes.channelPermission(D.channels.general, D.users.bob)))).toMatchObject(
      {
        code: 10009,
        status: 404,
      },
    );
    // The bot can't see #secret; threads have no overwrites.
    const body = { type: 1, allow: '0', deny: perms('ViewChannel') };
    expect(
      await apiError(r.put(Routes.channelPermission(D.channels.secret, D.users.bob), { body })),
    ).toMatchObject({ code: 50001, status: 403, message: 'Missing Access' });
    expect(
      await apiError(r.put(Routes.channelPermission(D.threads.active, D.users.bob), { body })),
    ).toMatchObject({ code: 50024 });
  });

  it('answers 401 for a wrong token, with Discord-shaped errors and rate-limit headers', async () => {
    const e = await apiError(rest('wrong').get(Routes.guild(D.guildId)));
    expect(e).toMatchObject({ status: 401, code: 0, message: '401: Unauthorized' });
    const res = await fetch(`${fake.apiUrl}/v10/guilds/${D.guildId}`, {
      headers: { authorization: `Bot ${fake.token}` },
    });
    expect(res.headers.get('x-ratelimit-limit')).toBe('1000');
    expect(res.headers.get('x-ratelimit-bucket')).toMatch(/^[0-9a-f]{32}$/);
    expect(await res.json()).toMatchObject({
      id: D.guildId,
      owner_id: D.users.owner,
      roles: expect.any(Array),
    });
    const unknown = await fetch(`${fake.apiUrl}/v10/guilds/1999999999999999999/members/${D.users.bob}`, {
      headers: { authorization: `Bot ${fake.token}` },
    });
    expect([unknown.status, await unknown.json()]).toEqual([404, { message: 'Unknown Guild', code: 10004 }]);
  });

  it('removes a thread member, and gets 50083 for an archived thread', async () => {
    const r = rest();
    await r.delete(Routes.threadMembers(D.threads.active, D.users.bob));
    expect(fake.isThreadMember(D.threads.active, D.users.bob)).toBe(false);
    expect(await apiError(r.get(Routes.threadMembers(D.threads.active, D.users.bob)))).toMatchObject({
      code: 10007,
    });
    expect(await r.get(Routes.threadMembers(D.threads.active, D.users.alice))).toMatchObject({
      id: D.threads.active,
      user_id: D.users.alice,
    });

    const archived = await apiError(r.delete(Routes.threadMembers(D.threads.archived, D.users.bob)));
    expect(archived).toMatchObject({ code: 50083, status: 400, message: 'Thread is archived' });
    expect(fake.isThreadMember(D.threads.archived, D.users.bob)).toBe(true);

    // Undo: add back.
    await r.put(Routes.threadMembers(D.threads.active, D.users.bob));
    expect(fake.isThreadMember(D.threads.active, D.users.bob)).toBe(true);
  });

  it('removes a role below the bot, and gets 50013 for one at or above it', async () => {
    const r = rest();
    await r.delete(Routes.guildMemberRole(D.guildId, D.users.carol, D.roles.moderator), { reason: 'demote' });
    expect(fake.member(D.guildId, D.users.carol)?.roles).toEqual([D.roles.member]);
    await r.put(Routes.guildMemberRole(D.guildId, D.users.carol, D.roles.moderator));
    expect(fake.member(D.guildId, D.users.carol)?.roles).toContain(D.roles.moderator);

    const above = await apiError(r.delete(Routes.guildMemberRole(D.guildId, D.users.owner, D.roles.admin)));
    expect(above).toMatchObject({ code: 50013, status: 403, message: 'Missing Permissions' });
    expect(fake.member(D.guildId, D.users.owner)?.roles).toEqual([D.roles.admin]);
    expect(
      await apiError(r.delete(Routes.guildMemberRole(D.guildId, D.users.bob, '1300000000000000999'))),
    ).toMatchObject({ code: 10011 });
    expect(
      await apiError(r.delete(Routes.guildMemberRole(D.guildId, '1300000000000000998', D.roles.member))),
    ).toMatchObject({ code: 10007 });
  });

  it('computes the bot guild permissions from its roles (ADMINISTRATOR = all)', async () => {
    const r = rest();
    const kickbot = fake.guild(D.guildId)?.roles.get(D.roles.kickbot);
    if (!kickbot) throw new Error('no kickbot role');
    kickbot.permissions = perms('ViewChannel', 'SendMessages', 'Connect');
    const body = { type: 1, allow: '0', deny: perms('ViewChannel') };
    const path = Routes.channelPermission(D.channels.general, D.users.bob);
    expect(await apiError(r.put(path, { body }))).toMatchObject({ code: 50013 });
    expect(await apiError(r.delete(Routes.threadMembers(D.threads.active, D.users.bob)))).toMatchObject({
      code: 50013,
    });
    expect(
      await apiError(r.patch(Routes.guildMember(D.guildId, D.users.alice), { body: { channel_id: null } })),
    ).toMatchObject({ code: 50013 });

    kickbot.permissions = perms('Administrator');
    await r.put(path, { body });
    // Admin still respects the hierarchy.
    expect(
      await apiError(r.put(Routes.guildMemberRole(D.guildId, D.users.bob, D.roles.admin))),
    ).toMatchObject({ code: 50013 });
  });

  it('disconnects a member from voice; 40032 and 10065 when not in voice', async () => {
    const r = rest();
    expect(await r.get(`/guilds/${D.guildId}/voice-states/${D.users.alice}`)).toMatchObject({
      channel_id: D.channels.voice,
      user_id: D.users.alice,
    });
    const member = await r.patch(Routes.guildMember(D.guildId, D.users.alice), {
      body: { channel_id: null },
      reason: 'remove-area voice',
    });
    expect(member).toMatchObject({ user: { id: D.users.alice } });
    expect(fake.voiceState(D.guildId, D.users.alice)).toBeUndefined();
    expect(await apiError(r.get(`/guilds/${D.guildId}/voice-states/${D.users.alice}`))).toMatchObject({
      code: 10065,
      status: 404,
    });
    expect(
      await apiError(r.patch(Routes.guildMember(D.guildId, D.users.alice), { body: { channel_id: null } })),
    ).toMatchObject({ code: 40032, status: 400 });
  });

  it('posts channel messages; 50001/50013 from permissions or test flags', async () => {
    const r = rest();
    const msg = await r.post(Routes.channelMessages(D.channels.general), { body: { content: 'hello' } });
    expect(msg).toMatchObject({ channel_id: D.channels.general, content: 'hello', author: { id: D.botId } });
    expect(fake.messages).toMatchObject([{ kind: 'channel', content: 'hello' }]);
    expect(
      await apiError(r.post(Routes.channelMessages(D.channels.secret), { body: { content: 'x' } })),
    ).toMatchObject({ code: 50001 });
    fake.messageError(D.channels.general, 50013);
    expect(
      await apiError(r.post(Routes.channelMessages(D.channels.general), { body: { content: 'x' } })),
    ).toMatchObject({ code: 50013 });
  });

  it('handles a 429: @discordjs/rest waits and retries, and reads the headers pre-emptively', async () => {
    const r = rest();
    fake.rateLimit('PUT /channels/:id/permissions/:id', { limit: 1, resetAfterMs: 300 });
    const body = { type: 1, allow: '0', deny: perms('ViewChannel') };
    // Warm-up on another channel (another bucket: the major parameter differs): @discordjs/rest learns the
    // route's X-RateLimit-Bucket hash and moves the route to a new handler. Without it, the first two calls on a
    // route can both run into a 429, because the handler that learned `remaining: 0` is left behind.
    await r.put(Routes.channelPermission(D.channels.private, D.users.bob), { body });
    // Someone else spends #general's bucket; the REST client doesn't know and runs into a 429.
    const spent = await fetch(
      `${fake.apiUrl}/v10/channels/${D.channels.general}/permissions/${D.users.alice}`,
      {
        method: 'PUT',
        headers: { authorization: `Bot ${fake.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      },
    );
    expect(spent.status).toBe(204);
    expect(spent.headers.get('x-ratelimit-remaining')).toBe('0');

    const rateLimited: unknown[] = [];
    r.on('rateLimited', (info) => rateLimited.push(info));
    const started = Date.now();
    await r.put(Routes.channelPermission(D.channels.general, D.users.bob), { body });
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    expect(fake.stats.limited).toBe(1);
    expect(fake.stats.limitedBy).toEqual({ 'PUT /channels/:channel/permissions/:overwrite': 1 });
    const statuses = fake.callsTo('PUT', `/channels/:c/permissions/:o`).map((c) => c.status);
    expect(statuses).toEqual([204, 204, 429, 204]);
    const limitedCall = fake.calls.find((c) => c.status === 429);
    expect(limitedCall?.response).toMatchObject({ message: 'You are being rate limited.', global: false });
    expect(fake.overwrite(D.channels.general, D.users.bob)).toBeDefined();

    // Now the client knows remaining = 0: the next call waits for the reset instead of hitting a 429.
    const before = Date.now();
    await r.put(Routes.channelPermission(D.channels.general, D.users.carol), { body });
    expect(Date.now() - before).toBeGreaterThanOrEqual(150);
    expect(fake.stats.limited).toBe(1);
    expect(rateLimited.length).toBeGreaterThanOrEqual(1);
  });

  it('retries injected 429s and 5xx, surfaces injected errors, and honours delays and the global limit', async () => {
    const r = rest();
    fake.failNext('GET /guilds/:g/roles', { status: 429, retryAfter: 0.05 });
    expect(await r.get(Routes.guildRoles(D.guildId))).toHaveLength(5);
    expect(fake.stats).toMatchObject({ limited: 1, injected: 1 });

    fake.failNext('GET /guilds/:g/channels', { status: 502 });
    expect(await r.get(Routes.guildChannels(D.guildId))).toHaveLength(5);
    expect(fake.callsTo('GET', '/guilds/:g/channels').map((c) => c.status)).toEqual([502, 200]);

    fake.failNext(`DELETE /channels/${D.threads.active}/thread-members/${D.users.bob}`, { code: 50013 });
    expect(await apiError(r.delete(Routes.threadMembers(D.threads.active, D.users.bob)))).toMatchObject({
      code: 50013,
      status: 403,
    });
    await r.delete(Routes.threadMembers(D.threads.active, D.users.bob));

    fake.delay('GET /users/@me', 120);
    const started = Date.now();
    const me = r.get(Routes.user('@me'));
    await fake.waitForCall('GET', '/users/@me', 2000);
    expect(await me).toMatchObject({ id: D.botId, bot: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);

    fake.globalRateLimit({ limit: 2, resetAfterMs: 200 });
    const guilds = await Promise.all([1, 2, 3].map(() => r.get(Routes.guild(D.guildId))));
    expect(guilds).toHaveLength(3);
    expect(fake.stats.limitedGlobal).toBeGreaterThanOrEqual(1);
    const global = fake.calls.find((c) => c.status === 429 && c.path === `/guilds/${D.guildId}`);
    expect(global?.response).toMatchObject({ global: true });
  });

  it('bulk-overwrites commands and builds interactions with their ids', async () => {
    const r = rest();
    const commands = [
      {
        name: 'kick',
        description: 'Remove a user from a room',
        options: [{ name: 'user', description: 'who', type: 6, required: true }],
      },
      { name: 'remove-area', description: 'Remove a user from an area', default_member_permissions: '2' },
    ];
    const saved = (await r.put(Routes.applicationGuildCommands(D.applicationId, D.guildId), {
      body: commands,
    })) as { id: string; name: string; version: string }[];
    expect(saved.map((c) => c.name)).toEqual(['kick', 'remove-area']);
    expect(saved[0]).toMatchObject({ application_id: D.applicationId, guild_id: D.guildId, type: 1 });
    expect(await r.get(Routes.applicationGuildCommands(D.applicationId, D.guildId))).toEqual(saved);
    const again = (await r.put(Routes.applicationGuildCommands(D.applicationId, D.guildId), {
      body: commands,
    })) as { id: string }[];
    expect(again.map((c) => c.id)).toEqual(saved.map((c) => c.id));
    expect(await r.put(Routes.applicationCommands(D.applicationId), { body: [] })).toEqual([]);

    const bad = await apiError(
      r.put(Routes.applicationCommands(D.applicationId), { body: [{ name: 'Kick Now', description: 'x' }] }),
    );
    expect(bad).toMatchObject({ code: 50035, status: 400 });
    expect(bad.rawError).toMatchObject({
      errors: { '0': { name: { _errors: [{ code: 'APPLICATION_COMMAND_INVALID_NAME' }] } } },
    });

    const interaction = fake.commandInteraction({ name: 'kick' });
    expect(interaction.data).toMatchObject({ id: saved[0]?.id, guild_id: D.guildId, type: 1 });
  });

  it('kicks a member below the bot (204, gone, reason recorded); 10007 for a stranger; 50013 above it or without Kick Members', async () => {
    const r = rest();
    await r.delete(Routes.guildMember(D.guildId, D.users.bob), { reason: 'offboarded: left ✓' });
    const kick = fake.callsTo('DELETE', 'DELETE /guilds/:g/members/:u')[0];
    expect(kick).toMatchObject({ status: 204, auditLogReason: 'offboarded: left ✓' });
    expect(fake.member(D.guildId, D.users.bob)).toBeUndefined();
    expect(await apiError(r.get(Routes.guildMember(D.guildId, D.users.bob)))).toMatchObject({ code: 10007 });
    expect(await apiError(r.delete(Routes.guildMember(D.guildId, D.users.bob)))).toMatchObject({
      code: 10007,
      status: 404,
      message: 'Unknown Member',
    });
    expect(await apiError(r.delete(Routes.guildMember(D.guildId, D.users.owner)))).toMatchObject({
      code: 50013,
      status: 403,
    });
    expect(fake.member(D.guildId, D.users.owner)).toBeDefined();
    const kickbot = fake.guild(D.guildId)?.roles.get(D.roles.kickbot);
    if (!kickbot) throw new Error('no kickbot role');
    kickbot.permissions = perms('ViewChannel', 'ManageRoles');
    expect(await apiError(r.delete(Routes.guildMember(D.guildId, D.users.alice)))).toMatchObject({
      code: 50013,
    });
    expect(fake.member(D.guildId, D.users.alice)).toBeDefined();
  });

  it('lists the servers the bot is in (List Current User Guilds), with limit, after and before', async () => {
    const r = rest();
    fake.addGuild({
      id: '1300000000000000900',
      name: 'Second',
      owner_id: D.users.owner,
      roles: [],
      channels: [],
      members: [],
    });
    const all = (await r.get(Routes.userGuilds())) as { id: string; name: string; owner: boolean }[];
    expect(all.map((g) => [g.id, g.name, g.owner])).toEqual([
      [D.guildId, 'Kickbot Test Guild', false],
      ['1300000000000000900', 'Second', false],
    ]);
    const one = (await r.get(Routes.userGuilds(), { query: new URLSearchParams({ limit: '1' }) })) as {
      id: string;
    }[];
    expect(one.map((g) => g.id)).toEqual([D.guildId]);
    const after = (await r.get(Routes.userGuilds(), {
      query: new URLSearchParams({ after: D.guildId }),
    })) as {
      id: string;
    }[];
    expect(after.map((g) => g.id)).toEqual(['1300000000000000900']);
    const before = (await r.get(Routes.userGuilds(), {
      query: new URLSearchParams({ before: '1300000000000000900' }),
    })) as { id: string }[];
    expect(before.map((g) => g.id)).toEqual([D.guildId]);
    expect(
      await apiError(r.get(Routes.userGuilds(), { query: new URLSearchParams({ limit: '201' }) })),
    ).toMatchObject({ code: 50035 });
  });

  it('lists members with limit and after; GET member answers 10007 for strangers', async () => {
    const r = rest();
    const page1 = (await r.get(Routes.guildMembers(D.guildId), {
      query: new URLSearchParams({ limit: '2' }),
    })) as { user: { id: string } }[];
    expect(page1.map((m) => m.user.id)).toEqual([D.botId, D.users.owner]);
    const page2 = (await r.get(Routes.guildMembers(D.guildId), {
      query: new URLSearchParams({ limit: '10', after: D.users.owner }),
    })) as { user: { id: string } }[];
    expect(page2.map((m) => m.user.id)).toEqual([D.users.alice, D.users.bob, D.users.carol]);
    expect(await r.get(Routes.guildMember(D.guildId, D.users.bob))).toMatchObject({
      user: { id: D.users.bob, username: 'bob' },
      roles: [D.roles.member],
    });
    expect(await apiError(r.get(Routes.guildMember(D.guildId, '1300000000000000999')))).toMatchObject({
      code: 10007,
      message: 'Unknown Member',
    });
  });
});

describe('Ed25519 helpers for HTTP interactions', () => {
  it('signs timestamp + body so that node:crypto.verify accepts it with the portal-style hex key', () => {
    const kp = keyPair();
    expect(kp.publicKeyHex).toMatch(/^[0-9a-f]{64}$/);
    const body = JSON.stringify({ type: 1 });
    const headers = signInteraction(kp.privateKey, body, '1700000000');
    expect(headers['x-signature-timestamp']).toBe('1700000000');
    expect(headers['x-signature-ed25519']).toMatch(/^[0-9a-f]{128}$/);

    const key = createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(kp.publicKeyHex, 'hex').toString('base64url') },
      format: 'jwk',
    });
    expect(key.equals(publicKeyFromHex(kp.publicKeyHex))).toBe(true);
    const signature = Buffer.from(headers['x-signature-ed25519'], 'hex');
    expect(verify(null, Buffer.from(`1700000000${body}`), key, signature)).toBe(true);
    expect(verify(null, Buffer.from(`1700000001${body}`), key, signature)).toBe(false);
    expect(verify(null, Buffer.from(`1700000000${body} `), key, signature)).toBe(false);
    expect(verifyInteraction(kp.publicKeyHex, headers['x-signature-ed25519'], '1700000000', body)).toBe(true);
    expect(
      verifyInteraction(keyPair().publicKeyHex, headers['x-signature-ed25519'], '1700000000', body),
    ).toBe(false);
  });

  it('postInteraction signs like Discord; tampered, unsigned and wrongly signed requests fail the check', async () => {
    const kp = keyPair();
    const publicKey = publicKeyFromHex(kp.publicKeyHex);
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        const sig = req.headers['x-signature-ed25519'];
        const ts = req.headers['x-signature-timestamp'];
        const valid =
          typeof sig === 'string' &&
          typeof ts === 'string' &&
          /^[0-9a-f]{128}$/.test(sig) &&
          verify(null, Buffer.concat([Buffer.from(ts), raw]), publicKey, Buffer.from(sig, 'hex'));
        if (!valid) return void res.writeHead(401).end('invalid request signature');
        const body = JSON.parse(raw.toString()) as { type: number };
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body.type === 1 ? { type: 1 } : { type: 5, data: { flags: 64 } }));
      });
    });
    servers.push(server);
    server.listen(0, '127.0.0.1');
    await next(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/interactions`;

    expect(await postInteraction(url, kp.privateKey, fake.pingInteraction())).toMatchObject({
      status: 200,
      body: { type: 1 },
    });
    const command = fake.commandInteraction({ name: 'kick' });
    expect(await postInteraction(url, kp.privateKey, command)).toMatchObject({
      status: 200,
      body: { type: 5 },
    });
    expect((await postInteraction(url, kp.privateKey, command, { tamper: true })).status).toBe(401);
    expect((await postInteraction(url, kp.privateKey, command, { omitSignature: true })).status).toBe(401);
    expect((await postInteraction(url, kp.privateKey, command, { omitSignature: 'timestamp' })).status).toBe(
      401,
    );
    expect((await postInteraction(url, kp.privateKey, command, { wrongKey: true })).status).toBe(401);
  });
});

async function destroyClients(): Promise<void> {
  for (const c of clients.splice(0)) await c.destroy();
}

describe('direct messages (Create DM, then Create Message in the DM channel)', () => {
  it('GIVEN user.send in discord.js THEN the DM channel is opened and the message posted; GIVEN closed DMs THEN 50007 (403)', async () => {
    const client = await login();
    const bob = await client.users.fetch(D.users.bob);
    const sent = await bob.send({ content: 'hello', allowedMentions: { parse: [] } });
    expect(sent.channel.type).toBe(ChannelType.DM);
    expect(sent.content).toBe('hello');
    expect(fake.dmChannels.get(sent.channelId)).toBe(D.users.bob);
    expect(fake.calls.map((c) => `${c.method} ${c.route}`)).toContain('POST /users/@me/channels');

    fake.closeDms(D.users.carol);
    const carol = await client.users.fetch(D.users.carol);
    const error = await carol.send('hi').catch((e: unknown) => e);
    // discord.js bundles its own @discordjs/rest: the same error class, another copy of it.
    expect(error).toMatchObject({ code: 50007, status: 403, message: 'Cannot send messages to this user' });
  });
});
