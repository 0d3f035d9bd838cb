import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { DetectorsConfigSchema } from '../../source/detect/config.js';
import { CgroupReader } from '../../source/docker/cgroup-reader.js';
import { TestContainers, testDockerHost, testEngineKind, testPort } from '../helpers/engine.js';
import { DetectorTestHost } from './detect-host.js';

const run = promisify(execFile);
const forkStormScript = fileURLToPath(new URL('../../scripts/fork-storm.sh', import.meta.url));
const port = testPort();
const containers = new TestContainers(port);
let host: DetectorTestHost | undefined;

afterEach(() => {
  host?.close();
  host = undefined;
});
// The bomb containers go first and by force: nothing of a fork bomb outlives the file.
afterAll(() => containers.cleanup());

// The private engine has no usable default bridge; these tests need no network anyway.
const isolated = { NetworkMode: 'none' };

async function watching(id: string, config = DetectorsConfigSchema.parse({})) {
  host = new DetectorTestHost(port);
  host.watch(id);
  await host.start(config);
  return host;
}

describe('detectors on the real engine', () => {
  it('a fork bomb (scripts/fork-storm.sh) in a container with a pids limit of 1000 → fork_storm', async () => {
    const { id, name } = await containers.run('bomb', { HostConfig: { ...isolated, PidsLimit: 1000 } });
    const h = await watching(id);
    expect(h.detectors?.mode).toBe('cgroup v1 100ms');
    const { stdout } = await run('bash', [forkStormScript, name, '20'], {
      env: { ...process.env, DOCKER_HOST: testDockerHost() },
    });
    expect(JSON.parse(stdout)).toMatchObject({ container: id, pids_limit: 1000, seconds: 20 });
    try {
      const alert = await h.waitForAlert('fork_storm', id, 10_000);
      expect(alert).toMatchObject({
        source: 'brig:fork_storm',
        severity: 'High',
        container: { id, name },
        fields: { detector: 'fork_storm', pids_max: 1000 },
      });
      expect(alert.id).toMatch(new RegExp(`^brig:fork_storm:${id.slice(0, 12)}:\\d+$`));
      expect(alert.fields.pids).toBeGreaterThanOrEqual(30);
      // One alert per episode: the storm goes on, the alert does not repeat.
      await new Promise((r) => setTimeout(r, 500));
      expect(h.alerts.filter((a) => a.rule === 'fork_storm')).toHaveLength(1);
    } finally {
      await port.removeContainer(id);
    }
  });

  it('through the stats API fallback (a remote engine): says so, shows figures, still catches a fork storm', async () => {
    const { id, name } = await containers.run('remote', { HostConfig: { ...isolated, PidsLimit: 200 } });
    host = new DetectorTestHost(port, 'tcp://remote-engine.example:2375');
    host.watch(id);
    const d = await host.start(DetectorsConfigSchema.parse({}));
    expect(d.mode).toBe('stats API 2s (cgroups unreadable: 1× remote engine)');
    expect(host.statuses).toContain('sampler: stats API 2s (cgroups unreadable: 1× remote engine)');
    const deadline = Date.now() + 5000;
    while (!host.lastStats.has(id) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(host.lastStats.get(id)).toMatchObject({ pids: 1 });
    expect(host.lastStats.get(id)?.memoryBytes).toBeGreaterThan(0);
    await run('bash', [forkStormScript, name, '30'], {
      env: { ...process.env, DOCKER_HOST: testDockerHost() },
    });
    try {
      // Two readings 2 s apart at the limit: slower than cgroups, but caught.
      const alert = await host.waitForAlert('fork_storm', id, 12_000);
      expect(alert.fields).toMatchObject({ pids_max: 200 });
    } finally {
      await port.removeContainer(id);
    }
  });

  it('refuses to bomb a container without a pids limit', async () => {
    const { name } = await containers.run('nolimit', { HostConfig: isolated });
    const failure = await run('bash', [forkStormScript, name, '5'], {
      env: { ...process.env, DOCKER_HOST: testDockerHost() },
    }).catch((error: { code: number; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 1, stderr: expect.stringContaining('has no pids limit') });
  });

  it('fork-storm.sh: after the bomb and its watchdog, the pids are freed (reaping PID 1) and the container still runs', async () => {
    const { id, name } = await containers.run('bounded', {
      HostConfig: { ...isolated, PidsLimit: 200, Init: true },
    });
    const reader = new CgroupReader();
    const pid = (await port.inspectContainer(id)).State.Pid;
    expect(reader.attach(id, pid).ok).toBe(true);
    await run('bash', [forkStormScript, name, '1'], {
      env: { ...process.env, DOCKER_HOST: testDockerHost() },
    });
    let peak = 0;
    let last = Infinity;
    const deadline = Date.now() + 6000;
    while (Date.now() < deadline) {
      last = reader.readPids(id)?.pids ?? 0;
      peak = Math.max(peak, last);
      if (Date.now() > deadline - 3000 && last <= 3) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    reader.detachAll();
    expect(peak).toBeGreaterThan(30);
    expect(last).toBeLessThanOrEqual(3); // docker-init and sleep
    expect((await port.inspectContainer(id)).State.Running).toBe(true);
  });

  it('fork-storm.sh is repeatable: three runs in a row each hold the pids limit until their watchdog ends them', async () => {
    // Issue 14: one demo storm held 200 pids for 30 s, the next died at 29 pids in 5 s (a bomb whose
    // processes exit once a fork fails dies out by chance). Each run here must sit at the limit.
    const limit = 100;
    const { id, name } = await containers.run('repeat', {
      HostConfig: { ...isolated, PidsLimit: limit, Init: true },
    });
    const reader = new CgroupReader();
    expect(reader.attach(id, (await port.inspectContainer(id)).State.Pid).ok).toBe(true);
    const runs: Array<{ atLimit: number; heldMs: number; after: number }> = [];
    for (let n = 0; n < 3; n += 1) {
      await run('bash', [forkStormScript, name, '5'], {
        env: { ...process.env, DOCKER_HOST: testDockerHost() },
      });
      let first = 0;
      let lastAt = 0;
      let atLimit = 0;
      let after = Infinity;
      const deadline = Date.now() + 15_000;
      while (Date.now() < deadline) {
        const pids = reader.readPids(id)?.pids ?? 0;
        if (pids >= 0.9 * limit) {
          atLimit += 1;
          first ||= Date.now();
          lastAt = Date.now();
        } else if (first && pids <= 3) {
          after = pids;
          break;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      runs.push({ atLimit, heldMs: lastAt - first, after });
    }
    reader.detachAll();
    for (const r of runs) {
      expect(r.atLimit).toBeGreaterThanOrEqual(10);
      // The watchdog fires 5 s after the start; filling 100 pids takes well under a second.
      expect(r.heldMs).toBeGreaterThanOrEqual(2000);
      expect(r.after).toBeLessThanOrEqual(3);
    }
  }, 90_000);

  it('a calm container starting a burst of 20 short processes → no alert', async () => {
    const { id } = await containers.run('calm', {
      HostConfig: { ...isolated, PidsLimit: 1000 },
      Cmd: [
        'sh',
        '-c',
        'sleep 1; for i in $(seq 20); do sleep 0.3 & done; wait; sleep 1; for i in $(seq 20); do sleep 0.2 & done; wait; sleep 3600',
      ],
    });
    const h = await watching(id);
    await new Promise((r) => setTimeout(r, 3500));
    expect(h.detectors?.tickLateness().ticks).toBeGreaterThan(10);
    // The burst was seen (sh + 20 sleeps), and it is not a storm.
    expect(h.peakPids.get(id)).toBeGreaterThanOrEqual(15);
    expect(h.alerts).toEqual([]);
  });

  it('a busybox CPU loop → cpu_spin', async () => {
    const { id } = await containers.run('spin', {
      // A tenth of a core: reachable even on a loaded CI host, and kind to it.
      HostConfig: { ...isolated, NanoCpus: 100_000_000 },
      Cmd: ['sh', '-c', 'while :; do :; done'],
    });
    const config = DetectorsConfigSchema.parse({
      sampler: { resource_interval_ms: 500 },
      cpu_spin: { duration_secs: 2, threshold: 0.7 },
    });
    const h = await watching(id, config);
    try {
      const alert = await h.waitForAlert('cpu_spin', id, 15_000);
      expect(alert).toMatchObject({
        source: 'brig:cpu_spin',
        severity: 'Medium',
        fields: { allowance_cores: 0.1 },
      });
      expect(alert.fields.ratio).toBeGreaterThanOrEqual(0.7);
    } finally {
      await port.removeContainer(id);
    }
  });

  it('a memory-limited container allocating past its limit → container_oom', async () => {
    if (testEngineKind() === 'podman') {
      // Podman 4.3 (runc, cgroup v1) sends no `oom` event and does not set OOMKilled even when the
      // main process is the one killed: Brig cannot tell an OOM kill there (README "Podman"). This
      // pins that down, so a Podman that starts reporting it shows up here.
      const { id } = await containers.run('oom', {
        HostConfig: { ...isolated, Memory: 16 * 1048576, MemorySwap: 16 * 1048576 },
        Cmd: ['sh', '-c', 'sleep 1; exec tail -c 100m /dev/zero'],
      });
      let state = (await port.inspectContainer(id)).State;
      const deadline = Date.now() + 15_000;
      while (state.Running && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
        state = (await port.inspectContainer(id)).State;
      }
      expect(state).toMatchObject({ Running: false, ExitCode: 137, OOMKilled: false });
      return;
    }
    const { id } = await containers.run('oom', {
      HostConfig: { ...isolated, Memory: 16 * 1048576, MemorySwap: 16 * 1048576 },
      Cmd: ['sh', '-c', 'sleep 1; head -c 100m /dev/zero | tail; sleep 3600'],
    });
    const h = await watching(id);
    const alert = await h.waitForAlert('container_oom', id, 15_000);
    expect(alert).toMatchObject({
      source: 'brig:container_oom',
      severity: 'Critical',
      container: { id },
      fields: { memory_limit: 16 * 1048576 },
    });
  });

  it('memory held near the limit → memory_pressure', async () => {
    const { id } = await containers.run('mem', {
      HostConfig: { ...isolated, Memory: 32 * 1048576, MemorySwap: 32 * 1048576 },
      // tmpfs pages are charged to the container and are not reclaimable cache.
      Cmd: ['sh', '-c', 'head -c 30m /dev/zero > /dev/shm/fill; sleep 3600'],
    });
    const config = DetectorsConfigSchema.parse({
      sampler: { resource_interval_ms: 300 },
      memory_pressure: { duration_secs: 1 },
    });
    const h = await watching(id, config);
    const alert = await h.waitForAlert('memory_pressure', id, 15_000);
    expect(alert.fields.usage_ratio).toBeGreaterThanOrEqual(0.9);
    expect(alert.fields.memory_limit).toBe(32 * 1048576);
  });

  it('a container killed 3 times in a minute → restart_loop', async () => {
    const { id } = await containers.run('loop', { HostConfig: isolated });
    const h = await watching(id);
    for (let i = 0; i < 3; i += 1) {
      await port.kill(id, 'SIGKILL');
      await port.start(id);
    }
    const alert = await h.waitForAlert('restart_loop', id, 15_000);
    expect(alert).toMatchObject({ source: 'brig:restart_loop', severity: 'Medium', fields: { restarts: 3 } });
  });
});
