/**
 * `npm run bench`: authorize + plan for 1k, 10k and 100k (room, user) pairs on the console connector.
 * Prints a table with the time per size and the ratio between sizes; planning should grow linearly
 * (×10 pairs ≈ ×10 time, i.e. a flat cost per pair).
 */
import { performance } from 'node:perf_hooks';
import { Connectors, DEFAULT_GRANTS, planRemoval } from '../src/core/index.js';
import { ConsoleConnector } from '../src/platforms/console/ConsoleConnector.js';
import { WorkspaceSchema } from '../src/platforms/console/workspace-file.js';
import { MemoryWorkspace } from '../src/platforms/console/workspace-state.js';

const ROOMS = 10;
const SIZES = [1_000, 10_000, 100_000];
const RUNS = 7;

function workspace(users: number) {
  const ids = Array.from({ length: users }, (_, i) => `u${i}`);
  return WorkspaceSchema.parse({
    bot: 'kickbot',
    owner: 'ada',
    users: [
      { id: 'ada', roles: ['admin'] },
      { id: 'mo', roles: ['moderator'] },
      { id: 'kickbot', roles: ['bot'] },
      ...ids.map((id, i) => ({ id, roles: i % 50 === 0 ? ['admin'] : ['user'] })),
    ],
    rooms: Array.from({ length: ROOMS }, (_, r) => ({
      id: `room${r}`,
      type: r % 2 === 0 ? 'public' : 'private',
      // Every user but one in ten is in every room; the last room has one owner among the targets.
      members: ['ada', 'mo', 'kickbot', ...ids.filter((_, i) => (i + r) % 10 !== 0)],
      owners: r === ROOMS - 1 ? [ids[1]] : ['ada'],
    })),
  });
}

async function planOnce(pairs: number): Promise<number> {
  const users = pairs / ROOMS;
  const data = workspace(users);
  const connector = new ConsoleConnector({ data, state: new MemoryWorkspace(data) });
  const deps = {
    connectors: new Connectors({ directories: [connector], removers: [connector] }),
    grants: DEFAULT_GRANTS,
    limits: {
      users: Number.MAX_SAFE_INTEGER,
      rooms: Number.MAX_SAFE_INTEGER,
      removals: Number.MAX_SAFE_INTEGER,
    },
  };
  const request = {
    batches: [
      {
        users: Array.from({ length: users }, (_, i) => `@u${i}`),
        rooms: Array.from({ length: ROOMS }, (_, r) => `#room${r}`),
        reason: 'bench',
      },
    ],
    yes: true,
  };
  const invocation = {
    id: 'console:bench',
    platform: 'console',
    workspace: 'console:bench',
    actor: 'console:mo',
    channel: 'console:room0',
    command: 'kick',
    input: { text: '' },
    receivedAt: 0,
  };
  const start = performance.now();
  const plan = await planRemoval(deps, invocation, request);
  const ms = performance.now() - start;
  if (plan.pairs.length !== pairs) throw new Error(`planned ${plan.pairs.length} pairs, wanted ${pairs}`);
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

const rows: { pairs: number; ms: number; perPairUs: number }[] = [];
await planOnce(1_000); // warm up the JIT
for (const pairs of SIZES) {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push(await planOnce(pairs));
  const ms = median(times);
  rows.push({ pairs, ms, perPairUs: (ms * 1000) / pairs });
}

const fmt = (n: number, digits = 1) =>
  n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });
console.log(
  `authorize + plan, console connector, ${ROOMS} rooms, median of ${RUNS} runs (Node ${process.version})\n`,
);
console.log('| pairs | median ms | µs per pair | time ratio to previous size (pairs ×10) |');
console.log('|---:|---:|---:|---:|');
rows.forEach((r, i) => {
  const prev = rows[i - 1];
  const ratio = prev ? `×${fmt(r.ms / prev.ms)}` : '–';
  console.log(`| ${r.pairs.toLocaleString('en')} | ${fmt(r.ms)} | ${fmt(r.perPairUs, 2)} | ${ratio} |`);
});
const first = rows[0];
const last = rows.at(-1);
if (first && last) {
  const growth = last.perPairUs / first.perPairUs;
  console.log(
    `\ncost per pair at ${last.pairs.toLocaleString('en')} vs ${first.pairs.toLocaleString('en')}: ×${fmt(growth, 2)} (linear ≈ ×1)`,
  );
}
