import type { CgroupRoots } from '../docker/cgroup-paths.js';
import type { DockerEvent, DockerPort } from '../docker/docker-port.js';
import type { Alert } from '../domain/alert.js';
import type { Container } from '../domain/container.js';
import type { ContainerStats } from '../domain/snapshot.js';
import type { DetectorsConfig } from './config.js';
import { CpuSpinTracker } from './cpu-spin.js';
import { DetectorAlerts, type DetectorName } from './detector-alert.js';
import { Episode } from './episode.js';
import { EventDetectors } from './event-detectors.js';
import { ForkStormTracker } from './fork-storm.js';
import { MemoryPressureTracker } from './memory-pressure.js';
import type { Finding } from './samples.js';
import { Sampler } from './sampler.js';
import type { TickLateness } from './tick-clock.js';

export type { TickLateness } from './tick-clock.js';

export interface DetectorHost {
  /** Current inventory. */
  containers(): readonly Container[];
  /** Source `brig:<detector>`, rule = detector name, container {id, name}. */
  emit(alert: Alert): void;
  /** Live figures for the UI. */
  stats(containerId: string, stats: ContainerStats): void;
  /** For the stats-API fallback. */
  port(engine: string): DockerPort | undefined;
  /** e.g. "sampler: cgroup v1 100ms" / "sampler: stats API 2s (cgroups unreadable: …)". */
  status(message: string): void;
  now?(): number;
}

export interface Detectors {
  /** Every Docker event the engine receives: oom, health_status, die/start/restart matter here. */
  handleDockerEvent(event: DockerEvent, container: Container | undefined): void;
  close(): void;
  /** Shown in the header / headless output, e.g. "cgroup v1 100ms". */
  readonly mode: string;
  /** How late the sampler's ticks run (a fork bomb starving the host shows here). */
  tickLateness(): TickLateness;
  /** One sampler pass now (tests; the clock does this every interval). */
  sampleNow(): void;
}

export interface DetectorsOptions {
  /** /proc and cgroup mount roots (tests use fixture trees). */
  cgroupRoots?: Partial<CgroupRoots>;
  /** Do not start the clock: the caller drives sampleNow() (tests). */
  manualTicks?: boolean;
}

const historyLength = 60;
/** Calm time that ends an episode, so the next storm is a new alert. */
const forkStormClearMs = 5_000;
const resourceClearMs = 10_000;

interface ContainerDetectors {
  forkStorm: ForkStormTracker;
  forkEpisode: Episode;
  cpuSpin: CpuSpinTracker;
  cpuEpisode: Episode;
  memory: MemoryPressureTracker;
  memoryEpisode: Episode;
  stats: ContainerStats;
  lastPidsShown: number;
}

/** Starts the cgroup sampler and the event detectors; alerts go to host.emit like any other alert. */
export function startDetectors(
  config: DetectorsConfig,
  host: DetectorHost,
  options: DetectorsOptions = {},
): Detectors {
  const now = () => host.now?.() ?? Date.now();
  const alerts = new DetectorAlerts();
  const events = new EventDetectors(config);
  const perContainer = new Map<string, ContainerDetectors>();

  const stateFor = (id: string): ContainerDetectors => {
    let s = perContainer.get(id);
    if (!s) {
      s = {
        forkStorm: new ForkStormTracker(config.fork_storm, config.sampler.interval_ms),
        forkEpisode: new Episode(config.fork_storm.realert_secs * 1000, forkStormClearMs),
        cpuSpin: new CpuSpinTracker(config.cpu_spin),
        cpuEpisode: new Episode(config.cpu_spin.realert_secs * 1000, resourceClearMs),
        memory: new MemoryPressureTracker(config.memory_pressure),
        memoryEpisode: new Episode(config.memory_pressure.realert_secs * 1000, resourceClearMs),
        stats: { cpuPercent: 0, memoryBytes: 0, pids: 0, cpuHistory: [], pidsHistory: [] },
        lastPidsShown: -1,
      };
      perContainer.set(id, s);
    }
    return s;
  };

  const report = (
    detector: DetectorName,
    severity: Alert['severity'],
    container: { id: string; name?: string },
    finding: Finding,
    timeMs: number,
  ) => {
    try {
      host.emit(alerts.make(detector, severity, container, finding, timeMs));
    } catch (error) {
      host.status(`detectors: emitting ${detector} failed: ${(error as Error).message}`);
    }
  };

  const episode = (
    detector: DetectorName,
    enabled: boolean,
    ep: Episode,
    finding: Finding | undefined,
    container: Container,
    timeMs: number,
  ) => {
    if (!enabled) return;
    if (ep.observe(finding !== undefined, timeMs) && finding) {
      report(detector, config[detector].severity, container, finding, timeMs);
    }
  };

  const publish = (container: Container, s: ContainerDetectors) => {
    host.stats(container.id, {
      ...s.stats,
      cpuHistory: [...s.stats.cpuHistory],
      pidsHistory: [...s.stats.pidsHistory],
    });
  };

  const sampler = new Sampler(
    config.sampler,
    {
      containers: () => host.containers(),
      port: (engine) => host.port(engine),
      now,
      pids(container, sample) {
        const s = stateFor(container.id);
        episode(
          'fork_storm',
          config.fork_storm.enabled,
          s.forkEpisode,
          s.forkStorm.observe(sample),
          container,
          sample.time,
        );
        s.stats.pids = sample.pids;
        // Pids move live in the UI during a storm; otherwise figures update on the resource clock.
        if (sample.pids !== s.lastPidsShown && s.stats.pidsHistory.length > 0) {
          s.lastPidsShown = sample.pids;
          publish(container, s);
        }
        return s.forkStorm.confirming;
      },
      resources(container, sample) {
        const s = stateFor(container.id);
        const cpuFinding = s.cpuSpin.observe(sample, container.limits);
        episode('cpu_spin', config.cpu_spin.enabled, s.cpuEpisode, cpuFinding, container, sample.time);
        const memFinding = s.memory.observe(sample);
        episode(
          'memory_pressure',
          config.memory_pressure.enabled,
          s.memoryEpisode,
          memFinding,
          container,
          sample.time,
        );
        const cpuPercent = s.cpuSpin.cores === undefined ? 0 : Math.round(s.cpuSpin.cores * 1000) / 10;
        s.stats.cpuPercent = cpuPercent;
        s.stats.memoryBytes = sample.memoryBytes;
        pushBounded(s.stats.cpuHistory, cpuPercent);
        pushBounded(s.stats.pidsHistory, s.stats.pids);
        s.lastPidsShown = s.stats.pids;
        publish(container, s);
      },
      nearLimit: (container, bytes, limit) => stateFor(container.id).memory.nearLimit(bytes, limit),
      forget: (id) => perContainer.delete(id),
      mode: (mode) => host.status(`sampler: ${mode}`),
    },
    options.cgroupRoots,
  );
  if (options.manualTicks) sampler.tick();
  else sampler.start();

  return {
    handleDockerEvent(event, container) {
      for (const found of events.handle(event, container)) {
        report(found.detector, config[found.detector].severity, found.container, found, found.timeMs);
      }
    },
    close: () => sampler.close(),
    get mode() {
      return sampler.mode;
    },
    tickLateness: () => sampler.lateness(),
    sampleNow: () => sampler.tick(),
  };
}

function pushBounded(list: number[], value: number): void {
  list.push(value);
  if (list.length > historyLength) list.shift();
}
