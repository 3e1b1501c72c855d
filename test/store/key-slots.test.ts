import { createHash } from 'node:crypto';
import calculateSlot from 'cluster-key-slot';
import type { Command, Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { type AuditRecord, type ResultReply, silentLogger } from '../../src/core/index.js';
import { BullBulkRunner } from '../../src/jobs/BullBulkRunner.js';
import { BullTimers } from '../../src/jobs/BullTimers.js';
import { startBulkWorker } from '../../src/jobs/bulk-worker.js';
import { bullConnection } from '../../src/jobs/bull.js';
import { RedisWorkspace } from '../../src/platforms/console/RedisWorkspace.js';
import { parseWorkspace } from '../../src/platforms/console/workspace-file.js';
import { RedisScimStore } from '../../src/scim/RedisScimStore.js';
import { keyLayout } from '../../src/store/keys.js';
import { RedisStore } from '../../src/store/RedisStore.js';
import { bulkWorkspace, consoleCore, kickAll } from '../helpers/jobs.js';
import { redisUrl, testClient, testPrefix } from '../helpers/redis.js';
import { person } from '../scim/store-contract.js';

/**
 * Every Lua script and multi-key command kickbot sends keeps its keys in one Redis Cluster slot (keys.ts). The
 * commands are recorded on a real client while the store, the console workspace, the SCIM store, a bulk job and a
 * timer do their work, and every script kickbot defines must have been run, so a new one is checked too.
 */

interface Sent {
  name: string;
  keys: string[];
}

/** A client that records each command's keys (a MULTI…EXEC block as one), and the scripts defined on it. */
function recording(
  client: Redis,
  sent: Sent[] = [],
  scripts = new Map<string, string>(), // sha1 → name
) {
  let block: Sent | undefined;
  const send = client.sendCommand.bind(client);
  client.sendCommand = ((command: Command, ...rest: unknown[]) => {
    const keys = command.getKeys().map(String);
    const args = command.args.map(String);
    if (command.name === 'multi') block = { name: 'multi', keys: [] };
    else if (command.name === 'exec' && block) {
      sent.push(block);
      block = undefined;
    } else if (block) block.keys.push(...keys);
    else sent.push({ name: command.name === 'evalsha' ? `evalsha:${args[0]}` : command.name, keys });
    return (send as (...a: unknown[]) => unknown)(command, ...rest);
  }) as typeof client.sendCommand;
  const define = client.defineCommand.bind(client);
  client.defineCommand = ((name: string, def: { lua: string; numberOfKeys?: number }) => {
    scripts.set(createHash('sha1').update(def.lua).digest('hex'), name);
    define(name, def);
  }) as typeof client.defineCommand;
  return { client, sent, scripts };
}

const record = (caseId: number, target: string): AuditRecord => ({
  at: 1,
  workspace: 'console:slots',
  caseId,
  invocation: `console:inv-${caseId}`,
  actor: 'console:mo',
  action: 'remove',
  room: 'console:r00',
  target,
  outcome: 'removed',
});

let cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step().catch(() => {});
  cleanup = [];
});

describe('Redis Cluster slots', () => {
  it('GIVEN everything kickbot does on Redis THEN each script and multi-key command keeps its keys in one slot', async () => {
    const prefix = testPrefix();
    const rec = recording(testClient());
    // The worker's connection is recorded too (BullMQ's blocking one is its own duplicate).
    const worker = recording(bullConnection(redisUrl()) as Redis, rec.sent, rec.scripts).client;
    cleanup.push(
      () => rec.client.quit(),
      () => worker.quit(),
    );
    const store = new RedisStore(rec.client, { prefix });

    // The store: every step with more than one key, and the single-key ones beside them.
    await store.claimInvocation('console:k1', 60_000, 'fp');
    await store.completeInvocation('console:k1', { kind: 'info', message: 'done' }, 60_000);
    await store.checkEpoch();
    const caseId = await store.nextCaseId('console:slots');
    await rec.client.del(keyLayout(prefix).spread('epoch')); // Redis came back empty: the counters are raised
    await store.checkEpoch();
    const marker = { key: 'rejoin:console:r00|console:u1', value: 'case', ttlMs: 60_000 };
    const claim = await store.claimPair('console:r00|console:u1', 60_000, { job: 'j1', index: 0 }, marker);
    if (!('token' in claim)) throw new Error('not claimed');
    await store.extendLock('console:r00|console:u1', claim.token, 60_000);
    await store.settlePair(record(caseId, 'console:u1'), {
      lock: { key: 'console:r00|console:u1', token: claim.token },
      mark: { job: 'j1', index: 0, result: { room: 'console:r00', user: 'console:u1', outcome: 'removed' } },
      marker,
    });
    await store.appendAudit([record(caseId, 'console:u2'), record(caseId + 1, 'console:u3')], 'once-1');
    await store.appendCaseEvent(
      'console:slots',
      caseId,
      {
        kind: 'note',
        at: 1,
        by: 'console:mo',
        text: 'n',
      },
      'ev-1',
    );
    const lock = await store.acquireLock('area:a1', 60_000);
    await store.releaseLock('area:a1', lock ?? '');
    await store.consumeRate('console:mo', 1, 10, 60_000);
    await store.paceSlot('console', 10);
    await store.setMarker('admin-revoked:s1', '1', 60_000);
    await store.readMarks('j1');
    await store.forgetJob('j1');

    // The console workspace and the SCIM store, on the same recording client.
    const data = parseWorkspace(bulkWorkspace({ name: 'slots', users: 30, rooms: 2 }), 'slots.yaml');
    const state = new RedisWorkspace(rec.client, data, { prefix });
    await state.removeMember('r01', 'u029');
    await state.addMember('r01', 'u029', []);
    const scim = new RedisScimStore(rec.client, { prefix });
    await scim.create('s1', person('ada@example.com'), 'now');
    await scim.replace('s1', person('ada2@example.com'), 1, 'later');
    await scim.setOffboarding('s1', { workspace: 'console:slots', caseId }, 2);
    await scim.delete('s1', 2);

    // A bulk job on BullMQ (queue side recorded; the worker on a client of its own) and a timer.
    const runner = new BullBulkRunner({ connection: rec.client, store, prefix, sliceSize: 20, pollMs: 20 });
    cleanup.push(() => runner.close());
    const back = consoleCore(
      data,
      new RedisWorkspace(worker, data, { prefix }),
      new RedisStore(worker, { prefix }),
    );
    const bull = startBulkWorker({
      core: back.core,
      store: new RedisStore(worker, { prefix }),
      connection: worker,
      logger: silentLogger,
      prefix,
    });
    cleanup.push(() => bull.close());
    const front = consoleCore(data, state, store, { bulk: runner });
    const reply = (await front.core.handle(front.inv('mo', 'r00', kickAll(30, 2)))) as ResultReply;
    expect(reply.results.filter((r) => r.outcome === 'removed')).toHaveLength(60);
    const timers = new BullTimers({ connection: rec.client, prefix });
    cleanup.push(() => timers.close());
    await timers.schedule({ workspace: 'console:slots', caseId, until: Date.now() + 60_000 });
    await timers.cancel('console:slots', caseId);

    const multiKey = rec.sent.filter((s) => new Set(s.keys).size > 1);
    const crossSlot = multiKey.filter((s) => new Set(s.keys.map((k) => calculateSlot(k))).size > 1);
    expect(crossSlot, JSON.stringify(crossSlot.slice(0, 3))).toEqual([]);
    expect(multiKey.length).toBeGreaterThan(10);

    // Every script kickbot defines ran here (a new one has to be added above, and so is checked).
    const ran = new Set(rec.sent.map((s) => s.name));
    const ours = [...rec.scripts].filter(([, name]) => name.startsWith('kickbot'));
    const missing = ours.filter(([sha]) => !ran.has(`evalsha:${sha}`)).map(([, name]) => name);
    expect(missing).toEqual([]);
    expect(ours.length).toBeGreaterThanOrEqual(16);

    // The ledger's keys share the deployment's tag; BullMQ's are in a slot of their own.
    const k = keyLayout(prefix);
    const ledger = calculateSlot(k.ledger('audit'));
    const settle = multiKey.find(
      (s) => s.keys.includes(k.ledger('audit')) && s.keys.includes(k.ledger('marks', 'j1')),
    );
    expect(settle?.keys.every((key) => calculateSlot(key) === ledger)).toBe(true);
    expect(calculateSlot(`${k.bull}:bulk:wait`)).not.toBe(ledger);
  });
});
