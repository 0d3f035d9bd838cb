import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DockerPort } from '../../source/docker/docker-port.js';
import { Inventory } from '../../source/docker/inventory.js';
import { startHarness, type Harness } from '../helpers/engine-harness.js';
import { TestContainers, testPort } from '../helpers/engine.js';

let port: DockerPort;
let containers: TestContainers;
let harness: Harness | undefined;

beforeAll(() => {
  port = testPort();
  containers = new TestContainers(port);
});
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});
afterAll(() => containers.cleanup());

async function until<T>(read: () => T | undefined, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('per-container Docker events and inspect, on the real engine', () => {
  it('pause, unpause and die land on the container they happened to, and only there', async () => {
    const target = await containers.run('events-target');
    const bystander = await containers.run('events-bystander');
    harness = await startHarness({});
    await port.pause(target.id);
    await port.unpause(target.id);
    await port.kill(target.id, 'SIGKILL');
    const view = await harness.until(
      (s) => s.containers.find((c) => c.id === target.id)?.events?.some((e) => e.action === 'die') ?? false,
      'the die event in the snapshot',
    );
    const events = view.containers.find((c) => c.id === target.id)!.events!;
    const actions = events.map((e) => e.action);
    // In the order they happened, each with the engine's time.
    expect(actions.filter((a) => ['pause', 'unpause', 'die'].includes(a))).toEqual([
      'pause',
      'unpause',
      'die',
    ]);
    const die = events.find((e) => e.action === 'die')!;
    expect(die.detail).toBe('exit code 137');
    // The engine's nanoseconds read as a time of today, not of 1970 or of the year 50000.
    expect(Math.abs(Date.parse(die.time) - Date.now())).toBeLessThan(60_000);
    const other = view.containers.find((c) => c.id === bystander.id)!;
    expect(other.events ?? []).toEqual([]);
  });

  it('keeps only the newest events of a busy container', async () => {
    const busy = await containers.run('events-busy');
    const inventory = new Inventory([port], { onChange: () => undefined }, { eventsKept: 4 });
    try {
      await inventory.start();
      for (let i = 0; i < 4; i++) {
        await port.pause(busy.id);
        await port.unpause(busy.id);
      }
      const ring = await until(() => {
        const r = inventory.events(busy.id);
        return r && r.length === 4 && r[3]?.action === 'unpause' ? r : undefined;
      }, 'four events in the ring');
      // The first of the eight are gone; what is left is the newest, still in order.
      expect(ring.map((e) => e.action)).toEqual(['pause', 'unpause', 'pause', 'unpause']);
    } finally {
      inventory.close();
    }
  });

  it('inspectContainer answers the raw document from the engine that holds it, and says why when it cannot', async () => {
    const target = await containers.run('inspect-target', { Env: ['BRIG_TIMELINE_TEST=1'] });
    harness = await startHarness({});
    await harness.until((s) => s.containers.some((c) => c.id === target.id), 'the container listed');
    const byName = await harness.engine.inspectContainer(target.name);
    expect(byName.ok).toBe(true);
    if (!byName.ok) return;
    expect(byName.engine).toBe(port.host);
    expect(byName.inspect.Id).toBe(target.id);
    expect(byName.inspect.State).toMatchObject({ Running: true });
    // Fields Brig itself never reads are all there: it is the engine's answer, not a summary.
    expect((byName.inspect.Config as { Env: string[] }).Env).toContain('BRIG_TIMELINE_TEST=1');
    expect(byName.inspect.Mounts).toBeDefined();
    const byId = await harness.engine.inspectContainer(target.id.slice(0, 12));
    expect(byId).toMatchObject({ ok: true });

    expect(await harness.engine.inspectContainer('no-such-container-here')).toEqual({
      ok: false,
      message: 'no container no-such-container-here in the inventory',
    });
  });
});
