import {
  type CasePage,
  type CaseView,
  displayId,
  type Reply,
  type SystemPlan,
  type SystemResult,
} from '../core/index.js';
import { renderText } from './text.js';

/** DESIGN §8: the one JSON object `kickbot run --json` prints, and the exit code that goes with it. */
export interface RunJson {
  status: 'ok' | 'partial' | 'error';
  results: { room: string; user: string; area?: string; outcome: string; code?: string }[];
  message: string;
  case?: number;
  /** `/kickbot cases`: the page of cases listed. */
  cases?: CasePage;
  /** `/kickbot case <N>`: the case, whole (`case` is its number). */
  caseView?: CaseView;
  /** An offboarding (or its undo): one entry per system; its plan, when it was not confirmed. */
  systems?: SystemResult[] | SystemPlan[];
  /** A timed removal: when its pairs come back (ISO 8601). */
  until?: string;
  /** What the moderator should know about the run as a whole (a timer, direct messages not delivered). */
  note?: string;
}

export function toRunJson(reply: Reply, home: string): RunJson {
  if (reply.kind === 'result') {
    return {
      status: reply.status,
      results: reply.results.map((r) => ({
        room: displayId(r.room, home),
        user: displayId(r.user, home),
        ...(r.area !== undefined ? { area: r.area } : {}),
        outcome: r.outcome,
        ...(r.code ? { code: r.code } : {}),
      })),
      message: reply.summary,
      case: reply.caseId,
      ...(reply.systems ? { systems: reply.systems } : {}),
      ...(reply.until !== undefined ? { until: new Date(reply.until).toISOString() } : {}),
      ...(reply.note ? { note: reply.note } : {}),
    };
  }
  if (reply.kind === 'confirm' && reply.systems) {
    return { status: 'error', results: [], message: renderText(reply), systems: reply.systems };
  }
  if (reply.kind === 'info' && reply.case) {
    return {
      status: 'ok',
      results: [],
      message: renderText(reply),
      case: reply.case.case,
      caseView: reply.case,
    };
  }
  if (reply.kind === 'info' && reply.cases) {
    return { status: 'ok', results: [], message: renderText(reply), cases: reply.cases };
  }
  return { status: reply.kind === 'info' ? 'ok' : 'error', results: [], message: renderText(reply) };
}

/** 0 every pair removed or not a member; 3 something refused or failed; 2 usage (and unconfirmed batches, a reused key); 1 internal. */
export function exitCode(reply: Reply): number {
  switch (reply.kind) {
    case 'result':
      return reply.status === 'ok' ? 0 : 3;
    case 'info':
      return 0;
    case 'refused':
      // A --key used for another command is the caller's mistake, as a usage error is.
      return reply.code === 'key-reused' ? 2 : 3;
    case 'usage':
    case 'confirm':
      return 2;
    case 'error':
      return 1;
  }
}
