import { CgroupReader } from '../docker/cgroup-reader.js';
import type { CgroupRoots } from '../docker/cgroup-paths.js';
import type { DockerPort } from '../docker/docker-port.js';
import type { Container } from '../domain/container.js';
import type { DetectorsConfig } from './config.js';
import type { PidsSample, ResourceSample } from './samples.js';
import { TickClock, type TickLateness } from './tick-clock.js';

export interface SamplerSink {
  containers(): readonly Container[];
  port(engine: string): DockerPort | undefined;
  now(): number;
  /**
   * Every pids reading (each tick from cgroups, each fallback interval from the stats API).
   * Returns true to ask for a quick re-read (a storm waiting to be confirmed). The sample object
   * is reused for the next reading: copy what you keep.
   */
  pids(container: Container, sample: PidsSample): boolean;
  /** Every resource reading; `nearLimit` tells the reader when to pay for the working-set read. */
  resources(container: Container, sample: ResourceSample): void;
  nearLimit(container: Container, memoryBytes: number, memoryLimit: number): boolean;
  /** The containers left the sampler (stopped, paused, removed): forget their state. */
  forget(containerId: string): void;
  mode(mode: string): void;
}

interface Watch {
  pid: number;
  /** The tick that last saw the container running; older means it left the sampler. */
  seenTick: number;
  /** Why cgroups could not be read for this container; undefined while they are read. */
  fallbackReason: string | undefined;
  lastStatsAt: number;
  statsInFlight: boolean;
  lastAttachAt: number;
  /**
   * The last pids reading, and whether it may stand for the next one: calm (no storm being
   * confirmed) and far from pids.max (where forks can be refused without the count moving).
   */
  pids: number;
  pidsMax: number;
  forksRefused: number | undefined;
  reusable: boolean;
}

/** Remote engines' containers live on another host: their cgroups are not ours to read. */
function isLocalEngine(engine: string): boolean {
  return engine.startsWith('unix://') || engine.startsWith('/');
}

/**
 * Samples every running container: pids each tick from cgroups (synchronous reads, one pass),
 * CPU/memory/PSI on the slower resource clock, and the stats API at the fallback interval for
 * containers whose cgroups cannot be read. Paused and stopped containers are not read at all.
 * The pids pass allocates nothing per container (one reused sample, bytes parsed in place): ten
 * passes a second over every container must not feed the garbage collector.
 */
export class Sampler {
  readonly reader: CgroupReader;
  private readonly clock: TickClock;
  private readonly watches = new Map<string, Watch>();
  private lastResourcesAt = -Infinity;
  private currentMode = '';
  /** The status line is rebuilt only when a watch came, went or changed how it is read. */
  private modeDirty = true;
  private ticks = 0;
  private readonly sample: PidsSample = { time: 0, pids: 0, pidsMax: Infinity };
  private readonly dropUnseen = (watch: Watch, id: string): void => {
    if (watch.seenTick === this.ticks) return;
    this.watches.delete(id);
    this.reader.detach(id);
    this.sink.forget(id);
    this.modeDirty = true;
  };
  /** " — ticks late (p99 300 ms)" while the host starves Brig, so nobody trusts a slow clock blindly. */
  private lateNote = '';
  private closed = false;

  constructor(
    private readonly config: DetectorsConfig['sampler'],
    private readonly sink: SamplerSink,
    roots: Partial<CgroupRoots> = {},
  ) {
    this.reader = new CgroupReader(roots);
    this.clock = new TickClock(config.interval_ms, () => this.tick());
  }

  start(): void {
    this.updateMode();
    this.clock.start();
  }

  close(): void {
    this.closed = true;
    this.clock.stop();
    this.reader.detachAll();
    this.watches.clear();
  }

  get mode(): string {
    return this.currentMode;
  }

  lateness(): TickLateness {
    return this.clock.lateness();
  }

  /** One pass over the inventory; public so tests can drive it without timers. */
  tick(): void {
    const now = this.sink.now();
    const resourcesDue = now - this.lastResourcesAt >= this.config.resource_interval_ms;
    if (resourcesDue) this.lastResourcesAt = now;
    this.ticks += 1;
    let hurry = false;
    this.reader.refreshParents();
    const containers = this.sink.containers();
    for (let i = 0; i < containers.length; i += 1) {
      const container = containers[i]!;
      if (container.state !== 'running' || container.stale) continue;
      const watch = this.watchFor(container, now);
      watch.seenTick = this.ticks;
      if (watch.fallbackReason === undefined)
        hurry = this.sampleCgroup(container, watch, now, resourcesDue) || hurry;
      else this.sampleStats(container, watch, now);
    }
    // A hot tick is confirmed a quarter interval later, not a whole one: containment comes sooner.
    if (hurry) this.clock.hurry(Math.max(5, this.config.interval_ms / 4));
    if (this.ticks % 50 === 0) {
      const note = latenessNote(this.clock.lateness().p99Ms, this.config.interval_ms);
      if (note !== this.lateNote) this.modeDirty = true;
      this.lateNote = note;
    }
    // Deleting the current entry while iterating a Map is safe.
    this.watches.forEach(this.dropUnseen);
    if (this.modeDirty) this.updateMode();
  }

  private watchFor(container: Container, now: number): Watch {
    let watch = this.watches.get(container.id);
    if (watch && watch.pid === container.pid) {
      if (watch.fallbackReason === undefined && this.reader.isAttached(container.id)) return watch;
      // A local container on the stats API (e.g. caught mid-start) retries cgroups now and then.
      const retry =
        isLocalEngine(container.engine) && now - watch.lastAttachAt >= this.config.fallback_interval_ms;
      if (watch.fallbackReason !== undefined && !retry) return watch;
    }
    // New container, new main process (restarted), or its cgroup vanished: locate it again.
    if (watch && watch.pid !== container.pid) this.sink.forget(container.id);
    watch ??= {
      pid: container.pid,
      seenTick: 0,
      fallbackReason: undefined,
      lastStatsAt: -Infinity,
      statsInFlight: false,
      lastAttachAt: now,
      pids: 0,
      pidsMax: Infinity,
      forksRefused: undefined,
      reusable: false,
    };
    watch.pid = container.pid;
    watch.lastAttachAt = now;
    watch.reusable = false;
    if (!isLocalEngine(container.engine)) {
      watch.fallbackReason = 'remote engine';
    } else {
      const located = this.reader.attach(container.id, container.pid);
      watch.fallbackReason = located.ok ? undefined : located.reason;
    }
    this.watches.set(container.id, watch);
    this.modeDirty = true;
    return watch;
  }

  /**
   * Between the full passes (each resource interval), a calm container whose parent cgroup counted
   * the same tasks as at the last pass is not read: its last reading is fed again with this pass's
   * time, which is what the read would have returned, so the detectors see the same series. On an
   * idle host that is one read a pass instead of one per container.
   */
  private sampleCgroup(container: Container, watch: Watch, now: number, resourcesDue: boolean): boolean {
    const sample = this.sample;
    if (!resourcesDue && watch.reusable && this.reader.pidsQuiet(container.id)) {
      sample.pids = watch.pids;
      sample.pidsMax = watch.pidsMax;
      sample.forksRefused = watch.forksRefused;
    } else if (this.reader.readPidsInto(container.id, sample)) {
      watch.pids = sample.pids;
      watch.pidsMax = sample.pidsMax;
      watch.forksRefused = sample.forksRefused;
    } else {
      // Exited mid-read: normal; re-located on the next pass if it runs again.
      watch.reusable = false;
      return false;
    }
    sample.time = now;
    const hurry = this.sink.pids(container, sample);
    watch.reusable = !hurry && sample.pids < sample.pidsMax / 2;
    if (!resourcesDue) return hurry;
    let resources = this.reader.readResources(container.id);
    if (resources && this.sink.nearLimit(container, resources.memoryBytes, resources.memoryLimit)) {
      resources = this.reader.readResources(container.id, true) ?? resources;
    }
    if (resources) this.sink.resources(container, { time: now, ...resources });
    return hurry;
  }

  private sampleStats(container: Container, watch: Watch, now: number): void {
    if (watch.statsInFlight || now - watch.lastStatsAt < this.config.fallback_interval_ms) return;
    const port = this.sink.port(container.engine);
    if (!port) return;
    watch.statsInFlight = true;
    watch.lastStatsAt = now;
    port.stats(container.id).then(
      (s) => {
        watch.statsInFlight = false;
        if (this.closed || this.watches.get(container.id) !== watch) return;
        const time = this.sink.now();
        this.sink.pids(container, { time, pids: s.pids, pidsMax: s.pidsLimit > 0 ? s.pidsLimit : Infinity });
        this.sink.resources(container, {
          time,
          cpuNs: s.cpuTotalNs,
          memoryBytes: s.memoryBytes,
          memoryLimit: s.memoryLimit > 0 ? s.memoryLimit : Infinity,
        });
      },
      () => {
        // Stopped between the inventory and the call, or the engine is away: the next pass retries.
        watch.statsInFlight = false;
      },
    );
  }

  private updateMode(): void {
    this.modeDirty = false;
    const tick = `${this.config.interval_ms}ms`;
    const fallback = `stats API ${this.config.fallback_interval_ms / 1000}s`;
    const reasons = new Map<string, number>();
    let cgroup = 0;
    for (const watch of this.watches.values()) {
      if (watch.fallbackReason === undefined) cgroup += 1;
      else reasons.set(watch.fallbackReason, (reasons.get(watch.fallbackReason) ?? 0) + 1);
    }
    const fallbackCount = this.watches.size - cgroup;
    const why = [...reasons.entries()].map(([reason, n]) => `${n}× ${reason}`).join(', ');
    let mode: string;
    if (!this.reader.layout) mode = `${fallback} (no cgroup hierarchy at ${this.reader.roots.cgroup})`;
    else if (fallbackCount === 0) mode = `${this.reader.describe()} ${tick}`;
    else if (cgroup === 0) mode = `${fallback} (cgroups unreadable: ${why})`;
    else mode = `${this.reader.describe()} ${tick}, ${fallback} for ${fallbackCount} (${why})`;
    mode += this.lateNote;
    if (mode !== this.currentMode) {
      this.currentMode = mode;
      this.sink.mode(mode);
    }
  }
}

/** Shown only when ticks run more than two intervals late; rounded so the status does not flicker. */
export function latenessNote(p99Ms: number, intervalMs: number): string {
  if (p99Ms < 2 * intervalMs) return '';
  return ` — ticks late (p99 ${Math.round(p99Ms / 100) * 100} ms)`;
}
