import type { Env } from '../cli/env.js';
import type { Config } from '../config/config-file.js';
import type { Core, Directory, GrantsOverride, Id, Logger, Metrics, Remover, Store } from '../core/index.js';
import type { Route } from '../http/server.js';
import type { RedisClient } from '../store/redis-target.js';

/**
 * A front end: how moderators reach kickbot on one platform (like Bolt's `Receiver`, transport only). The runtime
 * holds a list of them and names none: `serve` mounts their routes, starts them, prints their banner lines, and
 * `/healthz` reports their states.
 */
export interface Front {
  /** The platform's name (`slack`, `discord`, `console`), which is also the prefix of its ids. */
  readonly name: string;
  /** The HTTP routes it answers on kickbot's one port (path → route), if any. */
  readonly routes: Readonly<Record<string, Route>>;
  /** The workspace the HTTP API acts in on this platform when it has a single one (the console's). */
  readonly workspace?: Id;
  /** Connects (Socket Mode, the gateway) or checks its credentials; a refused token rejects with a UsageError. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Where it stands, for `/healthz`, when it has a connection of its own (the Discord gateway). */
  health?(): FrontHealth;
  /** Its part of the `kickbot serve` banner, given the HTTP server's base URL. */
  banner(url: string): string;
}

export interface FrontHealth {
  ok: boolean;
  /** Added to `/healthz`'s JSON, e.g. `{ discord: 'connecting' }`. */
  fields: Record<string, string>;
}

/** What a process asks for: the platforms its environment configures, and the console on a workspace file. */
export interface PlatformRequest {
  env: Env;
  /** Every platform the environment configures (`serve`, `worker`). */
  fromEnv: boolean;
  console?: { workspaceFile: string; onNotice?: (room: Id, text: string) => void };
}

/** What a platform is built from. */
export interface PlatformContext extends PlatformRequest {
  config: Config;
  logger: Logger;
  store: Store;
  /** Where its front and connectors record acks, API calls, errors and rate-limit waits (default: nowhere). */
  metrics?: Metrics;
  /** The Redis client and key prefix when the state is in Redis (the console keeps its workspace there). */
  redis?: { client: RedisClient; prefix: string };
}

/** A platform's part of a runtime: its directory and remover first (the core is made of them), then its front on that core. */
export interface PlatformParts {
  directory: Directory;
  remover: Remover;
  /** Permission overrides it brings (the console workspace's). */
  permissions?: GrantsOverride;
  front(core: Core): Front;
}

/** One platform kickbot runs on; `src/platforms/index.ts` lists them all. Its SDK loads only in `create`. */
export interface Platform {
  readonly name: string;
  /** Whether the environment configures it (a half-set environment is a UsageError). */
  configured(env: Env): boolean;
  /** Whether this process runs it. */
  wanted(request: PlatformRequest): boolean;
  create(ctx: PlatformContext): Promise<PlatformParts>;
}
