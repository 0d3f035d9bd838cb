import { readFile } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../source/domain/alert.js';
import type { DockerPort } from '../../source/docker/docker-port.js';
import { parsePayload } from '../../source/intake/parse.js';
import { alertFor, startHarness, type Harness } from '../helpers/engine-harness.js';
import { defaultNetwork, TestContainers, testPort, uniqueName } from '../helpers/engine.js';

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

async function stateOf(id: string): Promise<string> {
  return (await port.inspectContainer(id)).State.Status;
}

const samples = new URL('../fixtures/samples/', import.meta.url);

/** The real Falco sample, pointed at a container of ours (by 12-hex short id, as Falco sends it). */
async function falcoShellFor(id: string, name: string): Promise<Alert> {
  const raw = JSON.parse(await readFile(new URL('falco-terminal-shell.json', samples), 'utf8'));
  raw.output_fields['container.id'] = id.slice(0, 12);
  raw.output_fields['container.name'] = name;
  raw.time = new Date().toISOString();
  const parsed = parsePayload(JSON.stringify(raw), 'auto');
  expect(parsed.rejected).toEqual([]);
  const alert = parsed.alerts[0] as Alert;
  return { ...alert, id: `${alert.id}-${id.slice(0, 8)}-${Date.now()}` };
}

const shellPause = (extra = '') => `
id = "shell-pause"
name = "Shell in container: pause"
severity_threshold = "Low"
rules = ["Terminal shell in container"]
${extra}
[action]
Pause = []
`;

describe('engine on the real Docker engine', () => {
  it('armed: a Falco alert pauses exactly the container it names, and nothing else', async () => {
    const target = await containers.run('falco-target');
    const bystander = await containers.run('falco-bystander');
    harness = await startHarness({ 'shell.toml': shellPause() }, { armed: true });
    const view = harness.engine.handleAlert(await falcoShellFor(target.id, target.name));
    expect(view?.decisions.map((d) => d.verdict)).toEqual(['execute']);
    await harness.until(
      (s) => s.actions.some((a) => a.container.id === target.id && a.result === 'ok'),
      'pause recorded',
    );
    expect(await stateOf(target.id)).toBe('paused');
    expect(await stateOf(bystander.id)).toBe('running');
    const records = await harness.records();
    const action = records.find((r) => r.type === 'action') as Record<string, unknown>;
    expect(action).toMatchObject({
      action: 'pause',
      result: 'ok',
      policy: 'shell-pause',
      container: { id: target.id, name: target.name },
    });
    expect(action.alert).toBe(view?.alert.id);
    expect(action.latency_ms as number).toBeGreaterThan(0);
    expect(records.map((r) => r.type)).toEqual(
      expect.arrayContaining(['engine', 'alert', 'decision', 'action']),
    );
    await harness.until(
      (s) => s.containers.find((c) => c.id === target.id)?.isolation?.labels.includes('PAUSED') ?? false,
      'PAUSED in snapshot',
    );
  });

  it('disarmed: the decision waits in the queue; approving it pauses the container', async () => {
    const target = await containers.run('queued');
    harness = await startHarness({ 'shell.toml': shellPause() });
    const view = harness.engine.handleAlert(await falcoShellFor(target.id, target.name));
    expect(view?.decisions[0]?.verdict).toBe('disarmed');
    const snap = await harness.until((s) => s.queue.length === 1, 'queued');
    expect(await stateOf(target.id)).toBe('running');
    const result = await harness.engine.send({ type: 'approve', id: snap.queue[0]!.id });
    expect(result.ok).toBe(true);
    expect(await stateOf(target.id)).toBe('paused');
    const records = await harness.records();
    expect(records.find((r) => r.type === 'operator' && r.command === 'approve')).toBeDefined();
    expect(records.find((r) => r.type === 'action')).toMatchObject({ origin: 'approved', result: 'ok' });
  });

  it('protected: a container labelled brig.protect=true is never touched, armed or by hand', async () => {
    const target = await containers.run('protected', { Labels: { 'brig.protect': 'true' } });
    harness = await startHarness({ 'shell.toml': shellPause() }, { armed: true });
    const view = harness.engine.handleAlert(await falcoShellFor(target.id, target.name));
    expect(view?.decisions[0]?.verdict).toBe('protected');
    const manual = await harness.engine.send({
      type: 'manual',
      container: target.name,
      action: { kind: 'kill', signal: 'SIGKILL' },
    });
    expect(manual.ok).toBe(false);
    expect(manual.message).toMatch(/brig.protect/);
    expect(await stateOf(target.id)).toBe('running');
    expect((await harness.records()).some((r) => r.type === 'action')).toBe(false);
  });

  it('host-level alert matching 3 containers with max_targets = 1: blast radius, nothing touched', async () => {
    const group = uniqueName('grp');
    const ids = await Promise.all(
      [1, 2, 3].map(async (n) => (await containers.run(`blast${n}`, { Labels: { 'brig.group': group } })).id),
    );
    harness = await startHarness(
      {
        'scan.toml': `
id = "scan-pause"
name = "Port scan: pause"
severity_threshold = "Medium"
rules = ["port_scan"]
max_targets = 1
[target_filter]
labels = ["brig.group=${group}"]
[action]
Pause = []
`,
      },
      { armed: true },
    );
    const view = harness.engine.handleAlert(alertFor(undefined, 'port_scan', 'Medium'));
    expect(view?.decisions.map((d) => d.verdict)).toEqual(['blast-radius']);
    await new Promise((r) => setTimeout(r, 300));
    for (const id of ids) expect(await stateOf(id)).toBe('running');
  });

  it('cooldown per (policy, container) and max_actions_per_hour per policy', async () => {
    const a = await containers.run('cool-a');
    const b = await containers.run('cool-b');
    harness = await startHarness(
      {
        'p.toml': shellPause('cooldown_secs = 600\nmax_actions_per_hour = 2').replace(
          'Pause = []',
          'Notify = []',
        ),
      },
      { armed: true },
    );
    const first = harness.engine.handleAlert(await falcoShellFor(a.id, a.name));
    expect(first?.decisions[0]?.verdict).toBe('execute');
    await harness.until((s) => s.actions.length === 1, 'first notify');
    const again = harness.engine.handleAlert(await falcoShellFor(a.id, a.name));
    expect(again?.decisions[0]?.verdict).toBe('cooldown');
    harness.engine.handleAlert(await falcoShellFor(b.id, b.name));
    await harness.until((s) => s.actions.length === 2, 'second notify');
    const c = await containers.run('cool-c');
    // Made after the engine started: it is known once the events stream has brought it in.
    await harness.until((s) => s.containers.some((x) => x.id === c.id), 'cool-c in the inventory');
    const limited = harness.engine.handleAlert(await falcoShellFor(c.id, c.name));
    expect(limited?.decisions[0]?.verdict).toBe('rate-limited');
  });

  it('grace period: a vetoed countdown never acts; an unvetoed one acts at its deadline', async () => {
    const vetoed = await containers.run('grace-veto');
    const lapsed = await containers.run('grace-go');
    harness = await startHarness({ 'g.toml': shellPause('grace_period_secs = 1') }, { armed: true });
    const v1 = harness.engine.handleAlert(await falcoShellFor(vetoed.id, vetoed.name));
    expect(v1?.decisions[0]?.verdict).toBe('pending');
    const snap = await harness.until((s) => s.queue.some((q) => q.kind === 'grace'), 'grace queued');
    const veto = await harness.engine.send({ type: 'veto', id: snap.queue[0]!.id });
    expect(veto.ok).toBe(true);
    harness.engine.handleAlert(await falcoShellFor(lapsed.id, lapsed.name));
    await harness.until(
      (s) => s.actions.some((a) => a.container.id === lapsed.id),
      'grace expired and acted',
      10_000,
    );
    expect(await stateOf(lapsed.id)).toBe('paused');
    expect(await stateOf(vetoed.id)).toBe('running');
  });

  it('escalation: throttle, then pause, then kill on the same container', async () => {
    const target = await containers.run('ladder');
    harness = await startHarness(
      {
        'ladder.toml': `
id = "fork-ladder"
name = "Fork storm ladder"
severity_threshold = "High"
rules = ["fork_storm"]
escalation = ["Throttle", "Pause", "Kill"]
[action]
Notify = []
`,
      },
      { armed: true },
    );
    const steps: string[] = [];
    for (const expected of ['throttle', 'pause', 'kill']) {
      const view = harness.engine.handleAlert(alertFor(target.name, 'fork_storm'));
      expect(view?.decisions[0]?.verdict).toBe('execute');
      steps.push(view?.decisions[0]?.action?.kind ?? '');
      await harness.until(
        (s) => s.actions.filter((a) => a.container.id === target.id).length === steps.length,
        `${expected} done`,
      );
      expect(harness.engine.getSnapshot().actions.at(-1)?.result).toBe('ok');
    }
    expect(steps).toEqual(['throttle', 'pause', 'kill']);
    expect(await stateOf(target.id)).toBe('exited');
  });

  it('restore works after Brig restarts: isolation state comes back from the journal', async () => {
    const target = await containers.run('restart-restore');
    const net = await containers.network('rr-net');
    await port.connect(net.id, target.id, { Aliases: ['svc'] });
    harness = await startHarness(
      {
        'q.toml': `
id = "quarantine-shell"
name = "Quarantine"
severity_threshold = "Low"
rules = ["Terminal shell in container"]
[action]
Quarantine = { network = "${uniqueName('quar')}" }
`,
      },
      { armed: true, dir: undefined },
    );
    const dir = harness.dir;
    harness.engine.handleAlert(await falcoShellFor(target.id, target.name));
    await harness.until((s) => s.actions.length === 1, 'quarantined');
    expect(harness.engine.getSnapshot().actions[0]?.result).toBe('ok');
    const quarantineNet = (await port.inspectContainer(target.id)).NetworkSettings.Networks;
    containers.networks.push(...Object.keys(quarantineNet ?? {}));
    await harness.engine.stop();
    await harness.journal.close();

    // A new Brig on the same journal.
    const again = await startHarness({}, { dir });
    harness = again;
    const isolated = await again.until(
      (s) => s.containers.find((c) => c.id === target.id)?.isolation !== undefined,
      'rebuilt isolation',
    );
    expect(isolated.containers.find((c) => c.id === target.id)?.isolation?.labels).toContain('ISOLATED');
    const restored = await again.engine.send({ type: 'restore', container: target.name });
    expect(restored).toMatchObject({ ok: true });
    const nets = (await port.inspectContainer(target.id)).NetworkSettings.Networks ?? {};
    expect(Object.keys(nets).sort()).toEqual([defaultNetwork(), net.name].sort());
    expect(nets[net.name]?.Aliases).toContain('svc');
  });

  it('a burst of alerts for one container pauses it once; the rest are decided `already`', async () => {
    const target = await containers.run('burst');
    harness = await startHarness({ 'shell.toml': shellPause() }, { armed: true });
    const verdicts: string[] = [];
    for (let i = 0; i < 20; i += 1) {
      verdicts.push(
        harness.engine.handleAlert(await falcoShellFor(target.id, target.name))?.decisions[0]?.verdict ?? '',
      );
    }
    expect(verdicts[0]).toBe('execute');
    expect(verdicts.slice(1)).toEqual(Array(19).fill('already'));
    await harness.until((s) => s.inFlight === 0 && s.actions.length === 1, 'one pause');
    expect(await stateOf(target.id)).toBe('paused');
  });

  it('an alert naming an unknown container is decided unknown-container, never guessed', async () => {
    harness = await startHarness({ 'shell.toml': shellPause() }, { armed: true });
    const view = harness.engine.handleAlert({
      ...alertFor('no-such-container-anywhere', 'Terminal shell in container', 'High'),
    });
    expect(view?.decisions.map((d) => d.verdict)).toEqual(['unknown-container']);
  });

  it('a repeated alert id is a counted duplicate, journaled, not decided again', async () => {
    const target = await containers.run('dup');
    harness = await startHarness({ 'shell.toml': shellPause() });
    const alert = await falcoShellFor(target.id, target.name);
    expect(harness.engine.handleAlert(alert)).toBeDefined();
    expect(harness.engine.handleAlert(alert)).toBeUndefined();
    const snap = await harness.until((s) => s.counters.duplicates === 1, 'duplicate counted');
    expect(snap.queue).toHaveLength(1);
    const alerts = (await harness.records()).filter((r) => r.type === 'alert');
    expect(alerts).toHaveLength(2);
    expect(alerts[1]).toMatchObject({ duplicate: true });
  });
});
