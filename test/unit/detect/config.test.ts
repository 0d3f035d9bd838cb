import { describe, expect, it } from 'vitest';
import { DetectorsConfigSchema } from '../../../source/detect/config.js';

describe('detectors config', () => {
  it('has documented defaults for every table', () => {
    const c = DetectorsConfigSchema.parse({});
    expect(c.sampler).toEqual({ interval_ms: 100, resource_interval_ms: 1000, fallback_interval_ms: 2000 });
    expect(c.fork_storm).toMatchObject({ enabled: true, severity: 'High', sustain_ticks: 2, min_pids: 30 });
    expect(c.container_oom.severity).toBe('Critical');
    expect(c.container_unhealthy.severity).toBe('Medium');
    expect(c.restart_loop).toMatchObject({ severity: 'Medium', restarts: 3, window_secs: 60 });
  });

  it('accepts any casing of severities and keeps other defaults of a partial table', () => {
    const c = DetectorsConfigSchema.parse({ cpu_spin: { severity: 'critical', duration_secs: 5 } });
    expect(c.cpu_spin).toMatchObject({
      severity: 'Critical',
      duration_secs: 5,
      threshold: 0.9,
      enabled: true,
    });
  });

  it('names the field of a bad value or an unknown key', () => {
    const r = DetectorsConfigSchema.safeParse({
      fork_storm: { sustain_tiks: 3 },
      memory_pressure: { usage_ratio: 2 },
    });
    expect(r.success).toBe(false);
    const where = r.error?.issues.map((i) => i.path.join('.'));
    expect(where).toEqual(expect.arrayContaining(['fork_storm', 'memory_pressure.usage_ratio']));
    expect(JSON.stringify(r.error?.issues)).toContain('sustain_tiks');
  });
});
