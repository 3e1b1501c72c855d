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
 * REST options that time every HTTP call (`GET /guilds/:id/members/:id`) and count its failures, for a REST client
 * of kickbot's or discord.js's own (the gateway client's).
 */
export function timedRequests(metrics: Metrics): Pick<RESTOptions, 'makeRequest'> {
  return {
    makeRequest: async (url, init) => {
      const start = performance.now();
      const method = `${init.method ?? 'GET'} ${discordRoute(new URL(url).pathname)}`;
      try {
        const res = await DefaultRestOptions.makeRequest(
          url,
          init as Parameters<REST['options']['makeRequest']>[1],
        );
        metrics.call(DISCORD, method, secondsSince(start));
        if (res.status >= 400)
          metrics.error(DISCORD, res.status === 429 ? 'ratelimited' : statusClass(res.status));
        return res;
      } catch (error) {
        metrics.call(DISCORD, method, secondsSince(start));
        metrics.error(DISCORD, 'discord-unreachable');
        throw error;
      }
    },
  };
}

/** Counts the time @discordjs/rest waits on a rate limit (a 429's Retry-After, or a bucket it knows is empty). */
export function countRateLimits(rest: REST, metrics: Metrics): void {
  rest.on('rateLimited', (info) => metrics.rateLimitWait(DISCORD, info.retryAfter / 1000));
}
