import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, AdminClient } from '../helpers/admin-rig.js';
import { killStarted, startKickbot } from '../helpers/cli.js';

/** `kickbot serve` (the compiled CLI) with KICKBOT_ADMIN_TOKEN: headless, the admin page on its port, no token printed. */

afterEach(() => killStarted());

const READY = /^kickbot serve .*admin page on (http:\/\/127\.0\.0\.1:\d+)\/admin.*\n/;

describe('kickbot serve with only KICKBOT_ADMIN_TOKEN', () => {
  it('GIVEN the token THEN headless, the banner names the page, sign-in works and the token is never printed', async () => {
    const server = await startKickbot(
      ['serve'],
      { KICKBOT_ADMIN_TOKEN: ADMIN_TOKEN, LOG_LEVEL: 'info' },
      READY,
    );
    let output = server.match.input;
    server.child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
    });
    server.child.stderr.on('data', (d: Buffer) => {
      output += d.toString();
    });
    const client = new AdminClient(server.match[1] as string);
    const away = await client.get('/admin');
    expect(away.headers.get('location')).toBe('/admin/sign-in?next=%2Fadmin');
    expect((await client.signIn('a-wrong-token-123456789')).status).toBe(401);
    expect((await client.signIn()).status).toBe(303);
    const overview = await client.get('/admin');
    expect(overview.text).toContain('<th scope="row">console</th>');
    expect(await server.stop()).toBe(0);
    expect(output).toContain('admin: signed in');
    expect(output).not.toContain(ADMIN_TOKEN);
    expect(output).not.toContain('a-wrong-token-123456789');
  });
});
