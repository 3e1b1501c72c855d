import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { kickbot } from '../helpers/cli.js';
import { redisUrl, testPrefix } from '../helpers/redis.js';
import {
  bobIn,
  closeFakes,
  EVERYWHERE,
  type Fakes,
  files,
  GROUP,
  SECRETS,
  startFakes,
} from '../helpers/seed-world.js';

/**
 * `/offboard` through the real CLI (`kickbot run`, the compiled dist/) across the console and the five seed
 * systems' fakes, with the config file, identity links and secrets from the environment. The runs share one
 * Redis namespace per test, so that a case opened by one run is undone by the next, as on a server.
 */

let fakes: Fakes;
let f: ReturnType<typeof files>;
let env: Record<string, string>;
beforeEach(async () => {
  fakes = await startFakes();
  f = files(fakes);
  env = { ...SECRETS, REDIS_URL: redisUrl(), KICKBOT_REDIS_PREFIX: testPrefix() };
});
afterEach(async () => {
  await closeFakes(fakes);
  f.remove();
});

const run = (as: string, line: string, ...flags: string[]) =>
  kickbot(
    [
      'run',
      '--workspace',
      f.workspace,
      '--config',
      f.config,
      '--as',
      as,
      '--in',
      'general',
      ...flags,
      '--',
      line,
    ],
    { env },
  );

const SYSTEM_LINES = [
  'the console workspace: Removed 4 | Not a member 0 | Denied 0 | Failed 0',
  'Rocket.Chat: Removed 2 | Not a member 0 | Denied 0 | Failed 0',
  'feedback.house: Removed 1 | Not a member 0 | Denied 0 | Failed 0 (no undo: feedback.house cannot re-add people)',
  'DocSpace: Removed 1 | Not a member 0 | Denied 0 | Failed 0',
  'Mudbase: Removed 1 | Not a member 0 | Denied 0 | Failed 0',
  'BetterForms: Removed 1 | Not a member 0 | Denied 0 | Failed 0 (no undo: BetterForms cannot re-add people)',
];

describe('kickbot run -- /offboard across the console and the five seed systems', () => {
  it('GIVEN no --yes THEN exit 2 with the plan per system and nothing done; THEN with --yes bob is out of everything', async () => {
    const plan = await run('mo', '/offboard @bob left');
    expect(plan.code).toBe(2);
    // (a plan is not a result: it goes to stderr, after the log lines, with how to confirm)
    const planLines = plan.stderr.split('\n').filter((l) => !l.startsWith('{'));
    expect(planLines).toEqual([
      'Offboarding bob would remove 10 of 10 room memberships in 6 systems. An offboarding always asks first; nothing is done until you confirm.',
      '  the console workspace: 4 rooms, would remove 4',
      '  Rocket.Chat: 2 rooms, would remove 2',
      '  feedback.house: 1 room, would remove 1; cannot be undone (feedback.house cannot re-add people)',
      '  DocSpace: 1 room, would remove 1',
      '  Mudbase: 1 room, would remove 1',
      '  BetterForms: 1 room, would remove 1; cannot be undone (BetterForms cannot re-add people)',
      'Nothing was done. Run again with --yes to confirm.',
      '',
    ]);
    expect(plan.stdout).toBe('');
    expect(bobIn(fakes)).toEqual(EVERYWHERE);
    expect(fakes.rc.callsTo('POST /api/v1/groups.kick')).toEqual([]);

    const done = await run('mo', '/offboard @bob left --yes');
    expect(done.code).toBe(0);
    expect(bobIn(fakes)).toEqual([]);
    const lines = done.stdout.split('\n');
    expect(lines[0]).toBe(
      'bob was offboarded by mo (reason: left) · case 1 · Removed 10 | Not a member 0 | Denied 0 | Failed 0',
    );
    expect(lines.filter((l) => l.startsWith('✓ '))).toHaveLength(10);
    expect(lines).toContain('✓ bob removed from payments (group)');
    expect(lines).toContain('✓ bob removed from DocSpace group Payments');
    expect(lines.filter((l) => SYSTEM_LINES.includes(l))).toEqual(SYSTEM_LINES);
    expect(lines).toContain('Removed 10 | Not a member 0 | Denied 0 | Failed 0 · case 1');
    // nobody else was touched
    expect(fakes.ds.isMember(GROUP, '9a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d')).toBe(true);
    expect(fakes.rc.isMember('GROUP1', 'rc-ada')).toBe(true);
    for (const secret of Object.values(SECRETS).slice(1))
      expect(done.stdout + done.stderr).not.toContain(secret);
  });

  it('GIVEN carol, linked nowhere but the console THEN unsupported no-identity for each seed system, without a call there', async () => {
    const res = await run('mo', '/offboard @carol --yes');
    expect(res.code).toBe(3);
    const lines = res.stdout.split('\n');
    for (const name of ['Rocket.Chat', 'feedback.house', 'DocSpace', 'Mudbase', 'BetterForms']) {
      expect(lines).toContain(
        `✗ carol in every ${name} room: unsupported (no-identity): no ${name} account is linked (identities in kickbot's config file)`,
      );
    }
    expect(lines).toContain('✓ carol removed from #general');
    expect(lines).toContain('Removed 2 | Not a member 0 | Denied 0 | Failed 0 | Unsupported 5 · case 1');
    expect(fakes.fh.calls).toEqual([]);
    expect(fakes.mb.calls).toEqual([]);
    expect(fakes.bf.calls).toEqual([]);
  });

  it('GIVEN a moderator offboarding the owner and an admin THEN every pair of theirs is refused as protected', async () => {
    const res = await run('mo', '/offboard @olivia @ada --yes');
    expect(res.code).toBe(3);
    const denied = res.stdout.split('\n').filter((l) => l.includes('denied (protected)'));
    expect(denied).toContain(
      '✗ olivia in #general: denied (protected): the workspace owner cannot be removed',
    );
    expect(denied).toContain('✗ ada in #secret: denied (protected): only an admin can remove an admin');
    expect(denied).toContain(
      '✗ ada in Rocket.Chat #payments-team: denied (protected): only an admin can remove an admin',
    );
    expect(denied).toContain(
      '✗ ada in DocSpace group Payments: denied (protected): only an admin can remove an admin',
    );
    expect(res.stdout).toContain('Removed 0 |');
    expect(fakes.rc.isMember('GROUP1', 'rc-ada')).toBe(true);
    expect(fakes.rc.callsTo('POST /api/v1/groups.kick')).toEqual([]);
  });

  it('GIVEN an offboarding THEN /kickbot undo restores where it can, one line per system, and says where it cannot', async () => {
    expect((await run('mo', '/offboard @bob --yes')).code).toBe(0);
    const undo = await run('mo', '/kickbot undo 1');
    const lines = undo.stdout.split('\n');
    const system = /^(the console workspace|Rocket\.Chat|feedback\.house|DocSpace|Mudbase|BetterForms): /;
    expect(lines.filter((l) => system.test(l))).toEqual([
      'the console workspace: Restored 4 | Already a member 0 | Denied 0 | Failed 0',
      'Rocket.Chat: Restored 2 | Already a member 0 | Denied 0 | Failed 0',
      'feedback.house: Restored 0 | Already a member 0 | Denied 0 | Failed 1 (no undo: feedback.house cannot re-add people)',
      'DocSpace: Restored 1 | Already a member 0 | Denied 0 | Failed 0',
      'Mudbase: Restored 1 | Already a member 0 | Denied 0 | Failed 0',
      'BetterForms: Restored 0 | Already a member 0 | Denied 0 | Failed 1 (no undo: BetterForms cannot re-add people)',
    ]);
    expect(bobIn(fakes)).toEqual(['rocketchat:GROUP1', 'rocketchat:DEV1', 'docspace', 'mudbase']);
    // the console rooms too: offboarding him again finds him there, and not where there was no undo
    const again = await run('mo', '/offboard @bob --yes');
    expect(again.stdout).toContain('the console workspace: Removed 4 | Not a member 0');
    expect(again.stdout).toContain('feedback.house: Removed 0 | Not a member 1');
  });

  it('GIVEN --json THEN one JSON object: status, every pair with its outcome, the summary and the case', async () => {
    const res = await run('ada', '/offboard @bob --yes', '--json');
    expect(res.code).toBe(0);
    const json = JSON.parse(res.stdout) as {
      status: string;
      case: number;
      message: string;
      results: { room: string; user: string; outcome: string }[];
    };
    expect(json).toMatchObject({
      status: 'ok',
      case: 1,
      message: 'Removed 10 | Not a member 0 | Denied 0 | Failed 0',
    });
    expect(json.results.map((r) => `${r.room} ${r.outcome}`)).toEqual([
      'general removed',
      'dev removed',
      'secret removed',
      'group/payments removed',
      'rocketchat:GROUP1 removed',
      'rocketchat:DEV1 removed',
      `feedbackhouse:${'997f1f77bcf86cd799439011'} removed`,
      `docspace:${GROUP} removed`,
      'mudbase:VL0TZudKjN6SiWtV removed',
      'betterforms:channel1 removed',
    ]);
    expect(bobIn(fakes)).toEqual([]);
  });
});
