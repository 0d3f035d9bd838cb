import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DockerPort } from '../../source/docker/docker-port.js';
import { DockerodePort } from '../../source/docker/dockerode-port.js';
import { DockerError, isDockerError } from '../../source/docker/errors.js';
import { containerFromInspect } from '../../source/docker/inspect.js';
import {
  reportedTestImage,
  TestContainers,
  testEngineKind,
  testPort,
  waitForEvent,
} from '../helpers/engine.js';

let port: DockerPort;
let containers: TestContainers;

beforeAll(async () => {
  port = testPort();
  containers = new TestContainers(port);
  await port.ping();
});

afterAll(async () => {
  await containers.cleanup();
});

describe('Docker port against the real engine', () => {
  it('answers ping and info with cgroup details', async () => {
    const info = await port.info();
    expect(info.version).toMatch(/^\d+\./);
    expect(['1', '2']).toContain(info.cgroupVersion);
    expect(['cgroupfs', 'systemd']).toContain(info.cgroupDriver);
  });

  it('lists and inspects a running container into the inventory shape', async () => {
    const { id, name } = await containers.run('inspect', {
      HostConfig: { PidsLimit: 64, Memory: 64 * 1024 * 1024 },
    });
    expect(await port.listContainerIds()).toContain(id);
    const container = containerFromInspect(await port.inspectContainer(id), port.host);
    expect(container).toMatchObject({
      id,
      name,
      state: 'running',
      image: reportedTestImage(),
      engine: port.host,
    });
    expect(container.limits.pidsLimit).toBe(64);
    expect(container.limits.memory).toBe(64 * 1024 * 1024);
    expect(container.pid).toBeGreaterThan(0);
    expect(container.labels['brig.test']).toBe('true');
  });

  it('pauses a running container, reports it on the events stream, and unpauses it', async () => {
    const { id } = await containers.run('pause');
    const watch = waitForEvent(port, (e) => e.type === 'container' && e.action === 'pause' && e.id === id);
    await watch.ready;
    await port.pause(id);
    const event = await watch.promise;
    expect(event.id).toBe(id);
    expect((await port.inspectContainer(id)).State.Status).toBe('paused');
    // Pausing a paused container: Docker answers 409, typed as a conflict.
    await expect(port.pause(id)).rejects.toSatisfy((e) => isDockerError(e, 'conflict'));
    await port.unpause(id);
    expect((await port.inspectContainer(id)).State.Status).toBe('running');
  });

  it('stops (304 on a second stop), starts, restarts and kills', async () => {
    const { id } = await containers.run('lifecycle');
    await port.stop(id, 1);
    expect((await port.inspectContainer(id)).State.Status).toBe('exited');
    await expect(port.stop(id, 1)).rejects.toSatisfy((e) => isDockerError(e, 'not-modified'));
    await port.start(id);
    expect((await port.inspectContainer(id)).State.Running).toBe(true);
    const before = (await port.inspectContainer(id)).State.StartedAt;
    await port.restart(id, 1);
    const after = await port.inspectContainer(id);
    expect(after.State.Running).toBe(true);
    expect(after.State.StartedAt).not.toBe(before);
    await port.kill(id, 'SIGKILL');
    expect((await port.inspectContainer(id)).State.Running).toBe(false);
  });

  it('updates limits (pids, cpu, memory with swap)', async () => {
    const { id } = await containers.run('update');
    await port.update(id, {
      PidsLimit: 32,
      NanoCpus: 100_000_000,
      Memory: 32 * 1024 * 1024,
      MemorySwap: 64 * 1024 * 1024,
    });
    const hc = (await port.inspectContainer(id)).HostConfig;
    expect(hc.PidsLimit).toBe(32);
    // Podman applies NanoCpus as CFS quota/period and reports the cgroup's figures that way.
    if (testEngineKind() === 'podman') expect((hc.CpuQuota ?? 0) / (hc.CpuPeriod ?? 1)).toBeCloseTo(0.1);
    else expect(hc.NanoCpus).toBe(100_000_000);
    expect(hc.Memory).toBe(32 * 1024 * 1024);
    expect(hc.MemorySwap).toBe(64 * 1024 * 1024);
  });

  it('a network create the engine answers with a Warning is refused and removed, never used', async () => {
    const name = `brigtest-warned-${process.pid}`;
    const spec = { name, internal: true, options: { 'com.docker.network.bridge.enable_icc': 'false' } };
    if (testEngineKind() === 'podman') {
      // Podman ignores enable_icc and says so in a Warning.
      await expect(port.createNetwork(spec)).rejects.toThrow(/warned .*enable_icc/);
      await expect(port.inspectNetwork(name)).rejects.toSatisfy((e) => isDockerError(e, 'not-found'));
    } else {
      containers.networks.push(await port.createNetwork(spec));
      expect((await port.inspectNetwork(name)).options['com.docker.network.bridge.enable_icc']).toBe('false');
    }
  });

  it('tells which engine it is', async () => {
    expect(await port.engineKind()).toBe(testEngineKind());
    expect((await port.info()).kind).toBe(testEngineKind());
  });

  it('creates a network, connects with aliases, disconnects', async () => {
    const net = await containers.network('net');
    expect((await port.inspectNetwork(net.id)).name).toBe(net.name);
    expect((await port.listNetworks()).map((n) => n.name)).toContain(net.name);
    const { id } = await containers.run('netc');
    await port.connect(net.id, id, { Aliases: ['brig-alias'] });
    let c = containerFromInspect(await port.inspectContainer(id), port.host);
    const ep = c.networks.find((n) => n.network === net.name);
    expect(ep?.aliases).toContain('brig-alias');
    await port.disconnect(net.id, id);
    c = containerFromInspect(await port.inspectContainer(id), port.host);
    expect(c.networks.map((n) => n.network)).not.toContain(net.name);
  });

  it('reads one-shot stats', async () => {
    const { id } = await containers.run('stats');
    const s = await port.stats(id);
    expect(s.pids).toBeGreaterThanOrEqual(1);
    expect(s.memoryBytes).toBeGreaterThan(0);
  });

  it('maps a missing container to not-found and refuses ids that are not 64 hex digits', async () => {
    await expect(port.inspectContainer('0'.repeat(64))).rejects.toSatisfy((e) =>
      isDockerError(e, 'not-found'),
    );
    for (const bad of ['abc', '../../containers/x', 'A'.repeat(64), `${'a'.repeat(64)}/..`]) {
      await expect(port.pause(bad)).rejects.toSatisfy((e) => isDockerError(e, 'invalid'));
    }
  });

  it('names the host when the engine is unreachable', async () => {
    const gone = new DockerodePort('unix:///nonexistent/brig.sock');
    const error = await gone.ping().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DockerError);
    expect((error as DockerError).kind).toBe('unreachable');
    expect((error as DockerError).message).toContain('unix:///nonexistent/brig.sock');
  });
});
