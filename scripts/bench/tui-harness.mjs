#!/usr/bin/env node
// The TUI alone, on a synthetic engine (used by scripts/bench/tui.mjs to measure the UI's own CPU,
// free of the shared Docker engine's noise): N containers whose stats change, snapshots published
// at `--hz` a second, alerts added at `--alerts-per-second`. Quits on q like the real thing.
//   node scripts/bench/tui-harness.mjs [--containers 50] [--hz 10] [--alerts-per-second 0]
import { createHash } from 'node:crypto';
import process from 'node:process';
import { startTui } from '../../dist/ui/start-tui.js';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const count = opt('--containers', 50);
const hz = opt('--hz', 10);
const alertsPerSecond = opt('--alerts-per-second', 0);

const id = (s) => createHash('sha256').update(s).digest('hex');
const container = (i) => ({
  id: id(`c${i}`),
  name: `bench-${String(i).padStart(2, '0')}`,
  image: 'brig-test/busybox:latest',
  state: 'running',
  labels: {},
  engine: 'unix:///bench.sock',
  pid: 1000 + i,
  networkMode: 'bridge',
  networks: [],
  limits: { nanoCpus: 0, cpuQuota: 0, cpuPeriod: 0, pidsLimit: 0, memory: 0, memorySwap: 0 },
  restartCount: 0,
  stale: false,
  // Idle containers: figures that barely move, as sleeping busyboxes do.
  stats: { cpuPercent: 0, memoryBytes: 320 * 1024, pids: 1, cpuHistory: [0], pidsHistory: [1] },
});
let containers = Array.from({ length: count }, (_, i) => container(i));
let alerts = [];
let snapshot = {
  armed: false,
  dryRun: false,
  readOnly: false,
  engines: [{ host: 'unix:///bench.sock', up: true }],
  containers,
  alerts,
  policies: [],
  actions: [],
  queue: [],
  inFlight: 0,
  sampler: 'cgroup 100ms',
  counters: { alerts: 0, rejected: 0, duplicates: 0, shed: 0 },
};
const listeners = new Set();
const handle = {
  getSnapshot: () => snapshot,
  subscribe: (l) => (listeners.add(l), () => listeners.delete(l)),
  send: async (c) => ({ ok: true, message: `${c.type} done` }),
};
let alertSeq = 0;
const timer = setInterval(() => {
  // Like the engine: a new snapshot object each publish; the sampler refreshes every container.
  containers = containers.map((c) => ({ ...c, stats: { ...c.stats } }));
  const fresh = [];
  for (let i = 0; i < alertsPerSecond / hz; i++) {
    alertSeq += 1;
    const target = containers[alertSeq % count];
    fresh.push({
      alert: {
        id: `a${alertSeq}`,
        time: new Date().toISOString(),
        source: 'bench',
        rule: 'bench_flood',
        severity: 'High',
        container: { name: target.name },
        message: 'flood',
        fields: {},
      },
      decisions: [
        {
          alert: `a${alertSeq}`,
          policy: 'bench',
          container: { id: target.id, name: target.name },
          action: { kind: 'pause' },
          verdict: 'disarmed',
          reason: 'disarmed',
        },
      ],
      trace: [],
    });
  }
  if (fresh.length) alerts = [...alerts, ...fresh].slice(-500);
  snapshot = { ...snapshot, containers, alerts, counters: { ...snapshot.counters, alerts: alertSeq } };
  for (const l of listeners) l();
}, 1000 / hz);

await startTui(handle, { readOnly: false });
clearInterval(timer);
