import { GatewayIntentBits } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../../src/config/config-file.js';
import { readPairMarker, setPairMarker } from '../../../src/core/index.js';
import { MemoryStore } from '../../../src/store/MemoryStore.js';
import { type FakeMessage, perms } from '../../fakes/discord/FakeDiscord.js';
import { FakeClock } from '../../helpers/clock.js';
import {
  kick,
  MEMBER_ROLE,
  OVERWRITE,
  result,
  sees,
  setRolePermissions,
  undoCase,
} from '../../helpers/discord-flows.js';
import { D, DISCORD_CONFIG, type DiscordRig, discordRig } from '../../helpers/discord-rig.js';

/**
 * Removals made in Discord's own UI and rejoins: the fake writes audit log entries and dispatches them as
 * GUILD_AUDIT_LOG_ENTRY_CREATE to the real discord.js client (Guild Moderation intent, View Audit Log), which
 * parses them; kickbot's own writes carry `kickbot case …` and are skipped.
 */

const WS = `discord:${D.guildId}`;
const DAY = 24 * 60 * 60_000;
const MOD_LOG = D.channels.general;
const CONFIG: Config = { ...DISCORD_CONFIG, modLog: { discord: MOD_LOG } };
/** The bot's role with View Audit Log added (the invite asks for it). */
const BOT_PERMS = perms(
  'ViewChannel',
  'SendMessages',
  'SendMessagesInThreads',
  'Connect',
  'ManageRoles',
  'ManageThreads',
  'MoveMembers',
  'KickMembers',
  'ViewAuditLog',
);

let rig: DiscordRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

async function start(
  o: { gateway?: NonNullable<Parameters<typeof discordRig>[0]>['gateway']; auditLog?: boolean } = {},
): Promise<DiscordRig & { clock: FakeClock }> {
  const clock = new FakeClock(Date.now());
  const r = await discordRig({
    config: CONFIG,
    store: new MemoryStore({ clock }),
    core: { clock },
    ...(o.gateway ? { gateway: o.gateway } : {}),
  });
  rig = r;
  if (o.auditLog !== false) setRolePermissions(r.fake, D.roles.kickbot, BOT_PERMS);
  await r.gateway();
  return Object.assign(r, { clock });
}

/** Messages kickbot posted to the mod-log channel that are not copies of room confirmations. */
const modLog = (r: DiscordRig): FakeMessage[] =>
  r.fake.messages.filter(
    (m) => m.channel_id === MOD_LOG && m.kind === 'channel' && !/^<#\d+>: /.test(m.content),
  );
const nthModLog = (r: DiscordRig, n: number) =>
  r.fake.waitFor(() => modLog(r)[n - 1], 5_000, `mod-log message ${n}`);

describe('Discord: removals made by hand (GUILD_AUDIT_LOG_ENTRY_CREATE)', () => {
  it('GIVEN the gateway THEN it asks for Guild Moderation only (no privileged intent) by default', async () => {
    const r = await start();
    expect(r.fake.identifies[0]?.intents).toBe(GatewayIntentBits.GuildModeration);
  });

  it('GIVEN a member kicked in Discord THEN a by-hand case with who did it and the mod-log told, never pinging', async () => {
    const r = await start();
    r.fake.kickByHand(D.guildId, D.users.bob, D.users.carol, 'raiding');
    const msg = await nthModLog(r, 1);
    expect(msg.content).toBe(
      `<@${D.users.bob}> was removed from Kickbot Test Guild by hand by <@${D.users.carol}> (Discord) (reason: raiding) · case 1 · /kickbot undo 1 re-adds them`,
    );
    expect(msg.allowed_mentions).toEqual({ parse: [] });
    expect(await r.store.readAudit({ workspace: WS })).toEqual([
      expect.objectContaining({
        caseId: 1,
        action: 'remove',
        outcome: 'removed',
        actor: `${WS}/${D.users.carol}`,
        target: `${WS}/${D.users.bob}`,
        room: WS,
        reason: 'raiding',
      }),
    ]);
    expect(await r.store.readCaseEvents(WS, 1)).toEqual([
      expect.objectContaining({
        kind: 'opened',
        by: `${WS}/${D.users.carol}`,
        command: 'removed by hand in Discord (member kick)',
        byHand: { via: 'discord-audit-log', detail: 'member kick' },
      }),
    ]);
  });

  it("GIVEN an area's role taken away by hand THEN a case for the role, and the undo gives it back; another role is nobody's business", async () => {
    const r = await start();
    r.fake.roleByHand(D.guildId, D.users.bob, D.roles.moderator, true, D.users.owner); // not an area's role
    r.fake.roleByHand(D.guildId, D.users.bob, D.roles.moderator, false, D.users.owner);
    r.fake.roleByHand(D.guildId, D.users.bob, D.roles.member, false, D.users.owner);
    const msg = await nthModLog(r, 1);
    expect(msg.content).toBe(
      `<@${D.users.bob}> was removed from <@&${D.roles.member}> by hand by <@${D.users.owner}> (Discord) · case 1 · /kickbot undo 1 re-adds them`,
    );
    expect((await r.store.readAudit({ workspace: WS }))[0]).toMatchObject({
      room: `${WS}/role:${D.roles.member}`,
    });
    expect(await r.store.readCaseEvents(WS, 1)).toEqual([
      expect.objectContaining({ command: 'removed by hand in Discord (role Member taken away)' }),
    ]);

    const undo = r.fake.dispatchInteraction(undoCase(r.fake, 1));
    expect((await result(r.fake, undo)).content).toContain('Restored 1');
    expect(r.fake.callsTo('PUT', MEMBER_ROLE).map((c) => c.params.role)).toEqual([D.roles.member]);
    expect(r.fake.member(D.guildId, D.users.bob)?.roles).toContain(D.roles.member);
    expect(await r.store.lastCaseId(WS)).toBe(2); // the undo's PUT (reason "kickbot case 2 …") opened nothing
  });

  it('GIVEN a member overwrite denying View Channel made by hand THEN a case whose undo deletes that overwrite', async () => {
    const r = await start();
    r.fake.overwriteByHand(
      D.channels.private,
      D.users.bob,
      { allow: '0', deny: perms('ViewChannel') },
      D.users.carol,
    );
    const msg = await nthModLog(r, 1);
    expect(msg.content).toBe(
      `<@${D.users.bob}> was removed from <#${D.channels.private}> by hand by <@${D.users.carol}> (Discord) · case 1 · /kickbot undo 1 re-adds them`,
    );
    expect((await r.store.readAudit({ workspace: WS }))[0]).toMatchObject({
      room: `${WS}/${D.channels.private}`,
      undo: { overwrite: 'none' },
    });
    const undo = r.fake.dispatchInteraction(undoCase(r.fake, 1));
    expect((await result(r.fake, undo)).content).toContain('Restored 1');
    expect(r.fake.callsTo('DELETE', OVERWRITE).map((c) => c.auditLogReason)).toEqual([
      `kickbot case 2 by ${D.users.carol}`,
    ]);
    expect(sees(r.fake, D.channels.private, D.users.bob)).toBe(true);
  });

  it('GIVEN an existing member overwrite updated by hand to deny View Channel THEN the undo puts back both halves as they were', async () => {
    const r = await start();
    // Bits the bot has itself: Discord lets it write no others in an overwrite (DiscordAccess checks it first).
    const before = { allow: perms('SendMessages'), deny: perms('Connect') };
    const channel = r.fake.guild(D.guildId)?.channels.get(D.channels.private);
    channel?.permission_overwrites.push({ id: D.users.bob, type: 1, ...before });
    r.fake.overwriteByHand(
      D.channels.private,
      D.users.bob,
      { allow: before.allow, deny: perms('Connect', 'ViewChannel') },
      D.users.carol,
    );
    await nthModLog(r, 1);
    expect((await r.store.readAudit({ workspace: WS }))[0]?.undo).toEqual({ overwrite: 'member', ...before });
    const undo = r.fake.dispatchInteraction(undoCase(r.fake, 1));
    expect((await result(r.fake, undo)).content).toContain('Restored 1');
    expect(r.fake.overwrite(D.channels.private, D.users.bob)).toMatchObject(before);
  });

  it("GIVEN kickbot's own /kick THEN its audit entry (reason `kickbot case 1 …`) opens no second case", async () => {
    const r = await start();
    const interaction = r.fake.dispatchInteraction(kick(r.fake, { user: D.users.bob, reason: 'spam' }));
    await result(r.fake, interaction);
    expect(r.fake.auditLog.map((e) => e.reason)).toEqual([`kickbot case 1 by ${D.users.carol}: spam`]);
    // A removal by hand after it, as a barrier: the gateway delivers in order.
    r.fake.kickByHand(D.guildId, D.users.alice, D.users.carol);
    expect((await nthModLog(r, 1)).content).toContain('case 2');
    expect(await r.store.lastCaseId(WS)).toBe(2);
    expect(modLog(r)).toHaveLength(1);
  });

  it('GIVEN byHand.discord off THEN nothing is opened', async () => {
    const r = await start({ gateway: { byHand: false } });
    r.fake.kickByHand(D.guildId, D.users.bob, D.users.carol);
    // An overwrite removal is off too; a rejoin alert is not, and serves as the barrier.
    await setPairMarker(
      r.store,
      `${WS}/${D.channels.private}`,
      `${WS}/${D.users.alice}`,
      { caseId: 9, at: r.clock.now(), state: 'removed' },
      DAY,
    );
    r.fake.overwriteByHand(
      D.channels.private,
      D.users.alice,
      { allow: '0', deny: perms('ViewChannel') },
      D.users.owner,
    );
    r.fake.overwriteByHand(D.channels.private, D.users.alice, null, D.users.owner);
    expect((await nthModLog(r, 1)).content).toContain('joined');
    expect(await r.store.lastCaseId(WS)).toBe(0);
  });

  it('GIVEN a bot without View Audit Log THEN Discord sends no entries, and nothing happens', async () => {
    const r = await start({ auditLog: false });
    r.fake.kickByHand(D.guildId, D.users.bob, D.users.carol);
    expect(r.fake.dispatches.filter((d) => d.t === 'GUILD_AUDIT_LOG_ENTRY_CREATE')).toEqual([]);
  });
});

describe('Discord: alert on rejoin', () => {
  it('GIVEN a by-hand overwrite THEN deleting it 3 days later (Discord UI) tells the mod-log who let them back in', async () => {
    const r = await start();
    r.fake.overwriteByHand(
      D.channels.private,
      D.users.bob,
      { allow: '0', deny: perms('ViewChannel') },
      D.users.carol,
    );
    await nthModLog(r, 1);
    r.clock.advance(3 * DAY);
    r.fake.overwriteByHand(D.channels.private, D.users.bob, null, D.users.owner);
    expect((await nthModLog(r, 2)).content).toBe(
      `<@${D.users.bob}> joined <#${D.channels.private}> again, 3 days after case 1 removed them · let back in by <@${D.users.owner}>`,
    );
    expect(
      await readPairMarker(r.store, `${WS}/${D.channels.private}`, `${WS}/${D.users.bob}`),
    ).toBeUndefined();
  });

  it("GIVEN kickbot's own undo THEN its overwrite delete is no rejoin", async () => {
    const r = await start();
    r.fake.overwriteByHand(
      D.channels.private,
      D.users.bob,
      { allow: '0', deny: perms('ViewChannel') },
      D.users.carol,
    );
    await nthModLog(r, 1);
    const undo = r.fake.dispatchInteraction(undoCase(r.fake, 1));
    await result(r.fake, undo);
    r.fake.kickByHand(D.guildId, D.users.alice, D.users.carol); // barrier
    expect((await nthModLog(r, 2)).content).toContain(`<@${D.users.alice}>`);
    expect(
      modLog(r)
        .map((m) => m.content)
        .filter((c) => c.includes('joined')),
    ).toEqual([]);
  });

  it('GIVEN DISCORD_MEMBER_EVENTS THEN the gateway asks for Server Members, and someone kicked by hand who joins again is told', async () => {
    const r = await start({ gateway: { memberEvents: true } });
    expect(r.fake.identifies[0]?.intents).toBe(
      GatewayIntentBits.GuildModeration | GatewayIntentBits.GuildMembers,
    );
    r.fake.kickByHand(D.guildId, D.users.bob, D.users.carol);
    await nthModLog(r, 1);
    r.clock.advance(DAY);
    r.fake.memberJoins(D.guildId, { user: { id: D.users.bob, username: 'bob' }, roles: [] });
    expect((await nthModLog(r, 2)).content).toBe(
      `<@${D.users.bob}> joined Kickbot Test Guild again, 1 day after case 1 removed them`,
    );
  });
});
