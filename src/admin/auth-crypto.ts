import { createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The admin page's secrets, all derived from the admin token (HKDF-SHA256), so that every replica with the same
 * KICKBOT_ADMIN_TOKEN signs and checks the same way, with no session table: a session is
 * `<id>.<expiry ms>.<HMAC of both>`, and its CSRF token is an HMAC of its id under a key of its own. A new token
 * ends every session.
 */

/** How long a session lasts (the decisions: 12 h, inside the signed value). */
export const SESSION_MS = 12 * 60 * 60_000;

export interface Session {
  /** Random, 128 bits, base64url: what sign-out revokes. */
  id: string;
  /** When it ends (ms since the epoch). */
  expires: number;
}

export interface AdminKeys {
  /** A fresh session's cookie value. */
  issue(now: number): { session: Session; value: string };
  /** The session a cookie value names, when its signature holds and it has not expired. */
  verify(value: string, now: number): Session | undefined;
  /** The session's CSRF token. */
  csrf(session: Session): string;
  /** Whether `given` is the admin token (constant time over SHA-256 digests, whatever its length). */
  isToken(given: string): boolean;
}

const b64 = (buffer: Buffer) => buffer.toString('base64url');
const hmac = (key: Buffer, text: string) => createHmac('sha256', key).update(text).digest();
const digest = (text: string) => createHash('sha256').update(text).digest();

/** Equal strings, compared in constant time over their digests (no early exit on length). */
export function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

function derive(token: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', token, 'kickbot admin page', purpose, 32));
}

const SESSION_VALUE = /^([A-Za-z0-9_-]{22})\.(\d{13,15})\.([A-Za-z0-9_-]{43})$/;

export function adminKeys(token: string): AdminKeys {
  const sessionKey = derive(token, 'session cookie');
  const csrfKey = derive(token, 'csrf token');
  const tokenDigest = digest(token);
  const sign = (id: string, expires: number) => b64(hmac(sessionKey, `${id}.${expires}`));
  return {
    issue(now) {
      const session = { id: b64(randomBytes(16)), expires: now + SESSION_MS };
      return { session, value: `${session.id}.${session.expires}.${sign(session.id, session.expires)}` };
    },
    verify(value, now) {
      const match = SESSION_VALUE.exec(value);
      if (!match) return undefined;
      const [, id = '', at = '', mac = ''] = match;
      const expires = Number(at);
      if (!sameSecret(mac, sign(id, expires)) || expires <= now) return undefined;
      return { id, expires };
    },
    csrf: (session) => b64(hmac(csrfKey, session.id)),
    isToken: (given) => timingSafeEqual(digest(given), tokenDigest),
  };
}
