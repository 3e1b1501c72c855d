import type { GatewayState } from '../platforms/discord/GatewayFront.js';
import type { Persistence } from '../store/redis-persistence.js';

export interface Health extends Record<string, unknown> {
  ok: boolean;
  store: 'memory' | 'redis';
  redis?: 'up' | 'down';
  /** What Redis keeps on disk (`none`: a Redis restart loses the audit log). */
  persistence?: Persistence;
  worker: boolean;
  platforms: string[];
  /** Gateway mode: `connecting` (503) until discord.js is in. */
  discord?: GatewayState;
}

/** What of a runtime the gateway's health needs (not the runtime itself, which imports this file). */
interface WithGateway {
  discord?: { gateway?: { state(): GatewayState } };
  health(): Promise<Health>;
}

/** In gateway mode `/healthz` also says where the Discord connection stands, and is 503 until it is in. */
export function withGatewayHealth<R extends WithGateway>(runtime: R): R {
  const gateway = runtime.discord?.gateway;
  if (!gateway) return runtime;
  const health = runtime.health;
  return {
    ...runtime,
    async health() {
      const h = await health();
      const discord = gateway.state();
      return { ...h, ok: h.ok && discord === 'connected', discord };
    },
  };
}
