import { existsSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { COMPILED, kickbot, spawnKickbot } from '../helpers/cli.js';
import { startWorkerProcess, stopWorkerProcess, type WorkerProcess } from '../helpers/jobs.js';
import { redisUrl, testClient, testPrefix, testStore } from '../helpers/redis.js';
import { waitFor } from '../helpers/wait.js';

/**
 * `/kickbot cancel` end to end through the real CLI on Redis: one `kickbot run` starts a bulk job that no worker
 * takes yet (`--no-worker`), a second `kickbot run` cancels its case, and a `kickbot worker` started afterwards
 * settles every pair as `cancelled`: the first run's answer counts them, exits 3, and each pair has one record.
 */

const client = testClient();
beforeAll(() => {
  if (!existsSync(COMPILED)) throw new Error(`${COMPILED} is missing: build first (npx tsc -p .)`);
});
let worker: WorkerProcess | undefined;
afterEach(async () => {
  await stopWorkerProcess(worker, 'SIGKILL');
  worker = undefined;
});
afterAll(async () => {
  await client.quit();
});

describe('kickbot run: /kickbot cancel of a running bulk job', () => {
  it('GIVEN a bulk /kick waiting for a worker THEN a cancel from another kickbot run stops every pair', async () => {
    const prefix = testPrefix();
    const env = { REDIS_URL: redisUrl(), KICKBOT_REDIS_PREFIX: prefix, KICKBOT_BULK_THRESHOLD: '2' };
    const store = testStore(client, prefix);
    const line = '/kick @bob @carol @dave @erin #general #random spam';
    const first = spawnKickbot(['run', '--json', '--yes', '--no-worker', '--as', 'mo', '--', line], env);
    let stdout = '';
    first.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    first.stderr.resume();
    const exited = new Promise<number | null>((resolve) => first.on('close', resolve));

    // Its case is open and marked running before any worker takes a slice.
    await waitFor('case 1 running', () => store.getMarker('running:console:demo:1'), { timeoutMs: 20_000 });
    const cancel = await kickbot(['run', '--as', 'mo', '--', '/kickbot cancel 1'], { env });
    expect(cancel.stdout).toContain(
      'Cancelling case 1: pairs not yet started will end cancelled; pairs in flight finish.',
    );
    expect(cancel.code).toBe(0);

    worker = await startWorkerProcess('examples/demo-workspace.yaml', env);
    expect(await exited).toBe(3);
    const answer = JSON.parse(stdout.trim()) as { status: string; message: string; results: unknown[] };
    expect(answer.status).toBe('error');
    expect(answer.message).toBe('Removed 0 | Not a member 0 | Denied 0 | Failed 0 | Cancelled 8');
    expect(answer.results).toHaveLength(8);
    const records = await store.readAudit({ workspace: 'console:demo', caseId: 1 });
    expect(records.map((r) => r.outcome)).toEqual(Array(8).fill('cancelled'));
    expect(new Set(records.map((r) => `${r.room}|${r.target}`)).size).toBe(8);
    const view = await kickbot(['run', '--as', 'mo', '--', '/kickbot case 1'], { env });
    expect(view.stdout).toMatch(/^Cancelled 8: /m);
    expect(view.stdout).toMatch(/cancelled by Mo/i);
  }, 60_000);
});
