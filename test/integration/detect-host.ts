import type { DockerEvent, DockerPort, EventSubscription } from '../../source/docker/docker-port.js';
import { containerFromInspect } from '../../source/docker/inspect.js';
import type { DetectorsConfig } from '../../source/detect/config.js';
import { startDetectors, type Detectors } from '../../source/detect/detectors.js';
import type { Alert } from '../../source/domain/alert.js';
import type { Container } from '../../source/domain/container.js';
import type { ContainerStats } from '../../source/domain/snapshot.js';

/**
 * A small DetectorHost over the real engine for the detector tests: it lists the containers a
 * test names (inspected through the port every 200 ms, and at once on their events) and forwards
 * their Docker events, as the engine does.
 */
export class DetectorTestHost {
  readonly alerts: Alert[] = [];
  readonly statuses: string[] = [];
  /** Highest pids count the sampler reported per container. */
  readonly peakPids = new Map<string, number>();
  readonly lastStats = new Map<string, ContainerStats>();
  private list: Container[] = [];
  private readonly ids = new Set<string>();
  private refreshTimer: NodeJS.Timeout | undefined;
  private events: EventSubscription | undefined;
  detectors: Detectors | undefined;

  /** `engineAs`: pretend the containers live on this engine (e.g. a tcp:// one: no cgroups to read). */
  constructor(
    private readonly port: DockerPort,
    private readonly engineAs?: string,
  ) {}

  watch(id: string): void {
    this.ids.add(id);
  }

  async start(config: DetectorsConfig): Promise<Detectors> {
    await this.refresh();
    this.detectors = startDetectors(config, {
      containers: () => this.list,
      emit: (alert) => void this.alerts.push(alert),
      stats: (id, stats) => {
        this.peakPids.set(id, Math.max(this.peakPids.get(id) ?? 0, stats.pids));
        this.lastStats.set(id, stats);
      },
      port: () => this.port,
      status: (message) => void this.statuses.push(message),
    });
    this.events = this.port.events({
      onEvent: (event: DockerEvent) => {
        if (!this.ids.has(event.id)) return;
        this.detectors?.handleDockerEvent(
          event,
          this.list.find((c) => c.id === event.id),
        );
        void this.refresh();
      },
      onEnd: () => {},
    });
    this.refreshTimer = setInterval(() => void this.refresh(), 200);
    // The events request needs a moment to land before a test makes events happen.
    await new Promise((r) => setTimeout(r, 300));
    return this.detectors;
  }

  /** Resolves with the first alert matching `rule` (and container), or rejects after `timeoutMs`. */
  async waitForAlert(rule: string, containerId: string, timeoutMs = 20_000): Promise<Alert> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.alerts.find((a) => a.rule === rule && a.container?.id === containerId);
      if (found) return found;
      if (Date.now() > deadline) {
        throw new Error(
          `no ${rule} alert within ${timeoutMs} ms; alerts: ${JSON.stringify(this.alerts.map((a) => a.message))}; status: ${this.statuses.join(' | ')}`,
        );
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  close(): void {
    if (this.refreshTimer) clearInterval(this.refreshTimer);
    this.events?.close();
    this.detectors?.close();
  }

  private async refresh(): Promise<void> {
    const next: Container[] = [];
    for (const id of this.ids) {
      try {
        next.push(
          containerFromInspect(await this.port.inspectContainer(id), this.engineAs ?? this.port.host),
        );
      } catch {
        // removed: not in the inventory any more
      }
    }
    this.list = next;
  }
}
