import { createHash } from 'node:crypto';
import { z } from 'zod';

/**
 * Users and rooms already split into one reference each (`@bob`, `<@U1>`, `#general`, `#rocketchat:G1`), as a
 * front that takes ids rather than text (the HTTP API) builds them: the commands read them as they are, and no
 * reference is ever tokenized again.
 */
export const RefsSchema = z.object({
  users: z.array(z.string()),
  rooms: z.array(z.string()),
  area: z.string().optional(),
  reason: z.string().optional(),
  /** A timed removal's duration as given (`2h`); the command reads it. */
  for: z.string().optional(),
  /** Tell the removed people by direct message (true), or not (false); absent: the config says. */
  dm: z.boolean().optional(),
});

export type Refs = z.infer<typeof RefsSchema>;

/**
 * One command as a front end received it, translated into neutral terms. Every front end (console,
 * Slack, Discord, the HTTP API) produces exactly this; the core never sees a platform payload.
 */
export const InvocationSchema = z.object({
  /** Platform-prefixed and unique per delivery: a redelivery carries the same id (Slack trigger_id, Discord interaction id, `--key`). */
  id: z.string().min(1),
  platform: z.string().min(1),
  /** Platform-prefixed workspace (Slack team, Discord guild, console workspace file). Case numbers count per workspace. */
  workspace: z.string().min(1),
  actor: z.string().min(1),
  /** The room the command was typed in. */
  channel: z.string().min(1),
  command: z.string().min(1),
  input: z.union([
    z.object({ text: z.string() }),
    z.object({ options: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])) }),
    z.object({ refs: RefsSchema }),
    /** The moderator's answer to a confirmation prompt (`yes`/`no`, a Confirm or Cancel button). */
    z.object({ answer: z.object({ confirmId: z.string().min(1), yes: z.boolean() }) }),
  ]),
  /** Set when the moderator already confirmed (`--yes`, a confirm button). */
  confirmed: z.boolean().optional(),
  /**
   * What was asked, for an id a client chose (`Idempotency-Key`, `--key`): the id runs once for this request,
   * and another request under the same id is refused (see `fingerprintOf`).
   */
  fingerprint: z.string().optional(),
  receivedAt: z.number(),
});

export type Invocation = z.infer<typeof InvocationSchema>;

/** An answer to a confirmation prompt, as an invocation: `command` is `answer`, and the core takes it from there. */
export function answerInvocation(
  base: Omit<Invocation, 'command' | 'input' | 'confirmed' | 'fingerprint'>,
  confirmId: string,
  yes: boolean,
): Invocation {
  return { ...base, command: 'answer', input: { answer: { confirmId, yes } } };
}

/** A request's fingerprint: SHA-256 over its normalised parts, in the order given (JSON, so nothing is ambiguous). */
export function fingerprintOf(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url');
}
