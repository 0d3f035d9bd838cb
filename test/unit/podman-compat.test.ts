import { describe, expect, it } from 'vitest';
import { dropsAll } from '../../source/audit/capabilities.js';
import { parseEventLine } from '../../source/docker/event-shape.js';
import { containerFromInspect, ContainerInspectSchema } from '../../source/docker/inspect.js';
import { engineKindOf, podmanResources } from '../../source/docker/podman-compat.js';
import { defaultDetectorsConfig } from '../../source/detect/config.js';
import { EventDetectors } from '../../source/detect/event-detectors.js';

const id = 'c64a46239a0d2c8a79f369a099e2947c60bbfbca58940aa6b7646c69abe9b6b3';
// Lines as Podman 4.3's compat /events sends them (trimmed to the fields that matter).
const podmanLine = (type: string, action: string, extra: Record<string, unknown> = {}, sec = 1) =>
  JSON.stringify({
    status: action,
    id,
    Type: type,
    Action: action,
    Actor: { ID: id, Attributes: { name: 't1', image: 'localhost/brig-test/busybox:latest' } },
    time: sec,
    timeNano: sec * 1e9,
    ...extra,
  });

describe('Podman compatibility (issue 12)', () => {
  it('tells Podman from Docker by the /version components', () => {
    expect(engineKindOf({ Components: [{ Name: 'Podman Engine' }, { Name: 'Conmon' }] })).toBe('podman');
    expect(engineKindOf({ Components: [{ Name: 'Engine' }, { Name: 'containerd' }] })).toBe('docker');
    expect(engineKindOf({})).toBe('docker');
  });

  it('`remove` is read as `destroy`', () => {
    expect(parseEventLine(podmanLine('container', 'remove'))).toMatchObject({ action: 'destroy', id });
  });

  it('network events with the container in Actor.ID name it as the container attribute', () => {
    const event = parseEventLine(podmanLine('network', 'disconnect'));
    expect(event).toMatchObject({ type: 'network', action: 'disconnect', id: '' });
    expect(event?.attributes.container).toBe(id);
    // Podman's `name` there is the container's, not a network's: never passed on as a network name.
    expect(event?.attributes.name).toBeUndefined();
    expect(event?.attributes.containerName).toBe('t1');
  });

  it('Docker network events are left as they are', () => {
    const line = JSON.stringify({
      Type: 'network',
      Action: 'disconnect',
      Actor: { ID: 'a'.repeat(64), Attributes: { container: id, name: 'bridge', type: 'bridge' } },
      timeNano: 1e9,
    });
    expect(parseEventLine(line)).toMatchObject({
      id: 'a'.repeat(64),
      attributes: { container: id, name: 'bridge' },
    });
  });

  it('health_status with a top-level HealthStatus → `health_status: unhealthy`, which the detector fires on', () => {
    const event = parseEventLine(podmanLine('container', 'health_status', { HealthStatus: 'unhealthy' }))!;
    expect(event.action).toBe('health_status: unhealthy');
    const [finding] = new EventDetectors(defaultDetectorsConfig).handle(event, undefined);
    expect(finding?.detector).toBe('container_unhealthy');
  });

  it('restart_loop: `podman restart` (restart, die, init, start) counts once per restart', () => {
    const d = new EventDetectors(defaultDetectorsConfig);
    const restartAt = (t: number) =>
      ['restart', 'die', 'init', 'start'].flatMap((action, i) =>
        d.handle(parseEventLine(podmanLine('container', action, {}, t + i * 0.1))!, undefined),
      );
    expect([...restartAt(0), ...restartAt(10)]).toHaveLength(0);
    const third = restartAt(20);
    expect(third).toHaveLength(1);
    expect(third[0]).toMatchObject({ detector: 'restart_loop', fields: { restarts: 3 } });
  });

  it('the expanded default list Podman reports for --cap-drop ALL counts as ALL; a partial one does not', () => {
    const podmanAll = ['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD'].concat([
      'NET_BIND_SERVICE',
      'NET_RAW',
      'SETFCAP',
      'SETGID',
      'SETPCAP',
      'SETUID',
      'SYS_CHROOT',
    ]);
    expect(dropsAll(podmanAll)).toBe(true);
    expect(dropsAll(['all'])).toBe(true);
    expect(dropsAll(podmanAll.slice(1))).toBe(false);
    expect(dropsAll(null)).toBe(false);
  });

  it('state `stopping` is a state of its own, not `dead`', () => {
    const inspect = ContainerInspectSchema.parse({
      Id: id,
      Name: '/t1',
      Config: { Image: 'x', Labels: {} },
      State: { Status: 'stopping', Pid: 0 },
      HostConfig: {},
      NetworkSettings: {},
    });
    expect(containerFromInspect(inspect, 'unix:///x').state).toBe('stopping');
  });

  it('limits become OCI resources; Docker’s "no limit" (0/-1) becomes runc’s -1', () => {
    expect(
      podmanResources({ CpuPeriod: 100_000, CpuQuota: 50_000, PidsLimit: 64, Memory: 1, MemorySwap: 2 }),
    ).toEqual({
      cpu: { period: 100_000, quota: 50_000 },
      pids: { limit: 64 },
      memory: { limit: 1, swap: 2 },
    });
    expect(podmanResources({ NanoCpus: 500_000_000 })).toEqual({ cpu: { period: 100_000, quota: 50_000 } });
    expect(podmanResources({ CpuQuota: -1, CpuPeriod: 100_000, PidsLimit: 0 })).toEqual({
      cpu: { period: 100_000, quota: -1 },
      pids: { limit: -1 },
    });
  });
});
