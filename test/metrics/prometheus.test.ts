import { randomBytes } from 'node:crypto';
import { register } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { createPromMetrics, PROBE_TIMEOUT_MS } from '../../src/metrics/prometheus.js';
import { Scrape } from './exposition.js';

const names = commands.map((c) => c.name);
const junk = (chars: number) => randomBytes(chars).toString('base64').slice(0, chars);
const read = async (prom: ReturnType<typeof createPromMetrics>) => Scrape.of((await prom.scrape()).body);

describe('the metrics registry', () => {
  it('GIVEN two runtimes in one process THEN each counts on a registry of its own, never the global one', async () => {
    const a = createPromMetrics({ commands: names });
    const b = createPromMetrics({ commands: names });
    a.metrics.command('slack', 'kick', 'ok');
    a.metrics.command('slack', 'kick', 'ok');
    expect((await read(a)).value('kickbot_commands_total', { command: 'kick' })).toBe(2);
    expect((await read(b)).value('kickbot_commands_total', { command: 'kick' })).toBe(0);
    expect((await read(a)).series('process_cpu_user_seconds_total')).toHaveLength(1);
    expect(register.getMetricsAsArray()).toHaveLength(0);
  });

  it('GIVEN hostile label values (10k-char error strings, unknown commands, platforms, outcomes, methods) THEN the series stay bounded', async () => {
    const prom = createPromMetrics({ commands: names });
    const { metrics } = prom;
    for (let i = 0; i < 300; i++) {
      metrics.error('slack', junk(10_000));
      metrics.error(junk(20), 'ratelimited');
      metrics.error('discord', `${junk(8)}-unreachable`);
      metrics.command('slack', junk(40), 'ok');
      metrics.command(junk(12), 'kick', 'ok');
      metrics.removal('slack', junk(12));
      metrics.call('slack', `${junk(10)}.kick`, 0.01);
      metrics.call('slack', junk(10_000), 0.01);
      metrics.rateLimitWait(junk(30), 1);
      metrics.rateLimitWait('discord', -0.004); // a bucket's reset just passed: nothing to count, and no throw
      metrics.rateLimitWait('discord', Number.NaN);
    }
    metrics.error('rocketchat', 'rocketchat-unreachable');
    metrics.error('discord', '4xx');
    const s = await read(prom);
    expect(s.series('kickbot_platform_errors_total').map((x) => x.labels)).toEqual(
      expect.arrayContaining([
        { platform: 'slack', code: 'other' },
        { platform: 'other', code: 'ratelimited' },
        { platform: 'discord', code: 'other' },
        { platform: 'rocketchat', code: 'rocketchat-unreachable' },
        { platform: 'discord', code: '4xx' },
      ]),
    );
    expect(s.series('kickbot_platform_errors_total')).toHaveLength(5);
    expect(s.series('kickbot_commands_total').map((x) => x.labels)).toEqual([
      { platform: 'slack', command: 'other', result: 'ok' },
      { platform: 'other', command: 'kick', result: 'ok' },
    ]);
    expect(s.series('kickbot_removals_total').map((x) => x.labels)).toEqual([
      { platform: 'slack', outcome: 'other' },
    ]);
    // At most 100 methods per platform, then `other`: a runaway caller cannot grow the series for ever.
    const methods = new Set(s.series('kickbot_platform_call_seconds_count').map((x) => x.labels.method));
    expect(methods.size).toBe(101);
    expect(methods.has('other')).toBe(true);
    expect([...methods].every((m) => (m ?? '').length <= 80)).toBe(true);
    expect(s.series('kickbot_rate_limit_wait_seconds_total')).toEqual([
      { name: 'kickbot_rate_limit_wait_seconds_total', labels: { platform: 'other' }, value: 300 },
    ]);
  });

  it('GIVEN a store that never answers its ping THEN a scrape says kickbot_store_up 0 without waiting more than the probe timeout', async () => {
    const prom = createPromMetrics({ commands: names });
    prom.probe({ storeUp: () => new Promise<boolean>(() => {}) });
    const started = Date.now();
    expect((await read(prom)).value('kickbot_store_up')).toBe(0);
    expect(Date.now() - started).toBeLessThan(PROBE_TIMEOUT_MS + 1_000);
    prom.probe({ storeUp: () => Promise.reject(new Error('down')) });
    expect((await read(prom)).value('kickbot_store_up')).toBe(0);
    prom.probe({ storeUp: async () => true, bulkPairs: async () => ({ queued: 300, running: 100 }) });
    const s = await read(prom);
    expect(s.value('kickbot_store_up')).toBe(1);
    expect(s.value('kickbot_bulk_pairs', { state: 'queued' })).toBe(300);
    expect(s.value('kickbot_bulk_pairs', { state: 'running' })).toBe(100);
  });

  it('GIVEN no bulk queue (no Redis) THEN kickbot_bulk_pairs is 0 for both states', async () => {
    const s = await read(createPromMetrics({ commands: names }));
    expect(s.series('kickbot_bulk_pairs').map((x) => [x.labels.state, x.value])).toEqual([
      ['queued', 0],
      ['running', 0],
    ]);
  });
});
