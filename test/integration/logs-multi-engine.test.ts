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

describe('followLogs with two engines', () => {
  it('follows a container on the engine that holds it; a name on both is refused, not guessed', async () => {
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
        message: `logs: ${twinName} names 2 containers (on different engines): follow one by its id`,
      },
    ]);
  });
});
