import type { IncomingMessage, RequestListener } from 'node:http';
import { type Handler, readBody, sendJson } from '../../http/server.js';

/** Slack's window for `x-slack-request-timestamp`, both ways (Slack: "more than five minutes from local time"). */
export const SLACK_MAX_SKEW_S = 5 * 60;

/**
 * What runs before Bolt's HTTPReceiver sees a request to `/slack/events`: the body is read within kickbot's
 * cap (Bolt's own reader would read any size), a timestamp more than five minutes off in either direction is
 * refused with 401 (Bolt refuses only old ones, so a signed request from the future would be accepted), and
 * Bolt gets the buffered body as `rawBody`, which its HTTPModuleFunctions use instead of reading the stream.
 */
export function slackEventsGuard(listener: RequestListener, now: () => number = Date.now): Handler {
  return async (req, res) => {
    const body = await readBody(req);
    if (!body) return sendJson(res, 413, { error: 'the request body is too large' });
    const stamp = req.headers['x-slack-request-timestamp'];
    // Without the header Bolt refuses the request itself (or answers Slack's unsigned ssl_check).
    if (stamp !== undefined && !withinWindow(stamp, now())) return void res.writeHead(401).end();
    (req as IncomingMessage & { rawBody?: Buffer }).rawBody = body;
    listener(req, res);
  };
}

function withinWindow(stamp: string | string[], nowMs: number): boolean {
  if (typeof stamp !== 'string' || !/^\d{1,12}$/.test(stamp)) return false;
  return Math.abs(nowMs / 1000 - Number(stamp)) <= SLACK_MAX_SKEW_S;
}
