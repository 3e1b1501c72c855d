import type { RedisOptions } from 'ioredis';
import { StoreUnavailableError } from '../core/index.js';
import type { RedisClient } from './redis-target.js';

const CONNECTION_ERRORS =
  /ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|Connection is closed|enableOfflineQueue|MaxRetriesPerRequest|LOADING|CLUSTERDOWN|TRYAGAIN|Failed to refresh slots cache|Cluster isn't ready/;

export function isConnectionError(error: unknown): boolean {
  return error instanceof Error && CONNECTION_ERRORS.test(`${error.name} ${error.message}`);
}

/**
 * Every kickbot client: one connection attempt gives up after 1.5 s (ioredis waits 10 s), and a client cut off
 * while Redis is away lets go of its socket at once (ioredis holds it 2 s), so that a refusal is quick.
 */
export const CONNECT_OPTIONS: RedisOptions = { connectTimeout: 1_500, disconnectTimeout: 200 };

const waiting = new WeakMap<RedisClient, Promise<boolean>>();

/** Resolves true once the client is connected, false if it is not within `timeoutMs` (one wait per client). */
export function whenReady(client: RedisClient, timeoutMs: number): Promise<boolean> {
  if (client.status === 'ready') return Promise.resolve(true);
  if (client.status === 'end') return Promise.resolve(false);
  let wait = waiting.get(client);
  if (!wait) {
    wait = waitReady(client, timeoutMs).finally(() => waiting.delete(client));
    waiting.set(client, wait);
  }
  return wait;
}

/**
 * At start: resolves true once the client is connected, false as soon as its first attempt fails (refused, reset,
 * or past its `connectTimeout`) or after `timeoutMs`. One attempt, not the retries of a reconnect loop: a one-shot
 * `kickbot run` refuses at once when Redis is down, and `serve` starts and reconnects on its own.
 */
export function firstConnect(client: RedisClient, timeoutMs: number): Promise<boolean> {
  if (client.status === 'ready') return Promise.resolve(true);
  if (client.status === 'end') return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      clearTimeout(timer);
      client.off('ready', onReady).off('close', onClose).off('end', onClose);
      resolve(ok);
    };
    const onReady = () => done(true);
    const onClose = () => done(false);
    const timer = setTimeout(() => done(false), timeoutMs);
    timer.unref();
    client.on('ready', onReady).on('close', onClose).on('end', onClose);
  });
}

function waitReady(client: RedisClient, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      clearTimeout(timer);
      client.off('ready', onReady);
      resolve(ok);
    };
    const onReady = () => done(true);
    const timer = setTimeout(() => done(false), timeoutMs);
    timer.unref();
    client.on('ready', onReady);
  });
}

/**
 * Runs a Redis call; a connection problem becomes `StoreUnavailableError`. While the client is (re)connecting a
 * call waits a moment for it, so that a blip is not an outage and a real outage is refused quickly.
 */
export async function onRedis<T>(client: RedisClient, call: () => Promise<T>, graceMs = 300): Promise<T> {
  if (client.status !== 'ready' && !(await whenReady(client, graceMs))) {
    throw new StoreUnavailableError('Redis is unavailable (not connected)');
  }
  try {
    return await call();
  } catch (error) {
    if (client.status !== 'ready' || isConnectionError(error)) {
      throw new StoreUnavailableError(`Redis is unavailable: ${(error as Error).message}`, { cause: error });
    }
    throw error;
  }
}
