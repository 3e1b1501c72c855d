import type { IncomingMessage } from 'node:http';
import { readBody } from '../http/server.js';

/** What the admin page reads off a request: cookies, where it was reached, whether it came from itself, its form. */

/** The largest form the admin page reads (its forms hold a token, a note, a few fields). */
export const MAX_FORM = 32 * 1024;

/** A cookie's value by name (the first one, as browsers send the most specific path first). */
export function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}

/** Whether the page was reached over https: KICKBOT_PUBLIC_URL says so, or the proxy in front does. */
export function overHttps(req: IncomingMessage, publicUrl: string | undefined): boolean {
  if (publicUrl?.startsWith('https:')) return true;
  return (
    String(req.headers['x-forwarded-proto'] ?? '')
      .split(',')[0]
      ?.trim() === 'https'
  );
}

/** `host[:port]` as a Host header may hold it; anything else is not used to build a URL. */
const HOST = /^(\[[0-9a-f:.]+\]|[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?)(:\d{1,5})?$/i;

/** The origin the request was sent to (its Host, and https when the proxy says so), if Host is a host. */
export function ownOrigin(req: IncomingMessage): string | undefined {
  const host = req.headers.host;
  if (!host || !HOST.test(host)) return undefined;
  return `${overHttps(req, undefined) ? 'https' : 'http'}://${host.toLowerCase()}`;
}

/**
 * Why a state-changing request is refused as cross-site, or undefined when it may go on: a browser's
 * `Sec-Fetch-Site`, when sent, must say the page itself (or the user) made it; an `Origin`, when sent, must be
 * this deployment's: KICKBOT_PUBLIC_URL's, or the host the request was sent to (either scheme: a TLS proxy that
 * does not say `x-forwarded-proto` still sends the browser's https Origin).
 */
export function crossSite(req: IncomingMessage, publicUrl: string | undefined): string | undefined {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none')
    return `the request came from another site (Sec-Fetch-Site: ${site})`;
  const origin = req.headers.origin?.toLowerCase();
  if (origin === undefined) return undefined;
  const host = req.headers.host?.toLowerCase();
  const allowed = [
    ...(publicUrl ? [new URL(publicUrl).origin] : []),
    ...(host && HOST.test(host) ? [`http://${host}`, `https://${host}`] : []),
  ];
  return allowed.includes(origin) ? undefined : 'the request came from another origin';
}

export type FormRead =
  | { ok: true; form: URLSearchParams }
  | { ok: false; status: 413 | 415; message: string };

/** A POST's fields: only `application/x-www-form-urlencoded` (what an HTML form sends), at most MAX_FORM bytes. */
export async function readForm(req: IncomingMessage): Promise<FormRead> {
  const type = String(req.headers['content-type'] ?? '')
    .split(';')[0]
    ?.trim()
    .toLowerCase();
  if (type !== 'application/x-www-form-urlencoded')
    return {
      ok: false,
      status: 415,
      message: `the admin page takes HTML forms (application/x-www-form-urlencoded), not ${type ? JSON.stringify(type) : 'a body without a content type'}`,
    };
  const body = await readBody(req, MAX_FORM);
  if (body === undefined)
    return { ok: false, status: 413, message: `the form is larger than ${MAX_FORM / 1024} kB` };
  return { ok: true, form: new URLSearchParams(body.toString('utf8')) };
}

/**
 * Where to go after signing in: `next` when it is a path of the admin page on this site (`/admin…`, no
 * scheme, no host, no `//` or `\` tricks, no control characters), else the overview.
 */
export function localNext(next: string | null | undefined): string {
  if (!next || next.length > 2_000 || /[\\\s]/.test(next) || hasControl(next)) return '/admin';
  if (!/^\/admin(?:[/?#]|$)/.test(next)) return '/admin';
  const url = new URL(next, 'http://kickbot.invalid');
  if (url.origin !== 'http://kickbot.invalid' || !/^\/admin(\/|$)/.test(url.pathname)) return '/admin';
  if (url.pathname.startsWith('/admin/sign-')) return '/admin';
  return `${url.pathname}${url.search}`;
}

const CONTROL = new RegExp(
  `[${String.fromCharCode(0)}-${String.fromCharCode(31)}${String.fromCharCode(127)}]`,
);

export function hasControl(text: string): boolean {
  return CONTROL.test(text);
}
