import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectorError } from '../../../src/core/index.js';
import { type RemoverRig, removerContract, targetOf } from '../contract.js';

/**
 * What every remover of a seed system (Rocket.Chat, DocSpace, Mudbase, feedback.house, BetterForms) must do
 * beyond the remover contract, which it runs too: map refused credentials to `failed unauthorized`, throw a
 * retryable `ConnectorError` when the system is down or answers 5xx, and never repeat a secret.
 * Each system's test file runs this against its fake, with its own checks of the request shapes beside it.
 */

export interface SeedRig extends RemoverRig {
  /** The fake refuses the remover's credentials from now on. */
  revokeCredentials(): void;
  /** The next removal request answers this status. */
  failNextRemoval(status: number): void;
  removalRequests(): number;
  /** The secrets the remover was given: none may show up in an outcome, a hint or an error. */
  secrets: string[];
}

async function thrown(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

export function seedContract(system: string, start: () => Promise<SeedRig>): void {
  removerContract(system, start);
  describe(`${system}: the seed system contract`, () => {
    let rig: SeedRig;
    beforeEach(async () => {
      rig = await start();
    });
    afterEach(async () => {
      await rig.close();
    });
    const target = (user: string) => targetOf(rig, user);

    const noSecrets = (value: unknown) => {
      const text = value instanceof Error ? `${value.message} ${String(value.stack)}` : JSON.stringify(value);
      for (const secret of rig.secrets) expect(text).not.toContain(secret);
    };

    it('GIVEN a member removed THEN the result repeats no secret', async () => {
      const first = await rig.remover.remove(target(rig.member));
      expect(first.outcome).toBe('removed');
      noSecrets(first);
    });

    it('GIVEN refused credentials THEN failed unauthorized with a hint naming the system, and no secret', async () => {
      rig.revokeCredentials();
      const result = await rig.remover.remove(target(rig.member));
      expect(result).toMatchObject({ outcome: 'failed', code: 'unauthorized' });
      expect('hint' in result ? result.hint : '').toMatch(/credentials|key|token/i);
      expect(rig.isMember(rig.room, rig.member)).toBe(true);
      noSecrets(result);
    });

    it('GIVEN a 503 THEN a retryable ConnectorError, and nothing changed', async () => {
      rig.failNextRemoval(503);
      const error = await thrown(rig.remover.remove(target(rig.member)));
      expect(error).toBeInstanceOf(ConnectorError);
      expect((error as ConnectorError).retryable).toBe(true);
      expect(rig.isMember(rig.room, rig.member)).toBe(true);
      noSecrets(error);
    });

    it('GIVEN the system is down THEN a retryable ConnectorError naming it, and no secret', async () => {
      await rig.close();
      const error = await thrown(rig.remover.remove(target(rig.member)));
      expect(error).toBeInstanceOf(ConnectorError);
      expect((error as ConnectorError).retryable).toBe(true);
      expect((error as ConnectorError).code).toBe(`${system}-unreachable`);
      noSecrets(error);
    });
  });
}
