import { randomUUID } from 'node:crypto';
import type { ActionRecord } from '../domain/action-record.js';
import type { IntentRecord } from '../domain/journal-record.js';
import { isDockerError } from '../docker/errors.js';
import { containerFromInspect } from '../docker/inspect.js';
import type { Inventory } from '../docker/inventory.js';
import { intentEffect } from './intent-effect.js';

export interface ReconcilerContext {
  inventory: Inventory;
  /** Intents that have no settling outcome yet (the journal's live state). */
  openIntents(): ReadonlyMap<string, IntentRecord>;
  /** Journals the settling record and applies it (isolation, history, views). */
  settle(record: ActionRecord): Promise<void>;
}

const firstRetryMs = 1000;
const maxRetryMs = 30_000;
/** About a quarter of an hour of tries; what is still open then is reconciled at the next start. */
const maxTries = 40;

/**
 * Settles write-ahead intents that have no outcome (DESIGN §6) by inspecting their containers: at
 * start, for whatever Brig was doing when it died; and after an attempt whose outcome is unknown
 * (timeout, engine unreachable), once the engine answers again. A container found in the action's
 * effect state is recorded as changed by Brig, with the intent's undo data: restorable.
 */
export class Reconciler {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private closed = false;

  constructor(private readonly ctx: ReconcilerContext) {}

  /** Every open intent, now; the ones whose engine does not answer are tried again later. */
  async reconcileAll(how: 'start' | 'late' = 'start'): Promise<void> {
    for (const intent of [...this.ctx.openIntents().values()]) {
      if (!(await this.reconcile(intent, how))) this.later(intent.id, how);
    }
  }

  /** Try this intent again until its engine answers (backoff 1 s doubling to 30 s). */
  later(intentId: string, how: 'start' | 'late' = 'late', tries = 0): void {
    if (this.closed || this.timers.has(intentId) || tries >= maxTries) return;
    const delay = Math.min(maxRetryMs, firstRetryMs * 2 ** tries);
    const timer = setTimeout(() => {
      this.timers.delete(intentId);
      const intent = this.ctx.openIntents().get(intentId);
      if (!intent) return;
      void this.reconcile(intent, how).then((done) => {
        if (!done) this.later(intentId, how, tries + 1);
      });
    }, delay);
    timer.unref();
    this.timers.set(intentId, timer);
  }

  /** True when the intent is settled (or was already); false when its engine did not answer. */
  async reconcile(intent: IntentRecord, how: 'start' | 'late'): Promise<boolean> {
    if (!this.ctx.openIntents().has(intent.id)) return true;
    const port = this.ctx.inventory.port(intent.engine);
    if (!port) return false;
    let container;
    try {
      container = containerFromInspect(await port.inspectContainer(intent.container.id), intent.engine);
    } catch (error) {
      if (!isDockerError(error, 'not-found')) return false;
    }
    // Settled meanwhile (a restore, or the attempt's own answer)?
    if (!this.ctx.openIntents().has(intent.id)) return true;
    const effect = intentEffect(intent, container);
    const learnt = how === 'late' ? 'the engine answered after the attempt had timed out' : 'found at start';
    await this.ctx.settle({
      id: randomUUID(),
      alert: intent.alert,
      policy: intent.policy,
      container: intent.container,
      engine: intent.engine,
      action: intent.action,
      origin: intent.origin,
      result: effect.applied ? 'ok' : 'failed',
      attempts: 0,
      latency_ms: 0,
      intent: intent.id,
      reconciled: how,
      ...(effect.applied
        ? { undo: intent.undo, note: `reconciled (${learnt}): ${effect.reason}` }
        : { error: `not applied (reconciled, ${learnt}): ${effect.reason}` }),
      ts: new Date().toISOString(),
    });
    if (container) void this.ctx.inventory.refresh(intent.container.id, intent.engine).catch(() => undefined);
    return true;
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
