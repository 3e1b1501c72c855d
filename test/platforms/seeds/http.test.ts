import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConnectorError } from '../../../src/core/index.js';
import { JsonHttp } from '../../../src/platforms/seed/http.js';
import { JsonFake } from '../../fakes/seed/JsonFake.js';

/** The seed connectors' JSON client: bodies on DELETE, what is retryable, and secrets kept out of answers. */

const SECRET = 'fake-secret-0001';
let fake: JsonFake;
let http: JsonHttp;
beforeEach(async () => {
  fake = await new JsonFake().listen();
  http = new JsonHttp(`${fake.url}/`, 'demo', { secrets: [{ value: SECRET, as: '[key]' }] });
});
afterEach(() => fake.close());

async function thrown(p: Promise<unknown>): Promise<ConnectorError> {
  return p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error as ConnectorError,
  );
}

describe('JsonHttp', () => {
  it('GIVEN a DELETE with a body THEN the body arrives as JSON, and the query is kept', async () => {
    fake.route('DELETE', '/things/:id', (req) => ({
      status: 200,
      body: { got: req.body, q: req.query.get('x') },
    }));
    const res = await http.request({
      method: 'DELETE',
      path: '/things/1',
      query: { x: 'y' },
      body: { members: ['a'] },
    });
    expect(res).toEqual({ status: 200, body: { got: { members: ['a'] }, q: 'y' } });
    expect(fake.calls[0]?.headers['content-type']).toBe('application/json');
  });

  it('GIVEN an answer that repeats a secret, however deep THEN the connector sees the stand-in', async () => {
    fake.route('POST', '/echo', () => ({
      status: 400,
      body: { message: `bad key ${SECRET}`, errors: [{ data: { note: `${SECRET}!` } }] },
    }));
    const res = await http.request({ method: 'POST', path: '/echo', body: {} });
    expect(res.body).toEqual({ message: 'bad key [key]', errors: [{ data: { note: '[key]!' } }] });
  });

  it('GIVEN a 429 with Retry-After THEN a retryable ratelimited error with that wait', async () => {
    fake.route('GET', '/slow', () => ({ status: 429, headers: { 'retry-after': '2' } }));
    const error = await thrown(http.request({ method: 'GET', path: '/slow' }));
    expect([error.code, error.retryable, error.retryAfterMs]).toEqual(['ratelimited', true, 2000]);
  });

  it('GIVEN a 503 THEN retryable <system>-unavailable; GIVEN a 404 THEN an answer, not an error', async () => {
    fake.route('GET', '/down', () => ({ status: 503 }));
    const error = await thrown(http.request({ method: 'GET', path: '/down' }));
    expect([error.code, error.retryable]).toEqual(['demo-unavailable', true]);
    expect(await http.request({ method: 'GET', path: '/nowhere' })).toMatchObject({ status: 404 });
  });

  it('GIVEN nothing listening THEN retryable <system>-unreachable', async () => {
    await fake.close();
    const error = await thrown(http.request({ method: 'GET', path: '/x' }));
    expect([error.code, error.retryable]).toEqual(['demo-unreachable', true]);
  });
});
