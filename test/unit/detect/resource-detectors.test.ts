import { describe, expect, it } from 'vitest';
import { defaultDetectorsConfig } from '../../../source/detect/config.js';
import { cpuAllowance, CpuSpinTracker } from '../../../source/detect/cpu-spin.js';
import { MemoryPressureTracker } from '../../../source/detect/memory-pressure.js';
import type { ResourceSample } from '../../../source/detect/samples.js';

const noLimits = { nanoCpus: 0, cpuQuota: 0, cpuPeriod: 0, pidsLimit: 0, memory: 0, memorySwap: 0 };
const cpu = (time: number, cpuNs: number): ResourceSample => ({
  time,
  cpuNs,
  memoryBytes: 0,
  memoryLimit: Infinity,
});

describe('cpu_spin', () => {
  const config = { ...defaultDetectorsConfig.cpu_spin, duration_secs: 3 };

  it('reports a core spun for duration_secs, not before', () => {
    const t = new CpuSpinTracker(config);
    const results = [0, 1, 2, 3, 4].map((s) => t.observe(cpu(s * 1000, s * 0.98e9), noLimits));
    expect(results.slice(0, 3).every((r) => r === undefined)).toBe(true);
    expect(results[3]?.message).toMatch(/cpu spin: 98% of a core for 3\.0 s/);
    expect(results[3]?.fields).toMatchObject({ cpu_percent: 98, allowance_cores: 1, duration_secs: 3 });
  });

  it('measures against the container quota', () => {
    expect(cpuAllowance({ ...noLimits, nanoCpus: 5e8 })).toBe(0.5);
    expect(cpuAllowance({ ...noLimits, cpuQuota: 25_000, cpuPeriod: 100_000 })).toBe(0.25);
    const t = new CpuSpinTracker(config);
    const limits = { ...noLimits, nanoCpus: 5e8 };
    // Half a core, which is all of its quota.
    const results = [0, 1, 2, 3].map((s) => t.observe(cpu(s * 1000, s * 0.5e9), limits));
    expect(results[3]?.fields).toMatchObject({ ratio: 1, allowance_cores: 0.5 });
  });

  it('a dip below the threshold restarts the clock', () => {
    const t = new CpuSpinTracker(config);
    const ns = [0, 1e9, 2e9, 2.1e9, 3.1e9, 4.1e9];
    const results = ns.map((n, s) => t.observe(cpu(s * 1000, n), noLimits));
    expect(results.every((r) => r === undefined)).toBe(true);
    expect(t.cores).toBeCloseTo(1);
  });
});

describe('memory_pressure', () => {
  const config = { ...defaultDetectorsConfig.memory_pressure, duration_secs: 2 };
  const mem = (time: number, bytes: number, limit: number, psi?: number): ResourceSample => ({
    time,
    cpuNs: 0,
    memoryBytes: bytes,
    memoryLimit: limit,
    ...(psi === undefined ? {} : { memoryPressure: psi }),
  });

  it('reports usage at the limit held for duration_secs', () => {
    const t = new MemoryPressureTracker(config);
    const mib = 1048576;
    const r = [0, 1, 2].map((s) => t.observe(mem(s * 1000, 15 * mib, 16 * mib)));
    expect(r[1]).toBeUndefined();
    expect(r[2]?.message).toMatch(
      /memory pressure: 15\.0 MiB of 16\.0 MiB for 2\.0 s \(94% of the memory limit\)/,
    );
    expect(t.nearLimit(15 * mib, 16 * mib)).toBe(true);
    expect(t.nearLimit(15 * mib, Infinity)).toBe(false);
  });

  it('reports memory PSI on a container without a limit, and ignores low PSI', () => {
    const t = new MemoryPressureTracker(config);
    expect([0, 1, 2].map((s) => t.observe(mem(s * 1000, 1e9, Infinity, 5))).every((x) => !x)).toBe(true);
    const r = [3, 4, 5].map((s) => t.observe(mem(s * 1000, 1e9, Infinity, 35)));
    expect(r[2]?.fields).toMatchObject({ memory_psi_some_avg10: 35, memory_limit: null });
  });
});
