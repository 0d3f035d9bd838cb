import type { ActionRecord } from '../domain/action-record.js';
import type { AlertView, DecisionOutcome, QueueItem } from '../domain/snapshot.js';

/** What this TUI itself did to a queued decision (skip, veto), keyed by `outcomeKey`. */
export type LocalOutcomes = ReadonlyMap<string, DecisionOutcome>;

export function outcomeKey(alertId: string, policy: string | null): string {
  return `${alertId}\u0000${policy ?? ''}`;
}

const derived = new WeakMap<AlertView, { signature: string; view: AlertView }>();

/**
 * Alert views with `outcomes` filled where the engine did not: from the action record that names
 * the alert (executed/failed, and by whom), from the queue (still queued, or a grace countdown), or
 * from what the operator did here (skipped, vetoed). Only what is known is filled; an unchanged
 * alert keeps its object, so its cached row is reused.
 */
export function withOutcomes(
  alerts: readonly AlertView[],
  queue: readonly QueueItem[],
  actions: readonly ActionRecord[],
  local: LocalOutcomes,
): AlertView[] {
  if (alerts.every((v) => v.outcomes)) return alerts as AlertView[];
  const records = new Map<string, ActionRecord>();
  // Oldest first, so the newest record for a decision wins.
  for (const r of [...actions].sort((a, b) => a.ts.localeCompare(b.ts)))
    if (r.alert && r.origin !== 'restore' && r.origin !== 'manual')
      records.set(outcomeKey(r.alert, r.policy), r);
  const queued = new Map(queue.map((q) => [outcomeKey(q.alert.id, q.decision.policy), q]));
  return alerts.map((v) => {
    if (v.outcomes || v.decisions.length === 0) return v;
    const outcomes = v.decisions.map((d): DecisionOutcome => {
      const key = outcomeKey(v.alert.id, d.policy);
      const record = records.get(key);
      if (record)
        return {
          state: record.result === 'ok' ? 'executed' : 'failed',
          by: record.origin === 'approved' ? 'operator' : 'policy',
          at: record.ts,
          actionId: record.id,
          ...(record.error ? { error: record.error } : {}),
        };
      const mine = local.get(key);
      if (mine) return mine;
      const item = queued.get(key);
      if (item) return { state: item.kind === 'grace' ? 'pending' : 'queued' };
      return { state: 'decided' };
    });
    if (outcomes.every((o) => o.state === 'decided')) return v;
    const signature = JSON.stringify(outcomes);
    const cached = derived.get(v);
    if (cached?.signature === signature) return cached.view;
    const view = { ...v, outcomes };
    derived.set(v, { signature, view });
    return view;
  });
}
