import { z } from 'zod';

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
  ]),
  /** Set when the moderator already confirmed (`--yes`, a confirm button). */
  confirmed: z.boolean().optional(),
  receivedAt: z.number(),
});

export type Invocation = z.infer<typeof InvocationSchema>;
