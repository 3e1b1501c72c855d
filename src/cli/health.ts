import type { Runtime } from './runtime.js';

/** In gateway mode `/healthz` also says where the Discord connection stands, and is 503 until it is in. */
export function withGatewayHealth(runtime: Runtime): Runtime {
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
