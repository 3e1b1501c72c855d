import { setTimeout as delay } from 'node:timers/promises';
import type { Claim, Reply } from '../core/index.js';
import { onRedis } from './redis-errors.js';
import type { StoreScripts } from './redis-scripts.js';
import type { RedisClient } from './redis-target.js';
import { InvocationStateSchema } from './schemas.js';

/**
 * Invocation dedupe in Redis (DESIGN §6): one key per invocation id holding `{state, fp, reply?}`. The claim is
 * one `SET NX GET`, so concurrent deliveries run once; the fingerprint binds an idempotency key to its request.
 */
export class RedisInvocations {
  readonly #client: RedisClient & StoreScripts;
  readonly #key: (id: string) => string;

  constructor(client: RedisClient & StoreScripts, key: (id: string) => string) {
    this.#client = client;
    this.#key = key;
  }

  #run<T>(call: () => Promise<T>): Promise<T> {
    return onRedis(this.#client, call);
  }

  async claim(id: string, ttlMs: number, fingerprint: string): Promise<Claim> {
    const running = JSON.stringify({ state: 'running', fp: fingerprint });
    const previous = await this.#run(
      () =>
        this.#client.call('SET', this.#key(id), running, 'NX', 'PX', ttlMs, 'GET') as Promise<string | null>,
    );
    if (previous === null) return { state: 'new' };
    const state = InvocationStateSchema.parse(JSON.parse(previous));
    if ((state.fp ?? '') !== fingerprint) return { state: 'mismatch' };
    return state.state === 'running' ? { state: 'running' } : { state: 'done', reply: state.reply };
  }

  async complete(id: string, reply: Reply, ttlMs: number): Promise<void> {
    await this.#run(() => this.#client.kickbotComplete(this.#key(id), JSON.stringify(reply), ttlMs));
  }

  async release(id: string): Promise<void> {
    await this.#run(() => this.#client.del(this.#key(id)));
  }

  /** The first delivery's reply once it is done, or undefined if it is not within `timeoutMs` (or was released). */
  async await(id: string, timeoutMs: number): Promise<Reply | undefined> {
    const deadline = Date.now() + timeoutMs;
    let wait = 20;
    for (;;) {
      const raw = await this.#run(() => this.#client.get(this.#key(id)));
      if (raw === null) return undefined;
      const state = InvocationStateSchema.parse(JSON.parse(raw));
      if (state.state === 'done') return state.reply;
      if (Date.now() >= deadline) return undefined;
      await delay(Math.min(wait, Math.max(deadline - Date.now(), 1)));
      wait = Math.min(wait * 2, 250);
    }
  }
}
