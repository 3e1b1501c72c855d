import { randomUUID } from 'node:crypto';
import type { StoreScripts } from './redis-scripts.js';

export type EpochState = 'new' | 'same' | 'lost';

/**
 * Case numbers on Redis that are never handed out twice. kickbot writes an epoch key at start; when it is gone,
 * Redis came back empty (a restart without AOF) and its case counter restarted. The highest case number this
 * process has seen, per workspace, is the floor the counter script counts above, so no new case joins an old one.
 */
export class CaseNumbers {
  readonly #floor = new Map<string, number>();
  #epoch = '';

  constructor(
    readonly scripts: StoreScripts,
    readonly keys: { epoch: string; counter: (workspace: string) => string },
    readonly onDataLost: (highestCase: number) => void,
  ) {}

  /** The next case number of a workspace, the epoch checked beside it (call it through the store's error mapping). */
  async next(workspace: string): Promise<number> {
    const [[state, epoch], caseId] = await Promise.all([
      this.scripts.kickbotEpoch(this.keys.epoch, this.#epoch, randomUUID()),
      this.scripts.kickbotNextCase(this.keys.counter(workspace), this.#floor.get(workspace) ?? 0),
    ]);
    await this.#seen(state, epoch);
    this.saw(workspace, caseId);
    return caseId;
  }

  /** Writes the epoch key, or checks that it is still there (at start, on reconnect). */
  async check(): Promise<EpochState> {
    const [state, epoch] = await this.scripts.kickbotEpoch(this.keys.epoch, this.#epoch, randomUUID());
    return this.#seen(state, epoch);
  }

  /** Notes a case number read or written, so that it is never handed out again. */
  saw(workspace: string, caseId: number): void {
    if (caseId > (this.#floor.get(workspace) ?? 0)) this.#floor.set(workspace, caseId);
  }

  async #seen(state: string, epoch: string): Promise<EpochState> {
    this.#epoch = epoch;
    if (state !== 'lost') return state === 'new' ? 'new' : 'same';
    this.onDataLost(Math.max(0, ...this.#floor.values()));
    // Put every counter back where this process saw it, so that other processes continue above it too.
    for (const [workspace, floor] of this.#floor)
      await this.scripts.kickbotRaise(this.keys.counter(workspace), floor);
    return 'lost';
  }
}
