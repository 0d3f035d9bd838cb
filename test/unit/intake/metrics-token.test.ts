import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readToken } from '../../../source/intake/token.js';
import { createMetrics, reasonKind, reasonKinds } from '../../../source/metrics/metrics.js';

describe('metrics', () => {
  it('exposes the brig_* series in its own registry', async () => {
    const m = createMetrics();
    m.alerts.inc({ source: 'falco', severity: 'High' });
    m.reject('severity "x" is not one of Info, Low, Medium, High, Critical');
    m.shed.inc();
    m.actionLatency.observe({ action: 'pause' }, 0.08);
    m.containers.set(12);
    const text = await m.registry.metrics();
    expect(text).toContain('brig_alerts_total{source="falco",severity="high"} 1');
    expect(text).toContain('brig_rejected_total{reason="severity"} 1');
    expect(text).toContain('brig_shed_total 1');
    expect(text).toContain('brig_containers 12');
    expect(text).toContain('brig_action_latency_seconds_bucket{le="0.1",action="pause"} 1');
    for (const name of [
      'brig_decisions_total',
      'brig_actions_total',
      'brig_isolated',
      'brig_duplicates_total',
    ])
      expect(text).toContain(`# TYPE ${name}`);
    // Two registries do not clash (no global registry).
    expect(() => createMetrics()).not.toThrow();
  });

  it('maps reasons to a small fixed set of label values', () => {
    expect(reasonKind('invalid JSON at line 3')).toBe('invalid_json');
    expect(reasonKind('no rule')).toBe('rule');
    expect(reasonKind('no labels.alertname')).toBe('rule');
    expect(reasonKind('priority "Loud" is not one of …')).toBe('severity');
    expect(reasonKind('shed: queue full')).toBe('shed');
    expect(reasonKind('line too long: 104857600 bytes (max 1048576)')).toBe('too_large');
    expect(reasonKind('anything else at all ' + Math.random())).toBe('other');
    for (const r of ['a', 'container.id 3 must be', 'time "x"', 'not a JSON object'])
      expect(reasonKinds).toContain(reasonKind(r));
  });
});

describe('readToken', () => {
  it('trims the token and warns when group or others can read the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'brig-token-'));
    const file = join(dir, 'token');
    await writeFile(file, '  s3cret\n');
    await chmod(file, 0o600);
    expect(await readToken(file)).toEqual({ token: 's3cret' });
    await chmod(file, 0o644);
    const read = await readToken(file);
    expect(read.token).toBe('s3cret');
    expect(read.warning).toMatch(/open to group or others \(mode 644\).*chmod 600/);
  });

  it('an empty or missing file is an error', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'brig-token-'));
    await writeFile(join(dir, 'empty'), '\n');
    await expect(readToken(join(dir, 'empty'))).rejects.toThrow(/empty/);
    await expect(readToken(join(dir, 'missing'))).rejects.toThrow(/ENOENT/);
  });
});
