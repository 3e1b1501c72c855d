import type { IncomingMessage, ServerResponse } from 'node:http';
import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import type { Env } from '../cli/env.js';
import type { Runtime } from '../cli/runtime.js';
import type { Logger } from '../core/index.js';

/**
 * The admin page (`KICKBOT_ADMIN_TOKEN`, `/admin`): server-rendered HTML from Preact components
 * (preact-render-to-string escapes every value), one small stylesheet, forms that work without JavaScript, and a
 * few lines of script only where a page is live (a batch's progress).
 */

export interface AdminDeps {
  /** What `kickbot serve` runs: core, store, fronts, config, health. */
  runtime: Runtime;
  env: Env;
  /** The token an operator signs in with (KICKBOT_ADMIN_TOKEN). */
  token: string;
  /** This deployment's public base URL (KICKBOT_PUBLIC_URL), else the address the page was reached at. */
  publicUrl?: string;
  logger: Logger;
  /** Milliseconds since the epoch (tests set it). */
  now?: () => number;
}

/** One request to a signed-in page. */
export interface AdminView {
  deps: AdminDeps;
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** The pattern's `:name` parts, decoded. */
  params: Record<string, string>;
  /** The session's CSRF token: every form that changes something carries it as the field `csrf`. */
  csrf: string;
  /** A POST's form fields (application/x-www-form-urlencoded), already checked for the CSRF token. */
  form: URLSearchParams;
}

export type AdminHandler = (view: AdminView) => Promise<void>;

/** A signed-in page: its path pattern (`/admin/cases/:id`) and its methods. */
export interface AdminPage {
  pattern: string;
  GET?: AdminHandler;
  POST?: AdminHandler;
}

/** A static file under `/admin/assets/` (a stylesheet, a page's script), kept in a module as a string. */
export interface AdminAsset {
  type: 'text/css' | 'text/javascript';
  body: string;
}

/** Security headers every admin answer carries: no framing, no sniffing, scripts and styles only from here. */
export const ADMIN_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
  'cache-control': 'no-store',
};

/** Answers a rendered page. */
export function sendHtml(res: ServerResponse, status: number, page: VNode): void {
  res.writeHead(status, { ...ADMIN_HEADERS, 'content-type': 'text/html; charset=utf-8' });
  res.end(`<!doctype html>${renderToString(page)}`);
}

/** A redirect after a form (303: the browser follows with GET). */
export function seeOther(res: ServerResponse, location: string): void {
  res.writeHead(303, { ...ADMIN_HEADERS, location }).end();
}
