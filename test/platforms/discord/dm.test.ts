import { afterEach, describe, expect, it } from 'vitest';
import { ConnectorError, type Invocation, type ResultReply, silentLogger } from '../../../src/core/index.js';
import { discordConnector } from '../../../src/platforms/discord/connector.js';
import { discordId, guildId } from '../../../src/platforms/discord/ids.js';
import { D, type DiscordRig, discordRig } from '../../helpers/discord-rig.js';

/** Direct messages on Discord (a DM channel, then a message in it), against the fake Discord with real REST. */

let rig: DiscordRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const G = D.guildId;
let seq = 0;
const kick = (options: Record<string, string | boolean>): Invocation => ({
  id: `discord:dm-test-${++seq}`,
  platform: 'discord',
  workspace: guildId(G),
  actor: discordId(G, D.users.owner),
  channel: discordId(G, D.channels.general),
  command: 'kick',
  input: { options },
  receivedAt: Date.now(),
});

describe('Discord: telling the removed person', () => {
  it('GIVEN /kick dm:True THEN bob gets a DM before the removal, with no pings', async () => {
    rig = await discordRig();
    const reply = (await rig.core.handle(
      kick({ user: `<@${D.users.bob}>`, channel: `<#${D.channels.private}>`, reason: 'spam', dm: true }),
    )) as ResultReply;
    expect(reply).toMatchObject({ kind: 'result', status: 'ok' });
    expect(reply.note).toBeUndefined();
    const [dmChannel] = [...rig.fake.dmChannels].find(([, user]) => user === D.users.bob) ?? [];
    const dm = rig.fake.messages.find((m) => m.channel_id === dmChannel);
    expect(dm?.content).toBe(
      `You are being removed from <#${D.channels.private}> by <@${D.users.owner}> (reason: spam) · case 1`,
    );
    expect(dm?.allowed_mentions).toEqual({ parse: [] });
    const calls = rig.fake.calls.map((c) => `${c.method} ${c.path}`);
    const dmAt = calls.findIndex((c) => c.includes(`/channels/${dmChannel}/messages`));
    const removeAt = calls.findIndex((c) => c.startsWith('PUT') && c.includes('/permissions/'));
    expect(dmAt).toBeGreaterThanOrEqual(0);
    expect(removeAt).toBeGreaterThan(dmAt);
  });

  it('GIVEN bob closed his DMs THEN he is removed anyway, and the case and the reply note dm-closed', async () => {
    rig = await discordRig();
    rig.fake.closeDms(D.users.bob);
    const reply = (await rig.core.handle(
      kick({ user: `<@${D.users.bob}>`, channel: `<#${D.channels.private}>`, reason: 'spam', dm: true }),
    )) as ResultReply;
    expect(reply).toMatchObject({
      status: 'ok',
      summary: 'Removed 1 | Not a member 0 | Denied 0 | Failed 0',
    });
    expect(reply.note).toBe(
      `Direct message not delivered to <@${D.users.bob}> (they accept no direct messages); the removal went ahead.`,
    );
    const events = await rig.store.readCaseEvents(guildId(G), 1);
    expect(events.find((e) => e.kind === 'dm')).toMatchObject({
      user: discordId(G, D.users.bob),
      ok: false,
      code: 'dm-closed',
    });
  });

  it('GIVEN the directory alone THEN a closed DM is a ConnectorError dm-closed (Discord 50007, 403)', async () => {
    rig = await discordRig();
    rig.fake.closeDms(D.users.carol);
    const { directory } = discordConnector({ rest: rig.rest, config: { areas: [] }, logger: silentLogger });
    const error = await directory.dm?.(discordId(G, D.users.carol), 'hello').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectorError);
    expect((error as ConnectorError).code).toBe('dm-closed');
    const failed = rig.fake.calls.find((c) => c.status === 403);
    expect(failed?.path).toMatch(/\/channels\/\d+\/messages$/);
  });
});
