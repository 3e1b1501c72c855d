import type { ConnectorError } from './errors.js';

/** How a system is named to moderators, and the environment variables that hold kickbot's credentials for it. */
export interface SystemInfo {
  name: string;
  credentials?: readonly string[];
}

/** By platform id (`rocketchat`, `slack`…); a platform not listed goes by its id. */
export type Systems = Readonly<Record<string, SystemInfo>>;

/** A system's failure as a moderator reads it, and whether trying again can help. */
export interface Trouble {
  code: string;
  hint: string;
  /** Only where another try can help: the system was unreachable, overloaded or rate-limited (never 401/403). */
  retry: boolean;
}

const REFUSED_CREDENTIALS = new Set(['unauthorized', 'forbidden', 'invalid_auth', 'not_authed']);

/**
 * What to tell the moderator about a system that failed while kickbot was planning: refused credentials name the
 * variables to check (from the config's `{ env: VAR }` entries), an unreachable or failing system says to try
 * again, anything else gives the system's own hint. Every hint names the system.
 */
export function describeTrouble(error: ConnectorError, platform: string, systems: Systems = {}): Trouble {
  const system = systems[platform];
  const name = system?.name ?? platform;
  const credentials = system?.credentials ?? [];
  if (REFUSED_CREDENTIALS.has(error.code)) {
    // A hint that already names the variable to check (Slack's token_revoked: "reinstall… update SLACK_BOT_TOKEN") is the better one.
    const own =
      error.hint && (credentials.length === 0 || credentials.some((c) => error.hint?.includes(c)))
        ? error.hint
        : undefined;
    const check = credentials.length > 0 ? `: check ${credentials.join('/')}` : '';
    return { code: error.code, hint: own ?? `${name} refused kickbot's credentials${check}`, retry: false };
  }
  if (error.retryable) {
    return {
      code: error.code,
      hint: `kickbot could not get an answer from ${name}: try again in a moment`,
      retry: true,
    };
  }
  return { code: error.code, hint: `${name}: ${error.hint ?? error.code}`, retry: false };
}
