import { z } from 'zod';
import { SeverityInputSchema, type Severity } from '../domain/severity.js';

const severity = (fallback: Severity) => SeverityInputSchema.default(fallback);
const positive = z.number().positive();
const ratio = z.number().gt(0).max(1);
const enabled = z.boolean().default(true);
/** While a condition lasts, one alert per this many seconds (one per episode when longer than it). */
const realert = (secs: number) => positive.default(secs);

/**
 * `[detectors.<name>]` tables of config.toml. Every key has a default (README "Detectors"); unknown
 * keys are errors so a typo does not silently keep the default.
 */
export const DetectorsConfigSchema = z
  .strictObject({
    sampler: z
      .strictObject({
        /** The pids tick: fork storms are caught on this clock. */
        interval_ms: z.number().int().min(10).default(100),
        /** CPU, memory and PSI are read on this slower clock (they need a longer window anyway). */
        resource_interval_ms: z.number().int().min(100).default(1000),
        /** The stats-API fallback when cgroups cannot be read (remote engine, no permission). */
        fallback_interval_ms: z.number().int().min(500).default(2000),
      })
      .prefault({}),
    fork_storm: z
      .strictObject({
        enabled,
        severity: severity('High'),
        /** A tick is hot when pids grew by at least this much since the last tick… */
        growth_per_tick: z.number().int().min(1).default(10),
        /** …and the container has at least this many pids (20 short processes stay below it)… */
        min_pids: z.number().int().min(1).default(30),
        /** …or pids.current ≥ this fraction of pids.max, or the kernel refused forks (pids.events). */
        near_limit_ratio: ratio.default(0.9),
        /** Consecutive hot ticks before the alert. */
        sustain_ticks: z.number().int().min(1).default(2),
        realert_secs: realert(60),
      })
      .prefault({}),
    cpu_spin: z
      .strictObject({
        enabled,
        severity: severity('Medium'),
        /** Fraction of the container's CPU quota, or of one core when it has none. */
        threshold: z.number().positive().default(0.9),
        duration_secs: positive.default(30),
        realert_secs: realert(600),
      })
      .prefault({}),
    memory_pressure: z
      .strictObject({
        enabled,
        severity: severity('Medium'),
        /** Working set ≥ this fraction of the memory limit (containers without a limit: PSI only). */
        usage_ratio: ratio.default(0.9),
        /** Memory PSI `some avg10` ≥ this percentage, where the kernel has PSI. 0 disables. */
        psi_some_avg10: z.number().min(0).max(100).default(20),
        duration_secs: positive.default(10),
        realert_secs: realert(600),
      })
      .prefault({}),
    // Every OOM kill is its own event: one alert each.
    container_oom: z.strictObject({ enabled, severity: severity('Critical') }).prefault({}),
    container_unhealthy: z
      .strictObject({ enabled, severity: severity('Medium'), realert_secs: realert(600) })
      .prefault({}),
    restart_loop: z
      .strictObject({
        enabled,
        severity: severity('Medium'),
        restarts: z.number().int().min(2).default(3),
        window_secs: positive.default(60),
        realert_secs: realert(600),
      })
      .prefault({}),
  })
  .prefault({});

export type DetectorsConfig = z.infer<typeof DetectorsConfigSchema>;

export const defaultDetectorsConfig: DetectorsConfig = DetectorsConfigSchema.parse({});
