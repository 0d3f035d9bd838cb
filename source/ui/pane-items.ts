import type { ActionRecord } from '../domain/action-record.js';
import type { AlertView, ContainerView, EngineSnapshot, PolicySummary } from '../domain/snapshot.js';
import { withOutcomes, type LocalOutcomes } from './alert-outcomes.js';
import { sortContainers, type ContainerSort } from './container-sort.js';
import { clampIndex } from './list-window.js';
import {
  actionRow,
  alertRow,
  containerRow,
  paneOrder,
  policyRow,
  type PaneId,
  type PaneRow,
} from './pane-rows.js';
import type { Selection } from './ui-state.js';

/** One row of a pane, with what it shows. */
export interface PaneItem {
  key: string;
  container?: ContainerView;
  alert?: AlertView;
  policy?: PolicySummary;
  action?: ActionRecord;
}

export type PaneItems = Record<PaneId, PaneItem[]>;

/**
 * Every pane's rows in screen order: containers by the chosen order, alerts and actions newest
 * first, policies in evaluation order.
 */
export function paneItems(
  snapshot: Pick<EngineSnapshot, 'containers' | 'alerts' | 'policies' | 'actions' | 'queue'>,
  sortBy: ContainerSort,
  localOutcomes: LocalOutcomes,
): PaneItems {
  const alerts = newestFirst(
    withOutcomes(snapshot.alerts, snapshot.queue, snapshot.actions, localOutcomes),
    (a) => a.alert.time,
  );
  return {
    containers: sortContainers(snapshot.containers, sortBy).map((c) => ({ key: c.id, container: c })),
    alerts: alerts.map((a) => ({ key: a.alert.id, alert: a })),
    policies: [...snapshot.policies]
      .sort((a, b) => a.priority - b.priority || a.id.localeCompare(b.id))
      .map((p) => ({ key: p.id, policy: p })),
    actions: newestFirst(snapshot.actions, (r) => r.ts).map((r) => ({ key: r.id, action: r })),
  };
}

/** The rows each pane's `/` filter lets through (a filter searches the row's text, lower-cased). */
export function filterItems(items: PaneItems, filters: Record<PaneId, string>): PaneItems {
  const out = {} as PaneItems;
  for (const pane of paneOrder) {
    const needle = filters[pane].toLowerCase();
    out[pane] = needle ? items[pane].filter((i) => rowOf(i).search.includes(needle)) : items[pane];
  }
  return out;
}

/** The selected row's index: its row where it is now, or the old place when the row is gone. */
export function selectedIndex(list: readonly PaneItem[], selection: Selection): number {
  const byKey = selection.key === undefined ? -1 : list.findIndex((i) => i.key === selection.key);
  return byKey >= 0 ? byKey : clampIndex(selection.index, list.length);
}

/** Newest first, each time parsed once (a flood brings hundreds of alerts per snapshot). */
function newestFirst<T>(items: readonly T[], timeOf: (item: T) => string): T[] {
  return items
    .map((item, index) => ({ item, index, t: Date.parse(timeOf(item)) || 0 }))
    .sort((a, b) => b.t - a.t || b.index - a.index)
    .map((entry) => entry.item);
}

/** Rows are built only for what is on screen (and for all rows while a filter is searching). */
export function rowOf(item: PaneItem): PaneRow {
  if (item.container) return containerRow(item.container);
  if (item.alert) return alertRow(item.alert);
  if (item.policy) return policyRow(item.policy);
  return actionRow(item.action!);
}
