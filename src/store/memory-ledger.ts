import type { AuditQuery, AuditRecord, CaseEvent } from '../core/index.js';

/**
 * The memory store's ledger: case numbers per workspace, the audit log, and each case's events. Values are copied
 * in and out, as a real store would, so callers never share objects.
 */
export class MemoryLedger {
  readonly #cases = new Map<string, number>();
  readonly #audit: AuditRecord[] = [];
  readonly #events = new Map<string, CaseEvent[]>();

  nextCaseId(workspace: string): number {
    const next = (this.#cases.get(workspace) ?? 0) + 1;
    this.#cases.set(workspace, next);
    return next;
  }

  lastCaseId(workspace: string): number {
    return this.#cases.get(workspace) ?? 0;
  }

  workspaces(): string[] {
    return [...this.#cases.keys()];
  }

  append(records: readonly AuditRecord[]): void {
    for (const r of records) this.#audit.push(structuredClone(r));
  }

  /** Newest first. */
  read(query: AuditQuery): AuditRecord[] {
    const out: AuditRecord[] = [];
    const limit = query.limit ?? Number.POSITIVE_INFINITY;
    for (let i = this.#audit.length - 1; i >= 0 && out.length < limit; i--) {
      const r = this.#audit[i] as AuditRecord;
      if (query.workspace !== undefined && r.workspace !== query.workspace) continue;
      if (query.caseId !== undefined && r.caseId !== query.caseId) continue;
      if (query.user !== undefined && r.target !== query.user && r.actor !== query.user) continue;
      out.push(structuredClone(r));
    }
    return out;
  }

  appendEvent(workspace: string, caseId: number, event: CaseEvent): void {
    const key = `${workspace}\n${caseId}`;
    const events = this.#events.get(key) ?? [];
    events.push(structuredClone(event));
    this.#events.set(key, events);
  }

  /** Oldest first. */
  readEvents(workspace: string, caseId: number): CaseEvent[] {
    return structuredClone(this.#events.get(`${workspace}\n${caseId}`) ?? []);
  }
}
