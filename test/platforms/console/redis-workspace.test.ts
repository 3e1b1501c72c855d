import type { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { RedisWorkspace } from '../../../src/platforms/console/RedisWorkspace.js';
import { parseWorkspace } from '../../../src/platforms/console/workspace-file.js';
import { MemoryWorkspace, type WorkspaceState } from '../../../src/platforms/console/workspace-state.js';
import { SMALL_WORKSPACE } from '../../helpers/console.js';
import { testClient, testPrefix } from '../../helpers/redis.js';

const data = parseWorkspace(SMALL_WORKSPACE, 'small.yaml');
const clients: Redis[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.quit()));
});

function redisWorkspace(prefix: string): RedisWorkspace {
  const client = testClient();
  clients.push(client);
  return new RedisWorkspace(client, data, { prefix });
}

/** The same behaviour from both workspace states. */
describe.each([
  ['MemoryWorkspace', () => new MemoryWorkspace(data) as WorkspaceState],
  ['RedisWorkspace', () => redisWorkspace(testPrefix()) as WorkspaceState],
])('%s', (_name, make) => {
  it('GIVEN the workspace file THEN members, room roles, owners and area groups are as written', async () => {
    const ws = make();
    expect(await ws.members('secret', ['olga', 'bob', 'carol'])).toEqual(
      new Map([
        ['olga', ['owner']],
        ['bob', []],
      ]),
    );
    expect(await ws.room('secret')).toMatchObject({ type: 'private', owners: 1 });
    expect(await ws.room('group/payments')).toMatchObject({ type: 'group', owners: 0 });
    expect([...(await ws.allMembers('group/payments')).keys()].sort()).toEqual(['bob', 'carol']);
    expect(await ws.room('nowhere')).toBeUndefined();
    expect(await ws.members('nowhere', ['bob'])).toEqual(new Map());
  });

  it('GIVEN a removal THEN it reports the roles taken, keeps the owner count, and a second removal finds nobody', async () => {
    const ws = make();
    expect(await ws.removeMember('secret', 'olga')).toEqual(['owner']);
    expect(await ws.room('secret')).toMatchObject({ owners: 0 });
    expect(await ws.removeMember('secret', 'olga')).toBeUndefined();
    expect(await ws.addMember('secret', 'olga', ['owner'])).toBe(true);
    expect(await ws.addMember('secret', 'olga', ['owner'])).toBe(false);
    expect(await ws.room('secret')).toMatchObject({ owners: 1 });
  });
});

describe('RedisWorkspace shared by processes', () => {
  it('GIVEN three instances at once THEN the file seeds the workspace once and every instance sees each change', async () => {
    const prefix = testPrefix();
    const [a, b, c] = [redisWorkspace(prefix), redisWorkspace(prefix), redisWorkspace(prefix)];
    expect(await a.removeMember('general', 'bob')).toEqual([]);
    expect(await b.members('general', ['bob'])).toEqual(new Map());
    const fourth = redisWorkspace(prefix); // a late starter must not seed again over the change
    expect(await fourth.members('general', ['bob', 'carol'])).toEqual(new Map([['carol', []]]));
    const removals = await Promise.all([a, b, c].map((ws) => ws.removeMember('general', 'carol')));
    expect(removals.filter(Boolean)).toHaveLength(1);
  });
});
