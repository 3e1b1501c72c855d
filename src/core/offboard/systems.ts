import type { Id } from '../ids.js';
import type { PlannedPair } from '../judge-pairs.js';
import { type PairResult, summaryLine, type Tally, tally } from '../outcomes.js';
import type { SystemPlan, SystemResult } from '../reply.js';
import { type OffboardDeps, systemName, wholeSystem } from './walk.js';

interface Entry {
  rooms: number;
  removals: number;
  protectedUsers: Set<Id>;
  refused: Record<string, number>;
  counts: Tally;
  noUndo?: string;
  hint?: string;
}

const zero = (): Tally => ({ removed: 0, notMember: 0, denied: 0, unsupported: 0, failed: 0, cancelled: 0 });

/** An offboarding counted per system, for its plan and its answer: one line per system, in the order they ran. */
export class SystemTally {
  readonly #deps: OffboardDeps;
  readonly #entries = new Map<string, Entry>();
  notMember = 0;

  constructor(deps: OffboardDeps) {
    this.#deps = deps;
    for (const system of deps.connectors.systems()) this.#entry(system);
  }

  name(system: string): string {
    return systemName(this.#deps, system);
  }

  #entry(system: string): Entry {
    let entry = this.#entries.get(system);
    if (!entry) {
      entry = { rooms: 0, removals: 0, protectedUsers: new Set(), refused: {}, counts: zero() };
      this.#entries.set(system, entry);
    }
    return entry;
  }

  /** A judged page of the plan. */
  planned(system: string, pairs: readonly PlannedPair[], noUndo: string | undefined): void {
    const entry = this.#entry(system);
    entry.rooms += pairs.length;
    for (const p of pairs) {
      if (p.verdict.ok) {
        entry.removals++;
        if (noUndo) entry.noUndo ??= noUndo;
      } else if (p.verdict.outcome === 'not_member') this.notMember++;
      else if (p.verdict.code === 'protected') entry.protectedUsers.add(p.user);
      else {
        const code = p.verdict.code ?? p.verdict.outcome;
        entry.refused[code] = (entry.refused[code] ?? 0) + 1;
      }
    }
  }

  /** A page that ran. */
  ran(system: string, results: readonly PairResult[], noUndo: string | undefined): void {
    const entry = this.#entry(system);
    const t = tally(results);
    for (const k of Object.keys(t) as (keyof Tally)[]) entry.counts[k] += t[k];
    if (noUndo && t.removed > 0) entry.noUndo ??= noUndo;
  }

  unlinked(system: string): void {
    this.#entry(system).hint =
      `no ${this.name(system)} account is linked (identities in kickbot's config file)`;
  }

  /** The result that stands for a whole system where the person has no linked account. */
  unlinkedResult(system: string, user: Id): PairResult {
    this.unlinked(system);
    this.#entry(system).counts.unsupported++;
    return {
      room: wholeSystem(system),
      user,
      outcome: 'unsupported',
      code: 'no-identity',
      hint: this.#entry(system).hint as string,
    };
  }

  nothing(system: string): void {
    this.#entry(system).hint =
      `${this.name(system)} cannot list one person's rooms and the config names none (offboard.targets)`;
  }

  plans(): SystemPlan[] {
    return [...this.#entries].map(([system, e]) => ({
      system,
      name: this.name(system),
      rooms: e.rooms,
      removals: e.removals,
      protectedUsers: [...e.protectedUsers],
      refused: e.refused,
      undo: e.noUndo === undefined,
      ...(e.noUndo || e.hint ? { hint: e.noUndo ?? e.hint } : {}),
    }));
  }

  results(): SystemResult[] {
    return [...this.#entries].map(([system, e]) => ({
      system,
      name: this.name(system),
      summary: summaryLine(e.counts),
      counts: { ...e.counts },
      undo: e.noUndo === undefined,
      ...(e.noUndo || e.hint ? { hint: e.noUndo ?? e.hint } : {}),
    }));
  }
}
