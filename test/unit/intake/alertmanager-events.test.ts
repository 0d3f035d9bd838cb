import { describe, expect, it } from 'vitest';
import { severityWords, severityWordTable } from '../../../source/domain/severity.js';
import { intakeEventEntry } from '../../../source/intake/intake-event.js';
import { parseValue } from '../../../source/intake/parse.js';
import { reasonKind } from '../../../source/metrics/metrics.js';

const startsAt = '2026-12-01T10:00:00Z';
const entry = (over: Record<string, unknown> = {}, labels: Record<string, unknown> = {}) => ({
  status: 'firing',
  labels: { alertname: 'CpuHot', container: 'web-1', ...labels },
  annotations: {},
  startsAt,
  fingerprint: 'f00dfeed12345678',
  ...over,
});
const webhook = (alerts: unknown[], extra: Record<string, unknown> = {}) => ({
  version: '4',
  status: 'firing',
  receiver: 'brig',
  groupKey: '{}:{alertname="CpuHot"}',
  alerts,
  ...extra,
});

describe('Alertmanager: resolved, truncated, severity words (issue 13.2, 13.3)', () => {
  it('a resolved entry is an event carrying the identity its firing had', () => {
    const firing = parseValue(webhook([entry()]), 'alertmanager');
    const resolved = parseValue(
      webhook([entry({ status: 'resolved', endsAt: '2026-12-01T10:05:00Z' })], { status: 'resolved' }),
      'alertmanager',
    );
    expect(resolved.alerts).toEqual([]);
    expect(resolved.ignored).toBe(1);
    expect(resolved.events).toEqual([
      {
        kind: 'resolved',
        source: 'alertmanager',
        alert: firing.alerts[0]!.id,
        rule: 'CpuHot',
        startsAt: '2026-12-01T10:00:00.000Z',
        endsAt: '2026-12-01T10:05:00.000Z',
        container: { name: 'web-1' },
      },
    ]);
    expect(intakeEventEntry(resolved.events[0]!)).toMatchObject({
      type: 'resolved',
      source: 'alertmanager',
      alert: 'f00dfeed12345678@2026-12-01T10:00:00.000Z',
      starts_at: '2026-12-01T10:00:00.000Z',
      ends_at: '2026-12-01T10:05:00.000Z',
    });
    // Without a fingerprint both sides derive the same one from the labels.
    const bare = { fingerprint: undefined };
    const a = parseValue(webhook([entry(bare)]), 'alertmanager').alerts[0]!.id;
    const r = parseValue(webhook([entry({ ...bare, status: 'resolved' })]), 'alertmanager').events[0];
    expect(r).toMatchObject({ kind: 'resolved', alert: a });
  });

  it('truncatedAlerts becomes an event (journaled as an engine record) as well as a note', () => {
    const out = parseValue(webhook([entry()], { truncatedAlerts: 12 }), 'alertmanager');
    expect(out.notes).toEqual(['Alertmanager truncated 12 alerts from this group (max_alerts)']);
    expect(out.events).toEqual([
      {
        kind: 'truncated',
        source: 'alertmanager',
        count: 12,
        receiver: 'brig',
        groupKey: '{}:{alertname="CpuHot"}',
      },
    ]);
    expect(intakeEventEntry(out.events[0]!)).toEqual({
      type: 'engine',
      event: 'alerts-truncated',
      source: 'alertmanager',
      count: 12,
      receiver: 'brig',
      group_key: '{}:{alertname="CpuHot"}',
    });
  });

  it('maps every word of the documented table; an unknown word is Info and an event; none is Info silently', () => {
    for (const [severity, words] of severityWordTable)
      for (const word of words) {
        const out = parseValue(webhook([entry({}, { severity: word.toUpperCase() })]), 'alertmanager');
        expect([word, out.alerts[0]!.severity, out.events]).toEqual([word, severity, []]);
      }
    const page = parseValue(webhook([entry({}, { severity: 'page' })]), 'alertmanager');
    expect(page.alerts[0]!.severity).toBe('Critical');
    const odd = parseValue(webhook([entry({}, { severity: ' Blocker ' })]), 'alertmanager');
    expect(odd.alerts[0]!.severity).toBe('Info');
    expect(odd.events).toEqual([
      {
        kind: 'unknown-severity',
        source: 'alertmanager',
        word: 'blocker',
        alert: odd.alerts[0]!.id,
        rule: 'CpuHot',
      },
    ]);
    expect(intakeEventEntry(odd.events[0]!)).toMatchObject({
      type: 'engine',
      event: 'unknown-severity',
      word: 'blocker',
    });
    const none = parseValue(webhook([entry()]), 'alertmanager');
    expect([none.alerts[0]!.severity, none.events]).toEqual(['Info', []]);
  });

  it('the config extends and overrides the table', () => {
    const words = severityWords({ Blocker: 'High', warning: 'High' });
    const out = parseValue(
      webhook([entry({}, { severity: 'blocker' }), entry({ fingerprint: 'b' }, { severity: 'warning' })]),
      'alertmanager',
      { severityWords: words },
    );
    expect(out.alerts.map((a) => a.severity)).toEqual(['High', 'High']);
    expect(out.events).toEqual([]);
  });

  it('entries rejected inside a 202 have reasons of their own kind (issue 13.4)', () => {
    const out = parseValue(
      webhook([entry({ status: 'pending' }), entry({ labels: { severity: 'page' } }), entry({ labels: 3 })]),
      'alertmanager',
    );
    expect(out.rejected.map((r) => reasonKind(r.reason))).toEqual(['status', 'rule', 'labels']);
  });

  it('a grouped notification of three is three alerts, each its own identity', () => {
    const out = parseValue(
      webhook([1, 2, 3].map((n) => entry({ fingerprint: `f${n}` }, { container: `web-${n}` }))),
      'alertmanager',
    );
    expect(out.alerts.map((a) => [a.id, a.container?.name])).toEqual([
      [`f1@2026-12-01T10:00:00.000Z`, 'web-1'],
      [`f2@2026-12-01T10:00:00.000Z`, 'web-2'],
      [`f3@2026-12-01T10:00:00.000Z`, 'web-3'],
    ]);
  });
});
