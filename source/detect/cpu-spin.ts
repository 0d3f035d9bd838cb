import type { Container } from '../domain/container.js';
import type { DetectorsConfig } from './config.js';
import type { Finding, ResourceSample } from './samples.js';

type CpuSpinConfig = DetectorsConfig['cpu_spin'];

/** Cores the container may use: its NanoCpus, else CpuQuota/CpuPeriod, else one core. */
export function cpuAllowance(limits: Container['limits']): number {
  if (limits.nanoCpus > 0) return limits.nanoCpus / 1e9;
  if (limits.cpuQuota > 0) return limits.cpuQuota / (limits.cpuPeriod > 0 ? limits.cpuPeriod : 100_000);
  return 1;
}

/** CPU at or above `threshold` of its allowance for `duration_secs` straight. */
export class CpuSpinTracker {
  private previous: ResourceSample | undefined;
  private hotSince: number | undefined;
  /** Cores used over the last interval; undefined until two samples. */
  cores: number | undefined;

  constructor(private readonly config: CpuSpinConfig) {}

  observe(sample: ResourceSample, limits: Container['limits']): Finding | undefined {
    const previous = this.previous;
    this.previous = sample;
    if (!previous || sample.time <= previous.time || sample.cpuNs < previous.cpuNs) {
      this.cores = undefined;
      return undefined;
    }
    const cores = (sample.cpuNs - previous.cpuNs) / ((sample.time - previous.time) * 1e6);
    this.cores = cores;
    const allowance = cpuAllowance(limits);
    const ratio = cores / allowance;
    if (ratio < this.config.threshold) {
      this.hotSince = undefined;
      return undefined;
    }
    this.hotSince ??= previous.time;
    const secs = (sample.time - this.hotSince) / 1000;
    if (secs < this.config.duration_secs) return undefined;
    const percent = Math.round(cores * 100);
    return {
      message: `cpu spin: ${percent}% of a core for ${secs.toFixed(1)} s (allowance ${allowance} ${allowance === 1 ? 'core' : 'cores'}, threshold ${Math.round(this.config.threshold * 100)}%)`,
      fields: {
        cpu_percent: percent,
        cpu_cores: Number(cores.toFixed(3)),
        allowance_cores: allowance,
        ratio: Number(ratio.toFixed(3)),
        duration_secs: Number(secs.toFixed(1)),
      },
    };
  }
}
