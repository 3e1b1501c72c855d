import { describe, expect, it } from 'vitest';
import type { AuditRecord, Reply, Store } from '../../src/core/index.js';

/** What a store under test comes with: a way to let time pass (TTLs) without waiting for it. */
export interface StoreHarness {
  store: Store;
  /** Moves the store's notion of time forward by `ms`. */
  elapse(ms: number): Promise<void>;
}

const reply: Reply = { kind: 'info', message: 'done' };

const record = (over: Partial<AuditRecord> = {}): AuditRecord => ({
  caseId: 1,
  workspace: 'console:w1',
  action: 'remove',
  actor: 'console:mo',
  target: 'console:bob',
  room: 'console:general',
  reason: 'spam',
  outcome: 'removed',
  invocation: 'console:k1',
  at: 1_700_000_000_000,
  ...over,
});

/**
 * The contract every `Store` keeps: the memory store and the Redis store run this same suite, so the core
 * can rely on it whichever is configured.
 */
export function storeContract(name: string, setup: () => Promise<StoreHarness>): void {
  describe(`Store contract: ${name}`, () => {
    describe('invocation dedupe', () => {
      it('GIVEN a new id THEN the first claim is new, the next ones see it running, then done with the reply', async () => {
        const { store } = await setup();
        expect(await store.claimInvocation('i1', 60_000)).toEqual({ state: 'new' });
        expect(await store.claimInvocation('i1', 60_000)).toEqual({ state: 'running' });
        await store.completeInvocation('i1', reply, 60_000);
        expect(await store.claimInvocation('i1', 60_000)).toEqual({ state: 'done', reply });
        expect(await store.claimInvocation('i2', 60_000)).toEqual({ state: 'new' });
      });

      it('GIVEN ten concurrent claims of one id THEN exactly one is new', async () => {
        const { store } = await setup();
        const claims = await Promise.all(
          Array.from({ length: 10 }, () => store.claimInvocation('same', 60_000)),
        );
        expect(claims.filter((c) => c.state === 'new')).toHaveLength(1);
      });

      it('GIVEN a released claim THEN the id may run again', async () => {
        const { store } = await setup();
        await store.claimInvocation('i1', 60_000);
        await store.releaseInvocation('i1');
        expect(await store.claimInvocation('i1', 60_000)).toEqual({ state: 'new' });
      });

      it('GIVEN an id claimed with a fingerprint THEN the same fingerprint sees running then done, another sees mismatch in both', async () => {
        const { store } = await setup();
        expect(await store.claimInvocation('k1', 60_000, 'fp-heidi')).toEqual({ state: 'new' });
        expect(await store.claimInvocation('k1', 60_000, 'fp-heidi')).toEqual({ state: 'running' });
        expect(await store.claimInvocation('k1', 60_000, 'fp-ivan')).toEqual({ state: 'mismatch' });
        expect(await store.claimInvocation('k1', 60_000)).toEqual({ state: 'mismatch' });
        await store.completeInvocation('k1', reply, 60_000);
        expect(await store.claimInvocation('k1', 60_000, 'fp-heidi')).toEqual({ state: 'done', reply });
        expect(await store.claimInvocation('k1', 60_000, 'fp-ivan')).toEqual({ state: 'mismatch' });
        expect(await store.awaitInvocation('k1', 10_000)).toEqual(reply);
      });

      it('GIVEN a claim with a fingerprint is released or forgotten THEN another request may take the id', async () => {
        const { store, elapse } = await setup();
        await store.claimInvocation('k1', 60_000, 'fp-a');
        await store.releaseInvocation('k1');
        expect(await store.claimInvocation('k1', 60_000, 'fp-b')).toEqual({ state: 'new' });
        await store.completeInvocation('k1', reply, 1_000);
        await elapse(1_500);
        expect(await store.claimInvocation('k1', 60_000, 'fp-c')).toEqual({ state: 'new' });
      });

      it('GIVEN ten concurrent claims of one id with two fingerprints THEN one is new and the other fingerprint only sees mismatch', async () => {
        const { store } = await setup();
        const claims = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            store.claimInvocation('same', 60_000, i % 2 ? 'fp-b' : 'fp-a'),
          ),
        );
        const first = claims.findIndex((c) => c.state === 'new');
        expect(claims.filter((c) => c.state === 'new')).toHaveLength(1);
        claims.forEach((c, i) => {
          if (i !== first) expect(c.state).toBe(i % 2 === first % 2 ? 'running' : 'mismatch');
        });
      });

      it('GIVEN the dedupe TTL has passed THEN the id is forgotten', async () => {
        const { store, elapse } = await setup();
        await store.claimInvocation('i1', 1_000);
        await store.completeInvocation('i1', reply, 1_000);
        await elapse(1_500);
        expect(await store.claimInvocation('i1', 1_000)).toEqual({ state: 'new' });
      });
    });

    describe('waiting for a running invocation', () => {
      it('GIVEN a running invocation THEN a waiter gets its reply once it completes', async () => {
        const { store } = await setup();
        await store.claimInvocation('i1', 60_000);
        const waiting = store.awaitInvocation('i1', 10_000);
        await store.completeInvocation('i1', reply, 60_000);
        expect(await waiting).toEqual(reply);
      });

      it('GIVEN a done invocation THEN waiting answers at once; an unknown one answers undefined', async () => {
        const { store } = await setup();
        await store.claimInvocation('i1', 60_000);
        await store.completeInvocation('i1', reply, 60_000);
        expect(await store.awaitInvocation('i1', 10_000)).toEqual(reply);
        expect(await store.awaitInvocation('nobody', 10_000)).toBeUndefined();
      });

      it('GIVEN it never completes THEN the waiter gives up after its timeout', async () => {
        const { store } = await setup();
        await store.claimInvocation('i1', 60_000);
        expect(await store.awaitInvocation('i1', 1)).toBeUndefined();
      });
    });

    describe('locks', () => {
      it('GIVEN a held lock THEN nobody else gets it, and only its token releases it', async () => {
        const { store } = await setup();
        const token = await store.acquireLock('room|bob', 10_000);
        expect(token).toEqual(expect.any(String));
        expect(await store.acquireLock('room|bob', 10_000)).toBeUndefined();
        expect(await store.acquireLock('room|carol', 10_000)).toEqual(expect.any(String));
        expect(await store.releaseLock('room|bob', 'not-the-token')).toBe(false);
        expect(await store.acquireLock('room|bob', 10_000)).toBeUndefined();
        expect(await store.releaseLock('room|bob', token as string)).toBe(true);
        expect(await store.acquireLock('room|bob', 10_000)).toEqual(expect.any(String));
      });

      it('GIVEN a holder that renews its lock THEN it outlives its first TTL; a stale token renews nothing', async () => {
        const { store, elapse } = await setup();
        const token = (await store.acquireLock('k', 1_000)) as string;
        await elapse(800);
        expect(await store.extendLock('k', token, 1_000)).toBe(true);
        await elapse(800);
        expect(await store.acquireLock('k', 1_000)).toBeUndefined();
        expect(await store.extendLock('k', 'stale', 1_000)).toBe(false);
        await elapse(1_500);
        expect(await store.extendLock('k', token, 1_000)).toBe(false);
      });

      it('GIVEN ten concurrent acquires THEN exactly one gets the lock', async () => {
        const { store } = await setup();
        const tokens = await Promise.all(Array.from({ length: 10 }, () => store.acquireLock('k', 10_000)));
        expect(tokens.filter(Boolean)).toHaveLength(1);
      });

      it('GIVEN a lock whose TTL passed THEN it is free, and the old token no longer releases the new holder', async () => {
        const { store, elapse } = await setup();
        const old = (await store.acquireLock('k', 1_000)) as string;
        await elapse(1_500);
        const fresh = await store.acquireLock('k', 10_000);
        expect(fresh).toEqual(expect.any(String));
        expect(await store.releaseLock('k', old)).toBe(false);
        expect(await store.acquireLock('k', 10_000)).toBeUndefined();
      });
    });

    describe('bulk job marks and settling pairs', () => {
      const result = { room: 'console:general', user: 'console:bob', outcome: 'removed' as const };

      it('GIVEN a claimed pair THEN it reads as pending until it is settled', async () => {
        const { store } = await setup();
        const claim = await store.claimPair('general|bob', 10_000, { job: 'j1', index: 3 });
        expect(claim).toEqual({ token: expect.any(String), recovering: false });
        const token = 'token' in claim ? claim.token : '';
        expect(await store.readMarks('j1')).toEqual(new Map([[3, 'pending']]));
        expect(await store.settledCount('j1')).toBe(0);
        expect(
          await store.settlePair(record(), {
            lock: { key: 'general|bob', token },
            mark: { job: 'j1', index: 3, result },
          }),
        ).toBe(1);
        expect(await store.readMarks('j1')).toEqual(new Map([[3, result]]));
        expect(await store.acquireLock('general|bob', 10_000)).toEqual(expect.any(String)); // released
        expect(await store.readAudit({ workspace: 'console:w1' })).toEqual([
          JSON.parse(JSON.stringify(record())),
        ]);
      });

      it('GIVEN a settled pair THEN a later claim answers its result and takes no lock', async () => {
        const { store } = await setup();
        await store.settlePair(record(), { mark: { job: 'j1', index: 0, result } });
        expect(await store.claimPair('general|bob', 10_000, { job: 'j1', index: 0 })).toEqual({
          settled: result,
        });
        expect(await store.acquireLock('general|bob', 10_000)).toEqual(expect.any(String));
      });

      it('GIVEN a pair an earlier attempt left in flight THEN it is busy while that lock lives, and recovered after', async () => {
        const { store, elapse } = await setup();
        await store.claimPair('general|bob', 6_000, { job: 'j1', index: 5 }); // that worker died here
        // Busy, and held by an attempt of this same job (as far as the mark says): the waiter must not record it.
        expect(await store.claimPair('general|bob', 6_000, { job: 'j1', index: 5 })).toEqual({
          busy: true,
          inFlight: true,
        });
        await elapse(6_500);
        expect(await store.claimPair('general|bob', 6_000, { job: 'j1', index: 5 })).toEqual({
          token: expect.any(String),
          recovering: true,
        });
        expect(await store.acquireLock('general|bob', 10_000)).toBeUndefined();
      });

      it("GIVEN the pair's lock held by another invocation THEN the claim is busy and marks nothing", async () => {
        const { store } = await setup();
        await store.acquireLock('general|bob', 60_000);
        expect(await store.claimPair('general|bob', 60_000, { job: 'j1', index: 0 })).toEqual({ busy: true });
        expect(await store.readMarks('j1')).toEqual(new Map());
      });

      it('GIVEN a finished job forgotten THEN its marks and count are gone, the audit stays, other jobs keep theirs', async () => {
        const { store } = await setup();
        await store.settlePair(record(), { mark: { job: 'j4', index: 0, result } });
        await store.settlePair(record(), { mark: { job: 'j5', index: 0, result } });
        await store.forgetJob('j4');
        expect(await store.readMarks('j4')).toEqual(new Map());
        expect(await store.settledCount('j4')).toBe(0);
        expect(await store.readMarks('j5')).toEqual(new Map([[0, result]]));
        expect(await store.readAudit({ workspace: 'console:w1' })).toHaveLength(2);
      });

      it('GIVEN a pair settled twice (two attempts) THEN only the first result and record count', async () => {
        const { store } = await setup();
        await store.settlePair(record(), { mark: { job: 'j3', index: 0, result } });
        const other = { ...result, outcome: 'not_member' as const };
        expect(
          await store.settlePair(record({ outcome: 'not_member' }), {
            mark: { job: 'j3', index: 0, result: other },
          }),
        ).toBe(1);
        expect(await store.readMarks('j3')).toEqual(new Map([[0, result]]));
        expect(await store.readAudit({ workspace: 'console:w1' })).toHaveLength(1);
      });

      it('GIVEN pairs settled one by one THEN the count of settled pairs goes up once per pair', async () => {
        const { store } = await setup();
        const counts = [];
        for (const index of [0, 1, 2]) {
          counts.push(await store.settlePair(record(), { mark: { job: 'j2', index, result } }));
        }
        counts.push(await store.settlePair(record(), { mark: { job: 'j2', index: 1, result } }));
        expect(counts).toEqual([1, 2, 3, 3]);
        expect(await store.settledCount('j2')).toBe(3);
        expect(await store.settledCount('other')).toBe(0);
        expect(await store.readAudit({ workspace: 'console:w1' })).toHaveLength(3);
        expect(await store.readMarks('other')).toEqual(new Map());
      });

      it("GIVEN a settle with another holder's token THEN the audit record is kept and the lock stays", async () => {
        const { store } = await setup();
        await store.acquireLock('k', 10_000);
        expect(await store.settlePair(record(), { lock: { key: 'k', token: 'stale' } })).toBe(0);
        expect(await store.acquireLock('k', 10_000)).toBeUndefined();
        expect(await store.readAudit({ workspace: 'console:w1' })).toHaveLength(1);
      });
    });

    describe('pacing', () => {
      it('GIVEN calls reserving slots of one rate THEN each waits one interval longer than the one before', async () => {
        const { store } = await setup();
        const waits = [];
        for (let i = 0; i < 3; i++) waits.push(await store.paceSlot('slack|T1', 100));
        expect(waits[0]).toBe(0);
        expect(waits[1]).toBeGreaterThan(80);
        expect(waits[1]).toBeLessThanOrEqual(100);
        expect(waits[2]).toBeGreaterThan(180);
        expect(waits[2]).toBeLessThanOrEqual(200);
        expect(await store.paceSlot('slack|T2', 100)).toBe(0);
      });

      it('GIVEN ten concurrent reservations THEN they get ten different slots', async () => {
        const { store } = await setup();
        const waits = await Promise.all(Array.from({ length: 10 }, () => store.paceSlot('k', 1_000)));
        const slots = waits.map((w) => Math.round(w / 1_000)).sort((a, b) => a - b);
        expect(slots).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      });
    });

    describe('rate limits', () => {
      it('GIVEN a window THEN amounts add up to the limit, a run past it is refused and not counted', async () => {
        const { store } = await setup();
        expect(await store.consumeRate('mo', 200, 300, 600_000)).toEqual({ ok: true, used: 200 });
        expect(await store.consumeRate('mo', 101, 300, 600_000)).toMatchObject({ ok: false, used: 200 });
        const refused = await store.consumeRate('mo', 101, 300, 600_000);
        expect(refused.ok === false && refused.retryAfterMs).toBeGreaterThan(590_000);
        expect(await store.consumeRate('mo', 100, 300, 600_000)).toEqual({ ok: true, used: 300 });
        expect(await store.consumeRate('ada', 300, 300, 600_000)).toEqual({ ok: true, used: 300 });
      });

      it('GIVEN a dry run THEN nothing is counted', async () => {
        const { store } = await setup();
        expect(await store.consumeRate('mo', 250, 300, 600_000, true)).toEqual({ ok: true, used: 0 });
        expect(await store.consumeRate('mo', 300, 300, 600_000)).toEqual({ ok: true, used: 300 });
        expect(await store.consumeRate('mo', 1, 300, 600_000, true)).toMatchObject({ ok: false, used: 300 });
      });

      it('GIVEN the window has passed THEN the count starts over', async () => {
        const { store, elapse } = await setup();
        await store.consumeRate('mo', 300, 300, 1_000);
        await elapse(1_500);
        expect(await store.consumeRate('mo', 300, 300, 1_000)).toEqual({ ok: true, used: 300 });
      });
    });

    describe('cases and the audit log', () => {
      it('GIVEN two workspaces THEN each counts its cases from 1', async () => {
        const { store } = await setup();
        expect([
          await store.nextCaseId('w1'),
          await store.nextCaseId('w1'),
          await store.nextCaseId('w2'),
        ]).toEqual([1, 2, 1]);
      });

      it('GIVEN case numbers given out THEN lastCaseId answers the highest per workspace, 0 before any', async () => {
        const { store } = await setup();
        expect(await store.lastCaseId('w1')).toBe(0);
        await store.nextCaseId('w1');
        await store.nextCaseId('w1');
        await store.nextCaseId('w2');
        expect([await store.lastCaseId('w1'), await store.lastCaseId('w2')]).toEqual([2, 1]);
      });

      it('GIVEN concurrent appends under one key THEN the records are in the log once', async () => {
        const { store } = await setup();
        await Promise.all(
          Array.from({ length: 5 }, () => store.appendAudit([record(), record({ caseId: 2 })], 'k')),
        );
        expect(await store.readAudit({ workspace: 'console:w1' })).toHaveLength(2);
        expect(await store.readAudit({ workspace: 'console:w1', caseId: 2 })).toHaveLength(1);
      });

      it('GIVEN twenty concurrent case numbers THEN they are 1..20, each once', async () => {
        const { store } = await setup();
        const ids = await Promise.all(Array.from({ length: 20 }, () => store.nextCaseId('w')));
        expect([...ids].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      });

      it('GIVEN records THEN they read back equal, newest first, filtered by workspace, case, user and limit', async () => {
        const { store } = await setup();
        const a = record({ caseId: 1 });
        const b = record({ caseId: 2, target: 'console:carol', roles: ['owner'], code: undefined });
        const c = record({
          caseId: 3,
          actor: 'console:ada',
          target: 'console:mo',
          outcome: 'denied',
          code: 'protected',
        });
        const other = record({ workspace: 'console:w2' });
        await store.appendAudit([a, b], 'first');
        await store.appendAudit([c, other], 'second');
        await store.appendAudit([a, b], 'first'); // resent after a lost reply: nothing more
        const clean = (r: AuditRecord) => JSON.parse(JSON.stringify(r));
        expect(await store.readAudit({ workspace: 'console:w1' })).toEqual([c, b, a].map(clean));
        expect(await store.readAudit({ workspace: 'console:w1', caseId: 2 })).toEqual([clean(b)]);
        expect(await store.readAudit({ workspace: 'console:w1', user: 'console:mo' })).toEqual(
          [c, b, a].map(clean),
        );
        expect(await store.readAudit({ workspace: 'console:w1', user: 'console:carol' })).toEqual([clean(b)]);
        expect(await store.readAudit({ workspace: 'console:w1', limit: 2 })).toEqual([c, b].map(clean));
        expect(await store.readAudit({ workspace: 'console:w2' })).toEqual([clean(other)]);
        expect(await store.readAudit({ workspace: 'console:none' })).toEqual([]);
        expect(await store.readAudit({})).toEqual([other, c, b, a].map(clean));
      });
    });

    describe('pending confirmations', () => {
      const pending = {
        invocation: {
          id: 'console:k',
          platform: 'console',
          workspace: 'console:w',
          actor: 'console:mo',
          channel: 'console:general',
          command: 'kick',
          input: { text: '@bob' },
          receivedAt: 1,
        },
        expiresAt: 2,
      };

      it('GIVEN a saved prompt THEN peek leaves it and take removes it', async () => {
        const { store } = await setup();
        await store.savePending('p1', pending, 60_000);
        expect(await store.peekPending('p1')).toEqual(pending);
        expect(await store.takePending('p1')).toEqual(pending);
        expect(await store.takePending('p1')).toBeUndefined();
        expect(await store.peekPending('p1')).toBeUndefined();
      });

      it('GIVEN concurrent takes THEN exactly one gets the prompt', async () => {
        const { store } = await setup();
        await store.savePending('p1', pending, 60_000);
        const taken = await Promise.all(Array.from({ length: 5 }, () => store.takePending('p1')));
        expect(taken.filter(Boolean)).toHaveLength(1);
      });

      it('GIVEN the TTL has passed THEN the prompt is gone', async () => {
        const { store, elapse } = await setup();
        await store.savePending('p1', pending, 1_000);
        await elapse(1_500);
        expect(await store.takePending('p1')).toBeUndefined();
      });
    });

    it('GIVEN a healthy store THEN ping answers true', async () => {
      const { store } = await setup();
      expect(await store.ping()).toBe(true);
    });

    describe('config', () => {
      it('GIVEN a value THEN it reads back as a copy; an unknown key is undefined', async () => {
        const { store } = await setup();
        const value = { modLog: 'console:mods', grants: { 'console:bob': ['moderator'] } };
        await store.setConfig('settings', value);
        const read = (await store.getConfig('settings')) as typeof value;
        expect(read).toEqual(value);
        read.modLog = 'changed';
        expect(await store.getConfig('settings')).toEqual(value);
        expect(await store.getConfig('nothing')).toBeUndefined();
      });
    });

    describe('case events and markers', () => {
      it('GIVEN events on a case THEN they read back oldest first, per case; a once key appends once', async () => {
        const { store } = await setup();
        await store.appendCaseEvent('console:w1', 3, {
          kind: 'note',
          at: 1,
          by: 'console:mo',
          text: 'first',
        });
        await store.appendCaseEvent(
          'console:w1',
          3,
          { kind: 'reason', at: 2, by: 'console:mo', text: 'spam' },
          'k1',
        );
        await store.appendCaseEvent(
          'console:w1',
          3,
          { kind: 'reason', at: 3, by: 'console:mo', text: 'resent' },
          'k1',
        );
        await store.appendCaseEvent('console:w1', 4, { kind: 'cancel', at: 4, by: 'console:ada' });
        await store.appendCaseEvent('console:w2', 3, { kind: 'cancel', at: 5, by: 'console:ada' });
        expect(await store.readCaseEvents('console:w1', 3)).toEqual([
          { kind: 'note', at: 1, by: 'console:mo', text: 'first' },
          { kind: 'reason', at: 2, by: 'console:mo', text: 'spam' },
        ]);
        expect(await store.readCaseEvents('console:w1', 4)).toEqual([
          { kind: 'cancel', at: 4, by: 'console:ada' },
        ]);
        expect(await store.readCaseEvents('console:w1', 9)).toEqual([]);
      });

      it('GIVEN every event kind THEN each reads back as written', async () => {
        const { store } = await setup();
        const events = [
          {
            kind: 'opened',
            at: 1,
            by: 'console:mo',
            platform: 'console',
            channel: 'console:general',
            command: '/kick @bob --for 2h',
            until: 7_200_001,
          },
          {
            kind: 'opened',
            at: 1,
            by: 'discord:G/1',
            platform: 'discord',
            channel: 'discord:G/2',
            command: 'kicked in Discord',
            byHand: { via: 'discord-audit-log', detail: 'member kick' },
          },
          { kind: 'dm', at: 2, user: 'console:bob', ok: false, code: 'dm-closed' },
          { kind: 'timer', at: 3, state: 'set', until: 9, durable: true },
          { kind: 'timer', at: 4, state: 'restored', restoreCase: 5 },
          { kind: 'undone', at: 5, by: 'console:mo', restoreCase: 5 },
        ] as const;
        for (const e of events) await store.appendCaseEvent('console:w1', 1, e);
        expect(await store.readCaseEvents('console:w1', 1)).toEqual(events);
      });

      it('GIVEN cases in two workspaces THEN both are listed', async () => {
        const { store } = await setup();
        await store.nextCaseId('console:w1');
        await store.nextCaseId('slack:T1');
        expect((await store.workspaces()).sort()).toEqual(['console:w1', 'slack:T1']);
      });

      it('GIVEN a pair claimed and settled with marker writes THEN the marker follows, in the same steps', async () => {
        const { store } = await setup();
        const marker = (value?: string) => ({
          key: 'pair:general|bob',
          ttlMs: 60_000,
          ...(value ? { value } : {}),
        });
        const claim = await store.claimPair(
          'general|bob',
          10_000,
          { job: 'jm', index: 0 },
          marker('removing 1 5'),
        );
        expect(await store.getMarker('pair:general|bob')).toBe('removing 1 5');
        if (!('token' in claim)) throw new Error('not claimed');
        const result = { room: 'general', user: 'bob', outcome: 'removed' as const };
        await store.settlePair(record(), {
          lock: { key: 'general|bob', token: claim.token },
          mark: { job: 'jm', index: 0, result },
          marker: marker('removed 1 6'),
        });
        expect(await store.getMarker('pair:general|bob')).toBe('removed 1 6');
        // Settled already: a resent settle writes nothing, the marker included.
        await store.settlePair(record(), { mark: { job: 'jm', index: 0, result }, marker: marker() });
        expect(await store.getMarker('pair:general|bob')).toBe('removed 1 6');
        // Busy: the claim writes no marker.
        await store.claimPair('general|carol', 10_000, { job: 'jm', index: 1 });
        await store.claimPair(
          'general|carol',
          10_000,
          { job: 'jm', index: 2 },
          { key: 'pair:c', value: 'x', ttlMs: 9 },
        );
        expect(await store.getMarker('pair:c')).toBeUndefined();
        // A settle that deletes.
        await store.settlePair(record(), { mark: { job: 'jm', index: 1, result }, marker: marker() });
        expect(await store.getMarker('pair:general|bob')).toBeUndefined();
      });

      it('GIVEN a marker THEN it reads back until it expires or is deleted', async () => {
        const h = await setup();
        await h.store.setMarker('pair:console:general|console:bob', '{"caseId":1}', 1_000);
        await h.store.setMarker('pair:console:random|console:bob', 'x', 60_000);
        expect(await h.store.getMarker('pair:console:general|console:bob')).toBe('{"caseId":1}');
        await h.elapse(1_001);
        expect(await h.store.getMarker('pair:console:general|console:bob')).toBeUndefined();
        await h.store.deleteMarker('pair:console:random|console:bob');
        expect(await h.store.getMarker('pair:console:random|console:bob')).toBeUndefined();
        expect(await h.store.getMarker('nothing')).toBeUndefined();
      });
    });
  });
}
