import { afterEach, describe, expect, it } from 'vitest';
import { readEnv } from '../../src/cli/env.js';
import { consoleApp, createRuntime, type Runtime } from '../../src/cli/runtime.js';
import { loadConfig } from '../../src/config/config-file.js';
import { silentLogger } from '../../src/core/index.js';
import { ConsoleSession } from '../../src/platforms/console/session.js';
import {
  BOB,
  CHAT,
  closeFakes,
  type Fakes,
  files,
  GROUP,
  SECRETS,
  startFakes,
} from '../helpers/seed-world.js';
import { Scrape } from './exposition.js';

let fakes: Fakes | undefined;
let runtime: Runtime | undefined;
afterEach(async () => {
  await runtime?.close();
  if (fakes) await closeFakes(fakes);
  runtime = undefined;
  fakes = undefined;
});

const SEEDS = ['rocketchat', 'docspace', 'feedbackhouse', 'mudbase', 'betterforms'];

describe('/metrics of the seed systems', () => {
  it('GIVEN an offboarding through the five seed systems THEN each counts its pairs and its calls, by operation, ids templated', async () => {
    fakes = await startFakes();
    const f = files(fakes);
    runtime = await createRuntime({
      env: readEnv({}),
      config: loadConfig(f.config),
      logger: silentLogger,
      worker: false,
      console: { workspaceFile: f.workspace },
      rawEnv: SECRETS,
      metrics: true,
    });
    const session = new ConsoleSession(consoleApp(runtime), { as: 'mo', in: 'general' });
    expect(await runtime.core.handle(session.invocation('/offboard @bob --yes left'))).toMatchObject({
      kind: 'result',
      status: 'ok',
    });
    const prom = runtime.metrics;
    if (!prom) throw new Error('the runtime was asked for metrics');
    const s = Scrape.of((await prom.scrape()).body);
    for (const system of SEEDS) {
      expect(s.value('kickbot_removals_total', { platform: system, outcome: 'removed' })).toBeGreaterThan(0);
      expect(s.value('kickbot_platform_call_seconds_count', { platform: system })).toBeGreaterThan(0);
    }
    const methods = s
      .series('kickbot_platform_call_seconds_count')
      .filter((x) => SEEDS.includes(x.labels.platform ?? ''))
      .map((x) => x.labels.method ?? '');
    expect(methods).toEqual(
      expect.arrayContaining([
        'POST /api/v1/groups.kick',
        'DELETE /api/2.0/group/:id/members',
        'DELETE /api/chat/projects/:id/chats/:id/participants',
        'POST /api/planning/area/v1/user-remove',
        'POST /message/removeuser',
      ]),
    );
    for (const id of [GROUP, CHAT, ...Object.values(BOB)]) {
      expect(methods.join(' ')).not.toContain(id);
    }
    expect(
      s.value('kickbot_commands_total', { platform: 'console', command: 'offboard', result: 'ok' }),
    ).toBe(1);
  });
});
