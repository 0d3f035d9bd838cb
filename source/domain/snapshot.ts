import { z } from 'zod';
import { AlertSchema } from './alert.js';
import { ActionSpecSchema } from './action.js';
import { ActionRecordSchema } from './action-record.js';
import { ContainerSchema } from './container.js';
import { ContainerEventSchema } from './container-event.js';
import { DecisionSchema, TraceStepSchema } from './decision.js';
import type { FollowLogsOptions, LogEvent } from './log-line.js';
import { SeveritySchema } from './severity.js';

/** Live resource figures from the detectors' sampler; absent until the first sample. */
export const ContainerStatsSchema = z.object({
  cpuPercent: z.number(),
  memoryBytes: z.number(),
  pids: z.number(),
  /** Recent samples, oldest first, for the details sparklines. */
  cpuHistory: z.array(z.number()),
  pidsHistory: z.array(z.number()),
});
export type ContainerStats = z.infer<typeof ContainerStatsSchema>;

export const PostureLevelSchema = z.enum(['maximum', 'standard', 'minimal', 'none']);
export type PostureLevel = z.infer<typeof PostureLevelSchema>;

export const PostureSchema = z.object({
  level: PostureLevelSchema,
  failed: z.array(z.object({ check: z.string(), detail: z.string() })),
});
export type Posture = z.infer<typeof PostureSchema>;

/** What Brig has done to a container and not yet undone: what `u` restores. */
export const IsolationSchema = z.object({
  actions: z.array(ActionRecordSchema),
  /** Words for the state column: PAUSED, ISOLATED, THROTTLED, STOPPED, KILLED. */
  labels: z.array(z.string()),
});
export type Isolation = z.infer<typeof IsolationSchema>;

/** The newest evidence bundle of a container (README "Evidence"): where it is and whether it is whole. */
export const EvidenceViewSchema = z.object({
  dir: z.string(),
  complete: z.boolean(),
  reasons: z.array(z.string()),
  at: z.string(),
});
export type EvidenceView = z.infer<typeof EvidenceViewSchema>;

export const ContainerViewSchema = ContainerSchema.extend({
  evidence: EvidenceViewSchema.optional(),
  stats: ContainerStatsSchema.optional(),
  posture: PostureSchema.optional(),
  isolation: IsolationSchema.optional(),
  /**
   * Its recent Docker events, oldest first (at most containerEventsKept): what happened since Brig
   * started watching, not the container's whole life. Absent until it has had one.
   */
  events: z.array(ContainerEventSchema).optional(),
});
export type ContainerView = z.infer<typeof ContainerViewSchema>;

/**
 * What became of one decision after it was made: the Alerts pane's verdict column follows this, not
 * the verdict at decision time (a `disarmed` decision the operator approved reads `executed`).
 */
export const DecisionOutcomeSchema = z.object({
  state: z.enum([
    'decided',
    'queued',
    'pending',
    'executing',
    'executed',
    'failed',
    'skipped',
    'vetoed',
    'evicted',
  ]),
  /** Who moved it to this state: the policy itself, the operator (approve/skip/veto), or a grace timer. */
  by: z.enum(['policy', 'operator', 'grace']).optional(),
  /** ISO time of the last change. */
  at: z.string().optional(),
  /** The action record, once one exists. */
  actionId: z.string().optional(),
  error: z.string().optional(),
});
export type DecisionOutcome = z.infer<typeof DecisionOutcomeSchema>;

export const AlertViewSchema = z.object({
  alert: AlertSchema,
  decisions: z.array(DecisionSchema),
  /** Parallel to `decisions`: what became of each (absent in old snapshots and test fakes). */
  outcomes: z.array(DecisionOutcomeSchema).optional(),
  trace: z.array(TraceStepSchema),
  duplicate: z.boolean().optional(),
});
export type AlertView = z.infer<typeof AlertViewSchema>;

export const PolicySummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  file: z.string(),
  priority: z.number(),
  severityThreshold: SeveritySchema,
  rules: z.array(z.string()),
  enabled: z.boolean(),
  mode: z.enum(['enforce', 'dry-run']),
  action: z.string(),
});
export type PolicySummary = z.infer<typeof PolicySummarySchema>;

/** A decision waiting for the operator: disarmed or dry-run proposals, grace countdowns. */
export const QueueItemSchema = z.object({
  id: z.string(),
  kind: z.enum(['approval', 'proposal', 'grace']),
  alert: AlertSchema,
  decision: DecisionSchema,
  /** For grace: epoch ms when it executes unless vetoed. */
  deadline: z.number().optional(),
});
export type QueueItem = z.infer<typeof QueueItemSchema>;

export const EngineStatusSchema = z.object({
  host: z.string(),
  up: z.boolean(),
  error: z.string().optional(),
});
export type EngineStatus = z.infer<typeof EngineStatusSchema>;

/** Everything a view needs, immutable; the engine publishes a new one on change (coalesced). */
export const EngineSnapshotSchema = z.object({
  armed: z.boolean(),
  dryRun: z.boolean(),
  readOnly: z.boolean(),
  engines: z.array(EngineStatusSchema),
  containers: z.array(ContainerViewSchema),
  alerts: z.array(AlertViewSchema),
  policies: z.array(PolicySummarySchema),
  actions: z.array(ActionRecordSchema),
  queue: z.array(QueueItemSchema),
  inFlight: z.number(),
  policyError: z.string().optional(),
  /** A warning for the operator that is not about policies (startup, journal): the status line shows it. */
  notice: z.string().optional(),
  /** e.g. "cgroup 100ms" or "stats API 2s (cgroups unreadable)": shown so nobody is misled. */
  sampler: z.string().optional(),
  counters: z.object({ alerts: z.number(), rejected: z.number(), duplicates: z.number(), shed: z.number() }),
});
export type EngineSnapshot = z.infer<typeof EngineSnapshotSchema>;

/** What views (TUI, HTTP) may ask of the engine; each is journaled as an `operator` record. */
export const EngineCommandSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('arm') }),
  z.object({ type: z.literal('disarm') }),
  z.object({ type: z.literal('set-dry-run'), on: z.boolean() }),
  z.object({ type: z.literal('approve'), id: z.string() }),
  z.object({ type: z.literal('skip'), id: z.string() }),
  z.object({ type: z.literal('veto'), id: z.string() }),
  z.object({ type: z.literal('restore'), container: z.string() }),
  z.object({ type: z.literal('manual'), container: z.string(), action: ActionSpecSchema }),
  /** Capture evidence of the container now (DESIGN §13); the engine journals the capture record. */
  z.object({ type: z.literal('capture'), container: z.string() }),
  z.object({ type: z.literal('set-policy-enabled'), id: z.string(), enabled: z.boolean() }),
  z.object({ type: z.literal('reload-policies') }),
]);
export type EngineCommand = z.infer<typeof EngineCommandSchema>;

/** Why a command did not do what was asked: the HTTP layer maps these to statuses (never the words). */
export const CommandErrorCodeSchema = z.enum([
  'not-found',
  'nothing-to-restore',
  'refused',
  'read-only',
  'dry-run',
  'failed',
  'journal-unavailable',
]);
export type CommandErrorCode = z.infer<typeof CommandErrorCodeSchema>;

export type CommandResult =
  | { ok: true; message: string; record?: z.infer<typeof ActionRecordSchema> }
  | { ok: false; message: string; code?: CommandErrorCode };

/**
 * The raw inspect document of one container, from the engine that holds it, or why there is none:
 * never a rejection, so a view can show the reason as text.
 */
export type InspectResult =
  { ok: true; engine: string; inspect: Record<string, unknown> } | { ok: false; message: string };

/** The engine as views see it: read snapshots, send commands. No Docker here. */
export interface EngineHandle {
  getSnapshot(): EngineSnapshot;
  subscribe(listener: () => void): () => void;
  send(command: EngineCommand): Promise<CommandResult>;
  /** GET /containers/{id}/json of a container (id, id prefix or name) as the engine answers it. */
  inspectContainer(container: string): Promise<InspectResult>;
  /**
   * Follows a container's logs (id or name, on whichever engine holds it) for the logs view; returns
   * the stop. Never throws: an unknown container, a gone engine or the end of the stream reach the
   * listener as an `end` event.
   */
  followLogs(container: string, options: FollowLogsOptions, listener: (event: LogEvent) => void): () => void;
}
