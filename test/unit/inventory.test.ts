import { describe, expect, it } from 'vitest';
import type { DockerPort, EventHandlers } from '../../source/docker/docker-port.js';
import { DockerError } from '../../source/docker/errors.js';
import type { ContainerInspect } from '../../source/docker/inspect.js';
import { Inventory } from '../../source/docker/inventory.js';

const host = 'unix:///fake.sock';
const id = (n: number) => String(n).repeat(64).slice(0, 64);

function inspect(n: number, status = 'running'): ContainerInspect {
  return {
    Id: id(n),
    Name: `/c${n}`,
    RestartCount: 0,
    State: { Status: status, Pid: 100 + n },
    Config: { Image: 'busybox', Labels: {} },
    HostConfig: {},
    NetworkSettings: { Networks: {} },
  } as ContainerInspect;
}

/** Just enough of a Docker port for the inventory: list, inspect, events. */
function fakePort(inspectOf: (containerId: string) => Promise<ContainerInspect>, ids: string[]) {
  let handlers: EventHandlers | undefined;
  const port = {
    host,
    listContainerIds: async () => ids,
    inspectContainer: inspectOf,
    events: (h: EventHandlers) => {
      handlers = h;
      return { close: () => undefined };
    },
  } as unknown as DockerPort;
  return {
    port,
    end: (error: Error) => handlers?.onEnd(error),
    emit: (action: string, containerId: string) =>
      handlers?.onEvent({
        type: 'container',
        action,
        id: containerId,
        attributes: {},
        timeNano: Date.now() * 1e6,
      }),
  };
}

describe('inventory', () => {
  it('one container that cannot be read does not take the engine down', async () => {
    const failures: string[] = [];
    const { port } = fakePort(
      async (cid) => {
        if (cid === id(2)) throw new Error('answer did not parse');
        if (cid === id(3)) throw new DockerError('engine', host, 'HTTP 500: removal in progress', 500);
        return inspect(Number(cid[0]));
      },
      [id(1), id(2), id(3)],
    );
    const inventory = new Inventory([port], {
      onChange: () => undefined,
      onInspectError: (cid) => failures.push(cid),
    });
    await inventory.start();
    expect(inventory.engineStatuses()).toEqual([{ host, up: true }]);
    expect(inventory.containers().map((c) => c.name)).toEqual(['c1']);
    expect(failures.sort()).toEqual([id(2), id(3)]);
    inventory.close();
  });

  it('an engine whose events stream fails is down, its containers kept and marked stale', async () => {
    const { port, end } = fakePort(async (cid) => inspect(Number(cid[0])), [id(1)]);
    const inventory = new Inventory([port], { onChange: () => undefined }, { baseBackoffMs: 60_000 });
    await inventory.start();
    expect(inventory.get(id(1))?.stale).toBe(false);
    end(new DockerError('unreachable', host, 'events: Docker engine unreachable (ECONNRESET)'));
    expect(inventory.engineStatuses()[0]).toMatchObject({
      up: false,
      error: expect.stringContaining('ECONNRESET'),
    });
    expect(inventory.get(id(1))).toMatchObject({ name: 'c1', stale: true });
    inventory.close();
  });

  it('takes the state an event implies at once, before the inspect that follows', async () => {
    let status = 'running';
    const { port, emit } = fakePort(async (cid) => inspect(Number(cid[0]), status), [id(1)]);
    const inventory = new Inventory([port], { onChange: () => undefined });
    await inventory.start();
    status = 'paused';
    emit('pause', id(1));
    expect(inventory.get(id(1))?.state).toBe('paused');
    inventory.close();
  });
});
