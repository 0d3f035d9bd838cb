#!/usr/bin/env node
// Alert → paused latency (issue 5). For each of N running containers, in the same run and interleaved
// per container so machine noise hits all three alike:
//   floor: the bench's own raw POST /containers/{id}/pause on the engine socket
//   cli:   `docker pause <id>` spawned per container (what shell-based enforcers do)
//   brig:  an alert POSTed to armed headless Brig (--listen), which decides and pauses
// Each is timed from its start until the engine's events stream (watched by the bench itself)
// reports the pause. Prints JSON with p50/p99 of each and the ratios.
//
//   node scripts/bench/alert-latency.mjs [--containers 50]
// Needs the private engine (scripts/engine.sh up) or DOCKER_HOST, `npm run build`, and the docker CLI
// (installed with the private engine) for the cli baseline.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { quantile, summary as latencySummary } from './stats.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const args = process.argv.slice(2);
const count = Number(args[args.indexOf('--containers') + 1] || 0) || 50;

execFileSync('bash', [path.join(root, 'scripts/engine.sh'), 'up'], { stdio: 'inherit' });
const host =
  process.env.DOCKER_HOST ??
  execFileSync('bash', [path.join(root, 'scripts/engine.sh'), 'env'], { encoding: 'utf8' })
    .trim()
    .replace(/^DOCKER_HOST=/, '');
if (!host.startsWith('unix://'))
  throw new Error(`alert-latency bench needs a unix socket DOCKER_HOST, got ${host}`);
const socketPath = host.slice('unix://'.length);
const agent = new http.Agent({ keepAlive: true });

function api(method, p, body) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      {
        socketPath,
        path: p,
        method,
        agent,
        headers: data
          ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) }
          : {},
      },
      (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () =>
          res.statusCode >= 400
            ? reject(new Error(`${method} ${p}: ${res.statusCode} ${text}`))
            : resolve(text ? JSON.parse(text) : undefined),
        );
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

// The bench's own events stream: resolves waiters when a container reports `pause`.
const waiters = new Map();
const eventsReq = http.request(
  {
    socketPath,
    path: '/events?filters=' + encodeURIComponent(JSON.stringify({ type: ['container'], event: ['pause'] })),
  },
  (res) => {
    let buf = '';
    res.on('data', (chunk) => {
      buf += chunk;
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        try {
          const e = JSON.parse(line);
          const w = waiters.get(e.id);
          if (w) {
            waiters.delete(e.id);
            w(performance.now());
          }
        } catch {}
      }
    });
  },
);
eventsReq.end();
await new Promise((r) => setTimeout(r, 300));
const pausedEvent = (id) => new Promise((resolve) => waiters.set(id, resolve));

const run = Math.random().toString(16).slice(2, 8);
// Each method gets containers of its own, so none sees another's pause/unpause in flight.
const methods = ['floor', 'cli', 'brig'];
const sets = { floor: [], cli: [], brig: [] };
console.error(`creating ${count * methods.length} containers…`);
for (let i = 0; i < count; i++) {
  for (const method of methods) {
    const name = `brigbench-${run}-${method}-${i}`;
    const { Id } = await api('POST', `/containers/create?name=${name}`, {
      Image: 'brig-test/busybox:latest',
      Cmd: ['sleep', '3600'],
      Labels: { 'brig.bench': run },
      HostConfig: { NetworkMode: 'none' },
    });
    await api('POST', `/containers/${Id}/start`);
    sets[method].push({ id: Id, name });
  }
}
const ids = methods.flatMap((m) => sets[m].map((c) => c.id));

// Brig, armed and headless, with one policy that pauses on the bench rule.
const work = mkdtempSync(path.join(tmpdir(), 'brig-bench-'));
mkdirSync(path.join(work, 'policies'));
writeFileSync(
  path.join(work, 'policies', 'bench.toml'),
  'id = "bench-pause"\nname = "Bench: pause"\nseverity_threshold = "High"\nrules = ["bench_pause"]\nmax_actions_per_hour = 100000\n[action]\nPause = []\n',
);
const brigPort = 17000 + Math.floor(Math.random() * 2000);
const brig = spawn(
  process.execPath,
  [
    path.join(root, 'dist/cli.js'),
    '--headless',
    '--arm',
    '--docker-host',
    host,
    '--listen',
    `127.0.0.1:${brigPort}`,
    '--policies',
    path.join(work, 'policies'),
    '--journal',
    path.join(work, 'journal.jsonl'),
  ],
  { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, XDG_CONFIG_HOME: work } },
);
const brigAgent = new http.Agent({ keepAlive: true });
function post(p, body) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: brigPort,
        path: p,
        method: 'POST',
        agent: brigAgent,
        headers: { 'content-type': 'application/json' },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}
for (let i = 0; ; i++) {
  const ok = await new Promise((resolve) => {
    http
      .get({ host: '127.0.0.1', port: brigPort, path: '/healthz' }, (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      })
      .on('error', () => resolve(false));
  });
  if (ok) break;
  if (i > 200) throw new Error('brig did not start listening within 20 s');
  await new Promise((r) => setTimeout(r, 100));
}
await new Promise((r) => setTimeout(r, 500)); // inventory listed

const floor = [];
const cli = [];
const viaBrig = [];
for (let i = 0; i < count; i++) {
  let id = sets.floor[i].id;
  let t0 = performance.now();
  let seen = pausedEvent(id);
  await api('POST', `/containers/${id}/pause`);
  floor.push((await seen) - t0);

  id = sets.cli[i].id;
  t0 = performance.now();
  seen = pausedEvent(id);
  execFileSync('docker', ['-H', host, 'pause', id], { stdio: 'ignore' });
  cli.push((await seen) - t0);

  const target = sets.brig[i];
  t0 = performance.now();
  seen = pausedEvent(target.id);
  const status = await post('/v1/alerts', {
    id: `bench-${run}-${i}`,
    rule: 'bench_pause',
    severity: 'High',
    container: target.name,
  });
  if (status !== 202) throw new Error(`brig answered ${status}`);
  viaBrig.push((await seen) - t0);
}

brig.kill('SIGTERM');
eventsReq.destroy();
for (const id of ids) await api('DELETE', `/containers/${id}?force=true`).catch(() => {});
rmSync(work, { recursive: true, force: true });
agent.destroy();
brigAgent.destroy();

// n, p50, the max, and p90/p99 only when there are enough samples to tell them from the max.
const summary = (xs) => latencySummary(xs, '_ms');
const pct = (xs, p) => quantile(xs, p / 100);
const result = {
  bench: 'alert-latency',
  containers: count,
  floor_raw_api: summary(floor),
  docker_cli: summary(cli),
  brig: summary(viaBrig),
  ratios: {
    brig_p50_over_floor_p50: Math.round((pct(viaBrig, 50) / pct(floor, 50)) * 100) / 100,
    cli_p50_over_brig_p50: Math.round((pct(cli, 50) / pct(viaBrig, 50)) * 100) / 100,
  },
  targets: { brig_p50_over_floor_p50: '<= 1.3', cli_p50_over_brig_p50: '>= 3' },
};
console.log(JSON.stringify(result, null, 2));
process.exit(0);
