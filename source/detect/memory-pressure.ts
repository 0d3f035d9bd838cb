import type { DetectorsConfig } from './config.js';
import type { Finding, ResourceSample } from './samples.js';

type MemoryPressureConfig = DetectorsConfig['memory_pressure'];

/** Working set ≥ `usage_ratio` of the limit, or memory PSI above its threshold, for `duration_secs`. */
export class MemoryPressureTracker {
  private hotSince: number | undefined;

  constructor(private readonly config: MemoryPressureConfig) {}

  /** Usage at which the reader should subtract page cache (the working-set read costs more). */
  nearLimit(memoryBytes: number, memoryLimit: number): boolean {
    return Number.isFinite(memoryLimit) && memoryBytes >= this.config.usage_ratio * memoryLimit;
  }

  observe(sample: ResourceSample): Finding | undefined {
    const c = this.config;
    const reasons: string[] = [];
    const usage = Number.isFinite(sample.memoryLimit) ? sample.memoryBytes / sample.memoryLimit : undefined;
    if (usage !== undefined && usage >= c.usage_ratio) {
      reasons.push(`${Math.round(usage * 100)}% of the memory limit`);
    }
    if (
      c.psi_some_avg10 > 0 &&
      sample.memoryPressure !== undefined &&
      sample.memoryPressure >= c.psi_some_avg10
    ) {
      reasons.push(`memory PSI some avg10 ${sample.memoryPressure}%`);
    }
    if (reasons.length === 0) {
      this.hotSince = undefined;
      return undefined;
    }
    this.hotSince ??= sample.time;
    const secs = (sample.time - this.hotSince) / 1000;
    if (secs < c.duration_secs) return undefined;
    const mib = (n: number) => (n / 1048576).toFixed(1);
    const limit = Number.isFinite(sample.memoryLimit) ? `${mib(sample.memoryLimit)} MiB` : 'none';
    return {
      message: `memory pressure: ${mib(sample.memoryBytes)} MiB of ${limit} for ${secs.toFixed(1)} s (${reasons.join('; ')})`,
      fields: {
        memory_bytes: sample.memoryBytes,
        memory_limit: Number.isFinite(sample.memoryLimit) ? sample.memoryLimit : null,
        usage_ratio: usage === undefined ? null : Number(usage.toFixed(3)),
        memory_psi_some_avg10: sample.memoryPressure ?? null,
        duration_secs: Number(secs.toFixed(1)),
        reasons,
      },
    };
  }
}
