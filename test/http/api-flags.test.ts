import { describe, expect, it } from 'vitest';
import type { TimedRestore } from '../../src/core/index.js';
import { postTo, serve, useApiRig } from '../helpers/api-rig.js';
import { SMALL_WORKSPACE, testConsole } from '../helpers/console.js';

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

describe('POST /api/v1/removals: a timed removal answers when it ends', () => {
  it('GIVEN for: "2h" on a kickbot with timers THEN the entry says until when, with the note, and the timer is set', async () => {
    const scheduled: TimedRestore[] = [];
    const timers = {
      durable: true,
      schedule: async (t: TimedRestore) => void scheduled.push(t),
      cancel: async () => {},
    };
    const app = testConsole(SMALL_WORKSPACE, { core: { timers } });
    const server = await serve(app.core);
    try {
      const before = Date.now();
      const res = await postTo(`${server.url}/api/v1/removals`, {
        actor: 'console:mo',
        removals: [{ room: 'general', users: ['bob'], for: '2h' }],
      });
      expect(res.status).toBe(200);
      const [entry] = res.body.data as { until?: string; note?: string }[];
      const until = Date.parse(entry?.until ?? '');
      expect(until - before).toBeGreaterThanOrEqual(2 * 3_600_000);
      expect(until - Date.now()).toBeLessThanOrEqual(2 * 3_600_000);
      expect(scheduled).toEqual([{ workspace: 'console:small', caseId: 1, until }]);
      expect(entry?.note).toMatch(/^Timed: until .* UTC, then the people removed come back/);
    } finally {
      await server.close();
    }
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
