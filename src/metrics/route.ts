import type { Logger } from '../core/index.js';
import { type Handler, type HttpServer, type Route, startHttpServer } from '../http/server.js';
import type { PromMetrics } from './prometheus.js';

/** `GET /metrics` (and HEAD): the Prometheus text of this process. Any other method is a 405 (the server's). */
export function metricsRoute(prom: PromMetrics): Route {
  const handler: Handler = async (_req, res) => {
    const { contentType, body } = await prom.scrape();
    res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' });
    res.end(body);
  };
  return { GET: handler, HEAD: handler };
}

/**
 * `/metrics` on a port of its own (METRICS_PORT), so that it can stay off the public port; `/healthz` beside it, so
 * that a process without a public port (`kickbot worker`) has a health check too.
 */
export function startMetricsServer(
  prom: PromMetrics,
  opts: { port: number; host: string; logger: Logger; health: Route },
): Promise<HttpServer> {
  const { health, ...server } = opts;
  return startHttpServer({ ...server, routes: { '/metrics': metricsRoute(prom), '/healthz': health } });
}
