import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActionSpec } from '../../source/domain/action.js';
import type { Container } from '../../source/domain/container.js';
import type { DockerPort } from '../../source/docker/docker-port.js';
import { containerFromInspect } from '../../source/docker/inspect.js';
import { isDockerError } from '../../source/docker/errors.js';
import {
  PermanentActionError,
  performAction,
  quarantineNetworkName,
  undoAction,
} from '../../source/enforce/actions.js';
import { Executor } from '../../source/enforce/executor.js';
import { defaultNetwork, TestContainers, testPort } from '../helpers/engine.js';

let port: DockerPort;
let containers: TestContainers;
const hostMemory = async () => (await port.info()).memTotal;

async function current(id: string): Promise<Container> {
  return containerFromInspect(await port.inspectContainer(id), port.host);
}

async function act(id: string, spec: ActionSpec) {
  const before = await current(id);
  const undo = await performAction(port, before, spec);
  return { before, undo: undo ?? {}, after: await current(id) };
}

beforeAll(() => {
  port = testPort();
  containers = new TestContainers(port);
});
afterAll(() => containers.cleanup());

describe('actions and their undo on the real engine', () => {
  it('pause → unpause; pausing twice is "already so"', async () => {
    const { id } = await containers.run('act-pause');
    const { after, undo } = await act(id, { kind: 'pause' });
    expect(after.state).toBe('paused');
    await performAction(port, after, { kind: 'pause' });
    await undoAction(port, after, 'pause', undo, hostMemory);
    expect((await current(id)).state).toBe('running');
  });

  it('stop → start, kill → start; a second stop or kill is "already so"', async () => {
    const { id } = await containers.run('act-stop');
    let r = await act(id, { kind: 'stop', timeoutSecs: 1 });
    expect(r.after.state).toBe('exited');
    await performAction(port, r.after, { kind: 'stop', timeoutSecs: 1 });
    await performAction(port, r.after, { kind: 'kill', signal: 'SIGKILL' });
    await undoAction(port, r.after, 'stop', r.undo, hostMemory);
    expect((await current(id)).state).toBe('running');
    r = await act(id, { kind: 'kill', signal: 'SIGKILL' });
    expect(r.after.state).toBe('exited');
    await undoAction(port, r.after, 'kill', r.undo, hostMemory);
    expect((await current(id)).state).toBe('running');
  });

  it('restart gives the container a new start time', async () => {
    const { id } = await containers.run('act-restart');
    const { before, after } = await act(id, { kind: 'restart', timeoutSecs: 1 });
    expect(after.state).toBe('running');
    expect(after.startedAt).not.toBe(before.startedAt);
  });

  it('network-disconnect records endpoints and restore brings aliases back', async () => {
    const net = await containers.network('act-net');
    const { id } = await containers.run('act-nd');
    await port.connect(net.id, id, { Aliases: ['db-primary'] });
    const { after, undo } = await act(id, { kind: 'network-disconnect', networks: [] });
    expect(after.networks).toEqual([]);
    expect(undo.endpoints?.map((e) => e.network).sort()).toEqual([defaultNetwork(), net.name].sort());
    await undoAction(port, after, 'network-disconnect', undo, hostMemory);
    const back = await current(id);
    expect(back.networks.map((n) => n.network).sort()).toEqual([defaultNetwork(), net.name].sort());
    expect(back.networks.find((n) => n.network === net.name)?.aliases).toContain('db-primary');
  });

  it('network-disconnect of one named network leaves the others', async () => {
    const net = await containers.network('act-net1');
    const { id } = await containers.run('act-nd1');
    await port.connect(net.id, id);
    const { after } = await act(id, { kind: 'network-disconnect', networks: [net.name] });
    expect(after.networks.map((n) => n.network)).toEqual([defaultNetwork()]);
  });

  it('quarantine moves the container to an internal network of its own, restore moves it back and removes it', async () => {
    const quarantine = `brigtest-quarantine-${process.pid}`;
    const { id } = await containers.run('act-q');
    const own = quarantineNetworkName(quarantine, id);
    containers.networks.push(own);
    const { after, undo } = await act(id, { kind: 'quarantine', network: quarantine });
    expect(after.networks.map((n) => n.network)).toEqual([own]);
    const q = await port.inspectNetwork(own);
    // Internal, and nothing else on it: isolated on every engine, without an ICC option (Podman ignores it).
    expect(q.internal).toBe(true);
    await undoAction(port, after, 'quarantine', undo, hostMemory);
    expect((await current(id)).networks.map((n) => n.network)).toEqual([defaultNetwork()]);
    await expect(port.inspectNetwork(own)).rejects.toSatisfy((e) => isDockerError(e, 'not-found'));
  });

  it('two quarantined containers never share a network', async () => {
    const quarantine = `brigtest-quarantine2-${process.pid}`;
    const a = await containers.run('act-qa');
    const b = await containers.run('act-qb');
    containers.networks.push(
      quarantineNetworkName(quarantine, a.id),
      quarantineNetworkName(quarantine, b.id),
    );
    const qa = await act(a.id, { kind: 'quarantine', network: quarantine });
    const qb = await act(b.id, { kind: 'quarantine', network: quarantine });
    const na = qa.after.networks.map((n) => n.network);
    const nb = qb.after.networks.map((n) => n.network);
    expect(na).toHaveLength(1);
    expect(nb).toHaveLength(1);
    expect(na[0]).not.toBe(nb[0]);
  });

  it('restore does not pass the engine’s own short-id alias back (Podman would add a copy each cycle)', async () => {
    const net = await containers.network('act-alias');
    const { id } = await containers.run('act-alias');
    await port.connect(net.id, id, { Aliases: ['web'] });
    for (let cycle = 0; cycle < 2; cycle += 1) {
      const { after, undo } = await act(id, { kind: 'network-disconnect', networks: [net.name] });
      await undoAction(port, after, 'network-disconnect', undo, hostMemory);
    }
    const raw = (await port.inspectContainer(id)).NetworkSettings.Networks?.[net.name]?.Aliases ?? [];
    expect(raw.filter((a) => a === id.slice(0, 12)).length).toBeLessThanOrEqual(1);
    expect(raw).toContain('web');
  });

  it('refuses to disconnect a host-network container, without retries', async () => {
    const { id } = await containers.run('act-host', { HostConfig: { NetworkMode: 'host' } });
    const c = await current(id);
    const executor = new Executor({
      actionTimeoutMs: 5000,
      retryMaxAttempts: 3,
      retryBackoffBaseMs: 10,
      maxConcurrentActions: 2,
    });
    const result = await executor.run(() =>
      performAction(port, c, { kind: 'network-disconnect', networks: [] }),
    );
    expect(result.ok).toBe(false);
    expect(result.attempts).toBe(1);
    expect(result.ok ? undefined : result.error).toBeInstanceOf(PermanentActionError);
    expect(result.ok ? '' : result.error.message).toMatch(/network mode "host"/);
  });

  it('throttle sets cpu, pids and memory (with swap) and restore puts the old limits back', async () => {
    const { id } = await containers.run('act-thr', {
      HostConfig: { PidsLimit: 500, Memory: 256 * 1048576, MemorySwap: 512 * 1048576 },
    });
    const { after, undo } = await act(id, {
      kind: 'throttle',
      cpus: 0.1,
      pidsLimit: 64,
      memory: 128 * 1048576,
    });
    expect(after.limits.pidsLimit).toBe(64);
    expect(after.limits.cpuQuota).toBe(10_000);
    expect(after.limits.memory).toBe(128 * 1048576);
    expect(after.limits.memorySwap).toBe(128 * 1048576);
    const notes = await undoAction(port, after, 'throttle', undo, hostMemory);
    expect(notes).toEqual([]);
    const back = await current(id);
    expect(back.limits).toMatchObject({ pidsLimit: 500, memory: 256 * 1048576, memorySwap: 512 * 1048576 });
    expect([0, -1]).toContain(back.limits.cpuQuota);
  });

  it('throttle of an unlimited container: restore lifts cpu and pids limits, and says what it could not undo', async () => {
    const { id } = await containers.run('act-thr0');
    const { after, undo } = await act(id, {
      kind: 'throttle',
      cpus: 0.5,
      pidsLimit: 32,
      memory: 64 * 1048576,
    });
    expect(after.limits.pidsLimit).toBe(32);
    const notes = await undoAction(port, after, 'throttle', undo, hostMemory);
    expect(notes.join()).toMatch(/memory limit set to the host/);
    const back = await current(id);
    expect([0, -1]).toContain(back.limits.pidsLimit);
    expect([0, -1]).toContain(back.limits.cpuQuota);
    expect(back.limits.memory).toBe(await hostMemory());
  });

  it('a container that uses NanoCpus is throttled through NanoCpus and gets them back', async () => {
    const { id } = await containers.run('act-nano', { HostConfig: { NanoCpus: 1_000_000_000 } });
    const { after, undo } = await act(id, { kind: 'throttle', cpus: 0.2 });
    expect(after.limits.nanoCpus).toBe(200_000_000);
    await undoAction(port, after, 'throttle', undo, hostMemory);
    expect((await current(id)).limits.nanoCpus).toBe(1_000_000_000);
  });
});
