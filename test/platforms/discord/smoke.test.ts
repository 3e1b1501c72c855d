import { afterEach, describe, expect, it } from 'vitest';
import { D, type DiscordRig, discordRig } from '../../helpers/discord-rig.js';

let rig: DiscordRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const kickBob = (rig: DiscordRig) =>
  rig.fake.commandInteraction({
    name: 'kick',
    user: D.users.carol,
    channel: D.channels.private,
    options: [
      { name: 'user', type: 6, value: D.users.bob },
      { name: 'reason', type: 3, value: 'spam' },
    ],
  });

describe('Discord end to end (smoke)', () => {
  it('GIVEN a signed /kick over HTTP THEN a deferred ephemeral answer, an overwrite denying View Channel, a notice and the result', async () => {
    rig = await discordRig();
    const interaction = kickBob(rig);
    const res = await rig.http.post(interaction);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ type: 5, data: { flags: 64 } });
    const edit = await rig.fake.waitForCall('PATCH', '/webhooks/:app/:token/messages/@original');
    expect(JSON.stringify(edit.body)).toContain('Removed 1 | Not a member 0');
    const put = rig.fake.callsTo('PUT', '/channels/:c/permissions/:id')[0];
    expect(put?.body).toEqual({ type: 1, allow: '0', deny: '1024' });
    expect(put?.auditLogReason).toContain('spam');
    const posts = rig.fake.callsTo('POST', '/channels/:c/messages');
    expect(posts.map((c) => (c.body as { content: string }).content)).toEqual([
      `<#${D.channels.private}>: <@${D.users.bob}> was removed by <@${D.users.carol}> (reason: spam) · case 1`,
    ]);
  });

  it('GIVEN the gateway THEN the same /kick works through discord.js', async () => {
    rig = await discordRig();
    await rig.gateway();
    const interaction = rig.fake.dispatchInteraction(kickBob(rig));
    await rig.fake.waitForCallback(interaction.id);
    const edit = await rig.fake.waitForCall('PATCH', '/webhooks/:app/:token/messages/@original');
    expect(JSON.stringify(edit.body)).toContain('Removed 1 | Not a member 0');
  });
});
