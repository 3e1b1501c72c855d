import { afterEach, describe, expect, it } from 'vitest';
import type { FakeDiscord, FakeInteraction } from '../../fakes/discord/FakeDiscord.js';
import { MEMBER, MESSAGES, OPT, result, textOf } from '../../helpers/discord-flows.js';
import { D, type DiscordRig, discordRig } from '../../helpers/discord-rig.js';

/**
 * `/offboard` through the Discord HTTP interactions front, as carol (Moderator: Kick Members) types it: the plan
 * first, then the member out of the server (Remove Guild Member with an audit reason), one notice, the line for
 * Discord saying there is no undo; and a member without Kick Members refused.
 */

let rig: DiscordRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

function offboard(fake: FakeDiscord, user: string, by: string = D.users.carol, id?: string): FakeInteraction {
  return fake.commandInteraction({
    name: 'offboard',
    user: by,
    channel: D.channels.private,
    options: [
      { name: 'user', type: OPT.user, value: user },
      { name: 'reason', type: OPT.string, value: 'left the company' },
    ],
    ...(id ? { id } : {}),
  });
}

describe('/offboard on Discord', () => {
  it('GIVEN carol offboards bob THEN the plan with its Confirm button, nothing kicked; a confirmation kicks him from the server with an audit reason', async () => {
    rig = await discordRig();
    const { fake, http } = rig;
    const asked = offboard(fake, D.users.bob);
    expect((await http.post(asked)).status).toBe(200);
    const plan = await result(fake, asked);
    expect(textOf(plan)).toContain('Discord: 1 room, would remove 1; cannot be undone');
    expect(fake.callsTo('DELETE', MEMBER)).toEqual([]);
    const confirm = plan.components[0]?.components[0]?.custom_id ?? '';
    expect(confirm).not.toBe('');

    const clicked = fake.componentInteraction({
      custom_id: confirm,
      user: D.users.carol,
      channel: D.channels.private,
    });
    expect((await http.post(clicked)).status).toBe(200);
    const done = await result(fake, clicked);
    expect(done.content).toMatch(/^Removed 1 \| Not a member 0 \| Denied 0 \| Failed 0 · case 1/);
    expect(textOf(done)).toContain('Discord: Removed 1');
    const kicks = fake.callsTo('DELETE', MEMBER);
    expect(kicks.map((k) => [k.params.user, k.auditLogReason])).toEqual([
      [D.users.bob, `kickbot case 1 by ${D.users.carol}: left the company`],
    ]);
    expect(fake.member(D.guildId, D.users.bob)).toBeUndefined();
    const notices = fake.callsTo('POST', MESSAGES).map((m) => (m.body as { content: string }).content);
    expect(notices).toEqual([
      `<@${D.users.bob}> was offboarded by <@${D.users.carol}> (reason: left the company) · case 1 · Removed 1 | Not a member 0 | Denied 0 | Failed 0`,
    ]);
  });

  it('GIVEN bob (no Kick Members) offboards alice THEN refused, nothing kicked', async () => {
    rig = await discordRig();
    const { fake, http } = rig;
    const asked = offboard(fake, D.users.alice, D.users.bob);
    await http.post(asked);
    const reply = await result(fake, asked);
    expect(reply.content).toMatch(/offboard-user permission/);
    expect(fake.callsTo('DELETE', MEMBER)).toEqual([]);
  });
});
