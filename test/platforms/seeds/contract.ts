import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Connector, ConnectorError, type Id, type RemovalTarget } from '../../../src/core/index.js';

/**
 * What every connector of a seed system must do, whatever its API looks like: remove a member, answer
 * `not_member` for someone who is not (idempotently), batch when it says it can, look members up when it says
 * it can, re-add on undo when it says it can, map refused credentials to `failed unauthorized`, throw a
 * retryable `ConnectorError` when the system is down or answers 5xx, and never repeat a secret.
 * Each system's test file runs this against its fake, with its own checks of the request shapes beside it.
 */

export interface SeedRig {
  connector: Connector;
  /** A room (group, area, chat, channel) with `member` and `member2` in it and `outsider` not. */
  room: Id;
  member: Id;
  member2: Id;
  outsider: Id;
  /** A room the system does not know. */
  unknownRoom: Id;
  /** Whether `user` is in `room` now, from the fake's state. */
  isMember(room: Id, user: Id): boolean;
  /** The fake refuses the connector's credentials from now on. */
  revokeCredentials(): void;
  /** The next removal request answers this status. */
  failNextRemoval(status: number): void;
  /** How many removal requests the fake has received. */
  removalRequests(): number;
  /** The secrets the connector was given: none may show up in an outcome, a hint or an error. */
  secrets: string[];
  close(): Promise<void>;
}

const target = (rig: SeedRig, user: Id, room: Id = rig.room): RemovalTarget => ({
  room,
  user,
  actor: 'console:ada',
  reason: 'offboarding',
  caseId: 7,
});

async function thrown(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

export function seedContract(system: string, start: () => Promise<SeedRig>): void {
  describe(`${system}: the seed connector contract`, () => {
    let rig: SeedRig;
    beforeEach(async () => {
      rig = await start();
    });
    afterEach(async () => {
      await rig.close();
    });

    const noSecrets = (value: unknown) => {
      const text = value instanceof Error ? `${value.message} ${String(value.stack)}` : JSON.stringify(value);
      for (const secret of rig.secrets) expect(text).not.toContain(secret);
    };

    it('GIVEN the connector THEN it names its system and says what it can do', () => {
      expect(rig.connector.platform).toBe(system);
      expect(typeof rig.connector.capabilities.undo).toBe('boolean');
      expect(typeof rig.connector.capabilities.membership).toBe('boolean');
      if (rig.connector.capabilities.batch) expect(rig.connector.removeMany).toBeTypeOf('function');
    });

    it('GIVEN a member THEN removed, and the system no longer has them; again THEN not_member', async () => {
      expect(rig.isMember(rig.room, rig.member)).toBe(true);
      const first = await rig.connector.remove(target(rig, rig.member));
      expect(first.outcome).toBe('removed');
      expect(rig.isMember(rig.room, rig.member)).toBe(false);
      expect(rig.isMember(rig.room, rig.member2)).toBe(true);
      expect(await rig.connector.remove(target(rig, rig.member))).toEqual({ outcome: 'not_member' });
      noSecrets(first);
    });

    it('GIVEN someone who is not in the room THEN not_member, and the room is unchanged', async () => {
      expect(await rig.connector.remove(target(rig, rig.outsider))).toEqual({ outcome: 'not_member' });
      expect(rig.isMember(rig.room, rig.member)).toBe(true);
    });

    it('GIVEN the room THEN getRoom describes it; an unknown room THEN undefined or a room-not-found denial', async () => {
      const info = await rig.connector.getRoom(rig.room);
      expect(info?.id).toBe(rig.room);
      expect(['public', 'private', 'group']).toContain(info?.type);
      const unknown = await rig.connector.getRoom(rig.unknownRoom);
      if (unknown === undefined) return;
      const result = await rig.connector.remove(target(rig, rig.member, rig.unknownRoom));
      expect(result).toMatchObject({ outcome: 'denied', code: 'room-not-found' });
    });

    it('GIVEN membership lookups THEN getMembers has the members only', async (ctx) => {
      if (!rig.connector.capabilities.membership) return ctx.skip();
      const members = await rig.connector.getMembers(rig.room, [rig.member, rig.outsider]);
      expect([...members.keys()]).toEqual([rig.member]);
    });

    it('GIVEN batches THEN removeMany answers per target in order, in one request', async (ctx) => {
      const many = rig.connector.removeMany?.bind(rig.connector);
      if (!rig.connector.capabilities.batch || !many) return ctx.skip();
      const before = rig.removalRequests();
      const results = await many([rig.member, rig.outsider, rig.member2].map((u) => target(rig, u)));
      expect(results.map((r) => r.outcome)).toEqual(['removed', 'not_member', 'removed']);
      expect(rig.removalRequests() - before).toBe(1);
      expect(rig.isMember(rig.room, rig.member)).toBe(false);
      expect(rig.isMember(rig.room, rig.member2)).toBe(false);
    });

    it('GIVEN undo THEN restore re-adds a removed member; again THEN already_member', async (ctx) => {
      if (!rig.connector.capabilities.undo) return ctx.skip();
      const removed = await rig.connector.remove(target(rig, rig.member));
      expect(removed.outcome).toBe('removed');
      const undo = removed.outcome === 'removed' ? removed.undo : undefined;
      expect(await rig.connector.restore(target(rig, rig.member), [], undo)).toEqual({ outcome: 'restored' });
      expect(rig.isMember(rig.room, rig.member)).toBe(true);
      expect(await rig.connector.restore(target(rig, rig.member), [], undo)).toEqual({
        outcome: 'already_member',
      });
    });

    it('GIVEN no undo THEN restore is unsupported, without a request', async (ctx) => {
      if (rig.connector.capabilities.undo) return ctx.skip();
      const result = await rig.connector.restore(target(rig, rig.member), []);
      expect(result.outcome).toBe('unsupported');
    });

    it('GIVEN refused credentials THEN failed unauthorized with a hint naming the system, and no secret', async () => {
      rig.revokeCredentials();
      const result = await rig.connector.remove(target(rig, rig.member));
      expect(result).toMatchObject({ outcome: 'failed', code: 'unauthorized' });
      expect('hint' in result ? result.hint : '').toMatch(/credentials|key|token/i);
      expect(rig.isMember(rig.room, rig.member)).toBe(true);
      noSecrets(result);
    });

    it('GIVEN a 503 THEN a retryable ConnectorError, and nothing changed', async () => {
      rig.failNextRemoval(503);
      const error = await thrown(rig.connector.remove(target(rig, rig.member)));
      expect(error).toBeInstanceOf(ConnectorError);
      expect((error as ConnectorError).retryable).toBe(true);
      expect(rig.isMember(rig.room, rig.member)).toBe(true);
      noSecrets(error);
    });

    it('GIVEN the system is down THEN a retryable ConnectorError naming it, and no secret', async () => {
      await rig.close();
      const error = await thrown(rig.connector.remove(target(rig, rig.member)));
      expect(error).toBeInstanceOf(ConnectorError);
      expect((error as ConnectorError).retryable).toBe(true);
      expect((error as ConnectorError).code).toBe(`${system}-unreachable`);
      noSecrets(error);
    });
  });
}
