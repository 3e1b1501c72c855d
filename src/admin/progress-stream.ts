import { markEventStream } from '../http/server.js';
import type { AdminHandler, AdminView } from './app.js';
import { ADMIN_HEADERS } from './app.js';
import { caseTarget } from './case-common.js';
import { progressText } from './progress-text.js';

/**
 * `/admin/batches/:ws/:id/events`: a running batch's progress as server-sent events. An event `progress` each
 * time it changes (settled pairs, by outcome), a comment every `heartbeatMs` so that proxies keep the line open,
 * and a `done` event once the case stops running, after which the stream ends. Bounded: at most `maxStreams`
 * open in this process (503 past it), each closed after `lifetimeMs` (EventSource reconnects by itself), and
 * the store read at most every `pollMs` per stream (one marker and the case's records per read).
 */

export interface StreamSettings {
  maxStreams: number;
  pollMs: number;
  heartbeatMs: number;
  lifetimeMs: number;
}

export const STREAM_DEFAULTS: StreamSettings = {
  maxStreams: 20,
  pollMs: 500,
  heartbeatMs: 15_000,
  lifetimeMs: 10 * 60_000,
};

export function progressEvents(settings: StreamSettings): AdminHandler {
  let open = 0;
  return async (view: AdminView) => {
    const target = caseTarget(view, '/admin/batches');
    if (!target) return;
    const { res } = view;
    const reads = view.deps.runtime.core.cases;
    if (!(await reads.story(target.workspace, target.caseId))) {
      res
        .writeHead(404, { ...ADMIN_HEADERS, 'content-type': 'text/plain; charset=utf-8' })
        .end('No such case.\n');
      return;
    }
    if (open >= settings.maxStreams) {
      res
        .writeHead(503, {
          ...ADMIN_HEADERS,
          'content-type': 'text/plain; charset=utf-8',
          'retry-after': '30',
        })
        .end(
          'Too many live progress streams are open; the page shows the numbers at load. Try again shortly.\n',
        );
      return;
    }
    open++;
    markEventStream(res);
    res.writeHead(200, {
      ...ADMIN_HEADERS,
      'content-type': 'text/event-stream; charset=utf-8',
      'x-accel-buffering': 'no',
    });
    res.write('retry: 3000\n\n');
    let closed = false;
    let wake: (() => void) | undefined;
    const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), settings.heartbeatMs);
    const lifetime = setTimeout(() => stop(), settings.lifetimeMs);
    const stop = () => {
      if (closed) return;
      closed = true;
      open--;
      clearInterval(heartbeat);
      clearTimeout(lifetime);
      wake?.();
      res.end();
    };
    res.on('close', stop);
    const send = (event: string, data: object) =>
      res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    let last = '';
    while (!closed) {
      try {
        const progress = await reads.progress(target.workspace, target.caseId);
        const data = { ...progress, text: progressText(progress) };
        if (closed) break;
        if (!progress.running) {
          send('done', data);
          stop();
          break;
        }
        const json = JSON.stringify(data);
        if (json !== last) send('progress', data);
        last = json;
      } catch (error) {
        // The store away for a moment: the stream stays, and the next read tries again.
        view.deps.logger.warn({ err: error }, 'batch progress not read');
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, settings.pollMs).unref();
      });
    }
  };
}
