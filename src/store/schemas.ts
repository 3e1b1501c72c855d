import { z } from 'zod';
import { InvocationSchema, OUTCOMES, RESTORE_OUTCOMES, type Reply, ROOM_ROLES } from '../core/index.js';

/** What the Redis store reads back is parsed here, so that a bad or foreign value fails loudly at the edge. */

const Id = z.string().min(1);

export const PairResultSchema = z.object({
  room: Id,
  user: Id,
  area: z.string().optional(),
  outcome: z.enum(['removed', 'not_member', 'denied', 'unsupported', 'failed', 'cancelled']),
  code: z.string().optional(),
  hint: z.string().optional(),
});

export const AuditRecordSchema = z.object({
  caseId: z.number().int().positive(),
  workspace: Id,
  action: z.enum(['remove', 'leave', 'offboard', 'restore']),
  actor: Id,
  target: Id,
  room: Id,
  area: z.string().optional(),
  reason: z.string().optional(),
  outcome: z.enum([...new Set([...OUTCOMES, ...RESTORE_OUTCOMES])]),
  code: z.string().optional(),
  roles: z.array(z.enum(ROOM_ROLES)).optional(),
  undo: z.record(z.string(), z.string()).optional(),
  undoOf: z.number().int().optional(),
  invocation: z.string(),
  at: z.number(),
});

/** ports/store.ts `CaseEvent`. */
export const CaseEventSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('opened'),
    at: z.number(),
    by: Id,
    platform: z.string(),
    channel: Id,
    command: z.string(),
    until: z.number().optional(),
    byHand: z.object({ via: z.string(), detail: z.string().optional() }).optional(),
  }),
  z.object({ kind: z.literal('note'), at: z.number(), by: Id, text: z.string() }),
  z.object({ kind: z.literal('reason'), at: z.number(), by: Id, text: z.string() }),
  z.object({ kind: z.literal('dm'), at: z.number(), user: Id, ok: z.boolean(), code: z.string().optional() }),
  z.object({
    kind: z.literal('timer'),
    at: z.number(),
    state: z.enum(['set', 'restored', 'cancelled']),
    until: z.number().optional(),
    durable: z.boolean().optional(),
    restoreCase: z.number().optional(),
  }),
  z.object({ kind: z.literal('undone'), at: z.number(), by: Id, restoreCase: z.number() }),
  z.object({ kind: z.literal('cancel'), at: z.number(), by: Id }),
]);

export const PendingSchema = z.object({ invocation: InvocationSchema, expiresAt: z.number() });

const Labels = z.record(z.string(), z.string());
const PlanGroupSchema = z.object({ room: Id, users: z.array(Id), more: z.number() });
/** An offboarding's plan and result per system (reply.ts `SystemPlan`, `SystemResult`). */
const SystemPlanSchema = z.object({
  system: z.string(),
  name: z.string(),
  rooms: z.number(),
  removals: z.number(),
  protectedUsers: z.array(Id),
  refused: z.record(z.string(), z.number()),
  undo: z.boolean(),
  hint: z.string().optional(),
});
const SystemResultSchema = z.object({
  system: z.string(),
  name: z.string(),
  summary: z.string(),
  counts: z.record(z.string(), z.number()),
  undo: z.boolean(),
  hint: z.string().optional(),
});

const CaseEntrySchema = z.object({ at: z.string(), by: z.string(), text: z.string() });
/** `/kickbot case <N>` (reply.ts `CaseView`). */
const CaseViewSchema = z.object({
  case: z.number(),
  at: z.string(),
  by: z.string(),
  byHand: z.object({ via: z.string(), detail: z.string().optional() }).optional(),
  command: z.string(),
  action: z.enum(['remove', 'leave', 'offboard', 'restore']).optional(),
  undoOf: z.number().optional(),
  reason: z.string().optional(),
  reasonHistory: z.array(CaseEntrySchema),
  notes: z.array(CaseEntrySchema),
  pairs: z.number(),
  counts: z.record(z.string(), z.number()),
  outcomes: z.array(
    z.object({
      outcome: z.string(),
      count: z.number(),
      pairs: z.array(
        z.object({
          user: z.string(),
          room: z.string(),
          area: z.string().optional(),
          code: z.string().optional(),
        }),
      ),
      more: z.number(),
    }),
  ),
  undoneBy: z.array(z.number()),
  until: z.string().optional(),
  timer: z
    .object({
      state: z.enum(['set', 'restored', 'cancelled']),
      at: z.string(),
      durable: z.boolean().optional(),
      restoreCase: z.number().optional(),
    })
    .optional(),
  dms: z.array(z.object({ user: z.string(), ok: z.boolean(), code: z.string().optional(), at: z.string() })),
  cancelled: z.object({ by: z.string(), at: z.string() }).optional(),
});

export const ReplySchema: z.ZodType<Reply> = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('usage'), message: z.string(), usage: z.string().optional() }),
  z.object({
    kind: z.literal('confirm'),
    confirmId: z.string(),
    expiresAt: z.number(),
    removals: z.number(),
    notMember: z.number(),
    refused: z.array(
      z.object({
        user: Id,
        room: Id,
        outcome: z.string(),
        code: z.string().optional(),
        hint: z.string().optional(),
      }),
    ),
    removing: z.array(PlanGroupSchema).default([]),
    absent: z.array(PlanGroupSchema).default([]),
    message: z.string(),
    labels: Labels,
    systems: z.array(SystemPlanSchema).optional(),
  }),
  z.object({
    kind: z.literal('result'),
    action: z.enum(['remove', 'leave', 'offboard', 'restore']),
    caseId: z.number(),
    status: z.enum(['ok', 'partial', 'error']),
    results: z.array(PairResultSchema.extend({ outcome: z.string() })),
    areas: z
      .array(
        z.object({
          area: z.string(),
          users: z.array(Id),
          usersNotUpdated: z.array(Id),
          errors: z.array(
            z.object({
              room: Id,
              user: Id,
              outcome: z.enum(['removed', 'not_member', 'denied', 'unsupported', 'failed']),
              code: z.string().optional(),
            }),
          ),
        }),
      )
      .optional(),
    summary: z.string(),
    labels: Labels,
    note: z.string().optional(),
    systems: z.array(SystemResultSchema).optional(),
    more: z.number().optional(),
    until: z.number().optional(),
  }),
  z.object({
    kind: z.literal('info'),
    message: z.string(),
    cases: z
      .object({
        page: z.number(),
        more: z.boolean(),
        items: z.array(
          z.object({
            case: z.number(),
            at: z.string(),
            by: z.string(),
            command: z.string(),
            pairs: z.number(),
            counts: z.record(z.string(), z.number()),
            reason: z.string().optional(),
            undone: z.boolean(),
            undoneBy: z.number().optional(),
            byHand: z.boolean().optional(),
            until: z.string().optional(),
          }),
        ),
      })
      .optional(),
    case: CaseViewSchema.optional(),
  }),
  z.object({ kind: z.literal('refused'), code: z.string(), message: z.string() }),
  z.object({ kind: z.literal('error'), ref: z.string(), message: z.string() }),
]);

/** `fp`: the fingerprint of the request that claimed the id (absent in values written before it was kept). */
export const InvocationStateSchema = z.union([
  z.object({ state: z.literal('running'), fp: z.string().optional() }),
  z.object({ state: z.literal('done'), fp: z.string().optional(), reply: ReplySchema }),
]);
