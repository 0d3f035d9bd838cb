import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertFor, startHarness, type Harness } from '../helpers/engine-harness.js';
import { TestContainers, testPort, uniqueName } from '../helpers/engine.js';
import { secondEngine } from '../helpers/second-engine.js';

const second = secondEngine('multi', '10.213.253.1/24');
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

const policy = `
id = "pause-storms"
name = "Pause"
severity_threshold = "High"
rules = ["fork_storm"]
[action]
Pause = []
`;

describe('two engines at once', () => {
  it('tags containers with their engine, acts on the engine an alert names, and never guesses between twins', async () => {
    const twinName = uniqueName('twin');
    const twin1 = await onFirst.run('x', { name: twinName, HostConfig: { NetworkMode: 'none' } });
    const twin2 = await onSecond.run('x', { name: twinName, HostConfig: { NetworkMode: 'none' } });
    const solo = await onSecond.run('solo', { HostConfig: { NetworkMode: 'none' } });
    harness = await startHarness({ 'p.toml': policy }, { ports: [first, second.port()], armed: true });
    const snap = await harness.until(
      (s) =>
        s.engines.every((e) => e.up) &&
        [twin1.id, twin2.id, solo.id].every((id) => s.containers.some((c) => c.id === id)),
      'both engines up with all three containers',
    );
    expect(snap.engines.map((e) => e.up)).toEqual([true, true]);
    expect(snap.containers.find((c) => c.id === twin1.id)?.engine).toBe(first.host);
    expect(snap.containers.find((c) => c.id === twin2.id)?.engine).toBe(second.host);

    // The same name on two engines: ambiguous, so neither is touched.
    const ambiguous = harness.engine.handleAlert(alertFor(twinName, 'fork_storm'));
    expect(ambiguous?.decisions.map((d) => d.verdict)).toEqual(['unknown-container']);

    // By id, exactly the one on the second engine.
    const byId = harness.engine.handleAlert({
      ...alertFor(undefined, 'fork_storm'),
      container: { id: twin2.id.slice(0, 12) },
    });
    expect(byId?.decisions[0]).toMatchObject({ verdict: 'execute', container: { id: twin2.id } });
    await harness.until((s) => s.actions.length === 1, 'pause on the second engine');
    expect((await second.port().inspectContainer(twin2.id)).State.Status).toBe('paused');
    expect((await first.inspectContainer(twin1.id)).State.Status).toBe('running');

    // A unique name on the second engine resolves there.
    harness.engine.handleAlert(alertFor(solo.name, 'fork_storm'));
    await harness.until((s) => s.actions.length === 2, 'pause of solo');
    expect((await second.port().inspectContainer(solo.id)).State.Status).toBe('paused');
    expect(
      harness.engine.getSnapshot().actions.every((a) => a.engine === second.host && a.result === 'ok'),
    ).toBe(true);
  });
});
