import { DefaultRestOptions, type REST, type RESTOptions } from '@discordjs/rest';
import { type Metrics, secondsSince, statusClass } from '../../core/index.js';
import { DISCORD } from './ids.js';

/**
 * Discord's words in REST paths; every other segment (an id, an interaction token, an emoji) is a parameter. The
 * words are a bounded set, so the route templates made of them are too.
 */
const WORDS: ReadonlySet<string> = new Set([
  '@me',
  '@original',
  'applications',
  'bans',
  'bot',
  'callback',
  'channels',
  'commands',
  'gateway',
  'guilds',
  'interactions',
  'members',
  'messages',
  'permissions',
  'recipients',
  'roles',
  'thread-members',
  'threads',
  'users',
  'voice-states',
  'webhooks',
]);

/** A REST path as a route template: `/api/v10/guilds/1/members/2` → `/guilds/:id/members/:id`. */
export function discordRoute(path: string): string {
  return path
    .replace(/^.*?\/v\d+(?=\/)/, '') // the base URL's path and the API version
    .split('/')
    .slice(0, 8)
    .map((part) => {
      const word = part.replace(/^%40/i, '@'); // `@original` arrives encoded
      return word === '' || WORDS.has(word) ? word : ':id';
    })
    .join('/');
}

/**
 * What one REST client records: every HTTP call timed (`GET /guilds/:id/members/:id`) and its failures counted, and
 * the time it waits on rate limits. @discordjs/rest waits a 429's Retry-After either silently (a sublimit) or
 * announcing it (`rateLimited`, as for a bucket it knows is empty): a 429 counts its Retry-After here, and the
 * announcement of that same request's wait is then skipped, so that no wait counts twice.
 */
export function restMetrics(metrics: Metrics): {
  options: Pick<RESTOptions, 'makeRequest'>;
  watch(rest: REST): void;
} {
  /** Requests (`METHOD url`) whose 429 counted the wait that follows. */
  const counted = new Set<string>();
  const makeRequest: RESTOptions['makeRequest'] = async (url, init) => {
    const start = performance.now();
    const verb = (init.method ?? 'GET').toUpperCase();
    const method = `${verb} ${discordRoute(new URL(url).pathname)}`;
    try {
      const res = await DefaultRestOptions.makeRequest(
        url,
        init as Parameters<REST['options']['makeRequest']>[1],
      );
      metrics.call(DISCORD, method, secondsSince(start));
      if (res.status === 429) {
        metrics.error(DISCORD, 'ratelimited');
        const seconds = Number(res.headers.get('retry-after'));
        if (seconds > 0) {
          metrics.rateLimitWait(DISCORD, seconds);
          if (counted.size >= 1_000) counted.clear(); // requests that gave up after a 429: forget them
          counted.add(`${verb} ${url}`);
        }
      } else {
        counted.delete(`${verb} ${url}`);
        if (res.status >= 400) metrics.error(DISCORD, statusClass(res.status));
      }
      return res;
    } catch (error) {
      metrics.call(DISCORD, method, secondsSince(start));
      metrics.error(DISCORD, 'discord-unreachable');
      throw error;
    }
  };
  return {
    options: { makeRequest },
    watch: (rest) => {
      rest.on('rateLimited', (info) => {
        if (counted.delete(`${info.method.toUpperCase()} ${info.url}`)) return;
        metrics.rateLimitWait(DISCORD, info.retryAfter / 1000);
      });
    },
  };
}
