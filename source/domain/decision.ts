import { z } from 'zod';
import { ActionSpecSchema } from './action.js';

/**
 * A decision's verdict (DESIGN §5). The first seven are the guard rails in order; the rest say why
 * an alert produced no (policy, target) pair.
 */
export const VerdictSchema = z.enum([
  'protected',
  'already',
  'dry-run',
  'disarmed',
  'cooldown',
  'rate-limited',
  'pending',
  'execute',
  'no-match',
  'blast-radius',
  'unknown-container',
  /** The alert's id and name point at two different containers: Brig acts on neither. */
  'container-mismatch',
  'no-target',
]);
export type Verdict = z.infer<typeof VerdictSchema>;

export const TargetSchema = z.object({ id: z.string(), name: z.string() });
export type Target = z.infer<typeof TargetSchema>;

export const DecisionSchema = z.object({
  alert: z.string(),
  policy: z.string().nullable(),
  container: TargetSchema.nullable(),
  action: ActionSpecSchema.nullable(),
  verdict: VerdictSchema,
  reason: z.string(),
  /** Escalation step taken (0-based) when the policy has an escalation ladder. */
  step: z.number().int().optional(),
  /** For `pending`: epoch ms at which the action executes unless vetoed. */
  deadline: z.number().optional(),
});
export type Decision = z.infer<typeof DecisionSchema>;

/** Why each policy was or was not a candidate: the decision trace of the alert details view. */
export const TraceStepSchema = z.object({
  policy: z.string(),
  outcome: z.enum(['decided', 'skipped']),
  reason: z.string(),
});
export type TraceStep = z.infer<typeof TraceStepSchema>;
