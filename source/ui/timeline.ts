import type { ActionRecord } from '../domain/action-record.js';
import type { AlertView, ContainerView, DecisionOutcome } from '../domain/snapshot.js';
import { describeAction, duration, severityWord } from './format.js';

/** One line of a container's timeline: when, what kind of thing, and what. */
export interface TimelineEntry {
  /** ISO time. */
  time: string;
  /** docker, alert, decision, an outcome's state (queued, executed, skipped, vetoed, failed…), action, evidence. */
  kind: string;
  text: string;
}

/** What the engine knows beyond the container itself: its alerts (with outcomes) and action records. */
export interface TimelineSources {
  alerts: readonly AlertView[];
  actions: readonly ActionRecord[];
}

export const timelineLimit = 50;

const byWords: Record<NonNullable<DecisionOutcome['by']>, string> = {
  policy: 'by the policy',
  operator: 'by the operator',
  grace: 'when the grace period ran out',
};

/**
 * Whether an alert is about this container: one of its decisions targets it, or (when no decision
 * resolved a target) the alert names it. A decision's target wins over the name: a container
 * created again under the same name is another container, with its own history.
 */
function concerns(view: AlertView, c: ContainerView): boolean {
  if (view.decisions.some((d) => d.container)) return view.decisions.some((d) => d.container?.id === c.id);
  const ref = view.alert.container;
  if (ref?.id) return c.id.startsWith(ref.id);
  return ref?.name !== undefined && ref.name.replace(/^\//, '') === c.name;
}

/**
 * One container's history in one list, newest first and at most `limit` long: its Docker events
 * (since Brig started), the alerts about it, what each decision was and became (who moved it and
 * when), the actions taken on it and its evidence capture. Entries at the same instant keep the order
 * things happen in (an alert before its decision), reversed with the rest.
 */
export function containerTimeline(
  c: ContainerView,
  sources: TimelineSources,
  limit = timelineLimit,
): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  for (const e of c.events ?? [])
    entries.push({ time: e.time, kind: 'docker', text: e.detail ? `${e.action} (${e.detail})` : e.action });
  for (const view of sources.alerts) {
    if (!concerns(view, c)) continue;
    const a = view.alert;
    entries.push({
      time: a.time,
      kind: 'alert',
      text: `${severityWord(a.severity)} ${a.rule} from ${a.source}${a.message ? ` — ${a.message}` : ''}`,
    });
    view.decisions.forEach((d, i) => {
      if (d.container && d.container.id !== c.id) return;
      const what = `${describeAction(d.action)} · policy ${d.policy ?? '—'}`;
      entries.push({ time: a.time, kind: 'decision', text: `${d.verdict}: ${what} — ${d.reason}` });
      const o = view.outcomes?.[i];
      if (!o || o.state === 'decided' || !o.at) return;
      const by = o.by ? ` ${byWords[o.by]}` : '';
      entries.push({ time: o.at, kind: o.state, text: `${what}${by}${o.error ? ` — ${o.error}` : ''}` });
    });
  }
  for (const r of sources.actions) {
    if (r.container.id !== c.id) continue;
    const result = r.result === 'ok' ? 'ok' : 'FAILED';
    const who = r.policy ? `policy ${r.policy}` : r.origin;
    entries.push({
      time: r.ts,
      kind: 'action',
      text: `${r.action} ${result} in ${duration(r.latency_ms)} (${who})${r.error ? ` — ${r.error}` : r.note ? ` — ${r.note}` : ''}`,
    });
  }
  if (c.evidence)
    entries.push({
      time: c.evidence.at,
      kind: 'evidence',
      text: `${c.evidence.complete ? 'complete' : `partial (${c.evidence.reasons.join('; ')})`}: ${c.evidence.dir}`,
    });
  return entries
    .map((entry, seq) => ({ entry, seq, t: Date.parse(entry.time) || 0 }))
    .sort((x, y) => y.t - x.t || y.seq - x.seq)
    .slice(0, Math.max(0, limit))
    .map((x) => x.entry);
}
