import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  Connectors,
  type Directory,
  type HeldRoom,
  type Id,
  Identities,
  type RemovalTarget,
  type Remover,
  type Scope,
} from '../../src/core/index.js';

/**
 * What every remover must do, whatever its system's API looks like (Slack, Discord, the console and the five seed
 * systems, each against its fake): name its system, describe a room, remove a member, answer `not_member` for
 * someone who is not (idempotently), and, where it can (capabilities by presence), look members up, batch, re-add
 * on undo and list one user's rooms. Where it cannot look members up, the core assumes membership.
 * `test/platforms/seeds/contract.ts` adds what the seed systems must do over HTTP.
 */

export interface RemoverRig {
  remover: Remover;
  /** A room with `member` and `member2` in it and `outsider` not. */
  room: Id;
  member: Id;
  member2: Id;
  outsider: Id;
  /** A room the system does not know. */
  unknownRoom: Id;
  /**
   * The room `memberships()` lists `member` in, and someone not in it, when the system has memberships (default
   * `room` and `outsider`): the Discord server itself, where an offboarding is a kick.
   */
  listed?: { room: Id; outsider: Id };
  /** Whether `user` is in `room` now, from the fake's state. */
  isMember(room: Id, user: Id): boolean;
  /** How many removal requests the fake has received (for a remover that batches). */
  removalRequests?(): number;
  /**
   * Where a system answers otherwise than the contract asks, and why it does no harm: each names the difference.
   * `removesOutsiders`: removing someone `members()` does not list (never in the room, or removed already) answers
   * `removed` again; the plan asks `members()` first, so only a retry of a call whose answer was lost does that.
   * `restoresOnce`: a second restore of the same removal fails instead of answering `already_member`.
   */
  quirks?: { removesOutsiders?: string; restoresOnce?: string };
  close(): Promise<void>;
}

export const targetOf = (rig: RemoverRig, user: Id, room: Id = rig.room): RemovalTarget => ({
  room,
  user,
  actor: 'console:ada',
  reason: 'offboarding',
  caseId: 7,
});

async function collect(pages: AsyncIterable<readonly HeldRoom[]>): Promise<HeldRoom[]> {
  const out: HeldRoom[] = [];
  for await (const page of pages) out.push(...page);
  return out;
}
const ids = (held: readonly HeldRoom[]) => held.map((h) => h.room.id);

export function removerContract(system: string, start: () => Promise<RemoverRig>): void {
  describe(`${system}: the remover contract`, () => {
    let rig: RemoverRig;
    beforeEach(async () => {
      rig = await start();
    });
    afterEach(async () => {
      await rig.close();
    });
    const target = (user: Id, room?: Id) => targetOf(rig, user, room);

    it('GIVEN the remover THEN it names its system, and a batch or a rate it has is usable', () => {
      expect(rig.remover.system).toBe(system);
      if (rig.remover.batch) expect(rig.remover.batch.size).toBeGreaterThan(1);
      if (rig.remover.ratePerSecond !== undefined) expect(rig.remover.ratePerSecond).toBeGreaterThan(0);
    });

    it('GIVEN a member THEN removed, and the system no longer has them; again THEN not_member', async () => {
      expect(rig.isMember(rig.room, rig.member)).toBe(true);
      const first = await rig.remover.remove(target(rig.member));
      expect(first.outcome).toBe('removed');
      expect(rig.isMember(rig.room, rig.member)).toBe(false);
      expect(rig.isMember(rig.room, rig.member2)).toBe(true);
      const again = await rig.remover.remove(target(rig.member));
      if (rig.quirks?.removesOutsiders && rig.remover.members) expect(again.outcome).toBe('removed');
      else expect(again).toEqual({ outcome: 'not_member' });
      expect(rig.isMember(rig.room, rig.member)).toBe(false);
    });

    it('GIVEN someone who is not in the room THEN not_member, and the room is unchanged', async () => {
      const result = await rig.remover.remove(target(rig.outsider));
      if (rig.quirks?.removesOutsiders && rig.remover.members) expect(result.outcome).toBe('removed');
      else expect(result).toEqual({ outcome: 'not_member' });
      expect(rig.isMember(rig.room, rig.outsider)).toBe(false);
      expect(rig.isMember(rig.room, rig.member)).toBe(true);
      expect(rig.isMember(rig.room, rig.member2)).toBe(true);
    });

    it('GIVEN the room THEN room() describes it; an unknown room THEN undefined or a room-not-found denial', async () => {
      const info = await rig.remover.room(rig.room);
      expect(info?.id).toBe(rig.room);
      expect(['public', 'private', 'group']).toContain(info?.type);
      const unknown = await rig.remover.room(rig.unknownRoom);
      if (unknown === undefined) return;
      const result = await rig.remover.remove(target(rig.member, rig.unknownRoom));
      expect(result).toMatchObject({ outcome: 'denied', code: 'room-not-found' });
    });

    it('GIVEN members() THEN it has the members only; without it THEN the core assumes every linked user is one', async () => {
      const connectors = new Connectors({ directories: [], removers: [rig.remover] }, new Identities());
      const found = await connectors.membersOf(rig.room, [rig.member, rig.outsider]);
      if (rig.remover.members) {
        expect([...found.keys()]).toEqual([rig.member]);
        expect(found.get(rig.member)?.presence).toBeUndefined();
      } else {
        expect(found).toEqual(
          new Map([
            [rig.member, { roles: [], presence: 'assumed' }],
            [rig.outsider, { roles: [], presence: 'assumed' }],
          ]),
        );
      }
    });

    it('GIVEN a batch THEN batch.remove answers per target in order, in one request', async (ctx) => {
      const batch = rig.remover.batch;
      if (!batch) return ctx.skip();
      const before = rig.removalRequests?.() ?? 0;
      const results = await batch.remove([rig.member, rig.outsider, rig.member2].map((u) => target(u)));
      expect(results.map((r) => r.outcome)).toEqual(['removed', 'not_member', 'removed']);
      if (rig.removalRequests) expect(rig.removalRequests() - before).toBe(1);
      expect(rig.isMember(rig.room, rig.member)).toBe(false);
      expect(rig.isMember(rig.room, rig.member2)).toBe(false);
    });

    it('GIVEN restore THEN it re-adds a removed member; again THEN already_member', async (ctx) => {
      const restore = rig.remover.restore?.bind(rig.remover);
      if (!restore) return ctx.skip();
      const removed = await rig.remover.remove(target(rig.member));
      expect(removed.outcome).toBe('removed');
      const undo = removed.outcome === 'removed' ? removed.undo : undefined;
      expect(await restore(target(rig.member), [], undo)).toEqual({ outcome: 'restored' });
      expect(rig.isMember(rig.room, rig.member)).toBe(true);
      const again = await restore(target(rig.member), [], undo);
      if (rig.quirks?.restoresOnce) expect(again.outcome).toBe('failed');
      else expect(again).toEqual({ outcome: 'already_member' });
      expect(rig.isMember(rig.room, rig.member)).toBe(true);
    });

    it("GIVEN memberships() THEN a member's rooms include the room until they are removed from it", async (ctx) => {
      const memberships = rig.remover.memberships?.bind(rig.remover);
      if (!memberships) return ctx.skip();
      const { room, outsider } = rig.listed ?? { room: rig.room, outsider: rig.outsider };
      expect(rig.isMember(room, rig.member)).toBe(true);
      expect(ids(await collect(memberships(rig.member)))).toContain(room);
      expect(ids(await collect(memberships(outsider)))).not.toContain(room);
      expect((await rig.remover.remove(target(rig.member, room))).outcome).toBe('removed');
      expect(rig.isMember(room, rig.member)).toBe(false);
      expect(ids(await collect(memberships(rig.member)))).not.toContain(room);
    });

    it('GIVEN memberships() THEN each room comes with its facts, as room() gives them, and the roles held there', async (ctx) => {
      const memberships = rig.remover.memberships?.bind(rig.remover);
      if (!memberships) return ctx.skip();
      const held = await collect(memberships(rig.member));
      expect(held.length).toBeGreaterThan(0);
      expect(new Set(ids(held)).size).toBe(held.length); // no room twice
      for (const { room, roles } of held) {
        const info = await rig.remover.room(room.id);
        expect(info, room.id).toBeDefined();
        expect({ id: room.id, type: room.type, unsupported: room.unsupported?.code }).toEqual({
          id: info?.id,
          type: info?.type,
          unsupported: info?.unsupported?.code,
        });
        expect(['public', 'private', 'direct', 'group']).toContain(room.type);
        expect(room.name).not.toBe('');
        expect(Array.isArray(roles)).toBe(true);
      }
    });
  });
}

export interface DirectoryRig {
  directory: Directory;
  scope: Scope;
  /** A user as a moderator types them, and their id. */
  user: { typed: string; id: Id };
  /** A room as a moderator types it, and its id. */
  room: { typed: string; id: Id };
  /** A user the platform does not know, as typed (`@nobody`), and an id nobody has. */
  unknownUser: { typed: string; id: Id };
  /** An area the directory knows, and one of its rooms. */
  area: { name: string; room: Id };
  close(): Promise<void>;
}

/** What every directory (Slack, Discord, the console) must do, against its fake. */
export function directoryContract(platform: string, start: () => Promise<DirectoryRig>): void {
  describe(`${platform}: the directory contract`, () => {
    let rig: DirectoryRig;
    beforeEach(async () => {
      rig = await start();
    });
    afterEach(async () => {
      await rig.close();
    });

    it('GIVEN a user and a room as typed THEN they resolve to their ids', async () => {
      expect(rig.directory.platform).toBe(platform);
      expect(await rig.directory.resolveUsers(rig.user.typed, rig.scope)).toEqual({
        ok: true,
        value: [rig.user.id],
      });
      expect(await rig.directory.resolveRoom(rig.room.typed, rig.scope)).toEqual({
        ok: true,
        value: rig.room.id,
      });
    });

    it('GIVEN an unknown user THEN no resolution but a message, and users() leaves them out', async () => {
      const resolved = await rig.directory.resolveUsers(rig.unknownUser.typed, rig.scope);
      expect(resolved.ok).toBe(false);
      expect(resolved.ok ? '' : resolved.message).not.toBe('');
      const users = await rig.directory.users([rig.user.id, rig.unknownUser.id]);
      expect([...users.keys()]).toEqual([rig.user.id]);
      expect(users.get(rig.user.id)?.id).toBe(rig.user.id);
    });

    it('GIVEN an id THEN its mention and its label resolve back to it', async () => {
      const { directory, scope } = rig;
      for (const written of [directory.mention(rig.user.id, 'user'), directory.label(rig.user.id, 'user')])
        expect(await directory.resolveUsers(written, scope)).toEqual({ ok: true, value: [rig.user.id] });
      for (const written of [directory.mention(rig.room.id, 'room'), directory.label(rig.room.id, 'room')])
        expect(await directory.resolveRoom(written, scope)).toEqual({ ok: true, value: rig.room.id });
    });

    it('GIVEN areas THEN the area is listed and found with its rooms; an unknown one THEN undefined', async () => {
      expect(await rig.directory.areas(rig.scope)).toContain(rig.area.name);
      expect((await rig.directory.area(rig.area.name, rig.scope))?.rooms).toContain(rig.area.room);
      expect(await rig.directory.area('no-such-area', rig.scope)).toBeUndefined();
    });
  });
}
