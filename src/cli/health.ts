import type { FrontHealth } from '../platforms/front.js';
import type { Persistence } from '../store/redis-persistence.js';

export interface Health extends Record<string, unknown> {
  ok: boolean;
  store: 'memory' | 'redis';
  redis?: 'up' | 'down';
  /** What Redis keeps on disk (`none`: a Redis restart loses the audit log). */
  persistence?: Persistence;
  worker: boolean;
  platforms: string[];
  // …and what the fronts with a connection of their own add (the Discord gateway: `discord: connecting`, 503).
}

/** What of a runtime the fronts' health needs (not the runtime itself, which imports this file). */
interface WithFronts {
  fronts: readonly { health?(): FrontHealth }[];
  health(): Promise<Health>;
}

/**
 * `/healthz` also says where each front with a connection of its own stands (the Discord gateway:
 * `discord: connecting`), and is 503 until every one is in.
 */
export function withFrontHealth<R extends WithFronts>(runtime: R): R {
  const fronts = runtime.fronts.filter((f) => f.health);
  if (fronts.length === 0) return runtime;
  const health = runtime.health;
  return {
    ...runtime,
    async health() {
      const h = await health();
      const states = fronts.map((f) => f.health?.() ?? { ok: true, fields: {} });
      return {
        ...h,
        ok: h.ok && states.every((s) => s.ok),
        ...Object.assign({}, ...states.map((s) => s.fields)),
      };
    },
  };
}
