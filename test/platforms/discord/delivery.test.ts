import { afterEach, describe, expect, it, vi } from 'vitest';

import { type Reply, silentLogger } from '../../../src/core/index.js';
import { answer, type Responder } from '../../../src/platforms/discord/flow.js';
import { kick, MESSAGES, ORIGINAL, result } from '../../helpers/discord-flows.js';
import { D, type DiscordRig, discordRig } from '../../helpers/discord-rig.js';
import { captureLogger } from '../../helpers/log-capture.js';

let rig: DiscordRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const REPLY: Reply = {
  kind: 'result',
  action: 'remove',
  caseId: 1,
  status: 'ok',
  results: [],
  summary: 'Removed 1 | Not a member 0 | Denied 0 | Failed 0',
  labels: {},
};

describe('Discord: a redelivered interaction says nothing more', () => {
  it('GIVEN the core hands back a redelivered reply THEN flow.answer neither edits nor posts', async () => {
    const responder: Responder = { edit: vi.fn(async () => {}), post: vi.fn(async () => {}) };
    await answer({
      logger: silentLogger,
      responder,
      moderator: D.users.carol,
      call: async () => ({ ...REPLY, redelivered: true }),
    });
    expect(responder.edit).not.toHaveBeenCalled();
    expect(responder.post).not.toHaveBeenCalled();
  });
});

describe('Discord: log lines hold no webhook URL, token or message text', () => {
  it('GIVEN the webhook answers 404 to the edit of the reply THEN "reply not delivered" names the interaction and the status only', async () => {
    const lines: string[] = [];
    rig = await discordRig({ logger: captureLogger(lines) });
    const { fake, http } = rig;
    fake.failNext(`PATCH ${ORIGINAL}`, { status: 404, code: 10062, message: 'Unknown interaction' });
    const interaction = kick(fake, { user: D.users.bob, reason: 'very-private-reason' });
    await http.post(interaction);
    await vi.waitFor(() => expect(lines.some((l) => l.includes('reply not delivered'))).toBe(true), {
      timeout: 10_000,
      interval: 10,
    });
    const line = JSON.parse(lines.find((l) => l.includes('reply not delivered')) as string) as {
      interaction: string;
      err: { status?: number };
    };
    expect(line.interaction).toBe(interaction.id);
    expect(line.err.status).toBe(404);
    const all = lines.join('\n');
    for (const secret of [interaction.token, '/webhooks/', 'very-private-reason', 'Removed 1', fake.token]) {
      expect(all).not.toContain(secret);
    }
  });

  it('GIVEN the room confirmation is refused (403) THEN the core logs it without the message text', async () => {
    const lines: string[] = [];
    rig = await discordRig({ core: { logger: captureLogger(lines) } });
    const { fake, http } = rig;
    fake.failNext(`POST ${MESSAGES}`, { status: 403, code: 50001 });
    const interaction = kick(fake, { user: D.users.bob, reason: 'very-private-reason' });
    await http.post(interaction);
    expect((await result(fake, interaction)).content).toContain('Removed 1');
    await vi.waitFor(() => expect(lines.some((l) => l.includes('room confirmation not posted'))).toBe(true), {
      timeout: 5_000,
      interval: 10,
    });
    const line = JSON.parse(lines.find((l) => l.includes('room confirmation not posted')) as string) as {
      err: { status?: number };
    };
    expect(line.err.status).toBe(403);
    expect(lines.join('\n')).not.toContain('very-private-reason');
  });
});
