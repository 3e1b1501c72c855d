import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { CommandResult, Metrics } from '../core/index.js';
import { codeLabel, MethodLabels, OTHER, outcomeLabel, platformLabel, resultLabel } from './labels.js';

/** What is read at scrape time: the store's ping, and the bulk queue's pairs (when there is a queue). */
export interface Probes {
  /** Whether the store answers its ping (the registry gives it `PROBE_TIMEOUT_MS`). */
  storeUp(): Promise<boolean>;
  /** Pairs of bulk jobs waiting for a worker and being worked (a few Redis calls, whatever the queue's length). */
  bulkPairs?(): Promise<{ queued: number; running: number }>;
}

/** A scrape never waits longer than this for a probe: a dead Redis is `kickbot_store_up 0`, not a hung scrape. */
export const PROBE_TIMEOUT_MS = 1_000;

/** Around Slack's 3 s deadline for an ack (Discord's is 3 s too): fine below 1 s, and either side of 3 s. */
const ACK_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 2.5, 3, 5];
/** A platform call: tens of ms when well, up to the API timeouts (10 s for the seed systems, Slack's default). */
const CALL_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** One runtime's metrics: the `Metrics` port its core and platforms record through, on a registry of its own. */
export interface PromMetrics {
  readonly metrics: Metrics;
  /** Sets what is read at scrape time (the runtime knows its store and queue only once they are made). */
  probe(probes: Probes): void;
  /** The exposition text and its content type. */
  scrape(): Promise<{ contentType: string; body: string }>;
}

/**
 * A `Metrics` on a registry of its own (never prom-client's global one: tests build several in one process).
 * `commands` are the command table's names: any other command is counted as `other`.
 */
export function createPromMetrics(opts: { commands: readonly string[] }): PromMetrics {
  const known = new Set(['answer', ...opts.commands]);
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  let probes: Probes = { storeUp: async () => true };

  const commands = new Counter({
    name: 'kickbot_commands_total',
    help: 'Commands moderators ran, from any front, by how they ended',
    labelNames: ['platform', 'command', 'result'] as const,
    registers,
  });
  const removals = new Counter({
    name: 'kickbot_removals_total',
    help: 'Pairs (room, user) whose outcome this process recorded (settled, or refused by the rules), by system of the room',
    labelNames: ['platform', 'outcome'] as const,
    registers,
  });
  const ack = new Histogram({
    name: 'kickbot_ack_seconds',
    help: "How long a front took to acknowledge a command (Slack's ack, Discord's interaction response)",
    labelNames: ['platform'] as const,
    buckets: ACK_BUCKETS,
    registers,
  });
  const calls = new Histogram({
    name: 'kickbot_platform_call_seconds',
    help: 'Outbound platform API calls, by API method or route template',
    labelNames: ['platform', 'method'] as const,
    buckets: CALL_BUCKETS,
    registers,
  });
  const errors = new Counter({
    name: 'kickbot_platform_errors_total',
    help: "Failed platform calls, by kickbot's error code or HTTP status class",
    labelNames: ['platform', 'code'] as const,
    registers,
  });
  const waits = new Counter({
    name: 'kickbot_rate_limit_wait_seconds_total',
    help: "Seconds spent waiting on platforms' rate limits (429 Retry-After) and on kickbot's own pacing",
    labelNames: ['platform'] as const,
    registers,
  });
  new Gauge({
    name: 'kickbot_bulk_pairs',
    help: 'Pairs of bulk jobs in the shared queue (the same on every replica; counted in whole slices, an upper bound), waiting (queued) or being worked (running); 0 without Redis',
    labelNames: ['state'] as const,
    registers,
    async collect() {
      const pairs = probes.bulkPairs ? await withTimeout(probes.bulkPairs(), undefined) : undefined;
      this.set({ state: 'queued' }, pairs?.queued ?? 0);
      this.set({ state: 'running' }, pairs?.running ?? 0);
    },
  });
  new Gauge({
    name: 'kickbot_store_up',
    help: '1 when the state store answered its ping at scrape time (within 1 s), else 0',
    registers,
    async collect() {
      this.set((await withTimeout(probes.storeUp(), false)) ? 1 : 0);
    },
  });

  // Once per settled pair: the child of each (platform, outcome) is made once.
  const removal = cached((platform: string, outcome: string) => removals.labels(platform, outcome));
  const methods = new MethodLabels();
  const metrics: Metrics = {
    command: (platform: string, command: string, result: CommandResult) =>
      commands
        .labels(platformLabel(platform), known.has(command) ? command : OTHER, resultLabel(result))
        .inc(),
    removal: (platform, outcome) => removal(platformLabel(platform), outcomeLabel(outcome)).inc(),
    ack: (platform, seconds) => ack.labels(platformLabel(platform)).observe(seconds),
    call: (platform, method, seconds) => {
      const p = platformLabel(platform);
      calls.labels(p, p === OTHER ? OTHER : methods.label(p, method)).observe(seconds);
    },
    error: (platform, code) => errors.labels(platformLabel(platform), codeLabel(code)).inc(),
    // A counter throws on a negative step: a wait computed at a bucket's reset can come out at or below 0.
    rateLimitWait: (platform, seconds) => {
      if (seconds > 0) waits.labels(platformLabel(platform)).inc(seconds);
    },
  };
  return {
    metrics,
    probe: (next) => {
      probes = next;
    },
    scrape: async () => ({ contentType: registry.contentType, body: await registry.metrics() }),
  };
}

/** The probe's answer, or `fallback` when it fails or takes longer than `PROBE_TIMEOUT_MS`. */
async function withTimeout<T, F>(probe: Promise<T>, fallback: F): Promise<T | F> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<F>((resolve) => {
    timer = setTimeout(() => resolve(fallback), PROBE_TIMEOUT_MS);
  });
  try {
    return await Promise.race([probe.catch(() => fallback), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** `make` of two label values, made once per pair of values. */
function cached<T>(make: (a: string, b: string) => T): (a: string, b: string) => T {
  const made = new Map<string, T>();
  return (a, b) => {
    const key = `${a} ${b}`;
    let child = made.get(key);
    if (child === undefined) {
      child = make(a, b);
      made.set(key, child);
    }
    return child;
  };
}
