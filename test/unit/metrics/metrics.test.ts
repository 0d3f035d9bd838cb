import { beforeAll, describe, expect, it } from 'vitest';
import type { JournalRecord } from '../../../source/domain/journal-record.js';
import { emptySnapshot } from '../../../source/domain/empty-snapshot.js';
import { createMetrics, sourceKind } from '../../../source/metrics/metrics.js';
import { ensurePromTools, promtoolCheckMetrics } from '../../helpers/prom-tools.js';

const rec = (fields: Record<string, unknown>) => ({ v: 1, ts: 't', ...fields }) as unknown as JournalRecord;
const seriesOf = (text: string, name: string) =>
  text.split('\n').filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));

describe('metrics (issue 13.5)', () => {
  beforeAll(() => ensurePromTools(), 15 * 60_000);

  it('`promtool check metrics` is clean, with the standard process_* metrics unprefixed', async () => {
    const m = createMetrics({ processMetrics: true });
    m.alerts.inc({ source: 'alertmanager', severity: 'Critical' });
    m.actionLatency.observe({ action: 'pause' }, 0.03);
    const text = await m.registry.metrics();
    expect(promtoolCheckMetrics(text)).toEqual({ status: 0, output: '' });
    expect(text).toMatch(/^process_cpu_seconds_total /m);
    expect(text).toMatch(/^process_resident_memory_bytes /m);
    expect(text).not.toContain('brig_process_');
  });

  it('every known label combination exists at 0 before the first event, values lowercase', async () => {
    const text = await createMetrics().registry.metrics();
    expect(text).toContain('brig_alerts_total{source="alertmanager",severity="critical"} 0');
    expect(text).toContain('brig_alerts_total{source="brig:fork_storm",severity="info"} 0');
    expect(text).toContain('brig_decisions_total{verdict="execute"} 0');
    expect(text).toContain('brig_actions_total{action="pause",result="failed"} 0');
    expect(text).toContain('brig_rejected_total{reason="status"} 0');
    expect(text).toContain('brig_resolved_total{source="alertmanager"} 0');
    expect(text).toContain('brig_action_latency_seconds_count{action="restore"} 0');
    expect(text).toContain('brig_answered_repeats_total{answer="vetoed"} 0');
    expect(text).toContain('brig_policy_reload_errors_total 0');
    expect(text).toContain('brig_journal_write_errors_total 0');
    for (const line of text.split('\n').filter((l) => l.startsWith('brig_')))
      for (const [, value] of line.matchAll(/="([^"]*)"/g))
        if (value !== '+Inf') expect(value).toBe(value!.toLowerCase());
  });

  it('alert data never makes new series: 10,000 distinct sources stay in the closed set', async () => {
    const m = createMetrics();
    const before = seriesOf(await m.registry.metrics(), 'brig_alerts_total').length;
    for (let i = 0; i < 10_000; i++) m.alerts.inc({ source: `sender-${i}`, severity: 'High' });
    m.alerts.inc({ source: 'Falco', severity: 'LOW' });
    const text = await m.registry.metrics();
    expect(seriesOf(text, 'brig_alerts_total')).toHaveLength(before);
    expect(text).toContain('brig_alerts_total{source="other",severity="high"} 10000');
    expect(text).toContain('brig_alerts_total{source="falco",severity="low"} 1');
    expect(sourceKind('brig:no-such-detector')).toBe('other');
    for (let i = 0; i < 1000; i++) m.reject(`labels.x ${i} is odd`);
    expect(seriesOf(await m.registry.metrics(), 'brig_rejected_total').length).toBeLessThan(20);
  });

  it('counts what the journal records say: resolved, truncated, unknown severity, reload errors, answered repeats', async () => {
    const m = createMetrics();
    m.countRecord(rec({ type: 'resolved', source: 'alertmanager', alert: 'f@t' }));
    m.countRecord(rec({ type: 'resolved', source: 'alertmanager', alert: 'g@t' }));
    m.countRecord(rec({ type: 'engine', event: 'alerts-truncated', source: 'alertmanager', count: 7 }));
    m.countRecord(rec({ type: 'engine', event: 'unknown-severity', source: 'alertmanager', word: 'loud' }));
    m.countRecord(rec({ type: 'policies', ok: false, errors: ['x'] }));
    m.countRecord(rec({ type: 'policies', ok: true, count: 1 }));
    m.countRecord(rec({ type: 'alert', alert: {}, answered: 'restored' }));
    m.countRecord(rec({ type: 'whatever-next' }));
    const text = await m.registry.metrics();
    expect(text).toContain('brig_resolved_total{source="alertmanager"} 2');
    expect(text).toContain('brig_truncated_alerts_total{source="alertmanager"} 7');
    expect(text).toContain('brig_unknown_severity_total{source="alertmanager"} 1');
    expect(text).toContain('brig_policy_reload_errors_total 1');
    expect(text).toContain('brig_answered_repeats_total{answer="restored"} 1');
    expect(text).toContain('brig_journal_records_total{type="policies"} 2');
    expect(text).toContain('brig_journal_records_total{type="other"} 1');
  });

  it('the state gauges read the engine snapshot at scrape time', async () => {
    const m = createMetrics();
    expect(await m.registry.metrics()).toContain('brig_armed 0');
    let snapshot = {
      ...emptySnapshot(),
      armed: true,
      engines: [
        { host: 'unix:///var/run/docker.sock', up: true },
        { host: 'tcp://127.0.0.1:2375', up: false },
      ],
      inFlight: 2,
      policyError: 'a.toml:1: bad',
    } as ReturnType<typeof emptySnapshot>;
    m.watch({ snapshot: () => snapshot, intakeQueue: () => 5 });
    let text = await m.registry.metrics();
    expect(text).toContain('brig_armed 1');
    expect(text).toContain('brig_engine_up{engine="unix:///var/run/docker.sock"} 1');
    expect(text).toContain('brig_engine_up{engine="tcp://127.0.0.1:2375"} 0');
    expect(text).toContain('brig_queue_depth{queue="intake"} 5');
    expect(text).toContain('brig_queue_depth{queue="operator"} 0');
    expect(text).toContain('brig_actions_in_flight 2');
    expect(text).toContain('brig_policy_error 1');
    snapshot = { ...snapshot, armed: false, engines: [], policyError: undefined };
    text = await m.registry.metrics();
    expect(text).toContain('brig_armed 0');
    expect(text).not.toContain('brig_engine_up{');
    expect(text).toContain('brig_policy_error 0');
  });
});
