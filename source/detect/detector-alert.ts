import type { Alert } from '../domain/alert.js';
import type { Severity } from '../domain/severity.js';
import type { Finding } from './samples.js';

export type DetectorName =
  'fork_storm' | 'cpu_spin' | 'memory_pressure' | 'container_oom' | 'container_unhealthy' | 'restart_loop';

/**
 * Builds detector alerts: source `brig:<detector>`, rule = detector name, the container by id and
 * name, id `brig:<detector>:<id12>:<ms>` — made unique if two land in the same millisecond.
 */
export class DetectorAlerts {
  private readonly lastIds = new Set<string>();
  private readonly order: string[] = [];

  make(
    detector: DetectorName,
    severity: Severity,
    container: { id: string; name?: string },
    finding: Finding,
    timeMs: number,
  ): Alert {
    const base = `brig:${detector}:${container.id.slice(0, 12)}:${Math.round(timeMs)}`;
    let id = base;
    for (let n = 2; this.lastIds.has(id); n += 1) id = `${base}-${n}`;
    this.remember(id);
    const ref: { id: string; name?: string } = { id: container.id };
    if (container.name) ref.name = container.name.replace(/^\//, '');
    return {
      id,
      time: new Date(timeMs).toISOString(),
      source: `brig:${detector}`,
      rule: detector,
      severity,
      container: ref,
      message: finding.message,
      fields: { detector, ...finding.fields },
    };
  }

  private remember(id: string): void {
    this.lastIds.add(id);
    this.order.push(id);
    // Collisions only matter within a millisecond: a short memory is enough.
    if (this.order.length > 256) this.lastIds.delete(this.order.shift()!);
  }
}
