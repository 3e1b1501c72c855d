import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JsonHttp } from '../../../src/platforms/seed/http.js';
import { encodedForms, SecretScrubber } from '../../../src/platforms/seed/secrets.js';
import { JsonFake } from '../../fakes/seed/JsonFake.js';

/** Secrets echoed back in another encoding are scrubbed too (issue 9, item 12). */

// A Mudbase-style JWT with the characters encodings change: `+`, `/`, `=`, and a space.
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJrYiJ9.q+Zx/9aB=c d';
const STAND_IN = '[mudbase jwt]';
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const b64url = (s: string) => Buffer.from(s, 'utf8').toString('base64url');

const ECHOES: [string, string][] = [
  ['as sent', `bad token ${JWT}`],
  ['URL-encoded', `GET /chats?jwt=${encodeURIComponent(JWT)}`],
  [
    'URL-encoded, lower-case hex',
    `jwt=${encodeURIComponent(JWT).replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase())}`,
  ],
  ['form-encoded (space as +)', `jwt=${encodeURIComponent(JWT).replace(/%20/g, '+')}`],
  ['JSON-escaped inside a string', `{"auth":${JSON.stringify(JWT)}}`],
  ['JSON-escaped with \\/', `{"auth":"${JWT.replace(/\//g, '\\/')}"}`],
  ['base64 alone', b64(JWT)],
  ['base64 of "Bearer <jwt>"', b64(`Bearer ${JWT}`)],
  ['base64 of "u:<jwt>" (basic auth)', `Basic ${b64(`u:${JWT}`)}`],
  ['base64url of "xy<jwt>z"', b64url(`xy${JWT}z`)],
];

describe('SecretScrubber', () => {
  const scrub = new SecretScrubber([{ value: JWT, as: STAND_IN }]);
  it.each(ECHOES)('GIVEN the secret echoed %s THEN no form of it is left', (_name, echo) => {
    const out = scrub.text(echo);
    for (const form of encodedForms(JWT)) expect(out).not.toContain(form);
    expect(out).toContain(STAND_IN);
  });

  it('GIVEN a text without the secret THEN it is unchanged, and keys are scrubbed too', () => {
    expect(scrub.text('nothing to see: eyJhbGciOiJIUzI1NiJ9')).toBe('nothing to see: eyJhbGciOiJIUzI1NiJ9');
    const out = scrub.value({ [encodeURIComponent(JWT)]: [b64(JWT)] }) as Record<string, string[]>;
    expect(Object.keys(out)).toEqual([STAND_IN]);
    // What is left of the base64 is its last partial group (a byte or two of the secret, mixed with padding).
    expect(out[STAND_IN]?.[0]).toMatch(/^\[mudbase jwt\][A-Za-z0-9+/]{0,3}=*$/);
  });

  it('GIVEN a short secret THEN its base64 forms are not matched by chance (no core under 8 characters)', () => {
    expect(encodedForms('abc')).toEqual(['abc']);
  });
});

describe('JsonHttp scrubs every encoded form from answers', () => {
  let fake: JsonFake;
  beforeEach(async () => {
    fake = await new JsonFake().listen();
  });
  afterEach(() => fake.close());

  it('GIVEN Mudbase echoing its JWT URL-encoded and base64-encoded THEN the connector sees only the stand-in', async () => {
    fake.route('POST', '/echo', () => ({
      status: 401,
      body: {
        message: `invalid token ${encodeURIComponent(JWT)}`,
        detail: { header: `Bearer ${JWT}`, raw: b64(`Bearer ${JWT}`) },
      },
    }));
    const http = new JsonHttp(fake.url, 'mudbase', { secrets: [{ value: JWT, as: STAND_IN }] });
    const res = await http.request({ method: 'POST', path: '/echo', body: {} });
    const text = JSON.stringify(res.body);
    for (const form of encodedForms(JWT)) expect(text).not.toContain(form);
    expect(res.body).toMatchObject({ message: `invalid token ${STAND_IN}` });
  });
});
