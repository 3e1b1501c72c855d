import { describe, expect, it } from 'vitest';
import { ConnectorError } from '../../src/core/errors.js';
import { describeTrouble } from '../../src/core/systems.js';

const SYSTEMS = {
  rocketchat: { name: 'Rocket.Chat', credentials: ['RC_USER_ID', 'RC_TOKEN'] },
  docspace: { name: 'DocSpace', credentials: ['DOCSPACE_API_KEY'] },
};

describe('describeTrouble: what a moderator reads when a system fails while planning', () => {
  it.each([
    [
      'GIVEN 401 from Rocket.Chat THEN the credentials hint naming its variables, no retry',
      'rocketchat',
      new ConnectorError('unauthorized', {
        hint: "Rocket.Chat refused kickbot's credentials (X-User-Id / X-Auth-Token)",
      }),
      { hint: "Rocket.Chat refused kickbot's credentials: check RC_USER_ID/RC_TOKEN", retry: false },
    ],
    [
      'GIVEN 403 THEN the credentials hint as well, no retry',
      'docspace',
      new ConnectorError('forbidden'),
      { hint: "DocSpace refused kickbot's credentials: check DOCSPACE_API_KEY", retry: false },
    ],
    [
      'GIVEN DocSpace unreachable THEN try again',
      'docspace',
      new ConnectorError('docspace-unreachable', { retryable: true }),
      { hint: 'kickbot could not get an answer from DocSpace: try again in a moment', retry: true },
    ],
    [
      'GIVEN a 5xx THEN try again',
      'rocketchat',
      new ConnectorError('rocketchat-unavailable', { retryable: true }),
      { hint: 'kickbot could not get an answer from Rocket.Chat: try again in a moment', retry: true },
    ],
    [
      'GIVEN another error THEN the system named with its own hint',
      'rocketchat',
      new ConnectorError('rocketchat-error-x', { hint: 'something odd' }),
      { hint: 'Rocket.Chat: something odd', retry: false },
    ],
    [
      'GIVEN a system without names configured THEN its id and its own hint',
      'mudbase',
      new ConnectorError('unauthorized', { hint: "Mudbase refused kickbot's token" }),
      { hint: "Mudbase refused kickbot's token", retry: false },
    ],
  ])('%s', (_name, platform, error, want) => {
    expect(describeTrouble(error, platform, SYSTEMS)).toEqual({ code: error.code, ...want });
  });
});
