import { once } from 'node:events';
import type { IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../src/core/index.js';
import {
  type Handler,
  type HttpServer,
  type HttpServerOptions,
  METHODS,
  markEventStream,
  readBody,
  startHttpServer,
} from '../../src/http/server.js';
import { sendRaw, streamBody } from '../helpers/http.js';
import { type Logged, loggerTo } from '../helpers/log-capture.js';

/**
 * kickbot's one HTTP server: methods per route (405 + Allow), one error boundary (500 with a reference, a log
 * line, the process alive), bodies capped while streaming (413, the rest never read), slow clients cut off.
 */

let server: HttpServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function recordingLogger(lines: Logged[]): Logger {
  return loggerTo((entry) => void lines.push(entry));
}

const ok: Handler = (_req, res) => void res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');

async function start(
  routes: HttpServerOptions['routes'],
  more: Partial<HttpServerOptions> = {},
): Promise<HttpServer> {
  server = await startHttpServer({ port: 0, host: '127.0.0.1', routes, ...more });
  return server;
}

describe('startHttpServer: methods', () => {
  it('GIVEN routes that declare their methods THEN every other method gets 405 with Allow, an unknown path 404, and the declared ones reach their handler', async () => {
    const s = await start({ '/healthz': { GET: ok, HEAD: ok }, '/hook': { POST: ok } });
    for (const method of METHODS) {
      const health = await fetch(`${s.url}/healthz`, { method });
      expect(health.status, `${method} /healthz`).toBe(method === 'GET' || method === 'HEAD' ? 200 : 405);
      if (health.status === 405) expect(health.headers.get('allow')).toBe('GET, HEAD');
      const hook = await fetch(`${s.url}/hook`, { method });
      expect(hook.status, `${method} /hook`).toBe(method === 'POST' ? 200 : 405);
      if (hook.status === 405) expect(hook.headers.get('allow')).toBe('POST');
    }
    expect((await fetch(`${s.url}/nowhere`)).status).toBe(404);
  });
});

describe('startHttpServer: the error boundary', () => {
  it.each([
    [
      'throws at once',
      (() => {
        throw new Error('boom');
      }) as Handler,
    ],
    [
      'rejects later',
      (async () => {
        await Promise.resolve();
        throw new Error('boom');
      }) as Handler,
    ],
  ])(
    'GIVEN a handler that %s THEN the answer is a 500 naming a reference, the log line carries it, and the server answers the next request',
    async (_what, handler) => {
      const lines: Logged[] = [];
      const s = await start(
        { '/bad': { POST: handler }, '/healthz': { GET: ok } },
        { logger: recordingLogger(lines) },
      );
      const res = await fetch(`${s.url}/bad`, { method: 'POST', body: 'x' });
      expect(res.status).toBe(500);
      const body = (await res.json()) as { error: string; ref: string };
      expect(body.ref).toMatch(/^[0-9a-f]{8}$/);
      expect(body.error).toBe(`kickbot could not answer this request (reference ${body.ref})`);
      expect(body.error).not.toContain('boom');
      expect(lines).toContainEqual(
        expect.objectContaining({
          level: 'error',
          obj: expect.objectContaining({ ref: body.ref, path: '/bad' }),
        }),
      );
      expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
    },
  );

  it('GIVEN a handler that fails after it has started answering THEN the connection is cut, and the server answers the next request', async () => {
    const s = await start({
      '/half': {
        GET: async (_req, res) => {
          res.writeHead(200).write('partial');
          await Promise.resolve();
          throw new Error('boom');
        },
      },
      '/healthz': { GET: ok },
    });
    await expect(fetch(`${s.url}/half`).then((r) => r.text())).rejects.toThrow();
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
  });
});

describe('startHttpServer: bodies', () => {
  it('GIVEN a body within the cap THEN the handler reads all of it with readBody', async () => {
    let got: Buffer | undefined;
    const s = await start({
      '/echo': {
        POST: async (req, res) => {
          got = await readBody(req);
          res.writeHead(204).end();
        },
      },
    });
    const body = 'a'.repeat(1024 * 1024);
    expect((await fetch(`${s.url}/echo`, { method: 'POST', body })).status).toBe(204);
    expect(got?.toString()).toBe(body);
  });

  it('GIVEN a Content-Length over the cap THEN 413 at once, the handler never runs and no body byte is read', async () => {
    let ran = false;
    const s = await start({
      '/hook': {
        POST: () => {
          ran = true;
        },
      },
    });
    const answer = await sendRaw(
      s.url,
      'POST /hook HTTP/1.1\r\nHost: x\r\nContent-Length: 104857600\r\n\r\n',
    );
    expect(answer).toMatch(/^HTTP\/1\.1 413 Payload Too Large\r\n/);
    expect(answer).toContain('connection: close');
    expect(ran).toBe(false);
  });

  it('GIVEN a chunked body that streams past the cap THEN 413 arrives while the client is still sending, the server reads little more than the cap, closes, and stays up', async () => {
    const sockets: Socket[] = [];
    let ran = false;
    const s = await start(
      {
        '/hook': {
          POST: () => {
            ran = true;
          },
        },
        '/healthz': { GET: ok },
      },
      { maxBody: 64 * 1024 },
    );
    s.server.on('connection', (socket: Socket) => sockets.push(socket));
    const total = 50 * 1024 * 1024;
    const sent = await streamBody(`${s.url}/hook`, total);
    expect(sent.status).toBe(413);
    expect(sent.writtenAtAnswer).toBeLessThan(total);
    expect(sent.finished).toBe(false); // the server closed the connection before the body was all sent
    expect(ran).toBe(false);
    const read = sockets[0]?.bytesRead ?? Number.POSITIVE_INFINITY;
    expect(read).toBeLessThan(64 * 1024 + 4 * 1024 * 1024); // the cap plus what one read and the buffers hold
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
  });
});

describe('startHttpServer: slow clients', () => {
  it('GIVEN a client that never finishes its headers THEN it gets 408 and the connection closes after headersTimeout', async () => {
    const s = await start(
      { '/healthz': { GET: ok } },
      { headersTimeoutMs: 200, requestTimeoutMs: 400, timeoutCheckMs: 20 },
    );
    const { port } = new URL(s.url);
    const socket = connect(Number(port), '127.0.0.1');
    await once(socket, 'connect');
    socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n'); // … and never the blank line
    let answer = '';
    socket.setEncoding('utf8').on('data', (d: string) => {
      answer += d;
    });
    await once(socket, 'close');
    expect(answer).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
  });

  it('GIVEN a client that sends its body slowly THEN it is cut off with 408 after requestTimeout', async () => {
    const s = await start(
      {
        '/hook': {
          POST: async (req: IncomingMessage, res) => {
            await readBody(req);
            res.end();
          },
        },
      },
      { headersTimeoutMs: 200, requestTimeoutMs: 300, timeoutCheckMs: 20 },
    );
    const { port } = new URL(s.url);
    const socket = connect(Number(port), '127.0.0.1');
    await once(socket, 'connect');
    socket.write('POST /hook HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc');
    let answer = '';
    socket.setEncoding('utf8').on('data', (d: string) => {
      answer += d;
    });
    await once(socket, 'close');
    expect(answer).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
  });
});

describe('startHttpServer: Expect: 100-continue', () => {
  it('GIVEN Expect: 100-continue with a Content-Length over the cap THEN 413 and no 100 Continue', async () => {
    const s = await start({ '/hook': { POST: ok } });
    const answer = await sendRaw(
      s.url,
      'POST /hook HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 104857600\r\n\r\n',
    );
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
  });

  it('GIVEN Expect: 100-continue with a small body THEN 100 Continue, then the answer', async () => {
    const s = await start({ '/hook': { POST: ok } });
    const answer = await sendRaw(
      s.url,
      'POST /hook HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nConnection: close\r\nContent-Length: 3\r\n\r\nabc',
    );
    expect(answer).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200 OK\r\n/);
  });
});

describe('startHttpServer: prefix routes', () => {
  const named =
    (name: string): Handler =>
    (req, res) =>
      void res.writeHead(200, { 'content-type': 'text/plain' }).end(`${name} ${req.url}`);

  it('GIVEN a key ending in /* THEN it serves that path and every path under it, not a sibling that shares its letters', async () => {
    const s = await start({ '/scim/v2/*': { GET: named('scim') }, '/healthz': { GET: ok } });
    for (const path of ['/scim/v2', '/scim/v2/', '/scim/v2/Users', '/scim/v2/Users/42?x=1']) {
      const res = await fetch(`${s.url}${path}`);
      expect(res.status, path).toBe(200);
      expect(await res.text()).toBe(`scim ${path}`);
    }
    for (const path of ['/scim/v2x', '/scim', '/scim/v1/Users', '/']) {
      expect((await fetch(`${s.url}${path}`)).status, path).toBe(404);
    }
  });

  it('GIVEN an exact key and prefix keys that overlap THEN the exact key wins, then the longest prefix', async () => {
    const s = await start({
      '/a/*': { GET: named('a') },
      '/a/b/*': { GET: named('ab') },
      '/a/b/c': { GET: named('exact') },
    });
    const text = async (path: string) => (await fetch(`${s.url}${path}`)).text();
    expect(await text('/a/b/c')).toBe('exact /a/b/c');
    expect(await text('/a/b/c/d')).toBe('ab /a/b/c/d');
    expect(await text('/a/b')).toBe('ab /a/b');
    expect(await text('/a/x')).toBe('a /a/x');
  });

  it('GIVEN a prefix route that declares its methods THEN other methods get 405 with Allow, and its bodies are capped like any route', async () => {
    let ran = false;
    const s = await start(
      {
        '/hooks/*': {
          POST: async (req, res) => {
            ran = true;
            res.writeHead(200).end(String((await readBody(req))?.length));
          },
        },
      },
      { maxBody: 1024 },
    );
    const wrong = await fetch(`${s.url}/hooks/okta`, { method: 'PUT' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
    const small = await fetch(`${s.url}/hooks/okta`, { method: 'POST', body: 'x'.repeat(1024) });
    expect(await small.text()).toBe('1024');
    ran = false;
    const big = await fetch(`${s.url}/hooks/okta`, { method: 'POST', body: 'x'.repeat(1025) });
    expect(big.status).toBe(413);
    expect(ran).toBe(false);
  });

  it('GIVEN a catch-all /* THEN it answers what no other route does', async () => {
    const s = await start({ '/*': { GET: named('any') }, '/healthz': { GET: ok } });
    expect(await (await fetch(`${s.url}/healthz`)).text()).toBe('ok');
    expect(await (await fetch(`${s.url}/what/ever`)).text()).toBe('any /what/ever');
  });
});

describe('startHttpServer: close', () => {
  it('GIVEN an event stream open (live progress) WHEN the server closes THEN the stream ends and close resolves', async () => {
    const s = await start({
      '/events': {
        GET: (_req, res) =>
          new Promise<void>((resolve) => {
            markEventStream(res);
            res.writeHead(200, { 'content-type': 'text/event-stream' }).write(': open\n\n');
            res.once('close', resolve); // a stream stays open until someone ends it
          }),
      },
    });
    const answer = await fetch(`${s.url}/events`);
    const reader = answer.body?.getReader();
    expect(new TextDecoder().decode((await reader?.read())?.value)).toBe(': open\n\n');
    const rest = reader?.read();
    await s.close();
    server = undefined;
    expect((await rest)?.done).toBe(true);
  });
});
