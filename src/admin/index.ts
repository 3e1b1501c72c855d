import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { StoreUnavailableError } from '../core/index.js';
import type { Handler, Route } from '../http/server.js';
import { ADMIN_HEADERS, type AdminAsset, type AdminDeps, type AdminPage, seeOther } from './app.js';
import { createAuth, type SignedIn } from './auth.js';
import { sameSecret } from './auth-crypto.js';
import { caseAssets, casePages } from './case-pages.js';
import { forbidden, methodNotAllowed, notAForm, sendProblem } from './problem.js';
import { crossSite, readForm } from './request.js';
import { pageRouter } from './router.js';
import { shellAssets, shellPages } from './shell-pages.js';

/**
 * The routes of the admin page on kickbot's HTTP port: `/admin` and everything under it, all through one handler
 * that answers every method itself (so that every answer, 404 and 405 included, is a page with ADMIN_HEADERS).
 * Assets and the sign-in form are open; every other page needs a session, and every POST its CSRF token and a
 * same-origin request.
 */
export function adminRoutes(deps: AdminDeps): Record<string, Route> {
  return adminRoutesOf(deps, [...shellPages, ...casePages], { ...shellAssets, ...caseAssets });
}

/** The same routes on any pages and assets (tests mount a page of their own). */
export function adminRoutesOf(
  deps: AdminDeps,
  pages: AdminPage[],
  assets: Record<string, AdminAsset>,
): Record<string, Route> {
  const handler = adminHandler(deps, pages, assets);
  return { '/admin': handler, '/admin/*': handler };
}

const READ = ['GET', 'HEAD'];

function adminHandler(deps: AdminDeps, pages: AdminPage[], assets: Record<string, AdminAsset>): Handler {
  const auth = createAuth(deps);
  const route = pageRouter(pages);

  /** A signed-in POST's form, or undefined once the request is answered with why not. */
  const guardPost = async (req: IncomingMessage, res: ServerResponse, who: SignedIn) => {
    const refused = crossSite(req, deps.publicUrl);
    if (refused) return void forbidden(res, `${refused}.`, who.csrf);
    const read = await readForm(req);
    if (!read.ok) return void notAForm(res, read);
    if (!sameSecret(read.form.get('csrf') ?? '', who.csrf))
      return void forbidden(
        res,
        'The form is out of date or was not sent by this page: reload it and try again.',
        who.csrf,
      );
    return read.form;
  };

  const answer = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://kickbot.invalid');
    const path =
      url.pathname.length > 6 && url.pathname.endsWith('/') ? url.pathname.slice(0, -1) : url.pathname;
    const method = req.method ?? 'GET';
    if (path.startsWith('/admin/assets/')) {
      const name = path.slice('/admin/assets/'.length);
      return serveAsset(res, method, Object.hasOwn(assets, name) ? assets[name] : undefined);
    }
    if (path === '/admin/sign-in') {
      if (READ.includes(method)) return auth.form(req, res, url);
      if (method === 'POST') return auth.signIn(req, res);
      return methodNotAllowed(res, method, [...READ, 'POST']);
    }
    if (path === '/admin/sign-out') {
      if (method !== 'POST') return methodNotAllowed(res, method, ['POST']);
      const who = await auth.session(req);
      if (!who) return forbidden(res, 'You are not signed in.');
      const form = await guardPost(req, res, who);
      return form && auth.signOut(req, res, who);
    }
    const match = route(path);
    if (!match)
      return sendProblem(res, {
        status: 404,
        title: 'Not found',
        message: `There is no admin page at ${path}.`,
      });
    if ('bad' in match)
      return sendProblem(res, { status: 400, title: 'Bad address', message: `${match.bad}.` });
    const { page, params } = match;
    const allow = [...(page.GET ? READ : []), ...(page.POST ? ['POST'] : [])];
    if (!allow.includes(method)) return methodNotAllowed(res, method, allow);
    const who = await auth.session(req);
    if (!who) {
      if (method === 'POST') return forbidden(res, 'You are not signed in: sign in and send the form again.');
      return seeOther(res, `/admin/sign-in?next=${encodeURIComponent(`${path}${url.search}`)}`);
    }
    const form = method === 'POST' ? await guardPost(req, res, who) : new URLSearchParams();
    if (!form) return;
    const handler = method === 'POST' ? page.POST : page.GET;
    await handler?.({ deps, req, res, url, params, csrf: who.csrf, form });
  };

  return async (req, res) => {
    try {
      await answer(req, res);
    } catch (error) {
      // One error boundary of its own, so that a failure is a page with ADMIN_HEADERS too.
      if (res.headersSent) return void res.destroy();
      if (error instanceof StoreUnavailableError)
        return sendProblem(res, {
          status: 503,
          title: 'Store unavailable',
          message:
            "kickbot's store does not answer, so the admin page cannot check sessions or read cases. /healthz says more.",
          headers: { 'retry-after': '10' },
        });
      const ref = randomUUID().slice(0, 8);
      deps.logger.error({ err: error, ref, method: req.method }, 'admin: request failed');
      sendProblem(res, {
        status: 500,
        title: 'Something went wrong',
        message: `kickbot could not answer this request (reference ${ref}); its log says why. If the store is down, /healthz says so.`,
      });
    }
  };
}

/** `/admin/assets/<name>`: the stylesheet and scripts, cached for a day (they are small and change with releases). */
function serveAsset(res: ServerResponse, method: string, asset: AdminAsset | undefined): void {
  if (!asset) sendProblem(res, { status: 404, title: 'Not found', message: 'There is no such asset.' });
  else if (!READ.includes(method)) methodNotAllowed(res, method, READ);
  else send(res, asset);
}

function send(res: ServerResponse, asset: AdminAsset): void {
  res.writeHead(200, {
    ...ADMIN_HEADERS,
    'content-type': `${asset.type}; charset=utf-8`,
    'cache-control': 'public, max-age=86400',
  });
  res.end(asset.body);
}
