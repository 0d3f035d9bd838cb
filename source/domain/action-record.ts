import { z } from 'zod';
import { ActionNameSchema } from './action.js';
import { EndpointSchema, LimitsSchema } from './container.js';
import { TargetSchema } from './decision.js';

/** What Brig needs to undo an isolating action, recorded before it acts (DESIGN §6). */
export const UndoDataSchema = z.object({
  endpoints: z.array(EndpointSchema).optional(),
  limits: LimitsSchema.optional(),
  quarantineNetwork: z.string().optional(),
});
export type UndoData = z.infer<typeof UndoDataSchema>;

/** The outcome of one action, journaled as an `action` record (DESIGN §7). */
export const ActionRecordSchema = z.object({
  id: z.string(),
  alert: z.string().nullable(),
  policy: z.string().nullable(),
  container: TargetSchema,
  engine: z.string(),
  action: ActionNameSchema,
  result: z.enum(['ok', 'failed']),
  attempts: z.number().int(),
  /** Engine latency: from the moment Brig decided to act (the alert, or the operator's approval) to done. */
  latency_ms: z.number(),
  /** Time the decision waited for the operator (approval) or a grace period before it was executed. */
  wait_ms: z.number().optional(),
  error: z.string().optional(),
  /** Set on isolating actions that succeeded: how to put things back. */
  undo: UndoDataSchema.optional(),
  /** On a restore: the action record ids it undid. */
  restored: z.array(z.string()).optional(),
  /** Who asked: a policy decision, the operator's manual action, or an approval from the queue. */
  origin: z.enum(['policy', 'manual', 'approved', 'restore']),
  ts: z.string(),
});
export type ActionRecord = z.infer<typeof ActionRecordSchema>;
