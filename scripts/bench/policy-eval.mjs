// Policy evaluation: decide() throughput and per-decision latency on one core, for 10 / 100 / 1000
// policies against an inventory of 1000 containers, with alerts that name a container and
// host-level ones. Baseline, measured in the same run over the same data: a bare loop of
// precompiled micromatch tests (the rule globs of every policy for a named alert; one name glob
// over every container for a host-level alert), i.e. the least any glob-based evaluator does.
// Throughput is counted per CPU-second of this process (one core; the machine may be shared) and
// per wall second; latency per call with hrtime, p50/p99 over up to 20,000 calls.
// Targets (issue 3): ≥ 100,000 container-named decisions/s at 100 policies; a host-level alert over
// 1000 containers and 100 policies in ≤ 1 ms p50.
//   npm run build && node scripts/bench/policy-eval.mjs [--seconds 1] [--containers 1000]
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import micromatch from 'micromatch';
import { PolicySchema } from '../../dist/domain/policy.js';
import { compilePolicies } from '../../dist/policy/compile.js';
import { decide, emptyHistory } from '../../dist/policy/decide.js';
import { quantile } from './stats.mjs';

const { values } = parseArgs({
  strict: false,
  options: { seconds: { type: 'string', default: '1' }, containers: { type: 'string', default: '1000' } },
});
const seconds = Number(values.seconds);
const containerCount = Number(values.containers);

// Deterministic data: a small LCG, so every run measures the same inventory and alerts.
let seed = 42;
const rand = (n) => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed % n;
};
const hex = (n, width) => n.toString(16).padStart(width, '0');
const teams = Array.from({ length: 20 }, (_, i) => `team${i}`);
const envs = ['prod', 'staging', 'dev'];
const severities = ['Info', 'Low', 'Medium', 'High', 'Critical'];

const inventory = Array.from({ length: containerCount }, (_, i) => {
  const team = teams[i % teams.length];
  const images = [
    `nginx:1.${i % 28}`,
    'docker.io/library/redis',
    `registry.example.com:5000/${team}/app-${i % 7}:2.${i % 5}`,
    `ghcr.io/${team}/worker@sha256:${hex(i, 64)}`,
  ];
  return {
    id: hex(i + 1, 12) + 'f'.repeat(52),
    name: `svc-${team}-${i}`,
    image: images[i % images.length],
    state: i % 10 === 9 ? 'exited' : 'running',
    labels: { env: envs[i % envs.length], team, 'com.docker.compose.service': `svc${i % 50}` },
    engine: 'local',
    pid: 1000 + i,
    networkMode: 'bridge',
    networks: [
      {
        network: 'bridge',
        networkId: 'n'.repeat(64),
        aliases: null,
        ipamConfig: null,
        links: null,
        driverOpts: null,
      },
    ],
    limits: { nanoCpus: 0, cpuQuota: 0, cpuPeriod: 0, pidsLimit: 0, memory: 0, memorySwap: 0 },
    restartCount: 0,
    stale: false,
  };
});

function makePolicies(n) {
  const list = [];
  for (let i = 0; i < n; i++) {
    const team = teams[i % teams.length];
    const filters = [
      { container_names: [`svc-${team}-*`] },
      { image_patterns: [`registry.example.com:5000/${team}/*`, 'nginx:1.2?'] },
      { labels: [`team=${team}`, 'env=prod'] },
      { container_names: [`svc-*-${i % 97}`], labels: ['env'] },
    ];
    const raw = {
      id: `p-${String(i).padStart(4, '0')}`,
      name: `policy ${i}`,
      priority: i,
      severity_threshold: severities[1 + (i % 3)],
      rules: [`rule_${i % 25}*`],
      sources: i % 2 === 0 ? [] : ['falco*', 'brig:*'],
      max_targets: 5,
      continue: i % 10 === 0,
      target_filter: filters[i % filters.length],
      action: i % 3 === 0 ? 'pause' : 'notify',
    };
    list.push({ ...PolicySchema.parse(raw), file: 'bench.toml', line: i + 1 });
  }
  list.push({
    ...PolicySchema.parse({
      id: 'zz-catch-all',
      name: 'catch-all',
      priority: 1e9,
      max_targets: 1,
      action: 'notify',
    }),
    file: 'bench.toml',
    line: n + 1,
  });
  return list;
}

function makeAlerts(count, named) {
  return Array.from({ length: count }, (_, i) => {
    const target = inventory[rand(inventory.length)];
    const ref = i % 2 === 0 ? { name: target.name } : { id: target.id.slice(0, 12) };
    return {
      id: `a${i}`,
      time: '2026-11-22T00:00:00Z',
      source: ['falco', 'brig:fork_storm', 'ndjson'][i % 3],
      rule: `rule_${rand(30)}_x`,
      severity: severities[rand(5)],
      message: '',
      fields: {},
      ...(named ? { container: ref } : {}),
    };
  });
}

const ctx = {
  inventory,
  armed: true,
  dryRun: false,
  protectNames: ['traefik*', 'brig'],
  now: Date.now(),
  history: emptyHistory,
};

const percentile = (samples, p) => quantile(samples, p / 100);
const round = (x, digits = 3) => Number(x.toFixed(digits));

/** Throughput over `seconds` (no per-call timers), then per-call latency over a second pass. */
function measure(fn, alerts) {
  for (let i = 0; i < Math.min(2000, alerts.length * 2); i++) fn(alerts[i % alerts.length]);
  let count = 0;
  let decisions = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const deadline = t0 + seconds * 1000;
  while (performance.now() < deadline) {
    for (let i = 0; i < 100; i++) decisions += fn(alerts[count++ % alerts.length]);
  }
  const elapsed = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const samples = new Float64Array(Math.min(count, 20_000));
  for (let i = 0; i < samples.length; i++) {
    const a = alerts[i % alerts.length];
    const s = process.hrtime.bigint();
    fn(a);
    samples[i] = Number(process.hrtime.bigint() - s) / 1e3;
  }
  samples.sort();
  return {
    // Per CPU-second of this (single-threaded) process: "one core", whatever else the machine runs.
    alertsPerCpuSec: Math.round((count / cpuMs) * 1000),
    alertsPerWallSec: Math.round((count / elapsed) * 1000),
    decisionsPerAlert: round(decisions / count, 2),
    p50Us: round(percentile(samples, 50)),
    p99Us: round(percentile(samples, 99)),
  };
}

const results = [];
for (const n of [10, 100, 1000]) {
  const policies = makePolicies(n);
  const compiled = compilePolicies(policies);
  const ruleRes = policies.map((p) => p.rules.map((r) => micromatch.makeRe(r, { dot: true, bash: true })));
  const nameRe = micromatch.makeRe('svc-team3-*', { dot: true, bash: true });

  for (const kind of ['container-named', 'host-level', 'host-level-worst']) {
    const alerts =
      kind === 'host-level-worst'
        ? // Every policy is a candidate and none selects a container: each scans the inventory.
          makeAlerts(200, false).map((a) => ({ ...a, severity: 'Critical', source: 'falco' }))
        : makeAlerts(2000, kind === 'container-named');
    let runCompiled = compiled;
    if (kind === 'host-level-worst') {
      const none = policies.map((p) => ({
        ...p,
        rules: [],
        sources: [],
        target_filter: { ...p.target_filter, container_names: ['nobody-*'], image_patterns: [], labels: [] },
      }));
      runCompiled = compilePolicies(none);
    }
    const brig = measure((a) => decide(a, runCompiled, ctx).decisions.length, alerts);
    const baseline =
      kind === 'container-named'
        ? measure((a) => {
            let hits = 0;
            for (const res of ruleRes) for (const re of res) if (re.test(a.rule)) hits++;
            return hits > 0 ? 1 : 1;
          }, alerts)
        : measure(() => {
            let hits = 0;
            for (const c of inventory) if (nameRe.test(c.name)) hits++;
            return hits > 0 ? 1 : 1;
          }, alerts);
    results.push({
      policies: n,
      containers: containerCount,
      alerts: kind,
      brig,
      baseline: {
        what:
          kind === 'container-named'
            ? `${n} precompiled rule regex tests`
            : `${containerCount} precompiled name regex tests`,
        ...baseline,
      },
      ratioP50VsBaseline: round(brig.p50Us / baseline.p50Us, 2),
    });
  }
}

const at100 = (kind) => results.find((r) => r.policies === 100 && r.alerts === kind);
const summary = {
  bench: 'policy-eval',
  node: process.version,
  seconds,
  targets: {
    containerNamedAt100: {
      alertsPerCpuSec: at100('container-named').brig.alertsPerCpuSec,
      target: 100_000,
      met: at100('container-named').brig.alertsPerCpuSec >= 100_000,
    },
    hostLevelAt100P50Ms: {
      p50Ms: round(at100('host-level').brig.p50Us / 1000, 4),
      target: 1,
      met: at100('host-level').brig.p50Us <= 1000,
    },
  },
  results,
};
console.log(JSON.stringify(summary, null, 2));
