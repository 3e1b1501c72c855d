import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RateResult } from '../core/index.js';
import { type AdminDeps, seeOther } from './app.js';
import { adminKeys, SESSION_MS, type Session } from './auth-crypto.js';
import { sendSignIn } from './auth-page.js';
import { forbidden, notAForm, sendProblem } from './problem.js';
import { crossSite, localNext, overHttps, cookie as readCookie, readForm } from './request.js';

/**
 * Signing in to the admin page, and who is signed in: a stateless signed cookie (auth-crypto.ts), so that any
 * replica with the same token knows the session; sign-out writes a store marker every replica reads; wrong tokens
 * are counted in the store per client address and in total, so that a guesser is slowed on every replica at once.
 */

export const COOKIE = 'kickbot_admin';
/** Wrong tokens allowed per client address, and from everywhere together, per window. */
export const SIGN_IN_LIMITS = { perAddress: 5, total: 50, windowMs: 60_000 } as const;

const revokedKey = (session: Session) => `admin-revoked:${session.id}`;

export interface SignedIn {
  session: Session;
  csrf: string;
}

export interface Auth {
  /** The request's session, when its cookie is good and nobody signed it out; throws when the store does not answer. */
  session(req: IncomingMessage): Promise<SignedIn | undefined>;
  /** GET /admin/sign-in. */
  form(req: IncomingMessage, res: ServerResponse, url: URL): void;
  /** POST /admin/sign-in. */
  signIn(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** POST /admin/sign-out (the caller has checked the session and its CSRF token). */
  signOut(req: IncomingMessage, res: ServerResponse, who: SignedIn): Promise<void>;
}

export function createAuth(deps: AdminDeps): Auth {
  const keys = adminKeys(deps.token);
  const now = deps.now ?? Date.now;
  const { store } = deps.runtime;
  const { perAddress, total, windowMs } = SIGN_IN_LIMITS;
  const cookieFlags = (req: IncomingMessage) =>
    `Path=/admin; HttpOnly; SameSite=Strict${overHttps(req, deps.publicUrl) ? '; Secure' : ''}`;

  /** Both counters of wrong tokens (this address's, everyone's): checked, or counted. */
  const rates = (address: string, dryRun: boolean): Promise<RateResult[]> =>
    Promise.all([
      store.consumeRate(`admin-sign-in:${address}`, 1, perAddress, windowMs, dryRun),
      store.consumeRate('admin-sign-in:*', 1, total, windowMs, dryRun),
    ]);

  const tooMany = (res: ServerResponse, results: RateResult[]) => {
    const waitMs = Math.max(...results.map((r) => (r.ok ? 0 : r.retryAfterMs)));
    const seconds = Math.max(1, Math.ceil(waitMs / 1000));
    const at = new Date(now() + seconds * 1000).toISOString().slice(11, 19);
    sendProblem(res, {
      status: 429,
      title: 'Too many wrong tokens',
      message: `Too many wrong admin tokens were tried. Try again in ${seconds} seconds (after ${at} UTC).`,
      headers: { 'retry-after': String(seconds) },
    });
  };

  /**
   * The limit first, then the token, then a wrong one counted: one sign-in at a time in this replica, so that a
   * burst of parallel guesses cannot all pass the limit before the first of them is counted.
   */
  const check = async (address: string, token: string): Promise<'ok' | 'wrong' | RateResult[]> => {
    const checked = await rates(address, true);
    if (checked.some((r) => !r.ok)) return checked;
    if (keys.isToken(token)) return 'ok';
    await rates(address, false);
    return 'wrong';
  };
  let queue: Promise<unknown> = Promise.resolve();
  const oneAtATime = <T>(step: () => Promise<T>): Promise<T> => {
    const run = queue.then(step, step);
    queue = run.catch(() => {});
    return run;
  };

  return {
    async session(req) {
      const value = readCookie(req, COOKIE);
      const session = value === undefined ? undefined : keys.verify(value, now());
      if (!session || (await store.getMarker(revokedKey(session))) !== undefined) return undefined;
      return { session, csrf: keys.csrf(session) };
    },

    form(_req, res, url) {
      sendSignIn(res, localNext(url.searchParams.get('next')));
    },

    async signIn(req, res) {
      const refused = crossSite(req, deps.publicUrl);
      if (refused) return forbidden(res, `${refused}.`);
      const read = await readForm(req);
      if (!read.ok) return notAForm(res, read);
      const address = req.socket.remoteAddress ?? 'unknown';
      const next = localNext(read.form.get('next'));
      const verdict = await oneAtATime(() => check(address, read.form.get('token') ?? ''));
      if (verdict === 'wrong') {
        deps.logger.warn({ address }, 'admin: wrong token');
        return sendSignIn(res, next, true);
      }
      if (verdict !== 'ok') {
        deps.logger.warn({ address }, 'admin: sign-in refused, too many wrong tokens');
        return tooMany(res, verdict);
      }
      const { session, value } = keys.issue(now());
      deps.logger.info({ address, session: session.id.slice(0, 6) }, 'admin: signed in');
      res.setHeader('set-cookie', `${COOKIE}=${value}; Max-Age=${SESSION_MS / 1000}; ${cookieFlags(req)}`);
      seeOther(res, next);
    },

    async signOut(req, res, { session }) {
      await store.setMarker(revokedKey(session), '1', Math.max(1, session.expires - now()));
      deps.logger.info({ session: session.id.slice(0, 6) }, 'admin: signed out');
      res.setHeader('set-cookie', `${COOKIE}=; Max-Age=0; ${cookieFlags(req)}`);
      seeOther(res, '/admin/sign-in');
    },
  };
}
