import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { ActionNameSchema } from '../domain/action.js';
import { VerdictSchema } from '../domain/decision.js';
import type { JournalRecord } from '../domain/journal-record.js';
import { severities } from '../domain/severity.js';
import type { EngineSnapshot } from '../domain/snapshot.js';
import { labelValues, reasonKind, reasonKinds, sourceKind, sourceKinds } from './label-values.js';

export { reasonKind, reasonKinds, sourceKind, sourceKinds, type ReasonKind } from './label-values.js';

/** A counter whose label values are folded into closed sets before they reach prom-client. */
export interface AlertCounter {
  inc(labels: { source: string; severity: string }, value?: number): void;
}

/** What the snapshot gauges read, once the engine exists (`watch`). */
export interface MetricsSource {
  snapshot: () => EngineSnapshot;
  /** Alerts waiting in the intake queue for the engine. */
  intakeQueue: () => number;
}

/** Brig's Prometheus metrics, in a registry of its own (never prom-client's global one). */
export interface BrigMetrics {
  registry: Registry;
  alerts: AlertCounter;
  rejected: Counter<'reason'>;
  decisions: Counter<'verdict'>;
  actions: Counter<'action' | 'result'>;
  actionLatency: Histogram<'action'>;
  /** Time to decide one alert (policy evaluation and rails), seconds. */
  decisionTime: Histogram;
  /** From the alert's own time (its source's clock: Alertmanager startsAt, Falco time) to Docker's answer. */
  alertToAction: Histogram<'action'>;
  containers: Gauge;
  isolated: Gauge;
  shed: Counter;
  duplicates: Counter;
  journalErrors: Counter;
  /** Counts one rejection, its reason mapped to a small fixed set of kinds (bounded label cardinality). */
  reject(reason: string): void;
  /** Counts what the journal records tell (resolved, truncated, unknown severity, reload errors, …). */
  countRecord(record: JournalRecord): void;
  /** The gauges that read the engine's state at scrape time. */
  watch(source: MetricsSource): void;
}

const dropped = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
];

const latencyBuckets = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export function createMetrics(options: { processMetrics?: boolean } = {}): BrigMetrics {
  const registry = new Registry();
  // Without a prefix: process_* and nodejs_* are what ordinary dashboards look for.
  if (options.processMetrics) {
    // prom-client samples event-loop lag on a 10 ms timer by default: 100 wakeups a second, ~0.7% of
    // a core on an idle host (issue 15). 100 ms still catches a blocked loop and keeps idle quiet.
    collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 100 });
    // Gauges named *_total fail `promtool check metrics`; the same counts are in the per-type
    // gauges nodejs_active_handles / _requests / _resources (sum them).
    for (const name of dropped) registry.removeSingleMetric(name);
  }
  const registers = [registry];
  let source: MetricsSource | undefined;
  const snapshot = () => source?.snapshot();

  const alerts = new Counter({
    name: 'brig_alerts_total',
    help: 'Alerts taken in, by source and severity',
    labelNames: ['source', 'severity'] as const,
    registers,
  });
  const rejected = new Counter({
    name: 'brig_rejected_total',
    help: 'Inputs that did not become alerts (also entries rejected inside a 202), by kind of reason',
    labelNames: ['reason'] as const,
    registers,
  });
  const decisions = new Counter({
    name: 'brig_decisions_total',
    help: 'Decisions made, by verdict',
    labelNames: ['verdict'] as const,
    registers,
  });
  const actions = new Counter({
    name: 'brig_actions_total',
    help: 'Actions carried out, by action and result',
    labelNames: ['action', 'result'] as const,
    registers,
  });
  const actionLatency = new Histogram({
    name: 'brig_action_latency_seconds',
    help: "From the alert's receipt to Docker's answer",
    labelNames: ['action'] as const,
    buckets: latencyBuckets,
    registers,
  });
  const alertToAction = new Histogram({
    name: 'brig_alert_to_action_seconds',
    help: "From the alert's own time at its source to Docker's answer (includes the sender's delays)",
    labelNames: ['action'] as const,
    buckets: [...latencyBuckets, 60, 120, 300, 600],
    registers,
  });
  const decisionTime = new Histogram({
    name: 'brig_decision_duration_seconds',
    help: 'Time to decide one alert: policies, guard rails',
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1],
    registers,
  });
  const resolved = new Counter({
    name: 'brig_resolved_total',
    help: 'Resolved notifications (Alertmanager), journaled as resolved records',
    labelNames: ['source'] as const,
    registers,
  });
  const truncated = new Counter({
    name: 'brig_truncated_alerts_total',
    help: 'Alerts the sender left out of a notification (Alertmanager truncatedAlerts, max_alerts)',
    labelNames: ['source'] as const,
    registers,
  });
  const unknownSeverity = new Counter({
    name: 'brig_unknown_severity_total',
    help: 'Alerts whose severity word is not in the table (taken as info)',
    labelNames: ['source'] as const,
    registers,
  });
  const answered = new Counter({
    name: 'brig_answered_repeats_total',
    help: 'Repeats of an alert the operator already answered, not acted on again, by answer',
    labelNames: ['answer'] as const,
    registers,
  });
  const policyReloadErrors = new Counter({
    name: 'brig_policy_reload_errors_total',
    help: 'Policy reloads refused (the last good set stays in force)',
    registers,
  });
  const journalErrors = new Counter({
    name: 'brig_journal_write_errors_total',
    help: 'Journal writes that failed (disk full, I/O error)',
    registers,
  });
  const journalRecords = new Counter({
    name: 'brig_journal_records_total',
    help: 'Records appended to the journal, by type',
    labelNames: ['type'] as const,
    registers,
  });

  new Gauge({
    name: 'brig_armed',
    help: '1 when policies act on containers (armed), 0 when decisions wait for the operator',
    registers,
    collect() {
      this.set(snapshot()?.armed ? 1 : 0);
    },
  });
  new Gauge({
    name: 'brig_dry_run',
    help: '1 when nothing executes (global dry-run)',
    registers,
    collect() {
      this.set(snapshot()?.dryRun ? 1 : 0);
    },
  });
  new Gauge({
    name: 'brig_engine_up',
    help: '1 when Brig reaches the Docker engine, by engine host',
    labelNames: ['engine'] as const,
    registers,
    collect() {
      this.reset();
      for (const status of snapshot()?.engines ?? []) this.set({ engine: status.host }, status.up ? 1 : 0);
    },
  });
  new Gauge({
    name: 'brig_queue_depth',
    help: 'Items waiting: intake (alerts for the engine) and operator (decisions for approval, proposals, grace)',
    labelNames: ['queue'] as const,
    registers,
    collect() {
      this.set({ queue: 'intake' }, source?.intakeQueue() ?? 0);
      this.set({ queue: 'operator' }, snapshot()?.queue.length ?? 0);
    },
  });
  new Gauge({
    name: 'brig_actions_in_flight',
    help: 'Actions sent to Docker and not answered yet',
    registers,
    collect() {
      this.set(snapshot()?.inFlight ?? 0);
    },
  });
  new Gauge({
    name: 'brig_policy_error',
    help: '1 while the last policy reload failed (the last good set is in force)',
    registers,
    collect() {
      this.set(snapshot()?.policyError ? 1 : 0);
    },
  });

  // Every known label combination exists from the start at 0: rate() and absent() need the series.
  for (const s of sourceKinds) {
    for (const severity of severities) alerts.inc({ source: s, severity: severity.toLowerCase() }, 0);
    resolved.inc({ source: s }, 0);
    truncated.inc({ source: s }, 0);
    unknownSeverity.inc({ source: s }, 0);
  }
  for (const reason of reasonKinds) rejected.inc({ reason }, 0);
  for (const verdict of VerdictSchema.options) decisions.inc({ verdict }, 0);
  for (const action of ActionNameSchema.options) {
    for (const result of ['ok', 'failed']) actions.inc({ action, result }, 0);
    actionLatency.zero({ action });
    alertToAction.zero({ action });
  }
  for (const answer of labelValues.answers) answered.inc({ answer }, 0);
  for (const type of labelValues.recordTypes) journalRecords.inc({ type }, 0);

  const count = (c: Counter<'source'>, from: unknown, n = 1) => c.inc({ source: sourceKind(from) }, n);

  return {
    registry,
    alerts: {
      inc: (labels, value = 1) =>
        alerts.inc({ source: sourceKind(labels.source), severity: labels.severity.toLowerCase() }, value),
    },
    rejected,
    decisions,
    actions,
    actionLatency,
    decisionTime,
    alertToAction,
    containers: new Gauge({ name: 'brig_containers', help: 'Containers in the inventory', registers }),
    isolated: new Gauge({
      name: 'brig_isolated',
      help: 'Containers Brig has isolated and not restored',
      registers,
    }),
    shed: new Counter({
      name: 'brig_shed_total',
      help: 'Alerts refused because the intake queue was full (HTTP 503)',
      registers,
    }),
    duplicates: new Counter({
      name: 'brig_duplicates_total',
      help: 'Alerts whose id was seen within 10 minutes',
      registers,
    }),
    journalErrors,
    reject: (reason) => rejected.inc({ reason: reasonKind(reason) }),
    countRecord(record) {
      const r = record as unknown as Record<string, unknown>;
      journalRecords.inc({ type: labelValues.recordType(r.type) });
      switch (r.type) {
        case 'resolved':
          return count(resolved, r.source);
        case 'policies':
          if (r.ok === false) policyReloadErrors.inc();
          return;
        case 'alert':
          if (labelValues.isAnswer(r.answered)) answered.inc({ answer: r.answered });
          return;
        case 'engine':
          if (r.event === 'alerts-truncated' && typeof r.count === 'number' && r.count > 0)
            count(truncated, r.source, r.count);
          else if (r.event === 'unknown-severity') count(unknownSeverity, r.source);
          else if (r.event === 'answered' && labelValues.isAnswer(r.answered))
            answered.inc({ answer: r.answered });
          return;
        default:
          return;
      }
    },
    watch(given) {
      source = given;
    },
  };
}

// intake (HTTP)
/**
 * Why the HTTP layer refused a request or a connection, before any alert was read: a closed set,
 * so no client can mint a series. Every reason is exported from 0.
 */
export const httpRejectionReasons = [
  'unauthorized',
  'forbidden',
  'not_found',
  'method_not_allowed',
  'body_too_large',
  'headers_too_large',
  'unsupported_encoding',
  'bad_request',
  'timeout',
  'too_many_connections',
  'evicted',
  'journal_unavailable',
] as const;
export type HttpRejectionReason = (typeof httpRejectionReasons)[number];

export interface IntakeHttpMetrics {
  rejected: Counter<'reason'>;
  connections: Gauge;
}

/** The HTTP intake's metrics on `registry`, registered once (a second server on it shares them). */
export function intakeHttpMetrics(registry: Registry): IntakeHttpMetrics {
  const existing = registry.getSingleMetric('brig_http_rejected_total') as Counter<'reason'> | undefined;
  if (existing)
    return { rejected: existing, connections: registry.getSingleMetric('brig_http_connections') as Gauge };
  const rejected = new Counter({
    name: 'brig_http_rejected_total',
    help: 'Requests and connections the HTTP intake refused before reading alerts, by reason',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  for (const reason of httpRejectionReasons) rejected.inc({ reason }, 0);
  const connections = new Gauge({
    name: 'brig_http_connections',
    help: 'Open HTTP intake connections',
    registers: [registry],
  });
  return { rejected, connections };
}
