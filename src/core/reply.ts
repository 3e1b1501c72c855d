import type { Id } from './ids.js';
import type { AreaResult, PairResult, RestoreOutcome, Status } from './outcomes.js';

/**
 * What the core answers to the moderator. Plain data (it is stored for dedupe and replayed), rendered by
 * each front end in one place: text here, Block Kit on Slack, an embed on Discord.
 */
export type Reply = UsageReply | ConfirmReply | ResultReply | InfoReply | RefusedReply | ErrorReply;

/** The input was wrong; nothing was done. */
export interface UsageReply {
  kind: 'usage';
  message: string;
  usage?: string;
}

/** A batch over the threshold: nothing done yet; the plan, and how to confirm. */
export interface ConfirmReply {
  kind: 'confirm';
  confirmId: string;
  expiresAt: number;
  removals: number;
  notMember: number;
  refused: { user: Id; room: Id; outcome: string; code?: string; hint?: string }[];
  /** Who would be removed, by room (the first names of each, and how many more). */
  removing: PlanGroup[];
  /** Who is already absent, by room: nothing to do for them. */
  absent: PlanGroup[];
  message: string;
  labels: Record<Id, string>;
  /** An offboarding's plan, one entry per system (the per-room groups are left empty: there can be thousands). */
  systems?: SystemPlan[];
}

/** What an offboarding would do in one system. */
export interface SystemPlan {
  system: string;
  /** How moderators know the system (`Slack`, `Rocket.Chat`). */
  name: string;
  /** Rooms and groups the users are in there. */
  rooms: number;
  removals: number;
  /** Users refused as protected (the owner, an admin, the bot), with how many rooms. */
  protectedUsers: Id[];
  /** Other refusals, unsupported rooms and failures, by code. */
  refused: Record<string, number>;
  /** Whether `/kickbot undo` can put everything back there. */
  undo: boolean;
  /** What the moderator should know (no linked account, nothing configured, why there is no undo). */
  hint?: string;
}

/** How an offboarding or its undo ended in one system. */
export interface SystemResult {
  system: string;
  name: string;
  /** That system's line: `Removed 3 | Not a member 0 | Denied 0 | Failed 0`. */
  summary: string;
  counts: Record<string, number>;
  /** Whether an undo can re-add the people removed there. */
  undo: boolean;
  hint?: string;
}

/** Some of the users of one room in a plan: `users` names the first few, `more` counts the others. */
export interface PlanGroup {
  room: Id;
  users: Id[];
  more: number;
}

export interface ResultReply {
  kind: 'result';
  action: 'remove' | 'leave' | 'offboard' | 'restore';
  caseId: number;
  status: Status;
  results: PairResult<string>[];
  areas?: AreaResult[];
  /** `Removed 3 | Not a member 1 | Denied 0 | Failed 0` */
  summary: string;
  /** Display names of every id in the results. */
  labels: Record<Id, string>;
  /** Something the moderator must know about the run as a whole. */
  note?: string;
  /** An offboarding (or its undo): one entry per system, in the order they ran. */
  systems?: SystemResult[];
  /** Pairs not listed in `results` (an offboarding lists at most 1,000, problems first; its case holds all). */
  more?: number;
  /** A timed removal (`--for`): when its pairs come back (ms since the epoch). */
  until?: number;
}

/** Help, the list of cases, "cancelled". */
export interface InfoReply {
  kind: 'info';
  message: string;
  /** `/kickbot cases`: the page listed, as data (`kickbot run --json`). */
  cases?: CasePage;
  /** `/kickbot case <N>`: the case, as data. */
  case?: CaseView;
}

/** One page of `/kickbot cases`, newest first. */
export interface CasePage {
  page: number;
  /** Whether an older page follows. */
  more: boolean;
  items: CaseSummary[];
}

/** One case in a line: number, when (ISO 8601), by whom, the command, its pairs counted by outcome, undone or not. */
export interface CaseSummary {
  case: number;
  at: string;
  by: string;
  command: string;
  pairs: number;
  counts: Record<string, number>;
  reason?: string;
  undone: boolean;
  /** The case that undid it. */
  undoneBy?: number;
  /** Made by hand in the platform's own UI (kickbot learnt of it). */
  byHand?: boolean;
  /** A timed removal: when the pairs come back (ISO 8601). */
  until?: string;
}

/** A dated line of a case (a note, a reason): when (ISO 8601), who (as the platform writes them), what. */
export interface CaseEntry {
  at: string;
  by: string;
  text: string;
}

/**
 * `/kickbot case <N>`: one case, whole. People and rooms as the platform writes them; times ISO 8601. `pairs` of
 * each outcome list the first few (`more` counts the others); `count` is exact.
 */
export interface CaseView {
  case: number;
  at: string;
  /** Its moderator, or who did it by hand (`byHand`). */
  by: string;
  byHand?: { via: string; detail?: string };
  command: string;
  action?: 'remove' | 'leave' | 'offboard' | 'restore';
  /** A restore: the case it undid. */
  undoOf?: number;
  /** The reason now. */
  reason?: string;
  /** The command's reason, then each change. */
  reasonHistory: CaseEntry[];
  notes: CaseEntry[];
  /** How many pairs it has, counted by outcome. */
  pairs: number;
  counts: Record<string, number>;
  outcomes: { outcome: string; count: number; pairs: CasePair[]; more: number }[];
  /** The cases that undid it. */
  undoneBy: number[];
  until?: string;
  timer?: { state: 'set' | 'restored' | 'cancelled'; at: string; durable?: boolean; restoreCase?: number };
  dms: { user: string; ok: boolean; code?: string; at: string }[];
  cancelled?: { by: string; at: string };
}

export interface CasePair {
  user: string;
  room: string;
  area?: string;
  code?: string;
}

/** Refused as a whole (already running, rate limited, not yours to confirm…). */
export interface RefusedReply {
  kind: 'refused';
  code: string;
  message: string;
}

/** Something broke; the moderator sees a short apology and a reference to find it in the logs. */
export interface ErrorReply {
  kind: 'error';
  ref: string;
  message: string;
}

export type { PairResult, RestoreOutcome };
