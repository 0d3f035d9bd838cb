import { describe, expect, it } from 'vitest';
import { alertLimits } from '../../../source/intake/alert-limits.js';
import { parsePayload } from '../../../source/intake/parse.js';

const native = (extra: Record<string, unknown>) => JSON.stringify({ rule: 'r', severity: 'high', ...extra });
const outcome = (text: string, format: Parameters<typeof parsePayload>[1] = 'auto') => {
  const out = parsePayload(text, format);
  return { accepted: out.alerts.length, reasons: out.rejected.map((r) => r.reason), out };
};

describe('every field of an alert has a size limit, enforced at normalization', () => {
  it('each field one byte over its limit is rejected with a reason naming it; at the limit it passes', () => {
    const cases: [keyof typeof alertLimits, (n: number) => Record<string, unknown>][] = [
      ['id', (n) => ({ id: 'i'.repeat(n) })],
      ['rule', (n) => ({ rule: 'r'.repeat(n) })],
      ['source', (n) => ({ source: 's'.repeat(n) })],
      ['message', (n) => ({ message: 'm'.repeat(n) })],
      ['container.id', (n) => ({ container: { id: 'a'.repeat(n) } })],
      ['container.name', (n) => ({ container: { name: 'n'.repeat(n) } })],
      // {"k":"…"} is 8 bytes of JSON around the value.
      ['fields', (n) => ({ fields: { k: 'f'.repeat(n - 8) } })],
    ];
    for (const [field, make] of cases) {
      const limit = alertLimits[field];
      expect(outcome(native(make(limit))).accepted, `${field} at its limit`).toBe(1);
      expect(outcome(native(make(limit + 1))).reasons, `${field} over its limit`).toEqual([
        `${field} too long: ${limit + 1} bytes, at most ${limit}`,
      ]);
    }
  });

  it('limits count UTF-8 bytes, not characters', () => {
    const euro = '€'.repeat(Math.floor(alertLimits.id / 3) + 1); // 3 bytes each
    expect(outcome(native({ id: euro })).reasons).toEqual([
      `id too long: ${Buffer.byteLength(euro)} bytes, at most ${alertLimits.id}`,
    ]);
  });

  it('a ~1 MB alert id (the issue 11 reproduction) is rejected, its raw text capped at 1 KiB', () => {
    const { accepted, reasons, out } = outcome(native({ id: 'x'.repeat(1_000_000) }));
    expect(accepted).toBe(0);
    expect(reasons).toEqual([`id too long: 1000000 bytes, at most ${alertLimits.id}`]);
    expect(out.rejected[0]!.raw.length).toBe(1024);
  });

  it('the same limits hold for Falco, Falcosidekick and Alertmanager', () => {
    const falco = JSON.stringify({
      uuid: 'u'.repeat(300),
      rule: 'r',
      priority: 'Error',
      output: 'o',
      output_fields: {},
    });
    expect(outcome(falco, 'falco').reasons).toEqual(['id too long: 300 bytes, at most 256']);
    const output = JSON.stringify({
      rule: 'r',
      priority: 'Error',
      output: 'o'.repeat(20_000),
      output_fields: {},
    });
    expect(outcome(output, 'falco').reasons).toEqual([
      `message too long: 20000 bytes, at most ${alertLimits.message}`,
    ]);
    const alertmanager = JSON.stringify({
      version: '4',
      status: 'firing',
      alerts: [
        { status: 'firing', labels: { alertname: 'A'.repeat(600) }, startsAt: '2026-01-01T00:00:00Z' },
        { status: 'firing', labels: { alertname: 'ok' }, startsAt: '2026-01-01T00:00:00Z' },
      ],
    });
    const am = outcome(alertmanager, 'alertmanager');
    expect([am.accepted, am.reasons]).toEqual([1, [`rule too long: 600 bytes, at most ${alertLimits.rule}`]]);
  });
});
