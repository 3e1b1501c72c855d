/**
 * `npm run bench` (part 4): kickbot on Discord, against the fake gateway + REST on loopback.
 *  1. Dispatch → deferred-reply latency of `/kick` (which then really removes) next to a bare discord.js client
 *     that only defers the same interaction, same load, same run (goal ≤ 1.3×).
 *  2. 300 removals under a bucket on the overwrite route (50 per second): time ÷ ideal (goal ≤ 1.1),
 *     429s ÷ calls (goal ≤ 2%), lost targets (goal 0).
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { REST } from '@discordjs/rest';
import { Client, Events, GatewayIntentBits, MessageFlags } from 'discord.js';
import { commands } from '../commands/index.js';
import { createCore, type Invocation, silentLogger } from '../src/core/index.js';
import { discordConnector } from '../src/platforms/discord/connector.js';
import { createGatewayFront } from '../src/platforms/discord/GatewayFront.js';
import { MemoryStore } from '../src/store/MemoryStore.js';
import { DISCORD_DEFAULTS as D } from '../test/fakes/discord/FakeDiscord.js';
import { DISCORD_CONFIG, discordRig } from '../test/helpers/discord-rig.js';
import { addMembers, INTERACTIONS, memberIds as ids } from './discord-load.js';

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] as number;
const fmt = (n: number, d = 2) =>
  n.toLocaleString('en', { minimumFractionDigits: d, maximumFractionDigits: d });

/** The fakes and the load run in another process (bench/discord-load.ts); kickbot and the bare client here. */
async function latency() {
  const load = spawn(process.execPath, [join(dirname(fileURLToPath(import.meta.url)), 'discord-load.js')], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: load.stdout as NodeJS.ReadableStream })[Symbol.asyncIterator]();
  const { kickbot, bare, token } = JSON.parse((await lines.next()).value as string) as Record<string, string>;
  const discord = discordConnector({
    rest: new REST({ version: '10', api: kickbot }).setToken(token as string),
    config: DISCORD_CONFIG,
    logger: silentLogger,
  });
  const kick = createGatewayFront({
    core: createCore({
      directories: [discord.directory],
      removers: [discord.remover],
      store: new MemoryStore(),
      commands,
    }),
    logger: silentLogger,
    token: token as string,
    apiUrl: kickbot as string,
    areas: () => [],
  });
  const plain = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: bare as string } });
  plain.on(Events.InteractionCreate, (i) => {
    if (i.isChatInputCommand()) i.deferReply({ flags: MessageFlags.Ephemeral }).catch(() => {});
  });
  const ready = (c: Client) => new Promise<void>((resolve) => c.once(Events.ClientReady, () => resolve()));
  const both = Promise.all([ready(kick.client), ready(plain)]);
  await Promise.all([kick.start(), plain.login(token as string)]);
  await both;
  load.stdin?.write('go\n');
  const result = JSON.parse((await lines.next()).value as string) as {
    bareTimes: number[];
    kickTimes: number[];
  };
  await kick.stop();
  await plain.destroy();
  await new Promise((resolve) => load.once('exit', resolve));
  return result;
}

async function bulk() {
  const TARGETS = 300;
  const PER_SECOND = 50;
  const rig = await discordRig({ core: { rateLimit: { removals: 100_000, windowMs: 60_000 } } });
  addMembers(rig.fake);
  rig.fake.rateLimit('PUT /channels/:channel/permissions/:overwrite', {
    limit: PER_SECOND,
    resetAfterMs: 1_000,
  });
  const targets = ids.slice(0, TARGETS);
  const inv: Invocation = {
    id: 'discord:bench-bulk',
    platform: 'discord',
    workspace: `discord:${D.guildId}`,
    actor: `discord:${D.guildId}/${D.users.carol}`,
    channel: `discord:${D.guildId}/${D.channels.private}`,
    command: 'kick',
    input: {
      options: {
        user: `<@${targets[0]}>`,
        more: targets
          .slice(1)
          .map((t) => `<@${t}>`)
          .join(' '),
      },
    },
    confirmed: true,
    receivedAt: Date.now(),
  };
  const start = performance.now();
  const reply = await rig.core.handle(inv);
  const seconds = (performance.now() - start) / 1000;
  if (reply.kind !== 'result') throw new Error(`unexpected reply ${JSON.stringify(reply).slice(0, 300)}`);
  const puts = rig.fake.callsTo('PUT', '/channels/:c/permissions/:id');
  const lost = reply.results.filter((r) => r.outcome !== 'removed').length;
  const limited = rig.fake.stats.limited;
  await rig.close();
  return { seconds, ideal: TARGETS / PER_SECOND, calls: puts.length, limited, lost };
}

console.log(`kickbot on Discord (fake gateway + REST on loopback), Node ${process.version}\n`);
const { bareTimes, kickTimes } = await latency();
console.log(
  '| run | bare discord.js deferral p50 / p99 ms | kickbot /kick deferral p50 / p99 ms | p50 ratio | p99 ratio |',
);
console.log('|---|---:|---:|---:|---:|');
console.log(
  `| ${INTERACTIONS} interactions, 100 a second (the fakes in another process) | ${fmt(pct(bareTimes, 50))} / ${fmt(pct(bareTimes, 99))} | ${fmt(pct(kickTimes, 50))} / ${fmt(pct(kickTimes, 99))} | ×${fmt(pct(kickTimes, 50) / pct(bareTimes, 50))} | ×${fmt(pct(kickTimes, 99) / pct(bareTimes, 99))} |`,
);
const b = await bulk();
console.log(
  '\n| removals | seconds | ideal seconds (300 at 50/s) | time ÷ ideal | 429s ÷ calls | lost targets |',
);
console.log('|---:|---:|---:|---:|---:|---:|');
console.log(
  `| 300 | ${fmt(b.seconds)} | ${fmt(b.ideal)} | ×${fmt(b.seconds / b.ideal)} | ${b.limited} / ${b.calls} = ${fmt((100 * b.limited) / Math.max(b.calls, 1), 1)}% | ${b.lost} |`,
);
