import { z } from 'zod';
import { AlertSchema } from './alert.js';
import { ActionNameSchema, ActionSpecSchema } from './action.js';
import { ActionRecordSchema, UndoDataSchema } from './action-record.js';
import { TargetSchema, VerdictSchema } from './decision.js';

/**
 * Journal records (DESIGN §7). The fields named there are read by outside tools: more may be added,
 * none renamed. Every record carries v, ts and type.
 */
const base = { v: z.literal(1), ts: z.string() };

export const AlertRecordSchema = z.object({
  ...base,
  type: z.literal('alert'),
  alert: AlertSchema,
  /** A repeated id within 10 minutes: counted and journaled, not decided again (DESIGN §4). */
  duplicate: z.boolean().optional(),
  /** A repeat of an alert the operator already answered (restored, skipped, vetoed): not acted on again. */
  answered: z.enum(['restored', 'skipped', 'vetoed']).optional(),
});

export const RejectedRecordSchema = z.object({
  ...base,
  type: z.literal('rejected'),
  source: z.string(),
  reason: z.string(),
  raw: z.string(),
  /** HTTP refusals summarized (reason "summary"): counts by reason since `since` (source/intake/http-rejection-log.ts). */
  since: z.string().optional(),
  counts: z.record(z.string(), z.number()).optional(),
});

export const DecisionRecordSchema = z.object({
  ...base,
  type: z.literal('decision'),
  alert: z.string(),
  policy: z.string().nullable(),
  container: TargetSchema.nullable(),
  action: ActionNameSchema.nullable(),
  verdict: VerdictSchema,
  reason: z.string(),
  decision_id: z.string().optional(),
  deadline: z.number().optional(),
});

export const ActionJournalRecordSchema = ActionRecordSchema.omit({ ts: true }).extend({
  ...base,
  type: z.literal('action'),
});

/**
 * Write-ahead (DESIGN §6): fsync'd before the Engine API call, with everything restore needs. An intent
 * with no settling `action` record is reconciled by inspecting the container.
 */
export const IntentRecordSchema = z.object({
  ...base,
  type: z.literal('intent'),
  id: z.string(),
  alert: z.string().nullable(),
  policy: z.string().nullable(),
  container: TargetSchema,
  engine: z.string(),
  action: ActionNameSchema,
  spec: ActionSpecSchema,
  undo: UndoDataSchema,
  origin: ActionRecordSchema.shape.origin,
});

export const OperatorRecordSchema = z
  .object({ ...base, type: z.literal('operator'), command: z.string() })
  .catchall(z.unknown());

/** An alert that resolved (Alertmanager): `alert` is the identity its firing had (fingerprint@startsAt). */
export const ResolvedRecordSchema = z
  .object({ ...base, type: z.literal('resolved'), source: z.string(), alert: z.string() })
  .catchall(z.unknown());

export const PoliciesRecordSchema = z
  .object({ ...base, type: z.literal('policies'), ok: z.boolean() })
  .catchall(z.unknown());

export const EngineRecordSchema = z
  .object({ ...base, type: z.literal('engine'), event: z.string() })
  .catchall(z.unknown());

export const JournalRecordSchema = z.discriminatedUnion('type', [
  AlertRecordSchema,
  RejectedRecordSchema,
  DecisionRecordSchema,
  ActionJournalRecordSchema,
  IntentRecordSchema,
  OperatorRecordSchema,
  ResolvedRecordSchema,
  PoliciesRecordSchema,
  EngineRecordSchema,
]);
export type JournalRecord = z.infer<typeof JournalRecordSchema>;
export type AlertRecord = z.infer<typeof AlertRecordSchema>;
export type RejectedRecord = z.infer<typeof RejectedRecordSchema>;
export type DecisionRecord = z.infer<typeof DecisionRecordSchema>;
export type ActionJournalRecord = z.infer<typeof ActionJournalRecordSchema>;
export type IntentRecord = z.infer<typeof IntentRecordSchema>;
export type OperatorRecord = z.infer<typeof OperatorRecordSchema>;
export type ResolvedRecord = z.infer<typeof ResolvedRecordSchema>;

/** A record before the journal stamps it with v and ts. */
const stamp = { v: true, ts: true } as const;
export const JournalEntrySchema = z.discriminatedUnion('type', [
  AlertRecordSchema.omit(stamp),
  RejectedRecordSchema.omit(stamp),
  DecisionRecordSchema.omit(stamp),
  ActionJournalRecordSchema.omit(stamp),
  IntentRecordSchema.omit(stamp),
  OperatorRecordSchema.omit(stamp),
  ResolvedRecordSchema.omit(stamp),
  PoliciesRecordSchema.omit(stamp),
  EngineRecordSchema.omit(stamp),
]);
export type JournalEntry = z.infer<typeof JournalEntrySchema>;
