import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FakeInteraction, RecordedCall } from '../../fakes/discord/FakeDiscord.js';
import {
  addMembers,
  controlledNow,
  type EditBody,
  edit,
  kick,
  mentions,
  OVERWRITE,
  result,
  sees,
} from '../../helpers/discord-flows.js';
import { D, type DiscordRig, discordRig } from '../../helpers/discord-rig.js';
import { waitFor } from '../../helpers/wait.js';

let rig: DiscordRig | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await rig?.close();
  rig = undefined;
});

const buttonsOf = (b: EditBody) => b.components.flatMap((row) => row.components);

/** How each front takes an interaction in: dispatched on the gateway, or POSTed signed to the endpoint. */
const MODES = {
  gateway: {
    start: async () => {
      const r = await discordRig({ core: { confirmThreshold: 50 } });
      await r.gateway();
      return r;
    },
    send: async (r: DiscordRig, i: FakeInteraction) => {
      r.fake.dispatchInteraction(i);
      return (await r.fake.waitForCallback(i.id)) as { type: number; data?: unknown };
    },
  },
  http: {
    start: () => discordRig({ core: { confirmThreshold: 50 } }),
    send: async (r: DiscordRig, i: FakeInteraction) => (await r.http.post(i)).body as { type: number },
  },
};

describe.each(Object.keys(MODES) as (keyof typeof MODES)[])(
  'Discord (%s): Cancel on the progress edit',
  (mode) => {
    it('GIVEN a batch of 12 with 2 done and 4 in flight WHEN carol clicks Cancel THEN an ephemeral answer, the 4 finish, 6 end cancelled, and the result has no button', async () => {
      const { start, send } = MODES[mode];
      const now = controlledNow();
      rig = await start();
      const { fake } = rig;
      const ids = addMembers(fake, 12);
      const held = fake.hold('PUT /channels/:c/permissions/:o', 2);
      // Time passes during the batch (flow.ts shows progress every 3 s) once the first removal is answered.
      const onCall = (call: RecordedCall) => {
        if (call.method !== 'PUT' || call.route !== OVERWRITE) return;
        now.advance(3_100);
        fake.off('call', onCall);
      };
      fake.on('call', onCall);
      const command = kick(fake, { user: ids[0] as string, more: mentions(ids.slice(1)), reason: 'raid' });
      await send(rig, command);

      const progress = await edit(fake, command, (b) => buttonsOf(b).length > 0, 5_000);
      expect(progress.content).toMatch(/^Removed \d+ of 12 /);
      expect(buttonsOf(progress)).toEqual([
        { type: 2, style: 2, custom_id: 'kickbot:cancel-case:1', label: 'Cancel' },
      ]);
      // discord.js queues requests per route bucket: some PUTs reach the fake, the others wait in its queue. The job's
      // marks say what the run has started: 2 settled, 4 in flight.
      const job = `discord:${command.id}#1`;
      await waitFor('2 removals done and 4 in flight', async () => {
        const marks = [...((await rig?.store.readMarks(job)) ?? new Map()).values()];
        const pending = marks.filter((m) => m === 'pending').length;
        return held.waiting > 0 && pending === 4 && marks.length === 6 ? true : undefined;
      });

      const click = (user: string) =>
        fake.componentInteraction({ custom_id: 'kickbot:cancel-case:1', user, channel: D.channels.private });
      const stranger = click(D.users.alice);
      expect(await send(rig, stranger)).toMatchObject({ type: 5, data: { flags: 64 } });
      expect((await edit(fake, stranger)).content).toBe(
        'Only the moderator of case 1 (<@1300000000000000203>) or an admin can cancel it.',
      );

      const mine = click(D.users.carol);
      expect(await send(rig, mine)).toMatchObject({ type: 5, data: { flags: 64 } });
      const answer = await edit(fake, mine);
      expect(answer.content).toBe(
        'Cancelling case 1: pairs not yet started will end cancelled; pairs in flight finish.',
      );
      expect(answer.components).toEqual([]);
      now.advance(1_000); // the run reads the case again
      held.release();

      const done = await result(fake, command, 5_000);
      expect(done.content).toBe('Removed 6 | Not a member 0 | Denied 0 | Failed 0 | Cancelled 6 · case 1');
      expect(done.components).toEqual([]);
      expect(fake.callsTo('PUT', OVERWRITE)).toHaveLength(6);
      expect(ids.filter((id) => sees(fake, D.channels.private, id))).toHaveLength(6);
      const records = await rig.store.readAudit({ caseId: 1 });
      expect(records).toHaveLength(12);
      expect(new Set(records.map((r) => r.target)).size).toBe(12);
      expect(records.filter((r) => r.outcome === 'cancelled')).toHaveLength(6);
    });
  },
);
