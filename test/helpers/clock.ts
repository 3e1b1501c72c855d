import type { Clock } from '../../src/core/index.js';

/** A clock that only moves when told to, or when someone sleeps on it: backoffs and TTLs without waiting. */
export class FakeClock implements Clock {
  constructor(public time = Date.UTC(2026, 10, 22, 12, 0, 0)) {}
  readonly sleeps: number[] = [];

  now(): number {
    return this.time;
  }

  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.time += ms;
  }

  advance(ms: number): void {
    this.time += ms;
  }
}
