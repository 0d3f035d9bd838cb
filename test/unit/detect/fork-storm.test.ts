import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultDetectorsConfig } from '../../../source/detect/config.js';
import { ForkStormTracker } from '../../../source/detect/fork-storm.js';
import type { PidsSample } from '../../../source/detect/samples.js';

const config = defaultDetectorsConfig.fork_storm;

function run(
  pids: number[],
  pidsMax = 1000,
  refused?: number[],
): Array<ReturnType<ForkStormTracker['observe']>> {
  const tracker = new ForkStormTracker(config);
  return pids.map((p, i) => {
    const sample: PidsSample = { time: i * 100, pids: p, pidsMax };
    if (Number.isFinite(pidsMax)) sample.forksRefused = refused?.[i] ?? 0;
    return tracker.observe(sample);
  });
}

describe('fork_storm', () => {
  it('does not trip on a calm container that starts 20 short processes', () => {
    const findings = run([1, 1, 21, 21, 12, 1, 1, 21, 1]);
    expect(findings.every((f) => f === undefined)).toBe(true);
  });

  it('never trips on any burst that stays under min_pids and the limit (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: config.min_pids - 1 }), { maxLength: 60 }), (pids) =>
        run(pids).every((f) => f === undefined),
      ),
    );
  });

  it('reports a fork bomb after sustain_ticks hot ticks, with the figures', () => {
    const findings = run([1, 1, 64, 400, 1000, 1000], 1000, [0, 0, 0, 0, 150, 900]);
    expect(findings[2]).toBeUndefined(); // one hot tick is not yet a storm
    const found = findings[3];
    expect(found?.message).toMatch(/fork storm: 400 pids \(limit 1000\), 1 → 400 in 200 ms/);
    expect(found?.fields).toMatchObject({
      pids: 400,
      pids_max: 1000,
      pids_at_start: 1,
      growth_last_tick: 336,
    });
    // At the limit, growth stops but the kernel refusing forks keeps it hot.
    expect(findings[5]?.fields).toMatchObject({ pids: 1000, forks_refused: 900 });
    expect(findings[5]?.fields.reasons).toEqual([
      '750 forks refused at the pids limit',
      'at 100% of pids.max',
    ]);
  });

  it('keeps its own copy of the last reading: the sampler reuses one sample object', () => {
    const tracker = new ForkStormTracker(config);
    const sample: PidsSample = { time: 0, pids: 1, pidsMax: Infinity };
    const findings = [1, 1, 64, 400].map((pids, i) => {
      sample.time = i * 100;
      sample.pids = pids;
      return tracker.observe(sample);
    });
    expect(findings[3]?.message).toMatch(/fork storm: 400 pids \(limit none\), 1 → 400 in 200 ms/);
  });

  it('reports forks refused at a small limit even below min_pids', () => {
    const findings = run([1, 10, 10, 10], 10, [0, 0, 5, 9]);
    expect(findings[3]?.fields).toMatchObject({ forks_refused: 9 });
  });

  it('reports steady growth without a pids limit', () => {
    const findings = run([1, 20, 40, 60], Infinity);
    expect(findings[3]?.fields).toMatchObject({ pids: 60, pids_max: null });
    expect(findings[3]?.message).toContain('limit none');
  });

  it('resets after a calm tick: two separate single hot ticks are not a storm', () => {
    const findings = run([1, 50, 50, 100, 100], Infinity);
    expect(findings.every((f) => f === undefined)).toBe(true);
  });
});

describe('fork_storm growth over other spans than a tick', () => {
  it('scales growth to the tick: fast growth over 25 ms is hot, slow growth over 2 s is not', () => {
    const t = new ForkStormTracker(config, 100);
    t.observe({ time: 0, pids: 40, pidsMax: Infinity });
    expect(t.observe({ time: 100, pids: 60, pidsMax: Infinity })).toBeUndefined();
    expect(t.confirming).toBe(true);
    // +5 in a 25 ms confirmation read = +20 per tick: confirmed.
    expect(t.observe({ time: 125, pids: 65, pidsMax: Infinity })?.fields.reasons).toEqual([
      '+5 pids in 25 ms',
    ]);
    expect(t.confirming).toBe(false);

    const slow = new ForkStormTracker(config, 100);
    const readings = [40, 140, 240, 340].map((pids, i) =>
      slow.observe({ time: i * 2000, pids, pidsMax: Infinity }),
    );
    expect(readings.every((r) => r === undefined)).toBe(true);
    expect(slow.confirming).toBe(false);
  });
});
