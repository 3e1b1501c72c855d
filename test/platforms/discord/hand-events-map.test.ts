import { describe, expect, it } from 'vitest';
import { type AuditEntry, type HandContext, handEvents } from '../../../src/platforms/discord/hand-events.js';

/** What an audit log entry means to kickbot, entry by entry (the pure half of hand-events.ts). */

const G = '100';
const WS = `discord:${G}`;
const VIEW = '1024';
const ctx: HandContext = {
  bot: '900',
  areaRoles: new Set(['301', '302']),
  overwriteNow: async () => ({ allow: '2048', deny: VIEW }),
};
const entry = (over: Partial<AuditEntry>): AuditEntry => ({
  id: '5000',
  guild: G,
  action: 20,
  executor: '200',
  target: '202',
  reason: null,
  changes: [],
  at: 1_700_000_000_000,
  ...over,
});
const overwrite = (action: number, changes: AuditEntry['changes'], member = true) =>
  entry({ action, target: '402', changes, overwrite: { id: '202', member } });

describe('handEvents', () => {
  it.each([
    ["kickbot's own reason", entry({ reason: 'kickbot case 3 by 200: spam' })],
    ['the bot as executor', entry({ executor: '900' })],
    [
      "a role that is no area's",
      entry({ action: 25, changes: [{ key: '$remove', new: [{ id: '303', name: 'x' }] }] }),
    ],
    ['a role overwrite', overwrite(13, [{ key: 'deny', new: VIEW }], false)],
    ['an update of `allow` only', overwrite(14, [{ key: 'allow', old: '0', new: '2048' }])],
    ['a deny without View Channel', overwrite(13, [{ key: 'deny', new: '2048' }])],
    ['a deleted overwrite that hid nothing', overwrite(15, [{ key: 'deny', old: '2048' }])],
    ['another action (a ban)', entry({ action: 22 })],
  ])('GIVEN %s THEN nothing', async (_, e) => {
    expect(await handEvents(e, ctx)).toEqual([]);
  });

  it('GIVEN two area roles taken in one entry THEN two removals, each with its own event id', async () => {
    const events = await handEvents(
      entry({
        action: 25,
        changes: [
          {
            key: '$remove',
            new: [
              { id: '301', name: 'Pay' },
              { id: '302', name: 'Ops' },
            ],
          },
        ],
      }),
      ctx,
    );
    expect(events).toEqual([
      {
        removal: expect.objectContaining({
          eventId: '5000/301',
          room: `${WS}/role:301`,
          detail: 'role Pay taken away',
        }),
      },
      {
        removal: expect.objectContaining({
          eventId: '5000/302',
          room: `${WS}/role:302`,
          detail: 'role Ops taken away',
        }),
      },
    ]);
  });

  it('GIVEN an update whose deny gains View Channel, `allow` unchanged THEN the undo takes `allow` from the overwrite now', async () => {
    expect(await handEvents(overwrite(14, [{ key: 'deny', old: '64', new: '1088' }]), ctx)).toEqual([
      {
        removal: expect.objectContaining({
          target: `${WS}/202`,
          room: `${WS}/402`,
          actor: `${WS}/200`,
          via: 'discord-audit-log',
          undo: { overwrite: 'member', allow: '2048', deny: '64' },
        }),
      },
    ]);
  });

  it('GIVEN an update whose deny loses View Channel THEN a join by the executor', async () => {
    expect(await handEvents(overwrite(14, [{ key: 'deny', old: VIEW, new: '0' }]), ctx)).toEqual([
      {
        join: {
          eventId: '5000',
          platform: 'discord',
          workspace: WS,
          room: `${WS}/402`,
          user: `${WS}/202`,
          actor: `${WS}/200`,
          at: 1_700_000_000_000,
        },
      },
    ]);
  });

  it('GIVEN an area role given back ($add) THEN a join', async () => {
    expect(
      await handEvents(
        entry({ action: 25, changes: [{ key: '$add', new: [{ id: '301', name: 'Pay' }] }] }),
        ctx,
      ),
    ).toEqual([{ join: expect.objectContaining({ room: `${WS}/role:301`, user: `${WS}/202` }) }]);
  });
});
