/**
 * `npm run bench` (part 3): kickbot on Slack, against the fake Slack Web API on loopback.
 *  1. Ack latency of a signed `/kick` next to a bare Bolt app that only acks a no-op command, same load, same
 *     process, interleaved (goal: p99 ≤ 1.2× in every run); then with the Web API answering in 2 s. Each row runs
 *     RUNS times, each time in a fresh process, and the spread of the p99 ratio is printed.
 *  2. 300 removals under a scaled Tier-3 bucket for `conversations.kick` (50 a minute, sped up ×60): total time ÷
 *     ideal time (goal ≤ 1.1), 429s ÷ calls (goal ≤ 2%), lost targets (goal 0).
 */
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import { silentLogger } from '../src/core/index.js';
import { startHttpServer } from '../src/http/server.js';
import { slackEventsGuard } from '../src/platforms/slack/events-guard.js';
import { slackLogger } from '../src/platforms/slack/logger.js';
import type { FakeSlackOptions } from '../test/fakes/slack/FakeSlack.js';
import { postSigned, slashCommandBody } from '../test/fakes/slack/signer.js';
import { CONFIG, SECRET, slackRig, T, TOKEN } from '../test/helpers/slack-rig.js';

const REQUESTS = 2_050;
const CONCURRENCY = 10;
const SLICES = 100;
/** Each ack row runs this many times, each in a fresh process (no heap or timers left over from another row). */
const RUNS = 5;
const users = Array.from({ length: REQUESTS }, (_, i) => `U${String(i).padStart(6, '0')}`);

function workspace(): FakeSlackOptions {
  return {
    botToken: TOKEN,
    users: [{ id: 'U0MOD', name: 'mo' }, ...users.map((id) => ({ id, name: id.toLowerCase() }))],
    channels: [{ id: 'C0ROOM', name: 'room', members: ['U0MOD', 'U00FAKEBOT03', ...users] }],
  };
}

/** A Bolt app that acks `/noop` and does nothing else: the baseline. */
async function bareBolt() {
  const receiver = new HTTPReceiver({
    signingSecret: SECRET,
    endpoints: '/slack/events',
    logger: slackLogger(silentLogger),
  });
  const app = new App({
    receiver,
    authorize: async () => ({ botToken: TOKEN }),
    logLevel: LogLevel.ERROR,
    logger: slackLogger(silentLogger),
  });
  app.command('/noop', async ({ ack }) => {
    await ack({ response_type: 'ephemeral', text: 'ok' });
  });
  const server = await startHttpServer({
    port: 0,
    host: '127.0.0.1',
    routes: { '/slack/events': { POST: slackEventsGuard(receiver.requestListener) } },
  });
  return { url: `${server.url}/slack/events`, close: () => server.close() };
}

const pct = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
};

/** Sends `bodies` with CONCURRENCY in flight; returns each request's time to its HTTP answer (the ack). */
async function load(url: string, bodies: string[]): Promise<number[]> {
  const times: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++] as string;
        const start = performance.now();
        const res = await postSigned(url, SECRET, body);
        times.push(performance.now() - start);
        if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
      }
    }),
  );
  return times;
}

const fmt = (n: number, d = 2) =>
  n.toLocaleString('en', { minimumFractionDigits: d, maximumFractionDigits: d });

async function ackLatency(delayMs: number) {
  const rig = await slackRig({ fake: workspace(), config: CONFIG, ratePerSecond: 10_000 });
  const bare = await bareBolt();
  if (delayMs) rig.fake.delay('*', delayMs);
  const kicks = users.map((u) =>
    slashCommandBody({
      command: '/kick',
      text: `<@${u}>`,
      user_id: 'U0MOD',
      channel_id: 'C0ROOM',
      team_id: T,
      response_url: rig.fake.responseUrl(),
    }),
  );
  const noops = users.map(() => slashCommandBody({ command: '/noop', text: '', team_id: T }));
  await load(bare.url, noops.slice(0, 50)); // warm both up
  await load(rig.events, kicks.slice(0, 50));
  // Interleave the two so that both see the same machine load.
  // Interleaved in slices of 20 (two waves of 10), so that a garbage collection or kickbot's own jobs after its
  // acks land on both apps alike rather than on whichever had the longer stretch.
  const slice = (xs: string[], i: number) => xs.slice(50).filter((_, j) => j % SLICES === i);
  const bareTimes: number[] = [];
  const kickTimes: number[] = [];
  for (let i = 0; i < SLICES; i++) {
    bareTimes.push(...(await load(bare.url, slice(noops, i))));
    kickTimes.push(...(await load(rig.events, slice(kicks, i))));
  }
  await rig.fake.waitFor(
    () => (rig.fake.responses.length >= REQUESTS || delayMs > 0 ? true : undefined),
    120_000,
    'all results',
  );
  await bare.close();
  await rig.close();
  return { bareTimes, kickTimes };
}

async function bulk() {
  const TARGETS = 300;
  const RATE = 50; // per second: Tier 3's 50 a minute, sped up 60 times
  const rig = await slackRig({
    fake: { ...workspace(), rateLimits: { 'conversations.kick': { perMinute: 50, scale: 60 } } },
    config: CONFIG,
    ratePerSecond: RATE,
    core: { rateLimit: { removals: 100_000, windowMs: 60_000 } },
  });
  const targets = users.slice(0, TARGETS);
  const text = `${targets.map((u) => `<@${u}>`).join(' ')} --yes bulk`;
  const start = performance.now();
  const { ack, result } = await rig.command('/kick', text, { channel: 'C0ROOM' });
  if (ack.status !== 200) throw new Error(`ack ${ack.status}`);
  await rig.fake.waitFor(
    () => (rig.fake.callsTo('conversations.kick').filter((c) => c.ok).length >= TARGETS ? true : undefined),
    120_000,
    'kicks',
  );
  const seconds = (performance.now() - start) / 1000;
  await result();
  const calls = rig.fake.callsTo('conversations.kick');
  const lost = targets.filter((u) => rig.fake.isMember('C0ROOM', u)).length;
  const limited = rig.fake.stats.limited;
  await rig.close();
  return { seconds, ideal: TARGETS / RATE, calls: calls.length, limited, lost };
}

interface AckRow {
  bare: [number, number];
  kick: [number, number];
  n: number;
}

/** One ack row in a child process of its own: p50 and p99 of both apps. */
function ackRowInChild(delayMs: number): AckRow {
  const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url)], {
    env: { ...process.env, KICKBOT_BENCH_ACK_ROW: String(delayMs) },
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  return JSON.parse(out.trim().split('\n').at(-1) as string) as AckRow;
}

const row = process.env.KICKBOT_BENCH_ACK_ROW;
if (row !== undefined) {
  const { bareTimes, kickTimes } = await ackLatency(Number(row));
  const result: AckRow = {
    bare: [pct(bareTimes, 50), pct(bareTimes, 99)],
    kick: [pct(kickTimes, 50), pct(kickTimes, 99)],
    n: kickTimes.length,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}

console.log(`kickbot on Slack (fake Web API on loopback), Node ${process.version}\n`);
console.log(`| run | bare Bolt ack p50 / p99 ms | kickbot /kick ack p50 / p99 ms | p50 ratio | p99 ratio |`);
console.log('|---|---:|---:|---:|---:|');
const ratios = new Map<number, number[]>();
for (let run = 1; run <= RUNS; run++) {
  for (const delay of [0, 2_000]) {
    const r = ackRowInChild(delay);
    const name = delay ? `Web API answering in ${delay / 1000} s` : 'Web API answering at once';
    const p99 = r.kick[1] / r.bare[1];
    ratios.set(delay, [...(ratios.get(delay) ?? []), p99]);
    console.log(
      `| ${run}: ${name} (${r.n} commands, ${CONCURRENCY} in flight) | ${fmt(r.bare[0])} / ${fmt(r.bare[1])} | ${fmt(r.kick[0])} / ${fmt(r.kick[1])} | ×${fmt(r.kick[0] / r.bare[0])} | ×${fmt(p99)} |`,
    );
  }
}
console.log('\n| row | p99 ratio, each run | median | worst |');
console.log('|---|---|---:|---:|');
for (const [delay, xs] of ratios) {
  const name = delay ? `Web API answering in ${delay / 1000} s` : 'Web API answering at once';
  console.log(
    `| ${name} | ${xs.map((x) => `×${fmt(x)}`).join(', ')} | ×${fmt(pct(xs, 50))} | ×${fmt(Math.max(...xs))} |`,
  );
}

const b = await bulk();
console.log(
  '\n| removals | seconds | ideal seconds (300 at 50/s) | time ÷ ideal | 429s ÷ calls | lost targets |',
);
console.log('|---:|---:|---:|---:|---:|---:|');
console.log(
  `| 300 | ${fmt(b.seconds)} | ${fmt(b.ideal)} | ×${fmt(b.seconds / b.ideal)} | ${b.limited} / ${b.calls} = ${fmt((100 * b.limited) / b.calls, 1)}% | ${b.lost} |`,
);
