import type { ActionRecord } from '../domain/action-record.js';
import type {
  AlertView,
  ContainerView,
  DecisionOutcome,
  PolicySummary,
  QueueItem,
} from '../domain/snapshot.js';
import { decisionStatus } from './pane-rows.js';
import {
  bytes,
  clockTime,
  containerStateWords,
  describeAction,
  duration,
  percent,
  secondsLeft,
  shortId,
  sparkline,
} from './format.js';
import type { ThemeRole } from './theme.js';
import { containerTimeline, timelineLimit, type TimelineSources } from './timeline.js';

export interface DetailLine {
  text: string;
  role?: ThemeRole;
  bold?: boolean;
}

const heading = (text: string): DetailLine => ({ text, bold: true });
const plain = (text: string, role?: ThemeRole): DetailLine => ({ text, role });

function limitsText(c: ContainerView): string {
  const l = c.limits;
  const cpus =
    l.nanoCpus > 0
      ? (l.nanoCpus / 1e9).toString()
      : l.cpuQuota > 0 && l.cpuPeriod > 0
        ? (l.cpuQuota / l.cpuPeriod).toFixed(2)
        : 'none';
  return `cpus ${cpus}   pids ${l.pidsLimit > 0 ? l.pidsLimit : 'none'}   memory ${l.memory > 0 ? bytes(l.memory) : 'none'}   swap ${l.memorySwap > 0 ? bytes(l.memorySwap) : l.memorySwap < 0 ? 'unlimited' : 'none'}`;
}

/** What undoing one recorded action means, in words (shown before `u` asks to confirm). */
export function undoText(record: ActionRecord): string {
  const parts: string[] = [];
  switch (record.action) {
    case 'pause':
      parts.push('unpause');
      break;
    case 'stop':
    case 'kill':
      parts.push('start it again');
      break;
    case 'network-disconnect':
    case 'quarantine':
      parts.push(
        `reconnect ${record.undo?.endpoints?.map((e) => e.network).join(', ') || 'the recorded networks'}` +
          (record.undo?.quarantineNetwork ? `, leave ${record.undo.quarantineNetwork}` : ''),
      );
      break;
    case 'throttle': {
      const l = record.undo?.limits;
      parts.push(
        l
          ? `put limits back: nanoCpus ${l.nanoCpus}, cpuQuota ${l.cpuQuota}, pids ${l.pidsLimit}, memory ${l.memory}`
          : 'put the previous limits back',
      );
      break;
    }
    default:
      parts.push('nothing to undo');
  }
  return `${record.action} at ${clockTime(record.ts)} (${record.policy ? `policy ${record.policy}` : record.origin}) → ${parts.join('; ')}`;
}

const timelineRoles: Partial<Record<string, ThemeRole>> = {
  alert: 'warn',
  failed: 'bad',
  executed: 'good',
  action: 'accent',
};

/** The Timeline section: the container's events, alerts, decisions and actions, newest first. */
function timelineLines(c: ContainerView, sources: TimelineSources): DetailLine[] {
  const entries = containerTimeline(c, sources);
  const lines = [
    heading(`timeline (newest first, at most ${timelineLimit}; Docker events since Brig started):`),
  ];
  if (entries.length === 0) lines.push(plain('  nothing yet', 'muted'));
  const kindWidth = Math.max(0, ...entries.map((e) => e.kind.length));
  for (const e of entries)
    lines.push(
      plain(`  ${clockTime(e.time)}  ${e.kind.padEnd(kindWidth)}  ${e.text}`, timelineRoles[e.kind]),
    );
  return lines;
}

export function containerDetails(
  c: ContainerView,
  width: number,
  sources: TimelineSources = { alerts: [], actions: [] },
): DetailLine[] {
  const lines: DetailLine[] = [
    heading(`${c.name}  ${shortId(c.id)}  ${c.image}`),
    plain(
      `state: ${containerStateWords(c)}   restarts ${c.restartCount}${c.health ? `   health ${c.health}` : ''}${c.startedAt ? `   started ${c.startedAt}` : ''}`,
    ),
    plain(
      `engine: ${c.engine}${c.stale ? '   STALE: the engine is unreachable; last known state shown' : ''}`,
      c.stale ? 'warn' : undefined,
    ),
    plain(`limits: ${limitsText(c)}`),
    heading(`networks (${c.networkMode}):`),
  ];
  if (c.networks.length === 0) lines.push(plain('  none'));
  for (const n of c.networks)
    lines.push(plain(`  ${n.network}  ${n.ipAddress || '—'}  aliases: ${n.aliases?.join(', ') || '—'}`));
  if (c.posture) {
    lines.push(heading(`posture: ${c.posture.level}${c.posture.failed.length ? '  failed checks:' : ''}`));
    for (const f of c.posture.failed) lines.push(plain(`  ${f.check}: ${f.detail}`, 'warn'));
  } else lines.push(plain('posture: not graded yet', 'muted'));
  const isolation = c.isolation?.actions ?? [];
  lines.push(
    heading(
      `isolation record: ${isolation.length === 0 ? 'none (Brig has not acted on it)' : (c.isolation?.labels.join(' ') ?? '')}`,
    ),
  );
  for (const record of isolation) lines.push(plain(`  ${undoText(record)}`, 'warn'));
  if (c.evidence)
    lines.push(
      heading(
        `evidence: ${c.evidence.complete ? 'complete' : `partial (${c.evidence.reasons.join('; ')})`} — ${c.evidence.dir}`,
      ),
    );
  if (c.stats) {
    const spark = Math.max(8, Math.min(60, width - 24));
    lines.push(heading('usage:'));
    lines.push(
      plain(
        `  CPU  ${(c.state === 'paused' ? '0% (paused)' : percent(c.stats.cpuPercent)).padStart(6)}  ${sparkline(c.stats.cpuHistory, spark)}`,
      ),
    );
    lines.push(plain(`  PIDS ${String(c.stats.pids).padStart(6)}  ${sparkline(c.stats.pidsHistory, spark)}`));
    lines.push(plain(`  MEM  ${bytes(c.stats.memoryBytes).padStart(6)}`));
  } else lines.push(plain('usage: no sample yet', 'muted'));
  const labels = Object.entries(c.labels);
  if (labels.length > 0) {
    lines.push(heading('labels:'));
    for (const [k, v] of labels) lines.push(plain(`  ${k}=${v}`));
  }
  // Last: it is the longest part, and the summary above should not scroll out of sight for it.
  lines.push(...timelineLines(c, sources));
  return lines;
}

function fieldText(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text === undefined ? 'undefined' : text.length > 400 ? text.slice(0, 399) + '…' : text;
}

export function alertDetails(v: AlertView): DetailLine[] {
  const a = v.alert;
  const lines: DetailLine[] = [
    heading(
      `${a.rule}  ${a.severity.toUpperCase()}  ${clockTime(a.time)}  from ${a.source}${v.duplicate ? '  (duplicate)' : ''}`,
    ),
    plain(`id: ${a.id}   time: ${a.time}`),
    plain(
      `container: ${a.container ? [a.container.name, a.container.id].filter(Boolean).join(' / ') : 'none (host-level alert)'}`,
    ),
    plain(`message: ${a.message || '—'}`),
    heading('decisions:'),
  ];
  if (v.decisions.length === 0) lines.push(plain('  none'));
  v.decisions.forEach((d, i) => {
    const status = decisionStatus(d, v.outcomes?.[i]);
    lines.push(
      plain(
        `  ${status.word.toUpperCase()}  policy ${d.policy ?? '—'}  target ${d.container?.name ?? '—'}  action ${describeAction(d.action)}`,
        status.role === 'muted' ? undefined : status.role,
      ),
    );
    lines.push(plain(`    decided ${d.verdict}: ${d.reason}`, 'muted'));
    const outcome = v.outcomes?.[i];
    if (outcome && outcome.state !== 'decided') lines.push(plain(`    ${outcomeText(outcome)}`));
    else if (d.verdict === 'disarmed') lines.push(plain('    waits for the operator (the queue stepper)'));
  });
  lines.push(heading('decision trace (policies in order):'));
  if (v.trace.length === 0) lines.push(plain('  no policy was tried'));
  for (const t of v.trace)
    lines.push(
      plain(
        `  ${t.outcome === 'decided' ? 'DECIDED' : 'skipped'}  ${t.policy} — ${t.reason}`,
        t.outcome === 'decided' ? undefined : 'muted',
      ),
    );
  lines.push(heading('raw fields:'));
  const fields = Object.entries(a.fields);
  if (fields.length === 0) lines.push(plain('  none'));
  for (const [k, value] of fields) lines.push(plain(`  ${k}: ${fieldText(value)}`));
  return lines;
}

const outcomeWords: Record<DecisionOutcome['state'], string> = {
  decided: 'decided',
  queued: 'queued for the operator',
  pending: 'grace countdown running',
  executing: 'executing',
  executed: 'executed',
  failed: 'FAILED',
  skipped: 'skipped',
  vetoed: 'vetoed',
  evicted: 'evicted from the queue (it was full) — not executed',
};

const byWords: Record<NonNullable<DecisionOutcome['by']>, string> = {
  policy: 'by the policy (armed)',
  operator: 'by the operator',
  grace: 'when the grace period ran out',
};

/** What became of a decision, who moved it there and when: "executed by the operator at 14:02:31". */
export function outcomeText(o: DecisionOutcome): string {
  return [
    outcomeWords[o.state],
    o.by ? byWords[o.by] : undefined,
    o.at ? `at ${clockTime(o.at)}` : undefined,
    o.actionId ? `(action ${o.actionId})` : undefined,
    o.error ? `— ${o.error}` : undefined,
  ]
    .filter(Boolean)
    .join(' ');
}

export function policyDetails(p: PolicySummary): DetailLine[] {
  return [
    heading(`${p.id}  ${p.name}`),
    plain(`file: ${p.file}`),
    plain(
      `priority ${p.priority}   severity ≥ ${p.severityThreshold}   mode ${p.mode}   ${p.enabled ? 'enabled' : 'DISABLED'}`,
    ),
    plain(`rules: ${p.rules.length ? p.rules.join(', ') : '(any rule)'}`),
    plain(`action: ${p.action}`),
  ];
}

export function actionDetails(r: ActionRecord): DetailLine[] {
  const lines = [
    heading(`${r.action} ${r.container.name}  ${r.result === 'ok' ? 'ok' : 'FAILED'}`),
    plain(
      `time: ${r.ts}   engine latency ${duration(r.latency_ms)}${r.origin === 'approved' ? ' (from the approval)' : ''}` +
        `${r.wait_ms !== undefined ? `   waited for the operator ${duration(r.wait_ms)}` : ''}   attempts ${r.attempts}`,
    ),
    plain(`container: ${r.container.name} ${shortId(r.container.id)}   engine ${r.engine}`),
    plain(`origin: ${r.origin}   policy ${r.policy ?? '—'}   alert ${r.alert ?? '—'}`),
  ];
  if (r.error) lines.push(plain(`error: ${r.error}`, 'bad'));
  if (r.undo) lines.push(plain(`undo: ${undoText(r)}`));
  if (r.restored?.length) lines.push(plain(`restored: ${r.restored.join(', ')}`));
  return lines;
}

/** The queue stepper's view of one proposal: alert, policy, target, action, rails. */
export function queueItemLines(item: QueueItem, now: number): DetailLine[] {
  const a = item.alert;
  const d = item.decision;
  const kindWord = {
    approval: 'waiting for approval (disarmed)',
    proposal: 'proposal (dry-run)',
    grace: 'grace countdown',
  }[item.kind];
  const lines: DetailLine[] = [
    heading(kindWord),
    plain(
      `alert:   ${clockTime(a.time)} ${a.severity.toUpperCase()} ${a.rule} from ${a.source}${a.message ? ` — ${a.message}` : ''}`,
    ),
    plain(`policy:  ${d.policy ?? '—'}`),
    plain(`target:  ${d.container ? `${d.container.name} ${shortId(d.container.id)}` : '—'}`),
    plain(`action:  ${describeAction(d.action)}`, 'warn'),
    plain(`rails:   ${d.verdict} — ${d.reason}`),
  ];
  const deadline = item.deadline ?? d.deadline;
  if (item.kind === 'grace' && deadline !== undefined)
    lines.push({ text: `executes in ${secondsLeft(deadline, now)}s unless vetoed`, role: 'bad', bold: true });
  return lines;
}
