import { createPublicKey, generateKeyPairSync, type KeyObject, sign, verify } from 'node:crypto';

/**
 * Ed25519 helpers for Discord's HTTP interactions mode (platforms.md DISCORD §4): Discord signs
 * `timestamp + rawBody` with the application's key and sends `X-Signature-Ed25519` (hex signature) and
 * `X-Signature-Timestamp` (unix seconds); the app verifies with the public key the Developer Portal shows as
 * 64 hex characters, and answers 401 when the check fails.
 */

export interface InteractionKeyPair {
  publicKey: KeyObject;
  privateKey: KeyObject;
  /** The raw 32-byte public key as 64 lowercase hex chars, as the Developer Portal shows it. */
  publicKeyHex: string;
}

export interface SignatureHeaders {
  'x-signature-ed25519': string;
  'x-signature-timestamp': string;
}

/** DER prefix of an Ed25519 SubjectPublicKeyInfo; the raw key follows it. */
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** A fresh Ed25519 key pair. */
export function keyPair(): InteractionKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const der = publicKey.export({ format: 'der', type: 'spki' });
  return { publicKey, privateKey, publicKeyHex: der.subarray(SPKI_PREFIX.length).toString('hex') };
}

/** A public KeyObject from the Developer Portal's 64-hex-char form. */
export function publicKeyFromHex(hex: string): KeyObject {
  if (!/^[0-9a-f]{64}$/i.test(hex)) throw new Error('an Ed25519 public key is 64 hex characters');
  return createPublicKey({
    key: Buffer.concat([SPKI_PREFIX, Buffer.from(hex, 'hex')]),
    format: 'der',
    type: 'spki',
  });
}

/** The current time as Discord sends it in `X-Signature-Timestamp` (unix seconds). */
export function nowTimestamp(): string {
  return String(Math.floor(Date.now() / 1000));
}

/** Signs `timestamp + body` and returns the two headers Discord sends. */
export function signInteraction(
  privateKey: KeyObject,
  body: string | Buffer,
  timestamp: string = nowTimestamp(),
): SignatureHeaders {
  const message = Buffer.concat([
    Buffer.from(timestamp, 'utf8'),
    Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8'),
  ]);
  return {
    'x-signature-ed25519': sign(null, message, privateKey).toString('hex'),
    'x-signature-timestamp': timestamp,
  };
}

/** The check an app does (for tests of the helpers, and as a reference): hex signature over timestamp + body. */
export function verifyInteraction(
  publicKey: KeyObject | string,
  signatureHex: string | undefined,
  timestamp: string | undefined,
  body: string | Buffer,
): boolean {
  if (!signatureHex || !timestamp || !/^[0-9a-f]{128}$/i.test(signatureHex)) return false;
  const key = typeof publicKey === 'string' ? publicKeyFromHex(publicKey) : publicKey;
  const message = Buffer.concat([
    Buffer.from(timestamp, 'utf8'),
    Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8'),
  ]);
  return verify(null, message, key, Buffer.from(signatureHex, 'hex'));
}

export interface PostInteractionOptions {
  /** Sign the body, then send a changed one (`true` appends a space; a function rewrites the text). */
  tamper?: boolean | ((body: string) => string);
  /** Leave out both headers (`true`), or only one of them. */
  omitSignature?: boolean | 'signature' | 'timestamp';
  /** Sign with a fresh key instead of `privateKey`. */
  wrongKey?: boolean;
  /** `X-Signature-Timestamp` (default now); a stale one tests replay handling. */
  timestamp?: string | number;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export interface PostedInteraction {
  status: number;
  headers: Headers;
  /** Parsed JSON when the answer is JSON, else the text ('' when empty). */
  body: unknown;
  text: string;
}

/** POSTs an interaction to an HTTP interactions endpoint the way Discord does: JSON, signed with Ed25519. */
export async function postInteraction(
  url: string,
  privateKey: KeyObject,
  body: unknown,
  opts: PostInteractionOptions = {},
): Promise<PostedInteraction> {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const key = opts.wrongKey ? generateKeyPairSync('ed25519').privateKey : privateKey;
  const signed = signInteraction(key, raw, opts.timestamp === undefined ? undefined : String(opts.timestamp));
  const sent = opts.tamper ? (typeof opts.tamper === 'function' ? opts.tamper(raw) : `${raw} `) : raw;
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'Discord-Interactions/1.0 (+https://discord.com)',
    ...opts.headers,
  };
  if (opts.omitSignature !== true && opts.omitSignature !== 'signature') {
    headers['x-signature-ed25519'] = signed['x-signature-ed25519'];
  }
  if (opts.omitSignature !== true && opts.omitSignature !== 'timestamp') {
    headers['x-signature-timestamp'] = signed['x-signature-timestamp'];
  }
  const res = await fetch(url, { method: 'POST', headers, body: sent, signal: opts.signal ?? null });
  const text = await res.text();
  let parsed: unknown = text;
  if (res.headers.get('content-type')?.includes('application/json') && text !== '') {
    try {
      parsed = JSON.parse(text);
    } catch {
      // keep the text
    }
  }
  return { status: res.status, headers: res.headers, body: parsed, text };
}
