import { describe, expect, it } from 'vitest';
import { useApiRig } from '../helpers/api-rig.js';

/** `for` (a timed removal) and `dm` (tell the person first) in the HTTP API, by the rules of `--for` and `--dm`. */

const rig = useApiRig();
const { post, offboard, member } = rig;

describe('POST /api/v1/removals: for and dm', () => {
  it.each([
    [{ for: '366d' }, 'removals[0].for: must be from 1 minute to 365 days (got "366d"); e.g. 2h'],
    [{ for: '59s' }, 'removals[0].for: must be from 1 minute to 365 days (got "59s"); e.g. 2h'],
    [
      { for: 'later' },
      'removals[0].for: takes a duration from 1 minute to 365 days, e.g. 30m, 2h, 1d, 1w or 1h30m (got "later")',
    ],
    [{ for: 120 }, 'removals[0].for: Invalid input: expected string, received number'],
    [{ dm: 'yes' }, 'removals[0].dm: true or false'],
  ])('GIVEN %j THEN 400 naming the field, and nobody is removed', async (extra, message) => {
    const res = await post({
      actor: 'console:mo',
      removals: [{ room: 'general', users: ['bob'], ...extra }],
    });
    expect(res.status).toBe(400);
    expect(res.body.message).toBe(message);
    expect(await member('general', 'bob')).toBe(true);
  });

  it('GIVEN dm: true THEN bob is told before he is removed', async () => {
    const res = await post({
      actor: 'console:mo',
      removals: [{ room: 'general', users: ['bob'], reason: 'spam', dm: true }],
    });
    expect(res.status).toBe(200);
    expect(await member('general', 'bob')).toBe(false);
    expect(rig.app.notices[0]).toEqual({
      room: 'console:bob',
      text: 'DM to bob: You are being removed from #general by mo (reason: spam) · case 1',
    });
  });

  it('GIVEN for: "2h" on a kickbot without timers THEN the command is refused as a usage error, nothing done', async () => {
    const res = await post({
      actor: 'console:mo',
      removals: [{ room: 'general', users: ['bob'], for: '2h' }],
    });
    expect(res.body).toMatchObject({ status: 'error', data: [] });
    const [error] = res.body.errors as { message: string }[];
    expect(error?.message).toMatch(/^this kickbot keeps no timers, so --for cannot be used here\n/);
    expect(await member('general', 'bob')).toBe(true);
  });
});

describe('POST /api/v1/offboardings: dm, and no for', () => {
  it('GIVEN for THEN 400: an offboarding cannot be timed', async () => {
    const res = await offboard({ actor: 'console:ada', users: ['bob'], for: '2h' });
    expect(res.status).toBe(400);
    expect(res.body.message).toBe(
      'for: an offboarding cannot be timed (a Discord server kick cannot be undone); use /kick or /remove-area --for for a timed removal',
    );
  });

  it('GIVEN dm: true THEN the person is told first', async () => {
    const res = await offboard({ actor: 'console:ada', users: ['bob'], reason: 'leaving', dm: true });
    expect(res.status).toBe(200);
    expect(rig.app.notices[0]?.text).toBe(
      'DM to bob: You are being removed from every room kickbot reaches (an offboarding) by ada (reason: leaving) · case 1',
    );
  });
});
