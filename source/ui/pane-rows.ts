import type { ActionRecord } from '../domain/action-record.js';
import type { AlertView, ContainerView, DecisionOutcome, PolicySummary } from '../domain/snapshot.js';
import type { Decision, Verdict } from '../domain/decision.js';
import type { ColumnSpec } from './columns.js';
import type { ThemeRole } from './theme.js';
import {
  actionSpecName,
  bytes,
  clockTime,
  containerStateWords,
  duration,
  percent,
  severityWord,
} from './format.js';

export interface Cell {
  text: string;
  role?: ThemeRole;
}

/** One row of a pane: its cells, and the text the `/` filter searches. */
export interface PaneRow {
  key: string;
  cells: Cell[];
  search: string;
}

export type PaneId = 'containers' | 'alerts' | 'policies' | 'actions';
export const paneOrder: readonly PaneId[] = ['containers', 'alerts', 'policies', 'actions'];
export const paneTitles: Record<PaneId, string> = {
  containers: 'Containers',
  alerts: 'Alerts',
  policies: 'Policies',
  actions: 'Actions',
};

export const paneColumns: Record<PaneId, ColumnSpec[]> = {
  containers: [
    // Name and state matter most in an incident; posture and memory go first when the pane is narrow.
    { title: 'NAME', flex: 3, min: 10, name: true },
    { title: 'IMAGE', flex: 2, min: 8, dropOrder: 3 },
    { title: 'STATE', flex: 2, min: 9 },
    { title: 'CPU', width: 5, align: 'right' },
    { title: 'MEM', width: 5, align: 'right', dropOrder: 2 },
    { title: 'PIDS', width: 4, align: 'right' },
    { title: 'POSTURE', width: 8, dropOrder: 1 },
  ],
  alerts: [
    { title: 'TIME', width: 8 },
    { title: 'SEV', width: 4 },
    { title: 'RULE', flex: 2, min: 8 },
    { title: 'CONTAINER', flex: 2, min: 9, name: true },
    { title: 'ACTION', width: 8, dropOrder: 1 },
    { title: 'VERDICT', flex: 2, min: 9 },
  ],
  policies: [
    { title: 'PRI', width: 4, align: 'right' },
    { title: 'ID', flex: 3, min: 8, name: true },
    { title: 'SEV', width: 8, dropOrder: 2 },
    { title: 'RULES', flex: 2, min: 6, dropOrder: 1 },
    { title: 'ACTION', width: 10 },
    { title: 'STATE', width: 8 },
  ],
  actions: [
    { title: 'TIME', width: 8 },
    { title: 'ACTION', width: 8 },
    { title: 'CONTAINER', flex: 2, min: 6, name: true },
    { title: 'RESULT', width: 6 },
    // Engine latency (from the decision or the approval) and, apart, the wait for the operator.
    { title: 'LATENCY', width: 7, align: 'right', dropOrder: 3 },
    { title: 'WAIT', width: 6, align: 'right', dropOrder: 2 },
    { title: 'POLICY', flex: 2, min: 6, dropOrder: 1, name: true },
  ],
};

// Rows are cached per snapshot item: an item the engine did not change keeps its row object, so the
// memoized row component does not re-render.
const containerCache = new WeakMap<ContainerView, PaneRow>();
const alertCache = new WeakMap<AlertView, PaneRow>();
const policyCache = new WeakMap<PolicySummary, PaneRow>();
const actionCache = new WeakMap<ActionRecord, PaneRow>();

function cached<T extends object>(cache: WeakMap<T, PaneRow>, item: T, make: (item: T) => PaneRow): PaneRow {
  let row = cache.get(item);
  if (!row) {
    row = make(item);
    cache.set(item, row);
  }
  return row;
}

function row(key: string, cells: Cell[]): PaneRow {
  return {
    key,
    cells,
    search: cells
      .map((c) => c.text)
      .join(' ')
      .toLowerCase(),
  };
}

export function containerRow(container: ContainerView): PaneRow {
  return cached(containerCache, container, (c) => {
    const state = containerStateWords(c);
    const acted = (c.isolation?.labels.length ?? 0) > 0 || c.state === 'paused';
    const posture = c.posture?.level;
    return row(c.id, [
      { text: c.name },
      // The repository and tag tell images apart; the registry path is in the details.
      { text: c.image.slice(c.image.lastIndexOf('/', c.image.search(/[:@]|$/)) + 1), role: 'muted' },
      { text: state, role: c.stale ? 'muted' : acted ? 'warn' : c.state === 'running' ? undefined : 'muted' },
      // A paused container uses no CPU: its last reading from before the pause would lie.
      { text: c.state === 'paused' && c.stats ? '0%' : percent(c.stats?.cpuPercent) },
      { text: bytes(c.stats?.memoryBytes) },
      { text: c.stats ? String(c.stats.pids) : '—' },
      { text: posture ?? '—', role: posture === 'none' ? 'bad' : posture === 'minimal' ? 'warn' : undefined },
    ]);
  });
}

/** The verdict as the alerts pane says it: waiting for the operator reads "queued" (DESIGN §10). */
export function verdictWord(verdict: Verdict): string {
  return verdict === 'disarmed' ? 'queued' : verdict;
}

const verdictRole: Partial<Record<Verdict, ThemeRole>> = {
  execute: 'bad',
  pending: 'warn',
  disarmed: 'warn',
  'dry-run': 'accent',
  protected: 'good',
  'no-match': 'muted',
};

const outcomeRole: Partial<Record<DecisionOutcome['state'], ThemeRole>> = {
  queued: 'warn',
  pending: 'warn',
  executing: 'warn',
  executed: 'good',
  failed: 'bad',
  skipped: 'muted',
  vetoed: 'muted',
  evicted: 'bad',
};

/**
 * Where one decision stands now: what became of it (the engine's outcome) when known, else the
 * verdict it was made with. `decided` is the verdict itself (dry-run, protected, no-match…).
 */
export function decisionStatus(
  decision: Decision,
  outcome: DecisionOutcome | undefined,
): { word: string; role?: ThemeRole } {
  if (!outcome || outcome.state === 'decided')
    return { word: verdictWord(decision.verdict), role: verdictRole[decision.verdict] };
  return { word: outcome.state === 'failed' ? 'FAILED' : outcome.state, role: outcomeRole[outcome.state] };
}

export function alertRow(view: AlertView): PaneRow {
  return cached(alertCache, view, (v) => {
    const first = v.decisions[0];
    const more = v.decisions.length > 1 ? ` +${v.decisions.length - 1}` : '';
    const container =
      first?.container?.name ?? v.alert.container?.name ?? v.alert.container?.id?.slice(0, 12) ?? 'host';
    const status = first ? decisionStatus(first, v.outcomes?.[0]) : undefined;
    const verdict = v.duplicate ? 'duplicate' : status ? status.word + more : '—';
    const severity = severityWord(v.alert.severity);
    return row(v.alert.id, [
      { text: clockTime(v.alert.time) },
      {
        text: severity,
        role:
          v.alert.severity === 'Critical' || v.alert.severity === 'High'
            ? 'bad'
            : v.alert.severity === 'Medium'
              ? 'warn'
              : 'muted',
      },
      { text: v.alert.rule },
      { text: container },
      { text: actionSpecName(first?.action) },
      { text: verdict, role: status ? status.role : 'muted' },
    ]);
  });
}

export function policyRow(policy: PolicySummary): PaneRow {
  return cached(policyCache, policy, (p) =>
    row(p.id, [
      { text: String(p.priority) },
      { text: p.id },
      { text: p.severityThreshold },
      { text: p.rules.length === 0 ? '(any)' : p.rules.join(' ') },
      { text: p.action },
      {
        text: !p.enabled ? 'OFF' : p.mode === 'dry-run' ? 'dry-run' : 'on',
        role: !p.enabled ? 'muted' : p.mode === 'dry-run' ? 'accent' : 'good',
      },
    ]),
  );
}

export function actionRow(record: ActionRecord): PaneRow {
  return cached(actionCache, record, (r) =>
    row(r.id, [
      { text: clockTime(r.ts) },
      { text: r.action },
      { text: r.container.name },
      { text: r.result === 'ok' ? 'ok' : 'FAILED', role: r.result === 'ok' ? 'good' : 'bad' },
      { text: duration(r.latency_ms) },
      { text: r.wait_ms === undefined ? '—' : duration(r.wait_ms), role: 'muted' },
      { text: r.policy ?? r.origin, role: r.policy ? undefined : 'muted' },
    ]),
  );
}
