import type { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import type { Id } from '../../src/core/ids.js';
import { createCore, type Handled } from '../../src/core/index.js';
import { ConsoleConnector } from '../../src/platforms/console/ConsoleConnector.js';
import { RedisWorkspace } from '../../src/platforms/console/RedisWorkspace.js';
import { ConsoleSession } from '../../src/platforms/console/session.js';
import { parseWorkspace } from '../../src/platforms/console/workspace-file.js';
import { RedisStore } from '../../src/store/RedisStore.js';
import { testClient, testPrefix } from '../helpers/redis.js';

const USERS = Array.from({ length: 20 }, (_, i) => `u${i}`);
const YAML = `
name: shared
bot: kickbot
users:
  - { id: mo, roles: [moderator] }
  - { id: ada, roles: [admin] }
  - { id: kickbot, roles: [bot] }
${USERS.map((u) => `  - { id: ${u} }`).join('\n')}
rooms:
  - { id: general, type: public, members: [mo, ada, kickbot, ${USERS.join(', ')}] }
  - { id: random, type: public, members: [mo, ada, kickbot, ${USERS.join(', ')}] }
`;

const clients: Redis[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.quit()));
});

/** One replica: its own Redis connections, store, workspace view and core; the same prefix as its peers. */
function replica(prefix: string) {
  const data = parseWorkspace(YAML, 'shared.yaml');
  const client = testClient();
  clients.push(client);
  const notices: { room: Id; text: string }[] = [];
  const removals: string[] = [];
  const connector = new ConsoleConnector({
    data,
    state: new RedisWorkspace(client, data, { prefix }),
    onNotice: (room, text) => notices.push({ room, text }),
  });
  const remove = connector.remove.bind(connector);
  connector.remove = async (target) => {
    const result = await remove(target);
    if (result.outcome === 'removed') removals.push(`${target.room}|${target.user}`);
    return result;
  };
  const store = new RedisStore(client, { prefix });
  const core = createCore({
    directories: [connector],
    removers: [connector],
    store,
    commands,
    bulkThreshold: 1_000,
  });
  const session = new ConsoleSession({ connector, data, file: 'shared.yaml' }, { as: 'mo', in: 'general' });
  return { core, store, notices, removals, session };
}

describe('several replicas on one Redis', () => {
  it('GIVEN three replicas receiving one invocation ten times each, at once THEN one removal and one confirmation per target', async () => {
    const prefix = testPrefix();
    const replicas = [replica(prefix), replica(prefix), replica(prefix)];
    const line = `/kick ${USERS.slice(0, 5)
      .map((u) => `@${u}`)
      .join(' ')} #general #random --yes spam`;
    const invocation = replicas[0]?.session.invocation(line, { key: 'delivered-30-times' });
    if (!invocation) throw new Error('no replica');
    const replies: Handled[] = await Promise.all(
      replicas.flatMap((r) => Array.from({ length: 10 }, () => r.core.handle(invocation))),
    );
    expect(new Set(replies.map(({ redelivered: _, ...r }) => JSON.stringify(r))).size).toBe(1);
    expect(replies.filter((r) => !r.redelivered)).toHaveLength(1); // one delivery answers in chat
    expect(replies[0]).toMatchObject({
      kind: 'result',
      summary: 'Removed 10 | Not a member 0 | Denied 0 | Failed 0',
    });
    const removals = replicas.flatMap((r) => r.removals).sort();
    expect(removals).toEqual([...new Set(removals)]);
    expect(removals).toHaveLength(10);
    const notices = replicas.flatMap((r) => r.notices);
    expect(notices.map((n) => n.room).sort()).toEqual(['console:general', 'console:random']);
    const caseId = replies[0]?.kind === 'result' ? replies[0].caseId : 0;
    const records = await replicas[0]?.store.readAudit({ workspace: invocation.workspace, caseId });
    expect(records).toHaveLength(10);
  });

  it('GIVEN two different invocations on the same pairs at once THEN no pair is removed twice', async () => {
    const prefix = testPrefix();
    const [a, b] = [replica(prefix), replica(prefix)];
    if (!a || !b) throw new Error('no replica');
    const line = `/kick ${USERS.map((u) => `@${u}`).join(' ')} #general #random --yes`;
    const [ra, rb] = await Promise.all([
      a.core.handle(a.session.invocation(line, { key: 'first' })),
      b.core.handle(b.session.invocation(line, { key: 'second' })),
    ]);
    const removed = [ra, rb].flatMap((r) =>
      r?.kind === 'result'
        ? r.results.filter((x) => x.outcome === 'removed').map((x) => `${x.room}|${x.user}`)
        : [],
    );
    expect(removed.sort()).toEqual([...new Set(removed)].sort());
    expect(removed).toHaveLength(40);
    expect([...a.removals, ...b.removals]).toHaveLength(40);
    const records = await a.store.readAudit({ workspace: 'console:shared' });
    const removedRecords = records.filter((r) => r.outcome === 'removed').map((r) => `${r.room}|${r.target}`);
    expect(removedRecords.sort()).toEqual(removed.sort());
  });
});
