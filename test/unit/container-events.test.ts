import { afterEach, describe, expect, it, vi } from 'vitest';
import { ContainerEventRings, containerEventOf } from '../../source/docker/container-events.js';
import type { DockerEvent, DockerPort, EventHandlers } from '../../source/docker/docker-port.js';
import type { ContainerInspect } from '../../source/docker/inspect.js';
import { Inventory } from '../../source/docker/inventory.js';
import { parseEventLine } from '../../source/docker/event-shape.js';

const host = 'unix:///fake.sock';
const id = (n: number) => String(n).repeat(64).slice(0, 64);
const at = Date.UTC(2026, 10, 22, 14, 2, 10);

function event(
  action: string,
  containerId: string,
  attributes: Record<string, string> = {},
  type = 'container',
): DockerEvent {
  return { type, action, id: containerId, attributes, timeNano: at * 1e6 };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('a Docker event as a timeline entry', () => {
  it('keeps what matters: exit code, signal, health, network, image', () => {
    const one = (e: DockerEvent) => containerEventOf(e);
    expect(one(event('die', id(1), { exitCode: '137' }))).toEqual({
      id: id(1),
      key: `${at * 1e6} container die`,
      entry: { time: '2026-11-22T14:02:10.000Z', action: 'die', detail: 'exit code 137' },
    });
    expect(one(event('exec_die', id(1), { exitCode: '1' }))?.entry.detail).toBe('exit code 1');
    expect(one(event('kill', id(1), { signal: '9' }))?.entry).toMatchObject({
      action: 'kill',
      detail: 'signal 9',
    });
    expect(one(event('health_status: unhealthy', id(1)))?.entry).toMatchObject({
      action: 'health_status',
      detail: 'unhealthy',
    });
    expect(one(event('create', id(1), { image: 'busybox' }))?.entry.detail).toBe('image busybox');
    expect(one(event('pause', id(1)))?.entry).toEqual({ time: '2026-11-22T14:02:10.000Z', action: 'pause' });
    // Docker: the network is the actor, the container an attribute.
    expect(
      one(event('connect', 'n'.repeat(64), { container: id(2), name: 'quarantine' }, 'network')),
    ).toMatchObject({
      id: id(2),
      entry: { time: '2026-11-22T14:02:10.000Z', action: 'network connect', detail: 'quarantine' },
    });
    expect(one(event('pull', 'busybox', {}, 'image'))).toBeUndefined();
  });

  it('takes Podman network events after the event shape normalized them', () => {
    const line = JSON.stringify({
      Type: 'network',
      Action: 'disconnect',
      Actor: { ID: id(3), Attributes: { name: 'web-1' } },
      timeNano: at * 1e6,
    });
    expect(containerEventOf(parseEventLine(line)!)).toMatchObject({
      id: id(3),
      entry: { time: '2026-11-22T14:02:10.000Z', action: 'network disconnect' },
    });
  });
});

describe('event rings: recent events per container', () => {
  it('keeps the newest `keep`, oldest first, a new array on each event', () => {
    const rings = new ContainerEventRings(3, 0);
    const seen: unknown[] = [];
    for (let i = 0; i < 5; i++) {
      rings.add(id(1), { time: `t${i}`, action: 'pause' });
      seen.push(rings.get(id(1)));
    }
    expect(rings.get(id(1))!.map((e) => e.time)).toEqual(['t2', 't3', 't4']);
    expect(new Set(seen).size).toBe(5);
    expect(rings.get(id(2))).toBeUndefined();
  });

  it('health-check execs keep a share of their own and never push out what matters', () => {
    const rings = new ContainerEventRings(10, 0, 3);
    rings.add(id(1), { time: 't0', action: 'start' });
    rings.add(id(1), { time: 't1', action: 'pause' });
    for (let i = 0; i < 30; i++) rings.add(id(1), { time: `e${i}`, action: 'exec_start: curl -f localhost' });
    rings.add(id(1), { time: 't2', action: 'die', detail: 'exit code 1' });
    expect(rings.get(id(1))!.map((e) => e.time)).toEqual(['t0', 't1', 'e27', 'e28', 'e29', 't2']);
    // Without execs the ring is the newest `keep` as ever.
    for (let i = 0; i < 12; i++) rings.add(id(2), { time: `p${i}`, action: 'pause' });
    expect(rings.get(id(2))).toHaveLength(10);
  });

  it('keeps an event replayed by a resumed stream once', () => {
    const rings = new ContainerEventRings(3, 0);
    expect(rings.add(id(1), { time: 't1', action: 'pause' }, 'k1')).toBe(true);
    expect(rings.add(id(1), { time: 't1', action: 'pause' }, 'k1')).toBe(false);
    expect(rings.add(id(1), { time: 't2', action: 'unpause' }, 'k2')).toBe(true);
    expect(rings.get(id(1))!.map((e) => e.action)).toEqual(['pause', 'unpause']);
    // Once the ring has moved past it, a key is forgotten with its event.
    rings.add(id(1), { time: 't3', action: 'pause' }, 'k3');
    rings.add(id(1), { time: 't4', action: 'unpause' }, 'k4');
    expect(rings.add(id(1), { time: 't1', action: 'pause' }, 'k1')).toBe(true);
  });

  it('drops a removed container after the grace, not before', () => {
    vi.useFakeTimers();
    const rings = new ContainerEventRings(50, 60_000);
    rings.add(id(1), { time: 't', action: 'destroy' });
    rings.removed(id(1));
    vi.advanceTimersByTime(59_000);
    expect(rings.get(id(1))).toHaveLength(1);
    vi.advanceTimersByTime(1_000);
    expect(rings.get(id(1))).toBeUndefined();
    expect(rings.size).toBe(0);
  });
});

describe('inventory: events per container', () => {
  function inspect(n: number): ContainerInspect {
    return {
      Id: id(n),
      Name: `/c${n}`,
      RestartCount: 0,
      State: { Status: 'running', Pid: 100 + n },
      Config: { Image: 'busybox', Labels: {} },
      HostConfig: {},
      NetworkSettings: { Networks: {} },
    } as ContainerInspect;
  }

  it('files each event under its own container, bounded, the same array until the next event', async () => {
    let handlers: EventHandlers | undefined;
    const port = {
      host,
      listContainerIds: async () => [id(1), id(2)],
      inspectContainer: async (cid: string) => inspect(Number(cid[0])),
      events: (h: EventHandlers) => {
        handlers = h;
        return { close: () => undefined };
      },
    } as unknown as DockerPort;
    let changes = 0;
    const inventory = new Inventory([port], { onChange: () => (changes += 1) }, { eventsKept: 4 });
    await inventory.start();
    handlers!.onEvent(event('pause', id(1)));
    handlers!.onEvent(event('unpause', id(1)));
    // The same event again, as a stream resumed with `since` hands it over: kept once.
    handlers!.onEvent(event('unpause', id(1)));
    handlers!.onEvent(event('exec_start: sh', id(2)));
    const before = changes;
    handlers!.onEvent(event('attach', id(2)));
    // An event that changes nothing listed still tells the views there is news.
    expect(changes).toBe(before + 1);
    expect(inventory.events(id(1))!.map((e) => e.action)).toEqual(['pause', 'unpause']);
    expect(inventory.events(id(2))!.map((e) => e.action)).toEqual(['exec_start: sh', 'attach']);
    const ring = inventory.events(id(1));
    expect(inventory.events(id(1))).toBe(ring);
    for (let i = 0; i < 6; i++)
      handlers!.onEvent({ ...event(i % 2 ? 'unpause' : 'pause', id(1)), timeNano: (at + 1 + i) * 1e6 });
    expect(inventory.events(id(1))).toHaveLength(4);
    expect(inventory.events(id(1))).not.toBe(ring);
    inventory.close();
  });
});
