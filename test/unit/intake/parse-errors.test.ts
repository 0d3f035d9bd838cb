import { describe, expect, it } from 'vitest';
import { parsePayload, parseValue } from '../../../source/intake/parse.js';

const options = { now: () => new Date('2026-11-22T12:00:00.000Z'), newId: () => 'gen' };
const reasons = (text: string, format: Parameters<typeof parsePayload>[1] = 'auto') =>
  parsePayload(text, format, options).rejected.map((r) => r.reason);

describe('rejected input names its reason', () => {
  it('an invalid NDJSON line is rejected with its line number; the good lines still count', () => {
    const out = parsePayload(
      '{"rule":"a","severity":"low"}\n\n{"rule":\n{"rule":"b","severity":"HIGH"}\n',
      'native',
      options,
    );
    expect(out.alerts.map((a) => [a.rule, a.severity])).toEqual([
      ['a', 'Low'],
      ['b', 'High'],
    ]);
    expect(out.rejected).toEqual([{ index: 1, line: 3, reason: 'invalid JSON at line 3', raw: '{"rule":' }]);
    expect(out.unparseable).toBe(false);
  });

  it('severity and rule problems name the field', () => {
    expect(reasons('{"rule":"a","severity":"Sometimes"}')).toEqual([
      'severity "Sometimes" is not one of Info, Low, Medium, High, Critical',
    ]);
    expect(reasons('{"severity":"High"}')).toEqual(['no rule']);
    expect(reasons('{"rule":"a"}')).toEqual(['no severity']);
    expect(reasons('{"rule":"","severity":"High"}')).toEqual(['rule "" must be a non-empty string']);
    expect(reasons('{"rule":"a","severity":3}')).toEqual([
      'severity 3 is not one of Info, Low, Medium, High, Critical',
    ]);
    expect(reasons('{"rule":"a","severity":"high","time":"yesterday"}')).toEqual([
      'time "yesterday" is not an ISO 8601 date',
    ]);
    expect(reasons('{"rule":"a","severity":"high","fields":[1]}')).toEqual(['fields must be an object']);
    expect(reasons('{"rule":"a","severity":"high","container":{}}')).toEqual([
      'container has neither id nor name',
    ]);
    expect(reasons('[1, "x", null]')).toEqual([
      'not a JSON object',
      'not a JSON object',
      'not a JSON object',
    ]);
  });

  it('Falco: unknown priority and missing rule', () => {
    expect(reasons('{"rule":"r","priority":"Loud","output":"x"}', 'falco')).toEqual([
      'priority "Loud" is not one of Emergency, Alert, Critical, Error, Warning, Notice, Informational, Debug',
    ]);
    expect(reasons('{"priority":"Error","output":"x","output_fields":{}}', 'falco')).toEqual(['no rule']);
  });

  it('Falco priorities map as DESIGN §4 says, case-insensitively', () => {
    const map = {
      Emergency: 'Critical',
      alert: 'Critical',
      CRITICAL: 'Critical',
      Error: 'High',
      Warning: 'Medium',
      Notice: 'Low',
      Informational: 'Info',
      Info: 'Info',
      debug: 'Info',
    };
    for (const [priority, severity] of Object.entries(map)) {
      const out = parseValue({ rule: 'r', priority, output: 'o', output_fields: {} }, 'falco', options);
      expect(out.alerts[0]?.severity, priority).toBe(severity);
    }
  });

  it('Alertmanager: severities, container labels, bad entries and truncatedAlerts', () => {
    const entry = (labels: Record<string, string>, extra: object = {}) => ({
      status: 'firing',
      labels: { alertname: 'A', ...labels },
      startsAt: '2026-11-20T09:30:00Z',
      fingerprint: 'f1',
      ...extra,
    });
    const payload = {
      version: '4',
      truncatedAlerts: 3,
      alerts: [
        entry({ severity: 'critical', container_id: 'docker://' + 'ab'.repeat(32) }),
        entry({ severity: 'error', id: '/system.slice/docker-' + 'cd'.repeat(32) + '.scope' }),
        entry({ severity: 'warn', id: '/', container_name: '/web-1' }),
        entry({ severity: 'low', container: 'db' }),
        entry({ severity: 'page-me' }),
        entry({}, { labels: { severity: 'high' } }),
        'junk',
        entry({}, { status: 'resolved' }),
      ],
    };
    const out = parseValue(payload, 'alertmanager', options);
    expect(out.alerts.map((a) => [a.severity, a.container])).toEqual([
      ['Critical', { id: 'ab'.repeat(32) }],
      ['High', { id: 'cd'.repeat(32) }],
      ['Medium', { name: 'web-1' }],
      ['Low', { name: 'db' }],
      ['Info', undefined],
    ]);
    expect(out.rejected.map((r) => [r.index, r.reason])).toEqual([
      [5, 'no labels.alertname'],
      [6, 'alerts[] entry is not a JSON object'],
    ]);
    expect(out.ignored).toBe(1);
    expect(out.notes).toEqual(['Alertmanager truncated 3 alerts from this group (max_alerts)']);
    // An id label that is no id is refused with the reason, never replaced by the name beside it.
    const notAnId = parseValue(
      { version: '4', alerts: [entry({ container_id: 'web-1', container: 'web-1' })] },
      'alertmanager',
      options,
    );
    expect(notAnId.alerts).toEqual([]);
    expect(notAnId.rejected[0]?.reason).toMatch(/labels.container_id "web-1" is not a container id/);
    expect(parseValue({ receiver: 'x' }, 'alertmanager', options).rejected[0]?.reason).toBe(
      'not an Alertmanager webhook: no alerts[]',
    );
  });

  it('an empty or wholly unreadable payload is unparseable (HTTP 400)', () => {
    expect(parsePayload('  \n', 'auto').unparseable).toBe(true);
    expect(parsePayload('not json', 'auto').unparseable).toBe(true);
    const pretty = parsePayload('{\n  "rule": "a",\n  "severity": x\n}', 'native');
    expect(pretty.unparseable).toBe(true);
    expect(pretty.rejected).toHaveLength(1);
    expect(pretty.rejected[0]!.reason).toMatch(/^invalid JSON/);
  });

  it('a pretty-printed document and a BOM are read as one value', () => {
    const out = parsePayload(
      '\ufeff[\n  {"rule": "a", "severity": "info"},\n  {"rule": "b", "severity": "low"}\n]\n',
      'native',
      options,
    );
    expect(out.alerts.map((a) => a.rule)).toEqual(['a', 'b']);
  });

  it('raw is capped at 1 KiB', () => {
    const out = parsePayload(
      JSON.stringify({ rule: 'a', severity: 'x', message: 'm'.repeat(5000) }),
      'native',
    );
    expect(out.rejected[0]!.raw).toHaveLength(1024);
  });

  it('a given id, a numeric id and a container string that is an id', () => {
    const out = parsePayload(
      '{"id":"abc","rule":"a","severity":"low","container":"3f9a1c2b7d4e"}\n{"id":7,"rule":"a","severity":"low","source":"my-ids","time":"2026-01-01T00:00:00+01:00"}',
      'native',
      options,
    );
    expect(out.alerts.map((a) => [a.id, a.container, a.source, a.time])).toEqual([
      ['abc', { id: '3f9a1c2b7d4e' }, 'ndjson', '2026-11-22T12:00:00.000Z'],
      ['7', undefined, 'my-ids', '2025-12-31T23:00:00.000Z'],
    ]);
  });

  it('Falcosidekick with source "syscalls", and Falco without output_fields, are detected by \'auto\'', () => {
    const out = parsePayload(
      [
        JSON.stringify({
          uuid: 'u-9',
          rule: 'R',
          priority: 'Critical',
          output: 'o',
          source: 'syscalls',
          output_fields: { 'container.name': 'api' },
        }),
        JSON.stringify({
          rule: 'R2',
          priority: 'debug',
          output: '2026-11-20T09:12:44.1+0000: Debug spawned',
        }),
      ].join('\n'),
      'auto',
      options,
    );
    expect(
      out.alerts.map((a) => [a.source, a.id, a.severity, a.container, a.message, a.fields.event_source]),
    ).toEqual([
      ['falcosidekick', 'u-9', 'Critical', { name: 'api' }, 'o', 'syscalls'],
      ['falco', 'gen', 'Info', undefined, 'spawned', undefined],
    ]);
  });

  it('a deeply nested fields object is refused, not passed on to break the journal', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 5000; i++) deep = { d: deep };
    expect(parseValue({ rule: 'a', severity: 'low', fields: deep }, 'native').rejected[0]?.reason).toBe(
      'fields nested too deeply',
    );
  });
});
