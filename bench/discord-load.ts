/**
 * The other side of the Discord latency benchmark, in a process of its own (as Discord is another machine): two
 * fake Discords, one for kickbot and one for a bare discord.js client. It prints their addresses, waits for "go"
 * on stdin, dispatches the interactions at a steady rate to each in turn, and prints each deferral's latency.
 */

import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { DISCORD_DEFAULTS as D, FakeDiscord } from '../test/fakes/discord/FakeDiscord.js';

export const INTERACTIONS = 1_000;
export const EVERY_MS = 10; // 100 interactions a second, arriving whether or not earlier ones are done
export const memberIds = Array.from({ length: INTERACTIONS }, (_, i) =>
  String(1_400_000_000_000_000_000n + BigInt(i)),
);

export function addMembers(fake: FakeDiscord): void {
  for (const id of memberIds)
    fake.addMember(D.guildId, { user: { id, username: `u${id.slice(-4)}` }, roles: [D.roles.member] });
}

async function run(fake: FakeDiscord, withUser: boolean): Promise<number[]> {
  const waits: Promise<number>[] = [];
  const start = performance.now();
  for (let i = 0; i < INTERACTIONS; i++) {
    const late = start + i * EVERY_MS - performance.now();
    if (late > 0) await new Promise((resolve) => setTimeout(resolve, late));
    const interaction = fake.commandInteraction({
      name: 'kick',
      user: D.users.carol,
      channel: D.channels.private,
      ...(withUser ? { options: [{ name: 'user', type: 6, value: memberIds[i] as string }] } : {}),
    });
    const sent = performance.now();
    fake.dispatchInteraction(interaction);
    waits.push(fake.waitForCallback(interaction.id, 10_000).then(() => performance.now() - sent));
  }
  return Promise.all(waits);
}

if (process.argv[1]?.endsWith('discord-load.js')) {
  const kickbot = await FakeDiscord.start({});
  const bare = await FakeDiscord.start({});
  addMembers(kickbot);
  process.stdout.write(
    `${JSON.stringify({ kickbot: kickbot.apiUrl, bare: bare.apiUrl, token: kickbot.token })}\n`,
  );
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    if (line !== 'go') continue;
    const bareTimes = await run(bare, false);
    const kickTimes = await run(kickbot, true);
    process.stdout.write(`${JSON.stringify({ bareTimes, kickTimes })}\n`);
    break;
  }
  lines.close();
  await kickbot.close();
  await bare.close();
}
