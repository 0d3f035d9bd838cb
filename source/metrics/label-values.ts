/**
 * Closed sets of metric label values. A label takes its value from alert data only through these
 * maps: free text (an alert's source, a rejection's reason) would make one series per distinct input
 * (issue 11: 38k series, /metrics 24 MB from distinct `source` values). All values are lowercase.
 */

const detectors = [
  'fork_storm',
  'cpu_spin',
  'memory_pressure',
  'container_oom',
  'container_unhealthy',
  'restart_loop',
] as const;

/** Alert sources Brig knows (DESIGN §4); any other source string is counted as `other`. */
export const sourceKinds = [
  'falco',
  'falcosidekick',
  'alertmanager',
  'ndjson',
  'operator',
  ...detectors.map((d) => `brig:${d}` as const),
  'other',
] as const;
export type SourceKind = (typeof sourceKinds)[number];

const knownSources: ReadonlySet<string> = new Set(sourceKinds);

export function sourceKind(source: unknown): SourceKind {
  if (typeof source !== 'string') return 'other';
  const folded = source.toLowerCase();
  return knownSources.has(folded) ? (folded as SourceKind) : 'other';
}

/** Reason kinds for the `reason` label of brig_rejected_total. */
export const reasonKinds = [
  'invalid_json',
  'empty',
  'severity',
  'rule',
  'labels',
  'status',
  'container',
  'time',
  'not_object',
  'too_large',
  'shed',
  'format',
  'other',
] as const;
export type ReasonKind = (typeof reasonKinds)[number];

export function reasonKind(reason: string): ReasonKind {
  if (reason.startsWith('invalid JSON')) return 'invalid_json';
  if (reason.startsWith('empty')) return 'empty';
  if (/^(no )?(severity|priority)\b/.test(reason)) return 'severity';
  if (/^(no )?(rule|labels\.alertname)\b/.test(reason)) return 'rule';
  if (/^(no labels|labels or annotations)\b/.test(reason)) return 'labels';
  // Alertmanager entries neither firing nor resolved (e.g. "pending" from a hand-written sender).
  if (reason.startsWith('status')) return 'status';
  if (reason.startsWith('container')) return 'container';
  if (reason.startsWith('time')) return 'time';
  if (reason.includes('not a JSON object')) return 'not_object';
  if (reason.startsWith('line too long') || reason.startsWith('body too large')) return 'too_large';
  if (reason.startsWith('shed')) return 'shed';
  if (reason.startsWith('not an Alertmanager')) return 'format';
  return 'other';
}

const answers = ['restored', 'skipped', 'vetoed'] as const;
const recordTypes = [
  'alert',
  'rejected',
  'decision',
  'action',
  'intent',
  'operator',
  'resolved',
  'policies',
  'engine',
  'capture',
  'other',
] as const;

export const labelValues = {
  answers,
  recordTypes,
  isAnswer: (value: unknown): value is (typeof answers)[number] =>
    typeof value === 'string' && (answers as readonly string[]).includes(value),
  recordType: (value: unknown): (typeof recordTypes)[number] =>
    typeof value === 'string' && (recordTypes as readonly string[]).includes(value)
      ? (value as (typeof recordTypes)[number])
      : 'other',
};
