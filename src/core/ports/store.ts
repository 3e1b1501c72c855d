import type { Id } from '../ids.js';
import type { Invocation } from '../invocation.js';
import type { Outcome, PairResult, RestoreOutcome } from '../outcomes.js';
import type { RoomRole } from '../permissions.js';
import type { Reply } from '../reply.js';
import type { UndoData } from './facts.js';

/** The Store port: dedupe, locks, audit / cases, pending confirmations, config. Memory and Redis implement it. */

/** `mismatch`: the id was claimed for another request (another fingerprint); nothing is to be done. */
export type Claim =
  | { state: 'new' }
  | { state: 'running' }
  | { state: 'done'; reply: Reply }
  | { state: 'mismatch' };

export type AuditAction = 'remove' | 'leave' | 'offboard' | 'restore';

/**
 * What happened to a case besides its pairs, oldest first, kept beside its audit records: how it was opened, notes,
 * reason changes, direct messages, its timer, an undo, a cancel. Append-only: nothing here replaces anything.
 */
export type CaseEvent =
  /** The case was opened by a command (`command` as typed, or as the options read) or by hand on a platform. */
  | {
      kind: 'opened';
      at: number;
      /** Who opened it: the moderator; for a removal made by hand, who did it where the platform says so. */
      by: Id;
      platform: string;
      /** The room the command was typed in (a timed restore posts there). */
      channel: Id;
      command: string;
      /** A timed removal: when the pairs come back (ms since the epoch). */
      until?: number;
      /** Made by hand in the platform's own UI, as kickbot learnt it (`discord-audit-log`, `slack-events`). */
      byHand?: { via: string; detail?: string };
    }
  | { kind: 'note'; at: number; by: Id; text: string }
  /** A new reason; the one before stays in the history (the first is the command's, on the audit records). */
  | { kind: 'reason'; at: number; by: Id; text: string }
  /** The direct message to a removed person, sent before the removal; `code` says why it failed. */
  | { kind: 'dm'; at: number; user: Id; ok: boolean; code?: string }
  /** A timed removal's timer: set (`durable`: it survives a restart), or how it ended. */
  | { kind: 'timer'; at: number; state: 'set'; until: number; durable: boolean }
  | { kind: 'timer'; at: number; state: 'restored' | 'cancelled'; restoreCase?: number }
  /** `/kickbot undo`, or the timer: the case that re-added the people. */
  | { kind: 'undone'; at: number; by: Id; restoreCase: number }
  /** `/kickbot cancel`: pairs not yet started end `cancelled`. */
  | { kind: 'cancel'; at: number; by: Id };

export interface AuditRecord {
  caseId: number;
  workspace: Id;
  action: AuditAction;
  actor: Id;
  target: Id;
  room: Id;
  area?: string;
  reason?: string;
  outcome: Outcome | RestoreOutcome;
  code?: string;
  /** The room roles the target lost, so that undo can give them back. */
  roles?: RoomRole[];
  /** What the platform needs to undo the removal exactly. */
  undo?: UndoData;
  /** For a restore: the case it undid. */
  undoOf?: number;
  invocation: string;
  at: number;
}

export interface AuditQuery {
  /** Omitted: every workspace (`kickbot audit`). */
  workspace?: Id;
  caseId?: number;
  /** Records whose target or actor is this user. */
  user?: Id;
  /** At most this many records, newest first. */
  limit?: number;
}

export interface Pending {
  invocation: Invocation;
  expiresAt: number;
}

/** A pair's place in a bulk job, so that a resumed job knows what is done and what was in flight. */
export interface PairMark {
  job: string;
  index: number;
}

/**
 * A marker (`setMarker`) written in the same atomic step as a pair's claim or settle, so that noting what kickbot
 * does to a pair costs no round trip of its own. `value` undefined deletes the marker.
 */
export interface MarkerWrite {
  key: string;
  value?: string;
  ttlMs: number;
}

/** What claiming a bulk job's pair found. */
/**
 * A pair's claim: the lock (`recovering` when an attempt of this job left the pair in flight and died), or busy
 * (`inFlight` when the holder is, as far as the mark says, another attempt of this same job: it records the
 * pair), or already settled under the mark.
 */
export type PairClaim =
  | { token: string; recovering: boolean }
  | { busy: true; inFlight?: boolean }
  | { settled: PairResult };

/** What a pair's settle step also does: release its lock, note its result under the job's mark, write its marker. */
export interface SettleOptions {
  lock?: { key: string; token: string };
  mark?: PairMark & { result: PairResult };
  marker?: MarkerWrite;
}

export type RateResult = { ok: true; used: number } | { ok: false; used: number; retryAfterMs: number };

/**
 * What the core keeps between calls and across replicas. Every method is atomic where it says so; a store that
 * cannot be reached throws `StoreUnavailableError`. `test/store/contract.ts` is the contract.
 */
export interface Store {
  /**
   * First caller for an id gets `new`; later callers get `running` or the first run's reply. The claim keeps
   * `fingerprint` (what was asked, default ''): a later claim with another fingerprint gets `mismatch`, whatever
   * the state. Completing keeps the fingerprint; releasing forgets it with the claim.
   */
  claimInvocation(id: string, ttlMs: number, fingerprint?: string): Promise<Claim>;
  completeInvocation(id: string, reply: Reply, ttlMs: number): Promise<void>;
  /** Forget a claim whose run failed, so that a redelivery may try again. */
  releaseInvocation(id: string): Promise<void>;
  /** The reply of a running invocation once it is done; undefined if it is not done within `timeoutMs`. */
  awaitInvocation(id: string, timeoutMs: number): Promise<Reply | undefined>;
  /** A token when the lock was free, else undefined. */
  acquireLock(key: string, ttlMs: number): Promise<string | undefined>;
  /**
   * For a pair of a bulk job, atomically: a pair already settled answers its result; a held lock answers `busy`;
   * otherwise the lock is taken and the pair marked in flight (and `marker` written). A pair an earlier attempt left
   * in flight (whose lock has expired: its worker died) is claimed as `recovering`.
   */
  claimPair(key: string, ttlMs: number, mark: PairMark, marker?: MarkerWrite): Promise<PairClaim>;
  /** Keeps a lock alive while its holder works; false if it is no longer held with this token. */
  extendLock(key: string, token: string, ttlMs: number): Promise<boolean>;
  /** Releases only a lock still held with this token. */
  releaseLock(key: string, token: string): Promise<boolean>;
  /**
   * In one atomic step: appends the pair's audit record, notes its result under the mark, releases its lock.
   * A pair already settled under the mark is left as it is (no second record, no marker write). Returns how many
   * pairs of the mark's job are settled (0 without a mark).
   */
  settlePair(record: AuditRecord, opts: SettleOptions): Promise<number>;
  /** What earlier attempts of a job left: each pair's result, or `pending` when it was in flight. */
  readMarks(job: string): Promise<Map<number, PairResult | 'pending'>>;
  /** How many pairs of a job are settled (what `settlePair` answered last); 0 for a job nobody settled. */
  settledCount(job: string): Promise<number>;
  /** Drops a finished job's marks before they expire (a job run in this process, whose results are returned). */
  forgetJob(job: string): Promise<void>;
  nextCaseId(workspace: Id): Promise<number>;
  /**
   * Appends records to the audit log, once per `once` key: appending again under the same key (a resent write
   * after a lost reply, a retried job) adds nothing.
   */
  appendAudit(records: readonly AuditRecord[], once: string): Promise<void>;
  readAudit(query: AuditQuery): Promise<AuditRecord[]>;
  /** The highest case number given out in this workspace so far (0: none yet). */
  lastCaseId(workspace: string): Promise<number>;
  /** Every workspace that has had a case (the export walks them). */
  workspaces(): Promise<Id[]>;
  /** Appends an event to a case, once per `once` key (default: always). */
  appendCaseEvent(workspace: Id, caseId: number, event: CaseEvent, once?: string): Promise<void>;
  /** A case's events, oldest first. */
  readCaseEvents(workspace: Id, caseId: number): Promise<CaseEvent[]>;
  /** A small value that expires (what kickbot itself is removing, who was removed recently). */
  setMarker(key: string, value: string, ttlMs: number): Promise<void>;
  getMarker(key: string): Promise<string | undefined>;
  deleteMarker(key: string): Promise<void>;
  savePending(id: string, pending: Pending, ttlMs: number): Promise<void>;
  peekPending(id: string): Promise<Pending | undefined>;
  /** Atomically reads and deletes: of two concurrent takes, one gets it. */
  takePending(id: string): Promise<Pending | undefined>;
  /**
   * Counts `amount` against `key` in a fixed window of `windowMs`; when that would pass `limit` nothing is
   * counted and the answer says when the window ends. `dryRun` only checks.
   */
  consumeRate(
    key: string,
    amount: number,
    limit: number,
    windowMs: number,
    dryRun?: boolean,
  ): Promise<RateResult>;
  /**
   * Reserves the next slot of a steady rate shared by every process: one call per `intervalMs` under `key`.
   * Answers how long the caller must wait before its call (0 = go now).
   */
  paceSlot(key: string, intervalMs: number): Promise<number>;
  getConfig(key: string): Promise<unknown>;
  setConfig(key: string, value: unknown): Promise<void>;
  /** Whether the store answers right now (health checks). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
