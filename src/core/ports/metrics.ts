/**
 * What kickbot counts for an operator's monitoring. The core, the fronts and the connectors record through this
 * port; `src/metrics/` keeps the numbers (prom-client) and serves them. Callers pass kickbot's own names (a command
 * of the command table, an outcome, a ConnectorError code, an API method); the implementation still maps anything
 * outside its bounded sets to `other`, so that no input ever makes a new series.
 */
export interface Metrics {
  /** One command a moderator ran, from any front, as its reply ended. */
  command(platform: string, command: string, result: CommandResult): void;
  /** One pair this process settled, on the system of the pair's room. */
  removal(platform: string, outcome: string): void;
  /** How long a front took to acknowledge (Slack's ack, Discord's interaction response). */
  ack(platform: string, seconds: number): void;
  /** One outbound platform API call (a Web API method, a REST route template, a seed system's operation). */
  call(platform: string, method: string, seconds: number): void;
  /** A failed platform call: a ConnectorError code, a platform error kickbot knows, or an HTTP status class. */
  error(platform: string, code: string): void;
  /** Time spent waiting before a platform call: a 429's Retry-After, or kickbot's own pacing. */
  rateLimitWait(platform: string, seconds: number): void;
}

/** How a command's reply ended: a result's status (`ok`, `partial`, `failed`), or the kind of reply it was. */
export const COMMAND_RESULTS = [
  'ok',
  'partial',
  'failed',
  'usage',
  'confirm',
  'info',
  'refused',
  'error',
  'redelivered',
] as const;
export type CommandResult = (typeof COMMAND_RESULTS)[number];

/** Counts nothing: the default of a core, a front or a connector built without metrics (tests, benchmarks). */
export const noMetrics: Metrics = {
  command: () => {},
  removal: () => {},
  ack: () => {},
  call: () => {},
  error: () => {},
  rateLimitWait: () => {},
};

/** Seconds since `start` (a `performance.now()` reading), for `ack` and `call`. */
export const secondsSince = (start: number): number => (performance.now() - start) / 1000;

/** The class of an HTTP status (`503` → `5xx`), as an error code of `Metrics.error`. */
export const statusClass = (status: number): string => `${Math.trunc(status / 100)}xx`;
