import { afterEach, describe, expect, it } from 'vitest';
import { kick, kickbot, OPT, result } from '../../helpers/discord-flows.js';
import { D, type DiscordRig, discordRig } from '../../helpers/discord-rig.js';

/**
 * `/kickbot case`, `note`, `reason` and `cases by … since …` as Discord sends them: typed options (a subcommand with
 * an INTEGER `case`, a STRING `text`, a USER `by`), over HTTP interactions, into the real core.
 */

let rig: DiscordRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const caseOption = (n: number) => ({ name: 'case', type: OPT.integer, value: n });
const text = (value: string) => ({ name: 'text', type: OPT.string, value });

describe('Discord /kickbot case, note, reason, cases by/since', () => {
  it('GIVEN a kick by carol THEN her note, the owner’s new reason and the case read back; bob may not add a note', async () => {
    rig = await discordRig();
    const { fake, http } = rig;
    const first = kick(fake, { user: D.users.bob, reason: 'spam' });
    await http.post(first);
    await result(fake, first);

    const note = kickbot(fake, 'note', [caseOption(1), text('warned in #general first')]);
    await http.post(note);
    expect((await result(fake, note)).content).toBe('Note added to case 1.');

    const reason = kickbot(fake, 'reason', [caseOption(1), text('phishing links')], D.users.owner);
    await http.post(reason);
    expect((await result(fake, reason)).content).toBe("Case 1's reason is now: phishing links (was: spam)");

    const notYours = kickbot(fake, 'note', [caseOption(1), text('me too')], D.users.bob);
    await http.post(notYours);
    expect((await result(fake, notYours)).content).toBe(
      `Only the moderator of case 1 (<@${D.users.carol}>) or an admin can change it.`,
    );

    const shown = kickbot(fake, 'case', [caseOption(1)]);
    await http.post(shown);
    const lines = (await result(fake, shown)).content.split('\n');
    expect(lines[0]).toMatch(
      new RegExp(`^Case 1 · \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC · <@${D.users.carol}>$`),
    );
    expect(lines.slice(1)).toEqual([
      `Command: /kick user:<@${D.users.bob}> reason:spam`,
      'Reason: phishing links',
      'Reason history:',
      expect.stringMatching(new RegExp(`^  .* UTC · <@${D.users.carol}>: spam$`)),
      expect.stringMatching(new RegExp(`^  .* UTC · <@${D.users.owner}>: phishing links$`)),
      'Notes:',
      expect.stringMatching(new RegExp(`^  .* UTC · <@${D.users.carol}>: warned in #general first$`)),
      `Removed 1: <@${D.users.bob}> in <#${D.channels.private}>`,
    ]);

    const mine = kickbot(fake, 'cases', [
      { name: 'by', type: OPT.user, value: D.users.carol },
      { name: 'since', type: OPT.string, value: '7d' },
    ]);
    await http.post(mine);
    const list = (await result(fake, mine)).content;
    expect(list).toMatch(new RegExp(`^Cases by <@${D.users.carol}> since .* UTC, newest first:\ncase 1 · `));
    expect(list).toContain(' · reason: phishing links');

    const others = kickbot(fake, 'cases', [{ name: 'by', type: OPT.user, value: D.users.owner }]);
    await http.post(others);
    expect((await result(fake, others)).content).toBe(`No cases by <@${D.users.owner}>.`);
  });

  it('GIVEN a since option that is no time THEN a usage answer naming it', async () => {
    rig = await discordRig();
    const { fake, http } = rig;
    const bad = kickbot(fake, 'cases', [{ name: 'since', type: OPT.string, value: 'tuesday' }]);
    await http.post(bad);
    expect((await result(fake, bad)).content).toContain(
      'since takes a time back (30m, 12h, 7d, 2w) or a date (2026-11-01), not "tuesday"',
    );
  });
});
