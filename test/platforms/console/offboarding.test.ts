import { describe, expect, it } from 'vitest';
import { type HeldRoom, type Id, makeId } from '../../../src/core/index.js';
import { ConsoleConnector } from '../../../src/platforms/console/ConsoleConnector.js';
import { parseWorkspace } from '../../../src/platforms/console/workspace-file.js';
import { MemoryWorkspace } from '../../../src/platforms/console/workspace-state.js';

/** The console for an offboarding: one user's rooms (area groups included) with their facts, and identities. */

const WORKSPACE = `
name: small
bot: kickbot
owner: ada
users:
  - { id: ada, roles: [admin], email: ada@example.com }
  - { id: olga, email: Olga.Owner@Example.com }
  - { id: bob, email: bob@example.com }
  - { id: carol }
  - { id: kickbot, roles: [bot] }
rooms:
  - { id: general, type: public, members: [ada, olga, bob, carol, kickbot], owners: [ada] }
  - { id: secret, type: private, members: [ada, olga, bob], owners: [olga], moderators: [bob] }
  - { id: lobby, type: public, members: [ada, bob], undeletable: true }
areas:
  - { id: payments, name: Payments, rooms: [general], members: [bob, carol], managers: [olga] }
  - { id: support, rooms: [secret], members: [olga] }
  - { id: roomsonly, rooms: [lobby] }
`;

const id = (local: string): Id => makeId('console', local);

function consoleOn() {
  const data = parseWorkspace(WORKSPACE, 'test.yaml');
  return new ConsoleConnector({ data, state: new MemoryWorkspace(data) });
}

async function held(connector: ConsoleConnector, user: string): Promise<HeldRoom[]> {
  const out: HeldRoom[] = [];
  for await (const page of connector.memberships(id(user))) out.push(...page);
  return out;
}

describe('console: memberships for an offboarding', () => {
  it('GIVEN bob in rooms and an area group THEN each with its facts and his roles there, the group as a group', async () => {
    const got = await held(consoleOn(), 'bob');
    expect(got).toEqual([
      { room: { id: id('general'), name: 'general', type: 'public', owners: 1 }, roles: [] },
      { room: { id: id('secret'), name: 'secret', type: 'private', owners: 1 }, roles: ['moderator'] },
      {
        room: {
          id: id('lobby'),
          name: 'lobby',
          type: 'public',
          owners: 0,
          unsupported: { code: 'undeletable', hint: '#lobby is undeletable: nobody can be removed from it' },
        },
        roles: [],
      },
      { room: { id: id('group/payments'), name: 'Payments', type: 'group', owners: 0 }, roles: [] },
    ]);
  });

  const groups: { user: string; expected: string[] }[] = [
    { user: 'bob', expected: ['group/payments'] },
    { user: 'carol', expected: ['group/payments'] },
    { user: 'olga', expected: ['group/support'] },
    { user: 'ada', expected: [] },
  ];
  for (const t of groups) {
    it(`GIVEN ${t.user} THEN the area groups listed are ${t.expected.join(', ') || 'none'}`, async () => {
      const got = (await held(consoleOn(), t.user)).filter((h) => h.room.type === 'group');
      expect(got.map((h) => h.room.id)).toEqual(t.expected.map(id));
    });
  }

  it('GIVEN bob taken out of the area group THEN it is no longer listed; his rooms still are', async () => {
    const connector = consoleOn();
    const target = { room: id('group/payments'), user: id('bob'), actor: id('ada'), caseId: 1 };
    expect(await connector.remove(target)).toEqual({ outcome: 'removed' });
    const ids = (await held(connector, 'bob')).map((h) => h.room.id);
    expect(ids).toEqual([id('general'), id('secret'), id('lobby')]);
  });
});

describe('console: identities', () => {
  const emails: { email: string; expected: Id | undefined }[] = [
    { email: 'bob@example.com', expected: id('bob') },
    { email: 'BOB@Example.COM', expected: id('bob') },
    { email: 'olga.owner@example.com', expected: id('olga') },
    { email: ' ada@example.com ', expected: id('ada') },
    { email: 'carol@example.com', expected: undefined },
    { email: 'bob', expected: undefined },
    { email: '', expected: undefined },
  ];
  for (const t of emails) {
    it(`GIVEN the address "${t.email}" THEN findByEmail is ${t.expected ?? 'undefined'}`, async () => {
      expect(await consoleOn().findByEmail(t.email)).toBe(t.expected);
    });
  }

  const keys: { key: string; expected: Id | undefined }[] = [
    { key: 'bob', expected: id('bob') },
    { key: 'kickbot', expected: id('kickbot') },
    { key: 'Bob', expected: undefined },
    { key: 'nobody', expected: undefined },
    { key: '@bob', expected: undefined },
  ];
  for (const t of keys) {
    it(`GIVEN the key "${t.key}" THEN personId is ${t.expected ?? 'undefined'}`, async () => {
      expect(await consoleOn().personId(t.key)).toBe(t.expected);
    });
  }
});
