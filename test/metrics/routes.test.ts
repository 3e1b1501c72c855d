import { describe, expect, it } from 'vitest';
import { discordRoute } from '../../src/platforms/discord/rest-metrics.js';

describe('discordRoute: a REST path as a route template', () => {
  it.each([
    ['/api/v10/guilds/123456789012345678/members/42', '/guilds/:id/members/:id'],
    ['/v10/channels/1/permissions/2', '/channels/:id/permissions/:id'],
    [
      '/api/v10/webhooks/1/aW50ZXJhY3Rpb246dG9rZW4/messages/%40original',
      '/webhooks/:id/:id/messages/@original',
    ],
    ['/api/v10/interactions/1/tok-en.x/callback', '/interactions/:id/:id/callback'],
    ['/api/v10/users/@me', '/users/@me'],
    ['/api/v10/guilds/1/members/2/roles/3', '/guilds/:id/members/:id/roles/:id'],
  ])('GIVEN %s THEN %s', (path, route) => {
    expect(discordRoute(path)).toBe(route);
  });

  it('GIVEN a hostile path THEN no part of it survives but Discord words, and it stays short', () => {
    const route = discordRoute(`/api/v10/${'x'.repeat(5_000)}/${'guilds/'.repeat(50)}`);
    expect(route).toBe('/:id/guilds/guilds/guilds/guilds/guilds/guilds');
  });
});
