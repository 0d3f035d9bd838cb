import type { DetectorsConfig } from './config.js';
import type { Finding, PidsSample } from './samples.js';

type ForkStormConfig = DetectorsConfig['fork_storm'];

/**
 * Per-container fork-storm state. A tick is hot when pids grew fast (and there are enough of
 * them), when the kernel refused forks at the pids limit, or when pids sit near the limit; the
 * storm is reported once `sustain_ticks` hot ticks run back to back. A short burst of 20
 * processes is one tick of growth below `min_pids`: never hot.
 */
export class ForkStormTracker {
  /** A copy of the last reading: the sampler reuses its sample object for the next one. */
  private previous: PidsSample | undefined;
  private hotTicks = 0;
  private startPids = 0;
  private startTime = 0;
  private refusedAtStart = 0;

  /** `intervalMs`: the tick `growth_per_tick` is measured on; growth over other spans is scaled to it. */
  constructor(
    private readonly config: ForkStormConfig,
    private readonly intervalMs = 100,
  ) {}

  /** True after a hot tick that is not yet a storm: the sampler re-reads sooner to confirm. */
  get confirming(): boolean {
    return this.hotTicks > 0 && this.hotTicks < this.config.sustain_ticks;
  }

  /** A finding while the storm is sustained, else undefined. */
  observe(sample: PidsSample): Finding | undefined {
    // Read before remember() overwrites the kept copy.
    const hadPrevious = this.previous !== undefined;
    const previousPids = this.previous?.pids ?? sample.pids;
    const previousTime = this.previous?.time ?? sample.time;
    const previousRefused = this.previous?.forksRefused;
    this.remember(sample);
    const c = this.config;
    const growth = sample.pids - previousPids;
    // Late ticks, quick confirmation reads and the 2 s stats fallback span other times than a tick.
    const span = hadPrevious ? Math.max(1, sample.time - previousTime) : this.intervalMs;
    const growthPerTick = (growth * this.intervalMs) / span;
    const refused =
      previousRefused !== undefined && sample.forksRefused !== undefined
        ? sample.forksRefused - previousRefused
        : 0;
    const growing = growthPerTick >= c.growth_per_tick && sample.pids >= c.min_pids;
    const nearLimit =
      Number.isFinite(sample.pidsMax) &&
      sample.pids >= c.min_pids &&
      sample.pids >= c.near_limit_ratio * sample.pidsMax;
    // A calm tick (every tick, nearly always) allocates nothing: reasons are spelt only when hot.
    if (!growing && refused <= 0 && !nearLimit) {
      this.hotTicks = 0;
      return undefined;
    }
    const reasons: string[] = [];
    if (growing) reasons.push(`+${growth} pids in ${Math.round(span)} ms`);
    if (refused > 0) reasons.push(`${refused} forks refused at the pids limit`);
    if (nearLimit) reasons.push(`at ${Math.round((100 * sample.pids) / sample.pidsMax)}% of pids.max`);
    if (this.hotTicks === 0) {
      // The storm began at the last calm reading.
      this.startPids = previousPids;
      this.startTime = previousTime;
      this.refusedAtStart = previousRefused ?? sample.forksRefused ?? 0;
    }
    this.hotTicks += 1;
    if (this.hotTicks < c.sustain_ticks) return undefined;
    const limit = Number.isFinite(sample.pidsMax) ? String(sample.pidsMax) : 'none';
    const elapsedMs = sample.time - this.startTime;
    const refusedTotal = (sample.forksRefused ?? 0) - this.refusedAtStart;
    return {
      message:
        `fork storm: ${sample.pids} pids (limit ${limit}), ${this.startPids} → ${sample.pids} in ${elapsedMs} ms` +
        (refusedTotal > 0 ? `, ${refusedTotal} forks refused` : '') +
        ` (${reasons.join('; ')})`,
      fields: {
        pids: sample.pids,
        pids_max: Number.isFinite(sample.pidsMax) ? sample.pidsMax : null,
        pids_at_start: this.startPids,
        growth_last_tick: growth,
        forks_refused: refusedTotal,
        hot_ticks: this.hotTicks,
        elapsed_ms: elapsedMs,
        reasons,
      },
    };
  }

  private remember(sample: PidsSample): void {
    const kept = (this.previous ??= { time: 0, pids: 0, pidsMax: Infinity });
    kept.time = sample.time;
    kept.pids = sample.pids;
    kept.pidsMax = sample.pidsMax;
    kept.forksRefused = sample.forksRefused;
  }
}
