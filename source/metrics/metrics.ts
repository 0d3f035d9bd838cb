import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Brig's Prometheus metrics, in a registry of its own (never prom-client's global one). */
export interface BrigMetrics {
  registry: Registry;
  alerts: Counter<'source' | 'severity'>;
  rejected: Counter<'reason'>;
  decisions: Counter<'verdict'>;
  actions: Counter<'action' | 'result'>;
  actionLatency: Histogram<'action'>;
  containers: Gauge;
  isolated: Gauge;
  shed: Counter;
  duplicates: Counter;
  /** Counts one rejection, its reason mapped to a small fixed set of kinds (bounded label cardinality). */
  reject(reason: string): void;
}

export function createMetrics(options: { processMetrics?: boolean } = {}): BrigMetrics {
  const registry = new Registry();
  // prom-client samples event-loop lag on a 10 ms timer by default: 100 wakeups a second, ~0.7% of
  // a core on an idle host (issue 15). 100 ms still catches a blocked loop and keeps idle quiet.
  if (options.processMetrics)
    collectDefaultMetrics({ register: registry, prefix: 'brig_', eventLoopMonitoringPrecision: 100 });
  const registers = [registry];
  const rejected = new Counter({
    name: 'brig_rejected_total',
    help: 'Inputs that did not become alerts, by kind of reason',
    labelNames: ['reason'] as const,
    registers,
  });
  return {
    registry,
    alerts: new Counter({
      name: 'brig_alerts_total',
      help: 'Alerts taken in, by source and severity',
      labelNames: ['source', 'severity'] as const,
      registers,
    }),
    rejected,
    decisions: new Counter({
      name: 'brig_decisions_total',
      help: 'Decisions made, by verdict',
      labelNames: ['verdict'] as const,
      registers,
    }),
    actions: new Counter({
      name: 'brig_actions_total',
      help: 'Actions carried out, by action and result',
      labelNames: ['action', 'result'] as const,
      registers,
    }),
    actionLatency: new Histogram({
      name: 'brig_action_latency_seconds',
      help: "From the alert's receipt to Docker's answer",
      labelNames: ['action'] as const,
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
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
    reject: (reason) => rejected.inc({ reason: reasonKind(reason) }),
  };
}

/** Reason kinds for the `reason` label: free text would make a series per bad input. */
export const reasonKinds = [
  'invalid_json',
  'empty',
  'severity',
  'rule',
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
  if (reason.startsWith('container')) return 'container';
  if (reason.startsWith('time')) return 'time';
  if (reason.includes('not a JSON object')) return 'not_object';
  if (reason.startsWith('line too long') || reason.startsWith('body too large')) return 'too_large';
  if (reason.startsWith('shed')) return 'shed';
  if (reason.startsWith('not an Alertmanager') || reason.startsWith('status')) return 'format';
  return 'other';
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
