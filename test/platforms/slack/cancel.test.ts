import { afterEach, describe, expect, it } from 'vitest';
import type { FakeSlackOptions, RecordedResponse } from '../../fakes/slack/FakeSlack.js';
import { FakeClock } from '../../helpers/clock.js';
import { type SlackRig, slackRig, WORKSPACE } from '../../helpers/slack-rig.js';

interface Answer {
  text?: string;
  replace_original?: boolean;
  blocks?: { type: string; elements?: { type: string; action_id?: string; value?: string }[] }[];
}
const answer = (r: RecordedResponse) => r.body as Answer;
const buttons = (a: Answer) =>
  (a.blocks ?? []).flatMap((b) => b.elements ?? []).filter((e) => e.type === 'button');

const EXTRA = Array.from({ length: 12 }, (_, i) => ({ id: `U0X${i}`, name: `x${i}` }));
const BIG: FakeSlackOptions = {
  ...WORKSPACE,
  users: [...(WORKSPACE.users ?? []), ...EXTRA],
  channels: (WORKSPACE.channels ?? []).map((c) =>
    c.id === 'C0RANDOM' ? { ...c, members: [...c.members, ...EXTRA.map((u) => u.id)] } : c,
  ),
};
const TWELVE = EXTRA.map((u) => `<@${u.id}|${u.name}>`).join(' ');

let rig: SlackRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe('Slack: Cancel on the progress message', () => {
  it('GIVEN a batch of 12 with 2 done and 4 in flight WHEN its moderator clicks Cancel THEN the 4 finish, 6 end cancelled, and the result replaces the progress with no button', async () => {
    const clock = new FakeClock(Date.now());
    rig = await slackRig({
      fake: BIG,
      core: { clock, confirmThreshold: 50 },
      front: { progressEveryMs: 0 },
    });
    const r = rig;
    const held = r.fake.hold('conversations.kick', 2);
    const { responseUrl } = await r.command('/kick', `${TWELVE} raid`);
    const mine = (x: RecordedResponse) => `${r.fake.url}/response/${x.id}` === responseUrl;

    // The first progress message has the Cancel button, naming the case.
    const progress = answer(await r.fake.waitForResponse((x) => mine(x) && buttons(answer(x)).length > 0));
    expect(progress.text).toMatch(/^Removed \d+ of 12 /);
    expect(progress.replace_original).toBe(false);
    expect(buttons(progress)).toEqual([
      { type: 'button', action_id: 'kickbot_cancel_case', value: '1', text: expect.anything() },
    ]);
    await r.fake.waitFor(() => (held.waiting === 4 ? true : undefined), 5_000, '4 kicks in flight');

    // Someone who did not run it cannot stop it.
    const other = await r.click({
      action_id: 'kickbot_cancel_case',
      value: '1',
      user: { id: 'U0BOB' },
      channel: { id: 'C0RANDOM' },
    });
    expect(answer(await other.result()).text).toBe(
      'Only the moderator of case 1 (<@U0MOD>) or an admin can cancel it.',
    );

    const click = await r.click({
      action_id: 'kickbot_cancel_case',
      value: '1',
      user: { id: 'U0MOD' },
      channel: { id: 'C0RANDOM' },
    });
    expect(click.ack.status).toBe(200);
    const cancelled = answer(await click.result());
    expect(cancelled).toMatchObject({
      replace_original: true,
      text: 'Cancelling case 1: pairs not yet started will end cancelled; pairs in flight finish.',
    });
    expect(buttons(cancelled)).toEqual([]);
    clock.advance(1_000); // the run reads the case again
    held.release();

    const done = answer(
      await r.fake.waitForResponse((x) => mine(x) && /· case 1/.test(answer(x).text ?? ''), 5_000),
    );
    expect(done.text).toContain('Removed 6 | Not a member 0 | Denied 0 | Failed 0 | Cancelled 6 · case 1');
    expect(done.replace_original).toBe(true);
    expect(buttons(done)).toEqual([]);
    // Later progress messages replaced the first: one progress message, then the result in its place.
    const progressAfter = r.fake.responses.filter(
      (x) => mine(x) && /^Removed \d+ of 12 /.test(answer(x).text ?? ''),
    );
    expect(progressAfter.slice(1).every((x) => answer(x).replace_original === true)).toBe(true);
    expect(r.fake.callsTo('conversations.kick')).toHaveLength(6);
    const records = await r.store.readAudit({ caseId: 1 });
    expect(records).toHaveLength(12);
    expect(new Set(records.map((x) => x.target)).size).toBe(12);
    expect(records.filter((x) => x.outcome === 'cancelled')).toHaveLength(6);
    expect(EXTRA.filter((u) => r.fake.isMember('C0RANDOM', u.id))).toHaveLength(6);
  });
});
