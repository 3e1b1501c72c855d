import type { IncomingMessage, RequestListener } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { type HttpServer, startHttpServer } from '../../../src/http/server.js';
import { slackEventsGuard } from '../../../src/platforms/slack/events-guard.js';
import { postSigned, slashCommandBody } from '../../fakes/slack/signer.js';
import { FakeClock } from '../../helpers/clock.js';
import { streamBody } from '../../helpers/http.js';

/** What runs before Bolt on `/slack/events`: the timestamp window both ways, the body cap, `rawBody` for Bolt. */

const SECRET = 'guard-signing-secret';
let server: HttpServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** The guard in front of a listener that records what reached it, on a clock that stands still. */
async function guarded(clock: FakeClock) {
  const reached: string[] = [];
  const listener: RequestListener = (req, res) => {
    reached.push(String((req as IncomingMessage & { rawBody?: Buffer }).rawBody));
    res.writeHead(200).end();
  };
  server = await startHttpServer({
    port: 0,
    host: '127.0.0.1',
    routes: { '/slack/events': { POST: slackEventsGuard(listener, () => clock.now()) } },
  });
  return { url: `${server.url}/slack/events`, reached };
}

describe('slackEventsGuard', () => {
  const clock = new FakeClock();
  const nowS = Math.floor(clock.now() / 1000);
  it.each([
    ['6 minutes ahead', nowS + 360, 401],
    ['6 minutes behind', nowS - 360, 401],
    ['5 minutes ahead', nowS + 300, 200],
    ['5 minutes behind', nowS - 300, 200],
    ['now', nowS, 200],
  ])('GIVEN a correctly signed request stamped %s THEN %i', async (_what, stamp, status) => {
    const { url, reached } = await guarded(clock);
    const body = slashCommandBody({ command: '/kick', text: '<@U0BOB>' });
    const res = await postSigned(url, SECRET, body, { timestamp: stamp });
    expect(res.status).toBe(status);
    expect(reached).toEqual(status === 200 ? [body] : []);
  });

  it('GIVEN a timestamp that is not a number THEN 401 and nothing reaches Bolt', async () => {
    const { url, reached } = await guarded(clock);
    const res = await postSigned(url, SECRET, 'x=1', { headers: { 'x-slack-request-timestamp': '1e9' } });
    expect(res.status).toBe(401);
    expect(reached).toEqual([]);
  });

  it('GIVEN no timestamp header THEN the request goes on to Bolt (which refuses it, or answers ssl_check)', async () => {
    const { url, reached } = await guarded(clock);
    const res = await postSigned(url, SECRET, 'ssl_check=1', { omitSignature: true });
    expect(res.status).toBe(200);
    expect(reached).toEqual(['ssl_check=1']);
  });

  it('GIVEN an unsigned 20 MB post THEN 413 before it is all sent, and nothing reaches Bolt', async () => {
    const { url, reached } = await guarded(clock);
    const sent = await streamBody(url, 20 * 1024 * 1024);
    expect(sent.status).toBe(413);
    expect(sent.finished).toBe(false);
    expect(reached).toEqual([]);
  });
});
