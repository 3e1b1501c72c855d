import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Handler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface HttpServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

/** The request body, or undefined when it is larger than `max` bytes (the rest is not read). */
export async function readBody(req: IncomingMessage, max: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > max) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/**
 * kickbot's one HTTP port (DESIGN §8): `/healthz` here, the platforms' endpoints as they are added. A route's
 * handler is found by exact path; anything else is a 404.
 */
export async function startHttpServer(opts: {
  port: number;
  host: string;
  routes: Record<string, Handler>;
}): Promise<HttpServer> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://kickbot').pathname;
    const handler = opts.routes[path];
    if (!handler) return sendJson(res, 404, { error: 'not found' });
    Promise.resolve(handler(req, res)).catch(() => {
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** `/healthz`: 200 when every part kickbot needs answers, 503 with what does not. */
export function healthRoute(health: () => Promise<{ ok: boolean } & Record<string, unknown>>): Handler {
  return async (_req, res) => {
    const h = await health();
    sendJson(res, h.ok ? 200 : 503, { status: h.ok ? 'ok' : 'degraded', ...h });
  };
}
