import { afterEach, describe, expect, it } from 'vitest';
import type { DockerPort, StatsSample } from '../../../source/docker/docker-port.js';
import { DetectorsConfigSchema } from '../../../source/detect/config.js';
import { startDetectors, type Detectors } from '../../../source/detect/detectors.js';
import { latenessNote } from '../../../source/detect/sampler.js';
import type { Alert } from '../../../source/domain/alert.js';
import type { Container } from '../../../source/domain/container.js';
import type { ContainerStats } from '../../../source/domain/snapshot.js';
import { CgroupFixture, containerId } from './cgroup-fixture.js';

function container(overrides: Partial<Container> = {}): Container {
  return {
    id: containerId,
    name: 'bomb-1',
    image: 'busybox',
    state: 'running',
    labels: {},
    engine: 'unix:///var/run/docker.sock',
    pid: 4242,
    networkMode: 'bridge',
    networks: [],
    limits: { nanoCpus: 0, cpuQuota: 0, cpuPeriod: 0, pidsLimit: 1000, memory: 0, memorySwap: 0 },
    restartCount: 0,
    stale: false,
    ...overrides,
  };
}

class Host {
  time = 1_700_000_000_000;
  alerts: Alert[] = [];
  statuses: string[] = [];
  stats = new Map<string, ContainerStats>();
  list: Container[] = [container()];
  portCalls = 0;
  statsSample: StatsSample = {
    cpuTotalNs: 0,
    systemCpuNs: 0,
    onlineCpus: 2,
    memoryBytes: 1,
    memoryLimit: 0,
    pids: 1,
    pidsLimit: 1000,
  };
  readonly api = {
    host: 'tcp://remote:2375',
    stats: async () => {
      this.portCalls += 1;
      return this.statsSample;
    },
  } as unknown as DockerPort;

  containers = () => this.list;
  emit = (a: Alert) => void this.alerts.push(a);
  setStats = (id: string, s: ContainerStats) => void this.stats.set(id, s);
  port = () => this.api;
  status = (m: string) => void this.statuses.push(m);
  now = () => this.time;
}

let fixture: CgroupFixture;
let detectors: Detectors | undefined;
afterEach(() => {
  detectors?.close();
  fixture?.remove();
});

function start(host: Host, config = DetectorsConfigSchema.parse({})): Detectors {
  detectors = startDetectors(
    config,
    { ...host, stats: host.setStats },
    { cgroupRoots: { proc: fixture.proc, cgroup: fixture.cgroup }, manualTicks: true },
  );
  return detectors;
}

describe('startDetectors', () => {
  it('turns a fork storm in the cgroup counters into one brig:fork_storm alert per episode', () => {
    fixture = new CgroupFixture();
    const pidsDir = fixture.v1();
    const host = new Host();
    const d = start(host);
    expect(d.mode).toBe('cgroup v1 100ms');
    expect(host.statuses).toEqual(['sampler: cgroup v1 100ms']);
    for (const [pids, refused] of [
      [200, 0],
      [700, 0],
      [1000, 40],
      [1000, 90],
      [1000, 150],
    ] as const) {
      host.time += 100;
      fixture.write(`${pidsDir}/pids.current`, `${pids}\n`);
      fixture.write(`${pidsDir}/pids.events`, `max ${refused}\n`);
      d.sampleNow();
    }
    expect(host.alerts).toHaveLength(1);
    const [alert] = host.alerts;
    expect(alert).toMatchObject({
      id: `brig:fork_storm:${containerId.slice(0, 12)}:${1_700_000_000_200}`,
      source: 'brig:fork_storm',
      rule: 'fork_storm',
      severity: 'High',
      container: { id: containerId, name: 'bomb-1' },
      fields: { detector: 'fork_storm', pids: 700, pids_max: 1000 },
    });
    expect(alert?.time).toBe(new Date(1_700_000_000_200).toISOString());
    expect(host.stats.get(containerId)?.pids).toBe(1000);
  });

  it('falls back to the stats API for a remote engine, and says so', async () => {
    fixture = new CgroupFixture();
    fixture.v1();
    const host = new Host();
    host.list = [container({ engine: 'tcp://remote:2375' })];
    const d = start(host);
    await Promise.resolve();
    expect(d.mode).toBe('stats API 2s (cgroups unreadable: 1× remote engine)');
    expect(host.statuses.at(-1)).toBe('sampler: stats API 2s (cgroups unreadable: 1× remote engine)');
    expect(host.portCalls).toBe(1);
    host.time += 100;
    d.sampleNow(); // not yet: the fallback interval is 2 s
    expect(host.portCalls).toBe(1);
    host.time += 2000;
    d.sampleNow();
    expect(host.portCalls).toBe(2);
    await new Promise((r) => setImmediate(r));
    expect(host.stats.get(containerId)).toMatchObject({ pids: 1, memoryBytes: 1 });
  });

  it("falls back when a local container's cgroup cannot be read, naming the reason", () => {
    fixture = new CgroupFixture();
    fixture.v1();
    const host = new Host();
    host.list = [container({ pid: 999 })]; // no /proc/999 here: e.g. Brig in a container without the host's /proc
    const d = start(host);
    expect(d.mode).toBe('stats API 2s (cgroups unreadable: 1× cannot read /proc/999/cgroup: ENOENT)');
    expect(host.portCalls).toBe(1);
    // The inventory's pid was stale; once the cgroup is readable, the next retry moves it back.
    fixture.v1(containerId, 999);
    host.time += 2000;
    d.sampleNow();
    expect(d.mode).toBe('cgroup v1 100ms');
  });

  it('forwards Docker events to the event detectors', () => {
    fixture = new CgroupFixture();
    fixture.v2();
    const host = new Host();
    const d = start(host);
    d.handleDockerEvent(
      { type: 'container', action: 'oom', id: containerId, attributes: { name: 'bomb-1' }, timeNano: 5e15 },
      host.list[0],
    );
    expect(host.alerts).toEqual([
      expect.objectContaining({
        id: `brig:container_oom:${containerId.slice(0, 12)}:5000000000`,
        source: 'brig:container_oom',
        severity: 'Critical',
        container: { id: containerId, name: 'bomb-1' },
      }),
    ]);
  });

  it('forgets a container that stopped, and does not read paused ones', () => {
    fixture = new CgroupFixture();
    const pidsDir = fixture.v1();
    const host = new Host();
    const d = start(host);
    host.list = [container({ state: 'paused' })];
    fixture.write(`${pidsDir}/pids.current`, '1000\n');
    for (let i = 0; i < 5; i += 1) {
      host.time += 100;
      d.sampleNow();
    }
    expect(host.alerts).toHaveLength(0);
  });
});

describe('sampler fast path: the parent cgroup count', () => {
  const tick = (host: Host, d: Detectors, parentPids?: number) => {
    host.time += 100;
    if (parentPids !== undefined) fixture.write('cgroup/pids/docker/pids.current', `${parentPids}\n`);
    d.sampleNow();
  };

  it('does not read a calm container while the parent counts the same tasks; reads it as soon as that moves', () => {
    fixture = new CgroupFixture();
    const pidsDir = fixture.v1();
    fixture.write('cgroup/pids/docker/pids.current', '1\n');
    const host = new Host();
    const d = start(host);
    tick(host, d);
    // The container's own count moves while its parent's stands still: not read, so not seen.
    for (const pids of [200, 700, 1000]) {
      fixture.write(`${pidsDir}/pids.current`, `${pids}\n`);
      tick(host, d);
    }
    expect(host.alerts).toHaveLength(0);
    // The parent moves: the container is read again, and a storm is a storm.
    fixture.write(`${pidsDir}/pids.current`, '1\n');
    tick(host, d, 1);
    for (const [pids, parent] of [
      [200, 200],
      [700, 700],
      [1000, 1000],
    ] as const) {
      fixture.write(`${pidsDir}/pids.current`, `${pids}\n`);
      tick(host, d, parent);
    }
    expect(host.alerts).toHaveLength(1);
    expect(host.alerts[0]?.fields).toMatchObject({ detector: 'fork_storm', pids_at_start: 1 });
  });

  it('reads a container near its pids limit every tick, even while the parent count stands still', () => {
    fixture = new CgroupFixture();
    const pidsDir = fixture.v1();
    fixture.write(`${pidsDir}/pids.current`, '990\n');
    fixture.write('cgroup/pids/docker/pids.current', '990\n');
    const host = new Host();
    const d = start(host);
    // At the limit forks are refused while the count stays put: only pids.events shows it.
    for (const refused of [10, 50, 90, 130, 170]) {
      fixture.write(`${pidsDir}/pids.events`, `max ${refused}\n`);
      tick(host, d);
    }
    expect(host.alerts).toHaveLength(1);
    expect(host.alerts[0]?.message).toContain('forks refused');
  });

  it('reads every container on the full pass each resource interval, parent count or not', () => {
    fixture = new CgroupFixture();
    const pidsDir = fixture.v1();
    fixture.write('cgroup/pids/docker/pids.current', '1\n');
    const host = new Host();
    const d = start(host);
    // start() made the first (full) pass; the next full one is due 1 s later.
    tick(host, d);
    fixture.write(`${pidsDir}/pids.current`, '42\n');
    for (let i = 0; i < 8; i += 1) tick(host, d);
    expect(host.stats.get(containerId)?.pids).toBe(1);
    tick(host, d); // 1 s after the first pass
    expect(host.stats.get(containerId)?.pids).toBe(42);
  });
});

describe('sampler status when starved', () => {
  it('says the ticks run late only past two intervals, in 100 ms steps', () => {
    expect(latenessNote(150, 100)).toBe('');
    expect(latenessNote(260, 100)).toBe(' — ticks late (p99 300 ms)');
  });
});
