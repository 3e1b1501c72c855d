import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ScimStore, ScimUserData, StoredScimUser } from '../../src/scim/ScimStore.js';
import { parseFilter } from '../../src/scim/scim-filter.js';

const AT = '2026-01-01T00:00:00.000Z';
const LATER = '2026-01-02T00:00:00.000Z';

export const person = (userName: string, over: Partial<ScimUserData> = {}): ScimUserData => ({
  userName,
  emails: [{ value: userName, type: 'work', primary: true }],
  active: true,
  ...over,
});

async function created(store: ScimStore, data: ScimUserData): Promise<StoredScimUser> {
  const user = await store.create(randomUUID(), data, AT);
  if (user === 'taken') throw new Error(`${data.userName} is taken`);
  return user;
}

const filtered = async (store: ScimStore, filter: string, startIndex = 1, count = 100) =>
  store.list({ filter: parseFilter(filter), startIndex, count });

/** The contract of every ScimStore: the memory store and the Redis store run this same suite. */
export function scimStoreContract(name: string, setup: () => Promise<ScimStore>): void {
  describe(`ScimStore contract: ${name}`, () => {
    it('GIVEN a new user THEN get returns it at version 1, and a missing id gives undefined', async () => {
      const store = await setup();
      const user = await created(
        store,
        person('ada@example.com', { externalId: '00u1', displayName: 'Ada' }),
      );
      expect(user).toMatchObject({ userName: 'ada@example.com', version: 1, created: AT, lastModified: AT });
      expect(await store.get(user.id)).toEqual(user);
      expect(await store.get(randomUUID())).toBeUndefined();
    });

    it('GIVEN a userName already there in another case THEN create says taken and keeps the first user', async () => {
      const store = await setup();
      await created(store, person('Ada@Example.com'));
      expect(await store.create(randomUUID(), person('ada@example.COM'), AT)).toBe('taken');
      expect((await store.list({ startIndex: 1, count: 10 })).total).toBe(1);
    });

    it('GIVEN users THEN list pages them in creation order with the total', async () => {
      const store = await setup();
      const users = [];
      for (const n of [1, 2, 3, 4, 5]) users.push(await created(store, person(`u${n}@example.com`)));
      const page = await store.list({ startIndex: 2, count: 2 });
      expect(page.total).toBe(5);
      expect(page.users.map((u) => u.userName)).toEqual(['u2@example.com', 'u3@example.com']);
      expect((await store.list({ startIndex: 5, count: 10 })).users.map((u) => u.id)).toEqual([users[4]?.id]);
      expect(await store.list({ startIndex: 9, count: 10 })).toEqual({ total: 5, users: [] });
      expect((await store.list({ startIndex: 1, count: 0 })).users).toEqual([]);
    });

    it('GIVEN filters THEN userName matches case-insensitively, externalId exactly, and the rest by scim2-parse-filter', async () => {
      const store = await setup();
      const ada = await created(
        store,
        person('Ada@Example.com', { externalId: '00uA', displayName: 'Ada L' }),
      );
      const bob = await created(store, person('bob@example.com', { externalId: '00uB', active: false }));
      const both = await created(store, person('carl@other.org', { externalId: '00uA' }));
      const ids = async (filter: string) => (await filtered(store, filter)).users.map((u) => u.id);
      expect(await ids('userName eq "ada@example.com"')).toEqual([ada.id]);
      expect(await ids('urn:ietf:params:scim:schemas:core:2.0:User:userName eq "ADA@example.com"')).toEqual([
        ada.id,
      ]);
      expect(await ids('userName eq "nobody@example.com"')).toEqual([]);
      expect(await ids('externalId eq "00uA"')).toEqual([ada.id, both.id]);
      expect(await ids('externalId eq "00ua"')).toEqual([]);
      expect(await ids('externalId eq "00uA" and userName sw "carl"')).toEqual([both.id]);
      expect(await ids('active eq false')).toEqual([bob.id]);
      expect(await ids('emails[value ew "@example.com"]')).toEqual([ada.id, bob.id]);
      expect(await ids('emails.value co "OTHER"')).toEqual([both.id]);
      expect(await ids('displayName pr or userName eq "bob@example.com"')).toEqual([ada.id, bob.id]);
      expect(await ids(`id eq "${bob.id}"`)).toEqual([bob.id]);
      const page = await filtered(store, 'userName ew ".com"', 2, 1);
      expect(page).toMatchObject({ total: 2, users: [{ id: bob.id }] });
    });

    it('GIVEN a replace at the current version THEN the data changes, the version goes up, and indexes follow', async () => {
      const store = await setup();
      const ada = await created(store, person('ada@example.com', { externalId: 'e1' }));
      const next = person('ada.l@example.com', { externalId: 'e2', displayName: 'Ada' });
      const result = await store.replace(ada.id, next, 1, LATER);
      expect(result).toMatchObject({
        transition: undefined,
        user: { ...next, version: 2, created: AT, lastModified: LATER },
      });
      expect(await store.get(ada.id)).toMatchObject({ userName: 'ada.l@example.com', version: 2 });
      expect((await filtered(store, 'userName eq "ada@example.com"')).total).toBe(0);
      expect((await filtered(store, 'externalId eq "e1"')).total).toBe(0);
      expect((await filtered(store, 'externalId eq "e2"')).users.map((u) => u.id)).toEqual([ada.id]);
      expect(await store.create(randomUUID(), person('ada@example.com'), AT)).not.toBe('taken');
    });

    it('GIVEN a stale version, a missing user or a userName of another user THEN replace changes nothing', async () => {
      const store = await setup();
      const ada = await created(store, person('ada@example.com'));
      await created(store, person('bob@example.com'));
      expect(await store.replace(ada.id, person('x@example.com'), 7, LATER)).toBe('conflict');
      expect(await store.replace(randomUUID(), person('x@example.com'), 1, LATER)).toBe('gone');
      expect(await store.replace(ada.id, person('BOB@example.com'), 1, LATER)).toBe('taken');
      expect(await store.get(ada.id)).toEqual(ada);
    });

    it('GIVEN replaces from one version racing THEN exactly one makes the deactivation', async () => {
      const store = await setup();
      const ada = await created(store, person('ada@example.com'));
      const off = person('ada@example.com', { active: false });
      const results = await Promise.all([1, 2, 3, 4].map(() => store.replace(ada.id, off, 1, LATER)));
      expect(results.filter((r) => typeof r === 'object' && r.transition === 'deactivated')).toHaveLength(1);
      expect(results.filter((r) => r === 'conflict')).toHaveLength(3);
      const again = await store.replace(ada.id, off, 2, LATER);
      expect(again).toMatchObject({
        transition: undefined,
        user: { active: false, version: 3, deactivatedIn: 2 },
      });
    });

    it('GIVEN an offboarding stored on a deactivation THEN it stays through other changes and the reactivation hands it back once', async () => {
      const store = await setup();
      const ada = await created(store, person('ada@example.com'));
      const ref = { workspace: 'console:demo', caseId: 7 };
      await store.replace(ada.id, person('ada@example.com', { active: false }), 1, LATER);
      expect(await store.setOffboarding(ada.id, ref, 2)).toBe('stored');
      await store.replace(ada.id, person('ada@example.com', { active: false, displayName: 'A' }), 2, LATER);
      expect(await store.get(ada.id)).toMatchObject({ offboarding: ref, deactivatedIn: 2, version: 3 });
      const back = await store.replace(ada.id, person('ada@example.com'), 3, LATER);
      expect(back).toMatchObject({ transition: 'reactivated', undo: ref });
      const user = await store.get(ada.id);
      expect(user?.offboarding).toBeUndefined();
      expect(user?.deactivatedIn).toBeUndefined();
      const still = await store.replace(ada.id, person('ada@example.com'), 4, LATER);
      expect(still).toMatchObject({ transition: undefined });
      expect(still).not.toHaveProperty('undo');
    });

    it('GIVEN an offboarding that resolves after the user was reactivated (or deleted) THEN it is not stored and the caller hears why', async () => {
      const store = await setup();
      const ada = await created(store, person('ada@example.com'));
      const ref = { workspace: 'console:demo', caseId: 8 };
      await store.replace(ada.id, person('ada@example.com', { active: false }), 1, LATER);
      await store.replace(ada.id, person('ada@example.com'), 2, LATER);
      expect(await store.setOffboarding(ada.id, ref, 2)).toBe('reactivated');
      await store.replace(ada.id, person('ada@example.com', { active: false }), 3, LATER);
      expect(await store.setOffboarding(ada.id, ref, 2)).toBe('reactivated'); // an older deactivation's
      expect(await store.setOffboarding(ada.id, ref, 4)).toBe('stored');
      expect(await store.delete(ada.id, 4)).toBe('deleted');
      expect(await store.setOffboarding(ada.id, ref, 4)).toBe('gone');
    });

    it('GIVEN a delete THEN only the one at the current version deletes, and the user is gone from every index', async () => {
      const store = await setup();
      const ada = await created(store, person('ada@example.com', { externalId: 'e1' }));
      expect(await store.delete(ada.id, 2)).toBe('conflict');
      const deletes = await Promise.all([store.delete(ada.id, 1), store.delete(ada.id, 1)]);
      expect(deletes.sort()).toEqual(['deleted', 'gone']);
      expect(await store.get(ada.id)).toBeUndefined();
      expect(await store.list({ startIndex: 1, count: 10 })).toEqual({ total: 0, users: [] });
      expect((await filtered(store, 'externalId eq "e1"')).total).toBe(0);
      expect(await store.create(randomUUID(), person('ada@example.com'), AT)).not.toBe('taken');
    });
  });
}
