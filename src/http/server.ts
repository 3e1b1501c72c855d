import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo, Socket } from 'node:net';
import { type Logger, silentLogger } from '../core/index.js';

export type Handler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
export type Method = (typeof METHODS)[number];

/**
 * A route: its handler per method (any other method is answered 405 with `Allow`), or one bare handler that
 * answers every method itself (kickbot's own routes all declare their methods).
 */
export type Route = Handler | Partial<Record<Method, Handler>>;

/** The largest request body any route reads (Slack's and Discord's payloads are a few kB). */
export const MAX_BODY = 1024 * 1024;

export interface HttpServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

export interface HttpServerOptions {
  port: number;
  host: string;
  /** By exact path; a key ending in `/*` serves that prefix and every path under it (an exact key wins, then the longest prefix). */
  routes: Record<string, Route>;
  /** Where a handler's failure is logged, with the reference its 500 answer names. */
  logger?: Logger;
  /** Body cap in bytes (default MAX_BODY): past it the answer is 413 and the rest is not read. */
  maxBody?: number;
  /** A client has this long to send its headers (default 20 s; Node's own is 60 s). */
  headersTimeoutMs?: number;
  /** …and this long to send the whole request (default 30 s; Node's own is 300 s). Then 408. */
  requestTimeoutMs?: number;
  /** How often those two are checked (default 1 s; Node's own is 30 s). */
  timeoutCheckMs?: number;
}

/** Answers that stay open (server-sent events): ended when the server closes, which would otherwise wait for them. */
const eventStreams = new WeakSet<ServerResponse>();

/** Marks an answer as an event stream that the server ends when it closes. */
export function markEventStream(res: ServerResponse): void {
  eventStreams.add(res);
}

/** Bodies the server has read (within the cap) before calling a route's handler. */
const bodies = new WeakMap<IncomingMessage, Buffer>();

/**
 * The request body, or undefined when it is larger than `max` bytes. Behind `startHttpServer` the body has
 * already been read (and a larger one answered 413); elsewhere it is read here, and no further than `max`.
 */
export async function readBody(req: IncomingMessage, max: number = MAX_BODY): Promise<Buffer | undefined> {
  const read = bodies.get(req) ?? (await readCapped(req, max));
  return read === undefined || read === 'aborted' || read.length > max ? undefined : read;
}

/**
 * Reads the body while counting: past `max` bytes it stops reading (the socket is left paused, so the rest
 * stays on the wire) and resolves undefined; a client that goes away resolves 'aborted'.
 */
function readCapped(req: IncomingMessage, max: number): Promise<Buffer | undefined | 'aborted'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (value: Buffer | undefined | 'aborted') => {
      req.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
      resolve(value);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= max) return void chunks.push(chunk);
      req.pause();
      done(undefined);
    };
    const onEnd = () => done(Buffer.concat(chunks, size));
    const onError = (error: Error) => {
      req.off('data', onData).off('end', onEnd).off('close', onClose);
      if (req.destroyed) resolve('aborted');
      else reject(error);
    };
    const onClose = () => done(req.complete ? Buffer.concat(chunks, size) : 'aborted');
    req.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  });
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** How long a refused connection stays half-open, unread, before it is closed (Go's net/http waits 500 ms). */
const LINGER_MS = 1_000;

/**
 * An answer before the body was read (or after a failure): the connection closes and the rest of the body is
 * never read. Closing a socket with unread data sends a reset, which can make the client drop the answer
 * before reading it; so, as Go's net/http does (closeWriteAndWait), only the sending side closes at once
 * and the socket is destroyed a moment later, still unread.
 */
function refuse(
  req: IncomingMessage,
  res: ServerResponse,
  answer: { status: number; body: unknown },
  lingering: Set<Socket>,
): void {
  res.setHeader('connection', 'close');
  const socket = req.socket;
  if (socket instanceof Socket) {
    // Node ends a `connection: close` answer with destroySoon(); with a body still coming, this socket lingers.
    const close = socket.destroySoon.bind(socket);
    socket.destroySoon = () => {
      if (req.complete) return close();
      socket.end();
      lingering.add(socket);
      const timer = setTimeout(() => socket.destroy(), LINGER_MS);
      socket.once('close', () => {
        clearTimeout(timer);
        lingering.delete(socket);
      });
    };
  }
  sendJson(res, answer.status, answer.body);
}

/**
 * kickbot's one HTTP port (DESIGN §8). A route's handler is found by path (exact, else the longest `/*` prefix
 * route, else 404) and method (else
 * 405 with `Allow`, RFC 9110 §15.5.6); the body is read first, capped while streaming (413 past the cap); and
 * one error boundary turns whatever a handler throws, at once or later, into a 500 naming a reference that
 * the log line carries too. No request can stop the process.
 */
export async function startHttpServer(opts: HttpServerOptions): Promise<HttpServer> {
  const logger = opts.logger ?? silentLogger;
  const max = opts.maxBody ?? MAX_BODY;
  const server = createServer({
    headersTimeout: opts.headersTimeoutMs ?? 20_000,
    requestTimeout: opts.requestTimeoutMs ?? 30_000,
    connectionsCheckingInterval: opts.timeoutCheckMs ?? 1_000,
  });
  const lingering = new Set<Socket>();
  /** Answers in progress: on close, the event streams among them end. */
  const answering = new Set<ServerResponse>();
  const no = (req: IncomingMessage, res: ServerResponse, status: number, body: unknown) =>
    refuse(req, res, { status, body }, lingering);
  /** 413 Content Too Large (RFC 9110 §15.5.14). */
  const tooLarge = (req: IncomingMessage, res: ServerResponse, path: string) => {
    logger.info({ method: req.method, path, max }, 'http: request body over the cap refused');
    no(req, res, 413, { error: `the request body is larger than ${sizeLabel(max)}` });
  };

  const fail = (req: IncomingMessage, res: ServerResponse, path: string, error: unknown) => {
    const ref = randomUUID().slice(0, 8);
    logger.error({ err: error, ref, method: req.method, path }, 'http: request failed');
    if (res.writableEnded) return;
    if (res.headersSent) return void res.destroy();
    no(req, res, 500, { error: `kickbot could not answer this request (reference ${ref})`, ref });
  };

  const dispatch = async (req: IncomingMessage, res: ServerResponse, path: string): Promise<void> => {
    const route = findRoute(opts.routes, path);
    if (!route) return no(req, res, 404, { error: `no such path: ${path}` });
    const handler = typeof route === 'function' ? route : route[req.method as Method];
    if (!handler) {
      const allow = METHODS.filter((m) => typeof route !== 'function' && route[m]).join(', ');
      res.setHeader('allow', allow);
      return no(req, res, 405, { error: `${req.method} is not allowed here; use ${allow}` });
    }
    const declared = Number(req.headers['content-length']);
    if (declared > max) return tooLarge(req, res, path);
    const body = await readCapped(req, max);
    if (body === 'aborted') return;
    if (body === undefined) return tooLarge(req, res, path);
    bodies.set(req, body);
    answering.add(res);
    res.once('close', () => answering.delete(res));
    await handler(req, res);
  };

  // `Expect: 100-continue` with a body over the cap: 413 without asking for the body (RFC 9110 §10.1.1).
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    if (!(Number(req.headers['content-length']) > max)) res.writeContinue();
    server.emit('request', req, res);
  });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    let path = '/';
    try {
      path = new URL(req.url ?? '/', 'http://kickbot').pathname;
      dispatch(req, res, path).catch((error: unknown) => fail(req, res, path, error));
    } catch (error) {
      fail(req, res, path, error);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => logger.error({ err: error }, 'http: server error'));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        for (const socket of lingering) socket.destroy();
        for (const res of answering) if (eventStreams.has(res)) res.end(() => res.socket?.destroy());
      }),
  };
}

/**
 * The route for `path`: its exact key, else the longest `<prefix>/*` key whose prefix is the path or a parent of it
 * (`/scim/v2/*` serves `/scim/v2` and `/scim/v2/Users/1`, not `/scim/v2x`).
 */
export function findRoute(routes: Record<string, Route>, path: string): Route | undefined {
  if (Object.hasOwn(routes, path)) return routes[path];
  for (let end = path.length; end > 0; end = path.lastIndexOf('/', end - 1)) {
    const key = `${path.slice(0, end)}/*`;
    if (Object.hasOwn(routes, key)) return routes[key];
  }
  return Object.hasOwn(routes, '/*') ? routes['/*'] : undefined;
}

/** `/healthz`: 200 when every part kickbot needs answers, 503 with what does not. */
export function healthRoute(health: () => Promise<{ ok: boolean } & Record<string, unknown>>): Handler {
  return async (_req, res) => {
    const h = await health();
    sendJson(res, h.ok ? 200 : 503, { status: h.ok ? 'ok' : 'degraded', ...h });
  };
}

/** `1 MB` for 1,048,576 bytes; other caps in bytes. */
function sizeLabel(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MB` : `${bytes.toLocaleString('en')} bytes`;
}
