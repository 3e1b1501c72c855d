/**
 * `npm run bench` (offboarding): one user who is in 20,000 Slack channels, offboarded with `/offboard @user --yes`,
 * keeps kickbot's peak RSS within 1.5× of its idle RSS (issue 11).
 *
 * This process runs the fake Slack Web API (20,000 channels the user is in); kickbot's core with the real Slack
 * connector runs in a child process whose RSS is measured: idle after start-up and one warm-up offboarding (after
 * a GC), then sampled every few ms during the run, with the kernel's high-water mark (VmHWM, reset after the idle
 * reading) as the true peak. The baseline is the same child doing the same 20,000 removals the way a tool that
 * lists first would: every page of `users.conversations` collected into one array (the facts kickbot keeps per
 * room), then each channel kicked through the same connector, a result kept per channel. Every row runs under Node
 * as kickbot ships and under Node's defaults (see NODES).
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { EMPTY_CONFIG } from '../src/config/config-file.js';
import type { HeldRoom, Invocation, PairResult, RemoveResult } from '../src/core/index.js';

const ROOMS = Number(process.env.KICKBOT_BENCH_ROOMS ?? 20_000);
const GOAL = 1.5;
const T = 'T00FAKE01';
const USER = 'U0LEAVER';
const WARM = 'U0WARM';
const ADMIN = 'U0ADMIN';
const BOT = 'U00FAKEBOT03';
const MODLOG = 'C0MODLOG';
const MB = 1024 * 1024;

type Mode = 'offboard' | 'listing';

interface ChildReport {
  mode: Mode;
  idle: number;
  /** Heap still in use after the run, once its answer is dropped and a GC ran, less the idle heap. */
  retained: number;
  peakSampled: number;
  hwm: number;
  seconds: number;
  removed: number;
  summary: string;
}

/** The kernel's peak RSS of this process (bytes), and a way to reset it (Linux ≥ 4.0, `clear_refs` 5). */
const hwm = () =>
  Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) * 1024;
const resetHwm = () => writeFileSync('/proc/self/clear_refs', '5');

function invocation(id: string, user: string): Invocation {
  return {
    id: `slack:bench-${id}`,
    platform: 'slack',
    workspace: `slack:${T}`,
    actor: `slack:${T}/${ADMIN}`,
    channel: `slack:${T}/${MODLOG}`,
    command: 'offboard',
    input: { text: `<@${user}> left the company --yes` },
    receivedAt: Date.now(),
  };
}

/** The child: kickbot's core and the real Slack connector against the fake at `url`, measured. */
async function child(mode: Mode, url: string): Promise<ChildReport> {
  const { slackCore } = await import('../test/helpers/slack-core.js');
  const { core, connector } = slackCore({
    apiUrl: url,
    config: EMPTY_CONFIG,
    ratePerSecond: 1_000_000,
    retries: 0,
  });
  const warm = await core.handle(invocation('warm', WARM));
  if (warm.kind !== 'result') throw new Error(`warm-up: ${JSON.stringify(warm)}`);
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  await new Promise((resolve) => setTimeout(resolve, 50));
  gc?.();
  const idle = process.memoryUsage.rss();
  const idleHeap = process.memoryUsage().heapUsed;
  resetHwm();
  let peakSampled = idle;
  const sampler = setInterval(() => {
    peakSampled = Math.max(peakSampled, process.memoryUsage.rss());
  }, 2);
  const start = performance.now();
  let removed = 0;
  let summary: string;
  if (mode === 'offboard') {
    const reply = await core.handle(invocation('run', USER));
    if (reply.kind !== 'result') throw new Error(`offboard: ${JSON.stringify(reply)}`);
    // The answer lists at most 1,000 pairs; the per-system counts count them all.
    removed = (reply.systems ?? []).reduce((n, s) => n + (s.counts.removed ?? 0), 0);
    summary = reply.summary;
  } else {
    const user = `slack:${T}/${USER}`;
    const listing: HeldRoom[] = [];
    for await (const page of connector.remover.memberships(user)) listing.push(...page);
    const results: PairResult[] = new Array(listing.length);
    let next = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < listing.length) {
          const i = next++;
          const room = (listing[i] as HeldRoom).room.id;
          const r: RemoveResult = await connector.remover.remove({ room, user, actor: user, caseId: 1 });
          results[i] = { room, user, ...r } as PairResult;
        }
      }),
    );
    removed = results.filter((r) => r.outcome === 'removed').length;
    summary = `listed ${listing.length}, removed ${removed}`;
  }
  const seconds = (performance.now() - start) / 1000;
  clearInterval(sampler);
  peakSampled = Math.max(peakSampled, process.memoryUsage.rss());
  const peak = hwm();
  gc?.();
  gc?.();
  const retained = process.memoryUsage().heapUsed - idleHeap;
  return { mode, idle, retained, peakSampled, hwm: peak, seconds, removed, summary };
}

/** The fake Slack: the leaver in ROOMS channels, a warm-up user in three, the admin's mod-log channel. */
async function fakeSlack() {
  const { FakeSlack } = await import('../test/fakes/slack/FakeSlack.js');
  const { TOKEN } = await import('../test/helpers/slack-rig.js');
  const ids = Array.from({ length: ROOMS }, (_, i) => `C1${String(i).padStart(7, '0')}`);
  return FakeSlack.start({
    botToken: TOKEN,
    users: [
      { id: ADMIN, name: 'ada', is_admin: true },
      { id: USER, name: 'leaver' },
      { id: WARM, name: 'warm' },
    ],
    channels: [
      { id: MODLOG, name: 'mod-log', members: [ADMIN, BOT] },
      ...['C0WARM1', 'C0WARM2', 'C0WARM3'].map((id) => ({
        id,
        name: id.toLowerCase(),
        members: [WARM, BOT],
      })),
      ...ids.map((id, i) => ({ id, name: `room-${i}`, members: [USER, BOT] })),
    ],
  });
}

/** One measured run in a child process of its own (this one keeps serving the fake meanwhile). */
async function runChild(mode: Mode, url: string, flags: readonly string[]): Promise<ChildReport> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [...flags, '--expose-gc', fileURLToPath(import.meta.url)],
    {
      env: { ...process.env, KICKBOT_BENCH_OFFBOARD: mode, KICKBOT_BENCH_URL: url },
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1) as string) as ChildReport;
}

const fmt = (n: number, d = 1) =>
  n.toLocaleString('en', { minimumFractionDigits: d, maximumFractionDigits: d });

/** Each row runs this many times, each in a fresh child against a fresh fake: peak RSS depends on GC timing. */
const RUNS = Number(process.env.KICKBOT_BENCH_RUNS ?? 3);

async function measure(mode: Mode, flags: readonly string[]): Promise<ChildReport & { left: number }> {
  const fake = await fakeSlack();
  try {
    const r = await runChild(mode, fake.apiUrl, flags);
    const left = [...fake.channels.values()].filter((c) => c.members.includes(USER)).length;
    return { ...r, left };
  } finally {
    await fake.close();
  }
}

const NAMES: Record<Mode, string> = {
  offboard: 'kickbot `/offboard @user --yes`',
  listing: 'baseline: every page listed first',
};

/**
 * The two ways Node runs it: as kickbot ships (`bin/kickbot.js` and `npm start` pass `--optimize-for-size`) and with
 * Node's defaults, under which V8 lets the old space grow to about 3–4× the live heap between full collections
 * whatever the program keeps (the baseline and a 2,000-room offboarding reach it too).
 */
const NODES = [
  { name: 'as shipped (--optimize-for-size)', flags: ['--optimize-for-size'], goal: true },
  { name: 'Node defaults', flags: [], goal: false },
] as const;

async function main() {
  const rooms = ROOMS.toLocaleString('en');
  console.log(
    `Offboarding one Slack user in ${rooms} channels (fake Web API on loopback), Node ${process.version}\n`,
  );
  console.log(
    '| run | node | rooms | idle RSS MB | peak RSS MB (sampled / VmHWM) | peak ÷ idle | heap held after, GC’d, MB | seconds | removals/s | still in | goal ×1.5 |',
  );
  console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|');
  const ratios = new Map<string, number[]>();
  let complete = true;
  for (let run = 1; run <= RUNS; run++) {
    for (const node of NODES) {
      for (const mode of ['offboard', 'listing'] as const) {
        const r = await measure(mode, node.flags);
        const ratio = Math.max(r.peakSampled, r.hwm) / r.idle;
        const row = `${NAMES[mode]} | ${node.name}`;
        ratios.set(row, [...(ratios.get(row) ?? []), ratio]);
        const done = r.left === 0 && r.removed === ROOMS;
        complete &&= done;
        const verdict =
          mode === 'listing' || !node.goal
            ? '(reference)'
            : !done
              ? 'FAIL (not all removed)'
              : ratio <= GOAL
                ? 'PASS'
                : 'FAIL';
        console.log(
          `| ${run}: ${row} | ${rooms} | ${fmt(r.idle / MB)} | ${fmt(r.peakSampled / MB)} / ${fmt(r.hwm / MB)} | ×${fmt(ratio, 2)} | ${fmt(r.retained / MB)} | ${fmt(r.seconds)} | ${fmt(r.removed / r.seconds, 0)} | ${r.left} | ${verdict} |`,
        );
      }
    }
  }
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] as number;
  console.log('\n| row | node | peak ÷ idle, each run | median | worst |');
  console.log('|---|---|---|---:|---:|');
  for (const [row, xs] of ratios) {
    console.log(
      `| ${row} | ${xs.map((x) => `×${fmt(x, 2)}`).join(', ')} | ×${fmt(median(xs), 2)} | ×${fmt(Math.max(...xs), 2)} |`,
    );
  }
  const shipped = ratios.get(`${NAMES.offboard} | ${NODES[0].name}`) ?? [];
  const pass = complete && median(shipped) <= GOAL;
  console.log(
    `\n${pass ? 'PASS' : 'FAIL'}: kickbot as shipped, median peak ÷ idle ×${fmt(median(shipped), 2)} (goal ≤ ×${GOAL})`,
  );
  if (!pass) process.exitCode = 1;
}

const mode = process.env.KICKBOT_BENCH_OFFBOARD as Mode | undefined;
if (mode !== undefined) {
  const report = await child(mode, process.env.KICKBOT_BENCH_URL as string);
  process.stdout.write(`${JSON.stringify(report)}\n`);
  process.exit(0);
} else {
  await main();
}
