import { describe, expect, it } from 'vitest';
import {
  type HeldRoom,
  type Id,
  localOf,
  type RemovalTarget,
  type RemoveResult,
  type Remover,
  type ResultReply,
  type RoomInfo,
} from '../../src/core/index.js';
import { renderText } from '../../src/render/text.js';
import { kit } from '../helpers/kit.js';

/**
 * `/offboard` across systems: a system that cannot list one person's rooms gets the rooms the config names, one
 * that can is streamed page by page (each page removed before the next is listed), and a system the person has
 * no account in is one `unsupported no-identity` line.
 */

const WORKSPACE = `
name: off
bot: kickbot
owner: ada
users:
  - { id: ada, roles: [admin] }
  - { id: bob }
  - { id: olga }
  - { id: kickbot, roles: [bot] }
rooms:
  - { id: general, type: public, members: [ada, bob, olga, kickbot], owners: [ada] }
`;

/** A system like the seed ones: removes, cannot list or re-add; every call recorded. */
class TargetsOnly implements Remover {
  readonly calls: RemovalTarget[] = [];
  constructor(readonly system: string) {}
  async room(id: Id): Promise<RoomInfo> {
    return { id, name: localOf(id), type: 'private', owners: 0 };
  }
  async remove(target: RemovalTarget): Promise<RemoveResult> {
    this.calls.push(target);
    return { outcome: 'removed' };
  }
}

/** A system that lists one user's rooms in pages, logging when each page is asked for and each removal. */
class Paged implements Remover {
  readonly system = 'big';
  readonly log: string[] = [];
  constructor(
    readonly pages: number,
    readonly perPage: number,
  ) {}
  async room(id: Id): Promise<RoomInfo | undefined> {
    return { id, name: localOf(id), type: 'public', owners: 0 };
  }
  async remove(target: RemovalTarget): Promise<RemoveResult> {
    this.log.push(`remove ${localOf(target.room)}`);
    return this.failing.has(localOf(target.room))
      ? { outcome: 'failed', code: 'boom' }
      : { outcome: 'removed' };
  }
  readonly failing = new Set<string>();
  async restore() {
    return { outcome: 'restored' as const };
  }
  async *memberships(user: Id): AsyncIterable<readonly HeldRoom[]> {
    for (let p = 0; p < this.pages; p++) {
      this.log.push(`page ${p} for ${localOf(user)}`);
      yield Array.from({ length: this.perPage }, (_, i) => ({
        room: { id: `big:r${p}-${i}`, name: `r${p}-${i}`, type: 'public' as const, owners: 0 },
        roles: [],
      }));
    }
  }
}

const IDENTITIES = [{ console: 'bob', rocketchat: 'rc-bob', big: 'big-bob' }];

describe('/offboard across systems', () => {
  it('GIVEN a system that cannot list rooms THEN the configured targets, through the linked id; unlinked people get one no-identity line', async () => {
    const rc = new TargetsOnly('rocketchat');
    const k = kit(WORKSPACE);
    const withRc = kit(WORKSPACE, {
      identities: IDENTITIES,
      offboardTargets: (system) => (system === 'rocketchat' ? ['rocketchat:G1', 'rocketchat:G2'] : []),
      removers: [k.connector, rc],
    });
    const bob = (await withRc.core.handle(
      withRc.inv('ada', 'general', '/offboard @bob --yes'),
    )) as ResultReply;
    expect(bob.kind).toBe('result');
    expect(rc.calls.map((c) => [c.room, c.user])).toEqual([
      ['rocketchat:G1', 'rocketchat:rc-bob'],
      ['rocketchat:G2', 'rocketchat:rc-bob'],
    ]);
    expect(bob.systems?.map((s) => [s.system, s.summary, s.undo])).toEqual([
      ['console', 'Removed 1 | Not a member 0 | Denied 0 | Failed 0', true],
      ['rocketchat', 'Removed 2 | Not a member 0 | Denied 0 | Failed 0', false],
    ]);
    expect(renderText(bob)).toContain(
      'rocketchat: Removed 2 | Not a member 0 | Denied 0 | Failed 0 (no undo: ',
    );

    const olga = (await withRc.core.handle(
      withRc.inv('ada', 'general', '/offboard @olga --yes'),
    )) as ResultReply;
    expect(olga.results.filter((r) => r.room.startsWith('rocketchat:'))).toEqual([
      expect.objectContaining({ room: 'rocketchat:*', outcome: 'unsupported', code: 'no-identity' }),
    ]);
    expect(rc.calls).toHaveLength(2);
    expect(olga.labels['rocketchat:*']).toBe('every rocketchat room');
    const audit = await withRc.store.readAudit({ caseId: olga.caseId });
    expect(audit.map((r) => [r.room, r.outcome])).toContainEqual(['rocketchat:*', 'unsupported']);
  });

  it('GIVEN a user in 3 pages of rooms THEN each page is removed before the next is listed, and progress counts up', async () => {
    const big = new Paged(3, 4);
    const base = kit(WORKSPACE);
    const k = kit(WORKSPACE, { identities: IDENTITIES, removers: [base.connector, big] });
    const seen: number[] = [];
    const ran = (await k.core.handle(k.inv('ada', 'general', '/offboard @bob --yes'), {
      onProgress: (p) => seen.push(p.done),
    })) as ResultReply;
    expect(ran.systems?.find((s) => s.system === 'big')?.counts.removed).toBe(12);
    const pageAt = (p: number) => big.log.indexOf(`page ${p} for big-bob`);
    const lastOf = (p: number) =>
      Math.max(...big.log.flatMap((l, i) => (l.startsWith(`remove r${p}-`) ? [i] : [])));
    expect(lastOf(0)).toBeLessThan(pageAt(1));
    expect(lastOf(1)).toBeLessThan(pageAt(2));
    expect(seen.at(-1)).toBe(13);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
  });

  it('GIVEN 1,200 rooms THEN the answer lists 1,000 pairs, every failure among them, and says how many more the case holds', async () => {
    const big = new Paged(3, 400);
    for (let p = 0; p < 3; p++) big.failing.add(`r${p}-399`);
    const base = kit(WORKSPACE);
    const k = kit(WORKSPACE, {
      identities: IDENTITIES,
      removers: [base.connector, big],
      bulkThreshold: 10_000,
    });
    const ran = (await k.core.handle(k.inv('ada', 'general', '/offboard @bob --yes'))) as ResultReply;
    expect(ran.summary).toBe('Removed 1198 | Not a member 0 | Denied 0 | Failed 3');
    expect(ran.results).toHaveLength(1_000);
    expect(ran.more).toBe(201);
    expect(ran.results.filter((r) => r.outcome === 'failed').map((r) => r.room)).toEqual([
      'big:r0-399',
      'big:r1-399',
      'big:r2-399',
    ]);
    expect(ran.note).toMatch(/^201 more pairs are not listed here .* case \d+ holds every one/);
    expect(Object.keys(ran.labels).length).toBeLessThanOrEqual(1_010);
    expect(await k.store.readAudit({ caseId: ran.caseId })).toHaveLength(1_201);
  });
});
