import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { ActionSpec } from '../domain/action.js';
import type { ActionRecord } from '../domain/action-record.js';
import type { Alert } from '../domain/alert.js';
import type { Decision } from '../domain/decision.js';
import type { IntentRecord } from '../domain/journal-record.js';
import type { Inventory } from '../docker/inventory.js';
import type { Journal } from '../journal/journal.js';
import { PermanentActionError, planAction, type ActionPlan } from './actions.js';
import { deadlineFor, type Executor, isOutcomeUnknown } from './executor.js';

/** The journal could not make an intent durable: the action was not attempted (fail closed). */
export class IntentNotDurable extends PermanentActionError {
  override name = 'IntentNotDurable';
}

export interface DispatchContext {
  inventory: Inventory;
  executor: Executor;
  journal: Journal;
  /** Aborts every attempt in flight (shutdown). */
  signal: AbortSignal;
  /** Journals the outcome and applies it (isolation, history, views). */
  settle(record: ActionRecord): Promise<void>;
  /** The outcome is unknown (timeout, unreachable): reconcile the intent once the engine answers. */
  reconcileLater(intentId: string): void;
  journalFailed(error: Error): void;
}

export interface DispatchTiming {
  /** performance.now() when Brig decided to act: the alert's decision, an approval, a grace expiry. */
  startedAt: number;
  /** How long the decision waited for the operator or a grace period before that. */
  waitMs?: number;
}

/** Milliseconds since `startedAt` (performance.now()), to 0.01 ms: the latency_ms of every record. */
export function elapsedMs(startedAt: number): number {
  return round(performance.now() - startedAt);
}

const round = (ms: number) => Math.round(ms * 100) / 100;

/**
 * One decision carried out, write-ahead (DESIGN §6): read the container, fsync an `intent` with what
 * restore needs, only then call the Engine API, then journal the outcome naming the intent. Each
 * attempt is bounded by its deadline through an AbortSignal; a journal that cannot take the intent
 * means nothing is attempted.
 */
export async function carryOut(
  ctx: DispatchContext,
  alert: Alert | undefined,
  decision: Decision,
  origin: ActionRecord['origin'],
  timing: DispatchTiming,
): Promise<ActionRecord> {
  const spec = decision.action as ActionSpec;
  const target = decision.container as { id: string; name: string };
  // Only ids taken from the inventory reach the port.
  const container = ctx.inventory.get(target.id);
  const port = container ? ctx.inventory.port(container.engine) : undefined;
  const base = {
    id: randomUUID(),
    alert: alert?.id ?? null,
    policy: decision.policy,
    container: target,
    engine: container?.engine ?? '',
    action: spec.kind,
    origin,
    ...(timing.waitMs !== undefined ? { wait_ms: round(timing.waitMs) } : {}),
  } as const;
  if (!container || !port) {
    const record: ActionRecord = {
      ...base,
      result: 'failed',
      attempts: 0,
      latency_ms: 0,
      error: 'container is no longer in the inventory',
      ts: new Date().toISOString(),
    };
    await ctx.settle(record);
    return record;
  }
  let plan: ActionPlan | undefined;
  let intent: IntentRecord | undefined;
  const attempted = await ctx.executor.run(
    async (signal) => {
      plan ??= await planAction(port, container, spec, signal);
      if (!intent && spec.kind !== 'notify') intent = await writeIntent(ctx, base, spec, plan);
      await plan.apply(signal);
    },
    deadlineFor(spec),
    ctx.signal,
  );
  const latency = elapsedMs(timing.startedAt);
  const unknown = !attempted.ok && intent !== undefined && isOutcomeUnknown(attempted.error);
  const record: ActionRecord = attempted.ok
    ? {
        ...base,
        result: 'ok',
        attempts: attempted.attempts,
        latency_ms: latency,
        ...(plan?.undo ? { undo: plan.undo } : {}),
        ...(intent ? { intent: intent.id } : {}),
        ts: new Date().toISOString(),
      }
    : {
        ...base,
        result: 'failed',
        attempts: attempted.attempts,
        latency_ms: latency,
        error: attempted.error.message,
        ...(intent ? { intent: intent.id } : {}),
        ...(unknown ? { unsettled: true } : {}),
        ts: new Date().toISOString(),
      };
  await ctx.settle(record);
  if (unknown && intent) ctx.reconcileLater(intent.id);
  if (!attempted.ok && attempted.error instanceof IntentNotDurable) ctx.journalFailed(attempted.error);
  return record;
}

async function writeIntent(
  ctx: DispatchContext,
  base: Pick<ActionRecord, 'alert' | 'policy' | 'container' | 'engine' | 'origin'>,
  spec: ActionSpec,
  plan: ActionPlan,
): Promise<IntentRecord> {
  const entry = {
    type: 'intent' as const,
    id: randomUUID(),
    alert: base.alert,
    policy: base.policy,
    container: base.container,
    engine: base.engine,
    action: spec.kind,
    spec,
    undo: plan.undo ?? {},
    origin: base.origin,
  };
  try {
    return (await ctx.journal.appendDurable(entry)) as IntentRecord;
  } catch (error) {
    throw new IntentNotDurable(
      `not attempted: the journal could not take the intent (${(error as Error).message}); Brig disarmed itself`,
    );
  }
}
