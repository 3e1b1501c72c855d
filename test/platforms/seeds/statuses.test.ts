import { describe, expect, it } from 'vitest';
import { ConnectorError } from '../../../src/core/index.js';
import { BETTERFORMS } from '../../../src/platforms/betterforms/answers.js';
import { DOCSPACE } from '../../../src/platforms/docspace/answers.js';
import { FEEDBACKHOUSE } from '../../../src/platforms/feedbackhouse/answers.js';
import { MUDBASE } from '../../../src/platforms/mudbase/answers.js';
import { ROCKETCHAT } from '../../../src/platforms/rocketchat/answers.js';
import {
  failedBy,
  retryableStatus,
  type SeedSystem,
  type StatusOutcome,
  statusError,
  statusOutcome,
} from '../../../src/platforms/seed/statuses.js';

/**
 * The seed systems' HTTP statuses in one table: status × system → outcome, code and hint, as each system's
 * `SeedSystem` gives 403 and 404 their meaning. The room in the hints is `R`; what the systems read beyond the
 * status (Rocket.Chat's errorType, Mudbase's message, feedback.house's per-area errors) is in their own tests.
 */

const R = 'room-7';
const SYSTEMS: Record<string, SeedSystem> = {
  rocketchat: ROCKETCHAT,
  docspace: DOCSPACE,
  mudbase: MUDBASE,
  feedbackhouse: FEEDBACKHOUSE,
  betterforms: BETTERFORMS,
};

interface Row {
  system: keyof typeof SYSTEMS;
  status: number;
  expected: StatusOutcome;
}

const unauthorized = (hint: string): StatusOutcome => ({ outcome: 'failed', code: 'unauthorized', hint });
const answered = (system: string, name: string, status: number): StatusOutcome => ({
  outcome: 'failed',
  code: `${system}-${status}`,
  hint: `${name} answered ${status}`,
});

const ROWS: Row[] = [
  // 401: refused credentials everywhere, the hint naming what kickbot signs in with (never its value).
  {
    system: 'rocketchat',
    status: 401,
    expected: unauthorized("Rocket.Chat refused kickbot's credentials (X-User-Id / X-Auth-Token)"),
  },
  { system: 'docspace', status: 401, expected: unauthorized("DocSpace refused kickbot's API key") },
  {
    system: 'mudbase',
    status: 401,
    expected: unauthorized("Mudbase refused kickbot's JWT (expired or invalid token)"),
  },
  {
    system: 'feedbackhouse',
    status: 401,
    expected: unauthorized("feedback.house refused kickbot's API key"),
  },
  { system: 'betterforms', status: 401, expected: unauthorized("BetterForms refused kickbot's API key") },

  // 403: what each system says it is.
  { system: 'rocketchat', status: 403, expected: answered('rocketchat', 'Rocket.Chat', 403) },
  {
    system: 'docspace',
    status: 403,
    expected: {
      outcome: 'failed',
      code: 'forbidden',
      hint: "kickbot's DocSpace API key needs the permission to edit groups (add and remove their members)",
    },
  },
  {
    system: 'mudbase',
    status: 403,
    expected: {
      outcome: 'denied',
      code: 'not-allowed',
      hint: `the user of kickbot's JWT may not manage the participants of Mudbase chat ${R}`,
    },
  },
  {
    system: 'feedbackhouse',
    status: 403,
    expected: unauthorized("feedback.house refused kickbot's API key"),
  },
  { system: 'betterforms', status: 403, expected: unauthorized("BetterForms refused kickbot's API key") },

  // 404: an unknown room where a 404 alone says so; elsewhere only a status (the answer says more).
  { system: 'rocketchat', status: 404, expected: answered('rocketchat', 'Rocket.Chat', 404) },
  {
    system: 'docspace',
    status: 404,
    expected: { outcome: 'denied', code: 'room-not-found', hint: `DocSpace has no group ${R}` },
  },
  { system: 'mudbase', status: 404, expected: answered('mudbase', 'Mudbase', 404) },
  { system: 'feedbackhouse', status: 404, expected: answered('feedbackhouse', 'feedback.house', 404) },
  {
    system: 'betterforms',
    status: 404,
    expected: { outcome: 'denied', code: 'room-not-found', hint: `BetterForms has no channel ${R}` },
  },

  // Any other status: a failure named after it.
  { system: 'rocketchat', status: 409, expected: answered('rocketchat', 'Rocket.Chat', 409) },
  { system: 'docspace', status: 409, expected: answered('docspace', 'DocSpace', 409) },
  { system: 'mudbase', status: 409, expected: answered('mudbase', 'Mudbase', 409) },
  { system: 'feedbackhouse', status: 422, expected: answered('feedbackhouse', 'feedback.house', 422) },
  { system: 'betterforms', status: 409, expected: answered('betterforms', 'BetterForms', 409) },
];

describe('statusOutcome', () => {
  it.each(ROWS)(
    'GIVEN $system answers $status THEN $expected.outcome $expected.code',
    ({ system, status, expected }) => {
      expect(statusOutcome(SYSTEMS[system] as SeedSystem, status, { room: R })).toEqual(expected);
    },
  );

  it('GIVEN every system THEN a row for each of 401, 403 and 404', () => {
    for (const system of Object.keys(SYSTEMS)) {
      const statuses = ROWS.filter((r) => r.system === system).map((r) => r.status);
      expect(statuses).toEqual(expect.arrayContaining([401, 403, 404]));
    }
  });

  it("GIVEN the system's own words about a status it gives no meaning THEN they follow the status", () => {
    expect(statusOutcome(MUDBASE, 409, { room: R, said: 'Cannot remove the chat owner' })).toEqual({
      outcome: 'failed',
      code: 'mudbase-409',
      hint: 'Mudbase answered 409: Cannot remove the chat owner',
    });
  });

  it('GIVEN words with a status that has a meaning THEN the meaning alone', () => {
    const said = 'You must be logged in';
    expect(statusOutcome(MUDBASE, 401, { said }).hint).not.toContain(said);
    expect(statusOutcome(MUDBASE, 403, { room: R, said }).hint).not.toContain(said);
  });
});

describe('retryableStatus (thrown by JsonHttp)', () => {
  it.each(Object.values(SYSTEMS).map((s) => s.id))(
    'GIVEN %s answers 503 THEN retryable <system>-unavailable naming the system and the status',
    (system) => {
      const error = retryableStatus(system, 503, null, 'POST /x');
      expect(error).toBeInstanceOf(ConnectorError);
      expect(error).toMatchObject({
        code: `${system}-unavailable`,
        retryable: true,
        hint: `${system} had an error (503)`,
        message: `${system} answered 503 (POST /x)`,
      });
    },
  );

  it.each([
    ['7', 7000],
    ['0', 0],
    [null, 0],
  ] as const)('GIVEN a 429 with Retry-After %s THEN retryable ratelimited, waiting %i ms', (header, ms) => {
    expect(retryableStatus('docspace', 429, header, 'GET /x')).toMatchObject({
      code: 'ratelimited',
      retryable: true,
      retryAfterMs: ms,
      message: 'docspace rate limit (GET /x)',
    });
  });

  it('GIVEN a Retry-After that is no number of seconds THEN ratelimited without a wait', () => {
    const error = retryableStatus('mudbase', 429, 'Wed, 21 Oct 2026 07:28:00 GMT', 'GET /x');
    expect(error).toMatchObject({ code: 'ratelimited', retryable: true });
    expect(error?.retryAfterMs).toBeUndefined();
  });

  it.each([200, 201, 400, 401, 403, 404, 409, 499])('GIVEN %i THEN nothing to retry', (status) => {
    expect(retryableStatus('betterforms', status, '5', 'GET /x')).toBeUndefined();
  });
});

describe('statusError and failedBy', () => {
  it('GIVEN an outcome where there is no result to carry it THEN a ConnectorError with its code and hint, not retryable', () => {
    const error = statusError(
      statusOutcome(DOCSPACE, 403, { room: R }),
      'DocSpace answered 403 about group x',
    );
    expect(error).toMatchObject({
      code: 'forbidden',
      retryable: false,
      message: 'DocSpace answered 403 about group x',
    });
    expect(error.hint).toMatch(/permission to edit groups/);
  });

  it('GIVEN a thrown error THEN the failure of the targets it left, with its hint when it has one', () => {
    expect(
      failedBy(new ConnectorError('docspace-unavailable', { hint: 'docspace had an error (502)' })),
    ).toEqual({
      outcome: 'failed',
      code: 'docspace-unavailable',
      hint: 'docspace had an error (502)',
    });
    expect(failedBy(new ConnectorError('ratelimited'))).toEqual({ outcome: 'failed', code: 'ratelimited' });
  });
});
