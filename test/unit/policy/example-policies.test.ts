import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPolicyDir } from '../../../source/config/policy-loader.js';
import type { CompiledPolicySet } from '../../../source/policy/compile.js';
import { compilePolicies } from '../../../source/policy/compile.js';
import { decide } from '../../../source/policy/decide.js';
import { parseAlertFile, parseInventory } from '../../../source/commands/explain.js';
import { alert, container, ctx } from './fixtures.js';

// Each example policy's comment says what it does; these tests hold it to that.
let set: CompiledPolicySet;
beforeAll(async () => {
  const result = await loadPolicyDir('policies');
  expect(result.errors).toEqual([]);
  expect(result.policies.map((p) => p.id).sort()).toEqual([
    'alertmanager-cpu-throttle',
    'catch-all-notify',
    'critical-network-disconnect',
    'crypto-mining-kill',
    'falco-shell-quarantine',
    'fork-storm-pause',
    'write-below-etc-dry-run',
  ]);
  set = compilePolicies(result.policies);
});

const prod = () => container('api', { labels: { env: 'prod' } });
function one(a: Parameters<typeof alert>[0], c = container('victim'), over: Parameters<typeof ctx>[1] = {}) {
  const r = decide(alert({ ...a, container: { id: c.id } }), set, ctx([c, container('other')], over));
  expect(r.decisions).toHaveLength(1);
  const d = r.decisions[0]!;
  return [d.policy, d.action?.kind ?? null, d.verdict];
}

describe('example policies', () => {
  it('fork storm → pause (High and above, the detector or any fork_storm* rule)', () => {
    expect(one({ rule: 'fork_storm', source: 'brig:fork_storm', severity: 'High' })).toEqual([
      'fork-storm-pause',
      'pause',
      'execute',
    ]);
    expect(one({ rule: 'fork_storm_children', severity: 'Critical' })).toEqual([
      'fork-storm-pause',
      'pause',
      'execute',
    ]);
    // Below High it is not this policy's business: the catch-all records it.
    expect(one({ rule: 'fork_storm', severity: 'Medium' })).toEqual([
      'catch-all-notify',
      'notify',
      'execute',
    ]);
    const guarded = container('db', { labels: { 'brig.protect': 'true' } });
    expect(one({ rule: 'fork_storm' }, guarded)).toEqual(['fork-storm-pause', 'pause', 'protected']);
  });

  it('Falco shell in a prod container → quarantine; not prod → only recorded', () => {
    const shell = { rule: 'Terminal shell in container', source: 'falco', severity: 'Low' as const };
    expect(one(shell, prod())).toEqual(['falco-shell-quarantine', 'quarantine', 'execute']);
    expect(one(shell, container('x', { labels: { env: 'production' } }))).toEqual([
      'falco-shell-quarantine',
      'quarantine',
      'execute',
    ]);
    expect(one(shell, container('dev', { labels: { env: 'dev' } }))).toEqual([
      'catch-all-notify',
      'notify',
      'execute',
    ]);
    expect(one({ ...shell, source: 'falcosidekick' }, prod())).toEqual([
      'falco-shell-quarantine',
      'quarantine',
      'execute',
    ]);
    expect(one({ ...shell, source: 'ndjson' }, prod())).toEqual(['catch-all-notify', 'notify', 'execute']);
  });

  it('crypto mining → kill, winning over critical → network disconnect', () => {
    expect(one({ rule: 'crypto_miner_dns', severity: 'Critical' })).toEqual([
      'crypto-mining-kill',
      'kill',
      'execute',
    ]);
    expect(
      one({
        rule: 'Detect outbound connections to common miner pool ports',
        source: 'falco',
        severity: 'High',
      }),
    ).toEqual(['crypto-mining-kill', 'kill', 'execute']);
    expect(
      one({ rule: 'Detect crypto miners using the Stratum protocol', source: 'falco', severity: 'Critical' }),
    ).toEqual(['crypto-mining-kill', 'kill', 'execute']);
  });

  it('Alertmanager CPU saturation → throttle (half a CPU, 512 pids)', () => {
    const c = container('batch');
    const r = decide(
      alert({
        rule: 'ContainerCpuSaturated',
        source: 'alertmanager',
        severity: 'Medium',
        container: { id: c.id },
      }),
      set,
      ctx([c]),
    );
    expect(r.decisions[0]).toMatchObject({
      policy: 'alertmanager-cpu-throttle',
      verdict: 'execute',
      action: { kind: 'throttle', cpus: 0.5, pidsLimit: 512 },
    });
    expect(one({ rule: 'cpu_spin', source: 'brig:cpu_spin', severity: 'Medium' })).toEqual([
      'alertmanager-cpu-throttle',
      'throttle',
      'execute',
    ]);
    // The same alert name from another source is not a Prometheus CPU alert.
    expect(one({ rule: 'ContainerCpuSaturated', source: 'ndjson', severity: 'Medium' })).toEqual([
      'catch-all-notify',
      'notify',
      'execute',
    ]);
  });

  it('critical → network disconnect from every network, after a 15 s grace period', () => {
    const c = container('svc');
    const now = 1_800_000_000_000;
    const r = decide(
      alert({ rule: 'something_bad', severity: 'Critical', container: { id: c.id } }),
      set,
      ctx([c], { now }),
    );
    expect(r.decisions[0]).toMatchObject({
      policy: 'critical-network-disconnect',
      verdict: 'pending',
      deadline: now + 15_000,
      action: { kind: 'network-disconnect', networks: [] },
    });
    // Resource trouble from Brig's own detectors is not an intruder: only recorded.
    expect(one({ rule: 'container_oom', source: 'brig:container_oom', severity: 'Critical' })).toEqual([
      'catch-all-notify',
      'notify',
      'execute',
    ]);
    expect(one({ rule: 'ContainerMemoryHigh', source: 'alertmanager', severity: 'Critical' })).toEqual([
      'catch-all-notify',
      'notify',
      'execute',
    ]);
    const host = container('h', { networkMode: 'host', networks: [] });
    expect(one({ rule: 'something_bad', severity: 'Critical' }, host)).toEqual([
      'critical-network-disconnect',
      'network-disconnect',
      'no-target',
    ]);
  });

  it('the dry-run policy only ever proposes a stop, even armed', () => {
    expect(one({ rule: 'Write below etc', source: 'falcosidekick', severity: 'High' })).toEqual([
      'write-below-etc-dry-run',
      'stop',
      'dry-run',
    ]);
    expect(one({ rule: 'Write below binary dir', source: 'falco', severity: 'Critical' })).toEqual([
      'write-below-etc-dry-run',
      'stop',
      'dry-run',
    ]);
  });

  it('catch-all → notify for anything else; host-level alerts on a busy host are suppressed', () => {
    expect(one({ rule: 'whatever', severity: 'Info' })).toEqual(['catch-all-notify', 'notify', 'execute']);
    const r = decide(
      alert({ rule: 'port_scan', severity: 'Medium' }),
      set,
      ctx([container('a'), container('b')]),
    );
    expect(r.decisions.map((d) => [d.policy, d.verdict])).toEqual([['catch-all-notify', 'blast-radius']]);
  });
});

describe('the shared samples with the example policies and a saved inventory', () => {
  it('give the decisions a reader of DESIGN §5 expects', async () => {
    // test/fixtures/samples: byte-exact copies of the shared samples, so the tests need nothing outside the repo.
    const samples = 'test/fixtures/samples';
    const inventoryFile = 'test/unit/policy/fixtures/samples-inspect.json';
    const inventory = parseInventory(inventoryFile, await readFile(inventoryFile, 'utf8')).map(
      (i) => i.container,
    );
    const explain = async (name: string) => {
      const alerts = parseAlertFile(name, await readFile(join(samples, name), 'utf8'));
      return alerts.map((a) =>
        decide(a, set, ctx(inventory)).decisions.map((d) => [
          d.policy,
          d.container?.name ?? null,
          d.action?.kind ?? null,
          d.verdict,
        ]),
      );
    };
    expect(await explain('falco-terminal-shell.json')).toEqual([
      [['falco-shell-quarantine', 'payments-api', 'quarantine', 'execute']],
    ]);
    expect(await explain('falcosidekick-write-below-etc.json')).toEqual([
      [['write-below-etc-dry-run', 'legacy-cron', 'stop', 'dry-run']],
    ]);
    expect(await explain('falco-host-event.json')).toEqual([
      [['catch-all-notify', null, 'notify', 'blast-radius']],
    ]);
    expect(await explain('alertmanager-v4.json')).toEqual([
      [['alertmanager-cpu-throttle', 'batch-worker-2', 'throttle', 'execute']],
    ]);
    expect(await explain('native.ndjson')).toEqual([
      [['fork-storm-pause', 'demo-victim', 'pause', 'execute']],
      [['crypto-mining-kill', 'web-3', 'kill', 'execute']],
      [['catch-all-notify', null, 'notify', 'blast-radius']],
    ]);
  });
});
