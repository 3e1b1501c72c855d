import type { z } from 'zod';
import type { Refs } from './invocation.js';
import type { Permission } from './permissions.js';
import type { Reply } from './reply.js';
import type { Token } from './tokens.js';

export type OptionValues = Record<string, string | number | boolean>;

/**
 * A typed option, for platforms whose commands take them (Discord). A user or channel option's value reaches
 * `fromOptions` as a mention (`<@id>`, `<#id>`); a subcommand's name as the value of `subcommand`.
 */
export type OptionSpec =
  | {
      name: string;
      description: string;
      type: 'user' | 'channel' | 'string' | 'integer' | 'boolean';
      required?: boolean;
      /** Suggest values while typing: the configured areas. */
      autocomplete?: 'areas';
      maxLength?: number;
      minValue?: number;
    }
  | { name: string; description: string; type: 'subcommand'; options?: OptionSpec[] };

/** One batch of a removal: these users out of these rooms (none = the current room), or out of an area. */
export interface RemovalBatch {
  users: string[];
  rooms: string[];
  area?: string;
  reason?: string;
}

/** What the moderator said about telling the removed people and about time (flags common to the removals). */
export interface RemovalFlags {
  /** `--for 2h`: the pairs are restored this long after the removal (1 minute to 365 days). */
  forMs?: number;
  /** `--dm` (true) / `--no-dm` (false); undefined: the config's `notify.dm`. */
  dm?: boolean;
}

export interface RemovalRequest extends RemovalFlags {
  batches: RemovalBatch[];
  /** The moderator confirmed up front (`--yes`). */
  yes: boolean;
}

/**
 * What a command asks the core for, as data: the core runs it (`handle` dispatches each kind to its use case).
 * Commands hold no removal or permission logic and never call back into the core.
 */
export type Request =
  | ({ kind: 'remove' } & RemovalRequest)
  | { kind: 'leave'; room: string | undefined }
  /** `/offboard`: these users out of everything kickbot reaches. */
  | { kind: 'offboard'; users: string[]; reason?: string; yes: boolean; dm?: boolean }
  | { kind: 'undo'; caseId: number }
  /** `/kickbot cases [@user] [by @moderator] [since 7d|2026-11-01] [page N]` (pages count from 1). */
  | {
      kind: 'cases';
      user: string | undefined;
      page: number | undefined;
      /** Only cases this moderator opened (a mention). */
      by?: string;
      /**
       * Only cases opened at or after this: a time back (`7d`) or a date (`2026-11-01`, UTC midnight), as typed; the
       * core reads it with its clock (commands have none).
       */
      since?: string;
    }
  /** `/kickbot case <N>`: one case, whole. */
  | { kind: 'case'; caseId: number }
  /** `/kickbot note <N> <text>` and `/kickbot reason <N> <text>`. */
  | { kind: 'note' | 'reason'; caseId: number; text: string }
  /** `/kickbot cancel <N>`: pairs of a running case not yet started end `cancelled`. */
  | { kind: 'cancel'; caseId: number }
  /** An answer the command gives itself (help). */
  | { kind: 'reply'; reply: Reply };

/**
 * A command, as data (`commands/<name>.ts`). The Slack manifest and the Discord payload are generated from
 * these, so name, description and usage are what users see.
 */
export interface CommandDefinition<A = unknown> {
  name: string;
  description: string;
  /** `/kick @user [@user…] [#room…] [reason…]` */
  usage: string;
  /** Short hint for the platform's command picker (Slack `usage_hint`). */
  hint: string;
  /** The permission it is about; the per-pair rules decide each case. */
  permission: Permission;
  args: z.ZodType<A>;
  /** Text (console, Slack) to the raw object `args` validates. May throw a `UsageError`. */
  fromText(tokens: readonly Token[], text: string): unknown;
  /** The typed options (Discord), in the order the platform shows them: required ones first. */
  options?: OptionSpec[];
  /** Who sees the command in a platform's command picker: members holding this platform permission (Discord). */
  visibleTo?: 'kick' | 'manage-roles' | 'everyone';
  /** Typed options (Discord) to the raw object `args` validates. */
  fromOptions?(options: OptionValues): unknown;
  /** References already split one per id (the HTTP API) to the raw object `args` validates; never re-tokenized. */
  fromRefs?(refs: Refs): unknown;
  /** The parsed args to what the command asks for; pure (`commands` is every command, for help). */
  request(args: A, commands: readonly CommandDefinition[]): Request;
}

export function defineCommand<A>(definition: CommandDefinition<A>): CommandDefinition<A> {
  return definition;
}
