import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogEvent } from '../../source/domain/log-line.js';
import { startHarness, type Harness } from '../helpers/engine-harness.js';
import { TestContainers, testPort, uniqueName } from '../helpers/engine.js';
import { secondEngine } from '../helpers/second-engine.js';

// A bridge subnet of this file's own (multi-engine.test.ts has 10.213.253.0/24).
const second = secondEngine('logs', '10.213.231.1/24');
const first = testPort();
let harness: Harness | undefined;
let onFirst: TestContainers;
let onSecond: TestContainers;

beforeAll(async () => {
  await second.up();
  onFirst = new TestContainers(first);
  onSecond = new TestContainers(second.port());
}, 180_000);

afterAll(async () => {
  await harness?.close();
  await onFirst?.cleanup();
  await onSecond?.cleanup();
  await second.remove();
}, 180_000);

function listen(ref: string) {
  const events: LogEvent[] = [];
  const stop = harness!.engine.followLogs(ref, { tail: 10 }, (e) => events.push(e));
  const until = async (test: () => boolean, what: string) => {
    for (let i = 0; i < 300 && !test(); i++) await new Promise((r) => setTimeout(r, 50));
    if (!test()) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(events)}`);
  };
  return { events, stop, until };
}

describe('a container named on two engines', () => {
  it('logs, actions, restore, capture and inspect reach the engine that holds it; a name on both is refused, not guessed', async () => {
    const twinName = uniqueName('twin');
    const cmd = (where: string) => ['sh', '-c', `echo from-${where}; exec sleep 3600`];
    const twin1 = await onFirst.run('x', {
      name: twinName,
      Cmd: cmd('first'),
      HostConfig: { NetworkMode: 'none' },
    });
    const twin2 = await onSecond.run('x', {
      name: twinName,
      Cmd: cmd('second'),
      HostConfig: { NetworkMode: 'none' },
    });
    harness = await startHarness({}, { ports: [first, second.port()] });
    await harness.until(
      (s) =>
        s.engines.every((e) => e.up) &&
        [twin1.id, twin2.id].every((id) => s.containers.some((c) => c.id === id)),
      'both engines up with both twins',
    );
    const onSecondEngine = listen(twin2.id);
    await onSecondEngine.until(() => onSecondEngine.events.length > 0, 'a line from the second engine');
    expect(onSecondEngine.events[0]).toMatchObject({
      type: 'line',
      line: { text: 'from-second', stream: 'stdout' },
    });
    onSecondEngine.stop();
    const onFirstEngine = listen(twin1.id);
    await onFirstEngine.until(() => onFirstEngine.events.length > 0, 'a line from the first engine');
    expect(onFirstEngine.events[0]).toMatchObject({ type: 'line', line: { text: 'from-first' } });
    onFirstEngine.stop();
    // By name: the same name on two engines is ambiguous, and the view is told so.
    const byName = listen(twinName);
    await byName.until(() => byName.events.length > 0, 'the refusal');
    expect(byName.events).toEqual([
      {
        type: 'end',
        error: true,
        message: `logs: ${twinName} names 2 containers (on different engines): name one by its id`,
      },
    ]);

    // Every command that takes a container refuses the same name in the same words, and acts on
    // neither twin; by id, the one on the second engine is paused and only it.
    const refusal = `${twinName} names 2 containers (on different engines): name one by its id`;
    for (const command of [
      { type: 'manual', container: twinName, action: { kind: 'pause' } },
      { type: 'restore', container: twinName },
      { type: 'capture', container: twinName },
    ] as const)
      expect(await harness.engine.send(command)).toEqual({ ok: false, code: 'not-found', message: refusal });
    expect(await harness.engine.inspectContainer(twinName)).toEqual({ ok: false, message: refusal });
    expect((await first.inspectContainer(twin1.id)).State?.Paused).toBe(false);
    expect((await second.port().inspectContainer(twin2.id)).State?.Paused).toBe(false);
    const paused = await harness.engine.send({
      type: 'manual',
      container: twin2.id,
      action: { kind: 'pause' },
    });
    expect(paused.ok).toBe(true);
    expect((await second.port().inspectContainer(twin2.id)).State?.Paused).toBe(true);
    expect((await first.inspectContainer(twin1.id)).State?.Paused).toBe(false);
  });
});
