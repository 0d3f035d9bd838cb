import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnBrig, type BrigProcess } from '../helpers/brig-process.js';
import { TestContainers, testDockerHost, testPort } from '../helpers/engine.js';
import { ensurePromTools, promtoolCheckMetrics } from '../helpers/prom-tools.js';

/**
 * Issue 13 end to end with Debian's real Alertmanager and amtool (installed by scripts/prom-tools.sh),
 * both on loopback: amtool → Alertmanager → webhook (token via credentials_file) → Brig → Docker.
 */
const run = promisify(execFile);
const port = testPort();
const containers = new TestContainers(port);
const token = `am-${Date.now()}`;
let dir = '';
let amPort = 0;
let brigPort = 0;
let alertmanager: ChildProcess | undefined;
let brig: BrigProcess | undefined;

const policies = {
  'am.toml': `
[[policies]]
id = "hot-pause"
name = "CPU hot: pause"
severity_threshold = "High"
rules = ["CpuHot", "CpuGroup"]
sources = ["alertmanager"]
[policies.action]
Pause = []

[[policies]]
id = "transient-pause"
name = "Transient: pause until it resolves"
severity_threshold = "High"
rules = ["CpuTransient"]
restore_on_resolve = true
[policies.action]
Pause = []
`,
};

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port: p } = server.address() as { port: number };
      server.close(() => resolve(p));
    });
  });
}

const amtool = (...args: string[]) =>
  run('amtool', [`--alertmanager.url=http://127.0.0.1:${amPort}`, ...args], { timeout: 30_000 });

function fire(rule: string, container: string, extra: string[] = []) {
  return amtool('alert', 'add', `alertname=${rule}`, `container=${container}`, 'severity=page', ...extra);
}

const startBrig = () =>
  spawnBrig(policies, ['--arm', '--token-file', path.join(dir, 'token')], {
    dir,
    dockerHost: testDockerHost(),
    port: brigPort,
  });

async function stopBrig(): Promise<void> {
  if (!brig || brig.child.exitCode !== null) return;
  brig.child.kill('SIGTERM');
  expect(await brig.exited).toBe(0);
}

const stateOf = async (id: string) => (await port.inspectContainer(id)).State.Status;
const long = 90_000;

beforeAll(async () => {
  ensurePromTools();
  await port.ping();
  dir = await mkdtemp(path.join(tmpdir(), 'brig-am-'));
  await writeFile(path.join(dir, 'token'), `${token}\n`);
  await chmod(path.join(dir, 'token'), 0o600);
  [amPort, brigPort] = [await freePort(), await freePort()];
  // The README's receiver, on loopback; short intervals so the test sees groups and repeats quickly.
  await writeFile(
    path.join(dir, 'alertmanager.yml'),
    `route:
  receiver: brig
  group_by: ['alertname']
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 3s
receivers:
  - name: brig
    webhook_configs:
      - url: http://127.0.0.1:${brigPort}/v1/alertmanager
        send_resolved: true
        max_alerts: 0
        http_config:
          authorization:
            credentials_file: ${path.join(dir, 'token')}
`,
  );
  brig = await startBrig();
  alertmanager = spawn(
    'prometheus-alertmanager',
    [
      `--config.file=${path.join(dir, 'alertmanager.yml')}`,
      `--storage.path=${path.join(dir, 'am-data')}`,
      `--web.listen-address=127.0.0.1:${amPort}`,
      '--cluster.listen-address=',
    ],
    { stdio: 'ignore' },
  );
  for (let i = 0; ; i++) {
    const ready = await fetch(`http://127.0.0.1:${amPort}/-/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (i > 120) throw new Error('Alertmanager did not become ready');
    await new Promise((r) => setTimeout(r, 250));
  }
}, 15 * 60_000);

afterAll(async () => {
  if (alertmanager?.pid && alertmanager.exitCode === null) process.kill(alertmanager.pid, 'SIGTERM');
  if (brig && brig.child.exitCode === null) brig.child.kill('SIGKILL');
  await containers.cleanup();
});

describe('Alertmanager → Brig (issue 13)', () => {
  it(
    'alert → paused; resolved → journaled, and a restore_on_resolve policy restores',
    async () => {
      const target = await containers.run('am-transient');
      await fire('CpuTransient', target.name);
      const action = await brig!.waitFor(
        (r) =>
          r.type === 'action' && r.action === 'pause' && (r.container as { id: string }).id === target.id,
        'pause of the transient target',
        long,
      );
      expect(action).toMatchObject({ result: 'ok', policy: 'transient-pause' });
      expect(await stateOf(target.id)).toBe('paused');
      const alertId = action.alert as string;
      const startsAt = alertId.slice(alertId.indexOf('@') + 1);

      await fire('CpuTransient', target.name, [`--start=${startsAt}`, `--end=${new Date().toISOString()}`]);
      const resolved = await brig!.waitFor(
        (r) => r.type === 'resolved' && r.alert === alertId,
        'resolved',
        long,
      );
      expect(resolved).toMatchObject({
        source: 'alertmanager',
        rule: 'CpuTransient',
        container: { name: target.name },
      });
      await brig!.waitFor(
        (r) =>
          r.type === 'action' && r.action === 'restore' && (r.container as { id: string }).id === target.id,
        'restore on resolve',
        long,
      );
      expect(await stateOf(target.id)).toBe('running');
    },
    4 * long,
  );

  it(
    'restore, restart Brig, Alertmanager re-sends the still-firing alert → not paused again',
    async () => {
      const target = await containers.run('am-answered');
      await fire('CpuHot', target.name);
      const action = await brig!.waitFor(
        (r) =>
          r.type === 'action' && r.action === 'pause' && (r.container as { id: string }).id === target.id,
        'pause of the answered target',
        long,
      );
      const restored = await brig!.post(`/v1/restore/${target.name}`, '', {
        authorization: `Bearer ${token}`,
      });
      expect(restored.status).toBe(200);
      expect(await stateOf(target.id)).toBe('running');

      await stopBrig();
      brig = await startBrig();
      // repeat_interval is 3 s: the same firing (same fingerprint@startsAt) comes again, to a Brig
      // whose in-process dedup is empty.
      // The intake journals the alert before its 202; the engine then records that it was answered.
      const repeat = await brig.waitFor(
        (r) =>
          (r.type === 'alert' && (r.alert as { id: string }).id === action.alert && 'answered' in r) ||
          (r.type === 'engine' && r.event === 'answered' && r.alert === action.alert),
        're-sent alert after the restart',
        long,
      );
      expect(repeat).toMatchObject({ answered: 'restored' });
      await new Promise((r) => setTimeout(r, 4000)); // and one more repeat, for good measure
      expect(await stateOf(target.id)).toBe('running');
      expect(brig.records.filter((r) => r.type === 'action' && r.alert === action.alert)).toEqual([]);
      expect(brig.records.filter((r) => r.type === 'decision' && r.alert === action.alert)).toEqual([]);
    },
    4 * long,
  );

  it(
    'a grouped notification of 3 → each container paused',
    async () => {
      const targets = await Promise.all([1, 2, 3].map((n) => containers.run(`am-group-${n}`)));
      // Within group_wait (1 s) of each other: one notification for the group alertname=CpuGroup.
      await Promise.all(targets.map((t) => fire('CpuGroup', t.name)));
      for (const t of targets)
        await brig!.waitFor(
          (r) => r.type === 'action' && r.action === 'pause' && (r.container as { id: string }).id === t.id,
          `pause of ${t.name}`,
          long,
        );
      expect(await Promise.all(targets.map((t) => stateOf(t.id)))).toEqual(['paused', 'paused', 'paused']);
    },
    4 * long,
  );

  it("`promtool check metrics` is clean on Brig's /metrics, which counts what happened", async () => {
    const text = await (await fetch(`http://127.0.0.1:${brigPort}/metrics`)).text();
    expect(promtoolCheckMetrics(text)).toEqual({ status: 0, output: '' });
    expect(text).toMatch(/^process_cpu_seconds_total /m);
    expect(text).toMatch(/^brig_alerts_total\{source="alertmanager",severity="critical"\} [1-9]/m);
    expect(text).toMatch(/^brig_answered_repeats_total\{answer="restored"\} [1-9]/m);
    expect(text).toContain('brig_armed 1');
    expect(text).toMatch(/^brig_engine_up\{engine="unix:[^"]+"\} 1/m);
  });
});
