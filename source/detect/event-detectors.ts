import type { DockerEvent } from '../docker/docker-port.js';
import type { Container } from '../domain/container.js';
import type { DetectorsConfig } from './config.js';
import type { DetectorName } from './detector-alert.js';
import { Episode } from './episode.js';
import type { Finding } from './samples.js';
import { containerIdPattern } from '../domain/container.js';

export interface EventFinding extends Finding {
  detector: DetectorName;
  container: { id: string; name?: string };
  timeMs: number;
}

interface RestartState {
  restarts: number[];
  diedAt: number | undefined;
  /** A die→start was counted: the `restart` event `docker restart` sends next is the same restart. */
  restartCredit: boolean;
  /** A `restart` was counted first (Podman sends it before die/init/start): the start that follows is the same restart. */
  restartPending: boolean;
  lastExitCode: string | undefined;
  episode: Episode;
}

/**
 * Detectors on Docker's own events: `oom` → container_oom, `health_status: unhealthy` →
 * container_unhealthy, and restarts (die→start cycles, or `restart` events) → restart_loop.
 */
export class EventDetectors {
  private readonly restarts = new Map<string, RestartState>();
  private readonly unhealthy = new Map<string, Episode>();

  constructor(private readonly config: DetectorsConfig) {}

  handle(event: DockerEvent, container: Container | undefined): EventFinding[] {
    if (event.type !== 'container' || !containerIdPattern.test(event.id)) return [];
    const name = container?.name ?? event.attributes.name;
    const ref: { id: string; name?: string } = name ? { id: event.id, name } : { id: event.id };
    const timeMs = event.timeNano > 0 ? event.timeNano / 1e6 : Date.now();
    const found = (detector: DetectorName, finding: Finding): EventFinding[] => [
      { detector, container: ref, timeMs, ...finding },
    ];
    const action = event.action;
    if (action === 'destroy') {
      this.restarts.delete(event.id);
      this.unhealthy.delete(event.id);
      return [];
    }
    if (action === 'oom') {
      if (!this.config.container_oom.enabled) return [];
      return found('container_oom', {
        message: `container ${name ?? event.id.slice(0, 12)} was OOM-killed (memory limit ${limitText(container)})`,
        fields: { memory_limit: container?.limits.memory || null, image: event.attributes.image ?? null },
      });
    }
    if (action.startsWith('health_status')) return this.health(event, action, ref, timeMs, found);
    if (action === 'die' || action === 'start' || action === 'restart') {
      return this.restart(event, action, timeMs, found);
    }
    return [];
  }

  private health(
    event: DockerEvent,
    action: string,
    ref: { id: string; name?: string },
    timeMs: number,
    found: (d: DetectorName, f: Finding) => EventFinding[],
  ): EventFinding[] {
    const c = this.config.container_unhealthy;
    let episode = this.unhealthy.get(event.id);
    if (!episode) {
      episode = new Episode(c.realert_secs * 1000, 0);
      this.unhealthy.set(event.id, episode);
    }
    const unhealthy = action.trim().endsWith('unhealthy');
    if (!episode.observe(unhealthy, timeMs) || !c.enabled) return [];
    return found('container_unhealthy', {
      message: `container ${ref.name ?? ref.id.slice(0, 12)} is unhealthy (health check failing)`,
      fields: { health: 'unhealthy' },
    });
  }

  private restart(
    event: DockerEvent,
    action: 'die' | 'start' | 'restart',
    timeMs: number,
    found: (d: DetectorName, f: Finding) => EventFinding[],
  ): EventFinding[] {
    const c = this.config.restart_loop;
    let state = this.restarts.get(event.id);
    if (!state) {
      state = {
        restarts: [],
        diedAt: undefined,
        restartCredit: false,
        restartPending: false,
        lastExitCode: undefined,
        episode: new Episode(c.realert_secs * 1000, c.window_secs * 1000),
      };
      this.restarts.set(event.id, state);
    }
    let counted = false;
    if (action === 'die') {
      state.diedAt = timeMs;
      state.restartCredit = false;
      state.lastExitCode = event.attributes.exitCode;
    } else if (action === 'start') {
      if (state.restartPending) {
        state.restartPending = false;
        state.diedAt = undefined;
      } else if (state.diedAt !== undefined) {
        state.restarts.push(timeMs);
        state.diedAt = undefined;
        state.restartCredit = true;
        counted = true;
      }
    } else if (state.restartCredit) {
      state.restartCredit = false;
    } else {
      state.restarts.push(timeMs);
      state.restartPending = true;
      counted = true;
    }
    const windowMs = c.window_secs * 1000;
    state.restarts = state.restarts.filter((t) => timeMs - t < windowMs);
    const looping = state.restarts.length >= c.restarts;
    // Only a counted restart can start or prolong an episode; die events do not calm it either.
    if (!counted) return [];
    if (!state.episode.observe(looping, timeMs) || !c.enabled) return [];
    const exitCode = state.lastExitCode;
    return found('restart_loop', {
      message: `restart loop: ${state.restarts.length} restarts within ${c.window_secs} s`,
      fields: {
        restarts: state.restarts.length,
        window_secs: c.window_secs,
        exit_code: exitCode === undefined ? null : Number(exitCode),
      },
    });
  }
}

function limitText(container: Container | undefined): string {
  const bytes = container?.limits.memory ?? 0;
  return bytes > 0 ? `${(bytes / 1048576).toFixed(0)} MiB` : 'none set';
}
