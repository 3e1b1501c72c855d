import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Progress, type Reply, silentLogger } from '../../../src/core/index.js';
import { answer, type Responder, TOKEN_MS } from '../../../src/platforms/discord/flow.js';
import type { DiscordMessage } from '../../../src/platforms/discord/render.js';
import type { RecordedCall } from '../../fakes/discord/FakeDiscord.js';
import {
  addMembers,
  caseRows,
  controlledNow,
  type EditBody,
  editsOf,
  kick,
  kickbot,
  MESSAGES,
  mentions,
  OPT,
  OVERWRITE,
  removeArea,
  result,
  sees,
  undoCase,
} from '../../helpers/discord-flows.js';
import { D, type DiscordRig, discordRig } from '../../helpers/discord-rig.js';

let rig: DiscordRig | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await rig?.close();
  rig = undefined;
});

/** A rig with discord.js logged in to the fake. */
async function start(): Promise<DiscordRig> {
  rig = await discordRig();
  await rig.gateway();
  return rig;
}

/**
 * Moves `Date.now()` forward by `ms` once the fake has answered the first overwrite PUT: time passes in the
 * middle of a batch without waiting for it (flow.ts, the fake's token lifetime and the store all read Date.now).
 */
function jumpAfterFirstRemoval(rig: DiscordRig, ms: number): void {
  const now = controlledNow();
  const onCall = (call: RecordedCall) => {
    if (call.method !== 'PUT' || call.route !== OVERWRITE) return;
    now.advance(ms);
    rig.fake.off('call', onCall);
  };
  rig.fake.on('call', onCall);
}

describe('Discord gateway (discord.js): commands', () => {
  it('GIVEN /kick from carol THEN an ephemeral deferral, the overwrite, and the reply edited with an embed and text', async () => {
    const { fake } = await start();
    const interaction = fake.dispatchInteraction(kick(fake, { user: D.users.bob, reason: 'spam' }));
    const deferral = await fake.waitForCallback(interaction.id);
    expect(deferral.type).toBe(5);
    expect(deferral.data).toEqual({ flags: 64 });

    const reply = await result(fake, interaction);
    expect(reply.content).toBe('Removed 1 | Not a member 0 | Denied 0 | Failed 0 · case 1');
    expect(reply.embeds[0]).toMatchObject({
      title: 'Removed 1 | Not a member 0 | Denied 0 | Failed 0',
      description: `✓ <@${D.users.bob}> removed from <#${D.channels.private}>`,
      footer: { text: 'case 1 · /kickbot undo case:1 re-adds them' },
    });
    const original = fake.originalMessage(interaction.id);
    expect(original?.flags).toBe(64);
    expect(original?.content).toBe(reply.content);
    expect(original?.embeds).toHaveLength(1);
    expect(editsOf(fake, interaction).map((c) => c.status)).toEqual([200]);

    const put = fake.callsTo('PUT', OVERWRITE);
    expect(put.map((c) => c.body)).toEqual([{ type: 1, allow: '0', deny: '1024' }]);
    expect(put[0]?.auditLogReason).toBe(`kickbot case 1 by ${D.users.carol}: spam`);
    expect(sees(fake, D.channels.private, D.users.bob)).toBe(false);
    expect(fake.callsTo('POST', MESSAGES).map((c) => c.body)).toEqual([
      {
        content: `<#${D.channels.private}>: <@${D.users.bob}> was removed by <@${D.users.carol}> (reason: spam) · case 1`,
        allowed_mentions: { parse: [] },
      },
    ]);
  });

  it('GIVEN /remove-area and then /kickbot undo (a subcommand with an integer) THEN both run through discord.js', async () => {
    const { fake } = await start();
    const area = fake.dispatchInteraction(removeArea(fake, { area: 'payments', users: `<@${D.users.bob}>` }));
    expect((await result(fake, area)).content).toBe(
      'Removed 2 | Not a member 0 | Denied 0 | Failed 0 · case 1',
    );
    expect(fake.member(D.guildId, D.users.bob)?.roles).toEqual([]);
    expect(sees(fake, D.channels.private, D.users.bob)).toBe(false);

    const undo = fake.dispatchInteraction(undoCase(fake, 1));
    expect((await fake.waitForCallback(undo.id)).type).toBe(5);
    expect((await result(fake, undo)).content).toBe(
      'Restored 2 | Already a member 0 | Denied 0 | Failed 0 · case 2',
    );
    expect(fake.member(D.guildId, D.users.bob)?.roles).toEqual([D.roles.member]);
    expect(fake.overwrite(D.channels.private, D.users.bob)).toBeUndefined();
    expect(sees(fake, D.channels.private, D.users.bob)).toBe(true);
  });

  it('GIVEN /leave by bob, /kick from a thread, then /kickbot cases and help THEN each answers through discord.js', async () => {
    const { fake } = await start();
    const leave = fake.dispatchInteraction(
      fake.commandInteraction({ name: 'leave', user: D.users.bob, channel: D.channels.private }),
    );
    expect((await result(fake, leave)).content).toBe(
      'Removed 1 | Not a member 0 | Denied 0 | Failed 0 · case 1',
    );
    expect(sees(fake, D.channels.private, D.users.bob)).toBe(false);

    const thread = fake.dispatchInteraction(kick(fake, { user: D.users.bob, from: D.threads.active }));
    expect((await result(fake, thread)).content).toBe(
      'Removed 1 | Not a member 0 | Denied 0 | Failed 0 · case 2',
    );
    expect(fake.isThreadMember(D.threads.active, D.users.bob)).toBe(false);

    const cases = fake.dispatchInteraction(kickbot(fake, 'cases'));
    const list = (await result(fake, cases)).content;
    expect(list).toContain('Cases, newest first:');
    expect(list).toMatch(
      new RegExp(
        `case 2 · .* · <@${D.users.carol}> · /kick <@${D.users.bob}> from <#${D.threads.active}> · removed 1`,
      ),
    );
    expect(list).toMatch(
      new RegExp(`case 1 · .* · <@${D.users.bob}> · /leave <#${D.channels.private}> · removed 1`),
    );

    const help = fake.dispatchInteraction(kickbot(fake, 'help', [], D.users.bob));
    expect((await result(fake, help)).content).toContain('kickbot commands:');
  });

  it('GIVEN autocomplete of area THEN respond() with the configured areas', async () => {
    const { fake } = await start();
    const typed = fake.dispatchInteraction(
      fake.autocompleteInteraction({
        name: 'remove-area',
        user: D.users.carol,
        channel: D.channels.private,
        options: [{ name: 'area', type: OPT.string, value: 'pay', focused: true }],
      }),
    );
    const callback = await fake.waitForCallback(typed.id);
    expect(callback.type).toBe(8);
    expect(callback.data).toEqual({ choices: [{ name: 'payments', value: 'payments' }] });
  });

  it('GIVEN a /kick in a DM THEN an ephemeral "servers only" reply and nothing else', async () => {
    const { fake } = await start();
    const dm = fake.dispatchInteraction(
      fake.commandInteraction({
        name: 'kick',
        guild: null,
        user: D.users.bob,
        options: [{ name: 'user', type: OPT.user, value: D.users.alice }],
      }),
    );
    const callback = await fake.waitForCallback(dm.id);
    expect(callback.type).toBe(4);
    expect(callback.data).toMatchObject({
      content: 'kickbot works in servers, not in direct messages.',
      flags: 64,
    });
    expect(fake.calls.filter((c) => c.method !== 'GET' && !c.path.startsWith('/interactions/'))).toEqual([]);
  });
});

describe('Discord gateway (discord.js): confirmation buttons', () => {
  it('GIVEN a batch of 11 THEN buttons; a stranger is refused; carol’s click defers the update and edits in the result; a second click has expired', async () => {
    const { fake } = await start();
    const ids = addMembers(fake, 11);
    const interaction = fake.dispatchInteraction(
      kick(fake, { user: ids[0] as string, more: mentions(ids.slice(1)) }),
    );
    const prompt = await result(fake, interaction);
    const [confirm, cancel] = prompt.components[0]?.components ?? [];
    expect(confirm?.custom_id).toMatch(/^kickbot:confirm:/);
    expect(cancel?.custom_id).toMatch(/^kickbot:cancel:/);
    const promptMessage = fake.originalMessage(interaction.id);
    expect(promptMessage?.components).toHaveLength(1);
    expect(fake.callsTo('PUT', OVERWRITE)).toEqual([]);

    const click = (user: string) =>
      fake.dispatchInteraction(
        fake.componentInteraction({
          custom_id: confirm?.custom_id ?? '',
          user,
          channel: D.channels.private,
          message: promptMessage?.id as string,
        }),
      );

    const stranger = click(D.users.alice);
    expect((await fake.waitForCallback(stranger.id)).type).toBe(6);
    expect((await result(fake, stranger)).content).toBe(
      'Only the moderator who asked can answer this confirmation.',
    );
    expect(fake.callsTo('PUT', OVERWRITE)).toEqual([]);

    const mine = click(D.users.carol);
    expect((await fake.waitForCallback(mine.id)).type).toBe(6);
    const done = await result(fake, mine);
    expect(done.content).toBe('Removed 11 | Not a member 0 | Denied 0 | Failed 0 · case 1');
    // deferUpdate: the edit lands on the message that carried the buttons.
    expect(promptMessage?.content).toBe(done.content);
    expect(promptMessage?.components).toEqual([]);
    expect(fake.callsTo('PUT', OVERWRITE)).toHaveLength(11);
    for (const id of ids) expect(sees(fake, D.channels.private, id)).toBe(false);

    const again = click(D.users.carol);
    expect((await result(fake, again)).content).toBe(
      'This confirmation has expired or was already answered.',
    );
    expect(fake.callsTo('PUT', OVERWRITE)).toHaveLength(11);
  });
});

describe('Discord gateway (discord.js): long batches', () => {
  it('GIVEN more than 3 s pass during a batch THEN a progress edit, then the result', async () => {
    const r = await start();
    const { fake } = r;
    const ids = addMembers(fake, 10);
    jumpAfterFirstRemoval(r, 3_100);
    const interaction = fake.dispatchInteraction(
      kick(fake, { user: ids[0] as string, more: mentions(ids.slice(1)) }),
    );
    const final = await result(fake, interaction);
    expect(final.content).toBe('Removed 10 | Not a member 0 | Denied 0 | Failed 0 · case 1');
    const contents = editsOf(fake, interaction).map((c) => (c.body as EditBody).content);
    expect(contents).toHaveLength(2);
    expect(contents[0]).toMatch(/^Removed \d of 10 \(\d+\.\d\/s, about \d+ s to go\)…$/);
    expect(contents[1]).toBe(final.content);
    expect(fake.originalMessage(interaction.id)?.content).toBe(final.content);
  });

  it('GIVEN the batch outlives the interaction token THEN the result is posted in the channel, addressed to carol', async () => {
    const r = await start();
    const { fake } = r;
    const ids = addMembers(fake, 4);
    jumpAfterFirstRemoval(r, 15 * 60_000 + 1_000);
    const interaction = fake.dispatchInteraction(
      kick(fake, { user: ids[0] as string, more: mentions(ids.slice(1)) }),
    );
    const post = await fake.waitFor(
      () =>
        fake.callsTo('POST', MESSAGES).find((c) => (c.body as { content: string }).content.startsWith('<@')),
      3000,
      'the result in the channel',
    );
    expect(post.params.channel).toBe(D.channels.private);
    expect(post.body).toEqual({
      content: `<@${D.users.carol}> Removed 4 | Not a member 0 | Denied 0 | Failed 0 · case 1`,
      allowed_mentions: { users: [D.users.carol] },
    });
    expect(post.status).toBe(200);
    expect(editsOf(fake, interaction)).toEqual([]);
    expect((await caseRows(r, 1)).map((row) => row.outcome)).toEqual(Array(4).fill('removed'));
  });
});

describe('flow.answer: the 15-minute token', () => {
  const reply: Reply = {
    kind: 'result',
    action: 'remove',
    caseId: 7,
    status: 'ok',
    results: [{ room: `discord:${D.guildId}/1`, user: `discord:${D.guildId}/2`, outcome: 'removed' }],
    summary: 'Removed 1 | Not a member 0 | Denied 0 | Failed 0',
    labels: {},
  };

  async function run(startedAt: number) {
    const edits: DiscordMessage[] = [];
    const posts: string[] = [];
    const responder: Responder = {
      edit: async (m) => void edits.push(m),
      post: async (c) => void posts.push(c),
    };
    await answer({
      logger: silentLogger,
      responder,
      moderator: D.users.carol,
      startedAt,
      call: async ({ onProgress }) => {
        const p: Progress = { done: 1, total: 2, rate: 1, etaMs: 1000 };
        onProgress(p);
        return reply;
      },
    });
    return { edits, posts };
  }

  it('GIVEN the interaction arrived 15 minutes ago THEN the result goes to the channel, addressed to the moderator, and nothing is edited', async () => {
    const { edits, posts } = await run(Date.now() - 15 * 60_000);
    expect(edits).toEqual([]);
    expect(posts).toEqual([`<@${D.users.carol}> Removed 1 | Not a member 0 | Denied 0 | Failed 0 · case 7`]);
  });

  it('GIVEN the token still lives (13 minutes) THEN the reply is edited and nothing is posted', async () => {
    expect(TOKEN_MS).toBeLessThan(15 * 60_000);
    const { edits, posts } = await run(Date.now() - 13 * 60_000);
    expect(posts).toEqual([]);
    expect(edits.map((e) => e.content)).toEqual([
      'Removed 1 | Not a member 0 | Denied 0 | Failed 0 · case 7',
    ]);
    expect(edits[0]?.embeds[0]?.description).toMatch(/^✓ /);
  });
});
