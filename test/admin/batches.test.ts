import { afterEach, describe, expect, it } from 'vitest';
import type { StreamSettings } from '../../src/admin/progress-stream.js';
import { FakeClock } from '../helpers/clock.js';
import { type GatedAdmin, startGatedAdmin } from '../helpers/gated-runtime.js';
import { bulkWorkspace, kickAll } from '../helpers/jobs.js';
import { waitFor } from '../helpers/wait.js';

let rig: GatedAdmin | undefined;
afterEach(async () => {
  rig?.connector.release(1_000);
  await rig?.close();
  rig = undefined;
});

const USERS = 12;
const EVENTS = '/admin/batches/console%3Abulk/1/events';

/** Case 1: mo kicks 12 users from #r00, every removal held at the gate until the test lets it through. */
async function gatedBatch(streams: Partial<StreamSettings> = {}, clock?: FakeClock) {
  const r = await startGatedAdmin(bulkWorkspace({ name: 'bulk', users: USERS, rooms: 1 }), {
    streams,
    ...(clock ? { clock } : {}),
  });
  r.connector.gated = true;
  const run = r.run('mo', 'r00', kickAll(USERS, 1));
  await waitFor('removals at the gate', () => (r.connector.waiting > 0 ? true : undefined));
  return { r, run };
}

/** A server-sent events body, one block at a time: its event name, data (parsed) and comment lines. */
async function* blocks(res: Response): AsyncGenerator<Block> {
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    yield* parse();
  } finally {
    await reader.cancel(); // the test is done with it: the connection closes
  }
  async function* parse(): AsyncGenerator<Block> {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        const lines = buffer.slice(0, end).split('\n');
        buffer = buffer.slice(end + 2);
        end = buffer.indexOf('\n\n');
        const field = (name: string) => lines.find((l) => l.startsWith(`${name}: `))?.slice(name.length + 2);
        const data = field('data');
        yield {
          event: field('event'),
          data:
            data === undefined
              ? undefined
              : (JSON.parse(data) as { settled: number; total?: number; text: string }),
          comment: lines.some((l) => l.startsWith(':')),
        };
      }
    }
  }
}

type Block = { event?: string; data?: { settled: number; total?: number; text: string }; comment: boolean };

/** The next block that is an event (comments skipped); undefined once the stream has ended. */
async function nextEvent(stream: AsyncGenerator<Block>) {
  for (;;) {
    const { value, done } = await stream.next();
    if (done) return undefined;
    if (value.event) return value as Required<Pick<Block, 'event' | 'data'>>;
  }
}

describe('GIVEN a running batch on the admin page', () => {
  it('THEN /admin/batches lists it with its progress at load, a Refresh link, the script and a Cancel form', async () => {
    const { r, run } = await gatedBatch();
    rig = r;
    const html = await (await r.get('/admin/batches')).text;
    expect(html).toContain('<a href="/admin/cases/console%3Abulk/1">Case 1</a>');
    expect(html).toContain(`0 of ${USERS} pairs settled`);
    expect(html).toContain(`<progress max="${USERS}" value="0"`);
    expect(html).toContain(`data-events="${EVENTS}"`);
    expect(html).toContain('<script src="/admin/assets/progress.js" defer');
    expect(html).toContain('<a href="/admin/batches">Refresh</a>');
    expect(html).toContain('action="/admin/batches/console%3Abulk/1/cancel"');
    const script = await r.get('/admin/assets/progress.js');
    expect(script.headers.get('content-type')).toContain('text/javascript');
    expect(script.text).toContain("new EventSource(box.getAttribute('data-events'))");
    r.connector.release(USERS);
    await run;
    expect(await (await r.get('/admin/batches')).text).toContain('No batch is running.');
  });

  it('WHEN Cancel is posted THEN the core cancels it as the admin page: pairs not started end cancelled', async () => {
    const clock = new FakeClock();
    const { r, run } = await gatedBatch({}, clock);
    rig = r;
    const key = 'c'.repeat(32);
    const res = await r.post('/admin/batches/console%3Abulk/1/cancel', { key });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/admin/batches?reply=${key}`);
    expect(await (await r.get(res.headers.get('location') as string)).text).toContain(
      'Cancelling case 1: pairs not yet started will end cancelled',
    );
    clock.advance(1_000); // past the executor's cancel check interval: it reads the case again
    r.connector.release(USERS);
    const reply = await run;
    expect(
      reply.kind === 'result' && reply.results.filter((p) => p.outcome === 'cancelled').length,
    ).toBeGreaterThan(0);
    const events = await r.store.readCaseEvents(r.workspace, 1);
    expect(events.find((e) => e.kind === 'cancel')).toMatchObject({ by: 'admin:web' });
    // Once finished, a cancel is a message, not an error.
    const again = await r.post('/admin/batches/console%3Abulk/1/cancel', { key: 'd'.repeat(32) });
    expect(await (await r.get(again.headers.get('location') as string)).text).toContain(
      'Case 1 has finished; nothing to cancel.',
    );
  });

  it('WHEN Cancel is posted without the CSRF token, or by nobody signed in THEN 403 and the batch runs on', async () => {
    const { r, run } = await gatedBatch();
    rig = r;
    const cancel = '/admin/batches/console%3Abulk/1/cancel';
    const refused = [
      await r.client.post(cancel, { key: 'c'.repeat(32) }),
      await r.client.post(cancel, { csrf: 'x'.repeat(43), key: 'c'.repeat(32) }),
      await r.rig.client().post(cancel, { csrf: await r.client.csrf(), key: 'c'.repeat(32) }),
    ];
    expect(refused.map((a) => a.status)).toEqual([403, 403, 403]);
    const events = r.rig.client();
    const unsigned = await events.get(EVENTS);
    expect(unsigned.status).toBe(303);
    expect(unsigned.headers.get('location')).toBe(`/admin/sign-in?next=${encodeURIComponent(EVENTS)}`);
    r.connector.release(USERS);
    const reply = await run;
    expect(reply.kind === 'result' && reply.results.every((p) => p.outcome === 'removed')).toBe(true);
    expect((await r.store.readCaseEvents(r.workspace, 1)).some((e) => e.kind === 'cancel')).toBe(false);
  });

  it('WHEN its events are followed THEN an event comes as pairs settle, and `done` ends the stream', async () => {
    const { r, run } = await gatedBatch({ pollMs: 20 });
    rig = r;
    const res = await r.client.fetch(EVENTS);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const stream = blocks(res);
    const first = await nextEvent(stream);
    expect(first).toMatchObject({ event: 'progress', data: { settled: 0, total: USERS } });
    r.connector.release(1);
    const second = await nextEvent(stream);
    expect(second?.event).toBe('progress');
    expect(second?.data.settled).toBeGreaterThanOrEqual(1);
    expect(second?.data.text).toMatch(new RegExp(`^\\d+ of ${USERS} pairs settled · removed \\d+$`));
    r.connector.release(USERS);
    await run;
    let last = second;
    for (let e = await nextEvent(stream); e; e = await nextEvent(stream)) last = e;
    expect(last).toMatchObject({
      event: 'done',
      data: { settled: USERS, text: `Finished: ${USERS} pairs settled · removed ${USERS}` },
    });
  });

  it('THEN a heartbeat comment comes while nothing changes', async () => {
    const { r } = await gatedBatch({ heartbeatMs: 30 });
    rig = r;
    const stream = blocks(await r.client.fetch(EVENTS));
    for (;;) {
      const { value } = await stream.next();
      if (value?.comment) break;
    }
    await stream.return(undefined);
  });

  it('THEN a stream ends after its lifetime (EventSource reconnects) without a `done`', async () => {
    const { r } = await gatedBatch({ lifetimeMs: 100 });
    rig = r;
    const seen: string[] = [];
    for await (const b of blocks(await r.client.fetch(EVENTS))) if (b.event) seen.push(b.event);
    expect(seen).toEqual(['progress']);
  });

  it('THEN past the cap of open streams the next is 503 with Retry-After, and a closed one frees its place', async () => {
    const { r } = await gatedBatch({ maxStreams: 1 });
    rig = r;
    const ctl = new AbortController();
    const first = await r.client.fetch(EVENTS, { signal: ctl.signal });
    expect(first.status).toBe(200);
    const second = await r.get(EVENTS);
    expect(second.status).toBe(503);
    expect(second.headers.get('retry-after')).toBe('30');
    ctl.abort();
    await waitFor('the place freed', async () => {
      const res = await r.client.fetch(EVENTS);
      if (res.status !== 200) return void (await res.body?.cancel());
      for await (const _ of blocks(res)) break; // its first block, then the stream is closed
      return true;
    });
  });

  it('WHEN the case is not running THEN the stream says `done` at once', async () => {
    const { r, run } = await gatedBatch();
    rig = r;
    r.connector.release(USERS);
    await run;
    const seen = [];
    for await (const b of blocks(await r.client.fetch(EVENTS))) if (b.event) seen.push(b.event);
    expect(seen).toEqual(['done']);
  });

  it.each(['/admin/batches/x/abc/events', '/admin/batches/console%3Abulk/0/events'])(
    'WHEN %s THEN 404',
    async (path) => {
      const { r } = await gatedBatch();
      rig = r;
      expect((await r.get(path)).status).toBe(404);
    },
  );
});
