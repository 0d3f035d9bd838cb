import { z } from 'zod';
import { ActionNameSchema } from './action.js';
import { EndpointSchema, LimitsSchema } from './container.js';
import { TargetSchema } from './decision.js';

/** What Brig needs to undo an isolating action, recorded before it acts (DESIGN §6). */
export const UndoDataSchema = z.object({
  endpoints: z.array(EndpointSchema).optional(),
  limits: LimitsSchema.optional(),
  quarantineNetwork: z.string().optional(),
  /** The container's state before the action (running, paused, …): what reconciliation compares with. */
  priorState: z.string().optional(),
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
  /** What Brig wants the operator to know about a success (how it was reconciled, what was not exact). */
  note: z.string().optional(),
  /** Set on isolating actions that succeeded: how to put things back. */
  undo: UndoDataSchema.optional(),
  /** On a restore: the action record ids it undid. */
  restored: z.array(z.string()).optional(),
  /** Who asked: a policy decision, the operator's manual action, or an approval from the queue. */
  origin: z.enum(['policy', 'manual', 'approved', 'restore']),
  /** The write-ahead intent this record settles (DESIGN §6). */
  intent: z.string().optional(),
  /**
   * How the outcome was learnt when it was not the Engine API's own answer: `late` (the engine
   * answered after the attempt had timed out), `start` (an intent found without an outcome at start).
   */
  reconciled: z.enum(['late', 'start']).optional(),
  /**
   * Set on a failure whose effect is unknown (timeout, engine unreachable): the intent stays open and
   * is reconciled by inspecting the container once the engine answers.
   */
  unsettled: z.boolean().optional(),
  ts: z.string(),
});
export type ActionRecord = z.infer<typeof ActionRecordSchema>;
