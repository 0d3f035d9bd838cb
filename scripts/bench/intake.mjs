// Intake throughput: alerts per second into the engine over HTTP, batched NDJSON (1,000 alerts per
// POST) and one alert per POST, both with keep-alive, for --seconds each (default 30). The engine is
// stood in for by a trivial consumer that takes each alert off the bounded queue and drops it, so
// this measures intake alone (parse, normalize, queue, answer), not deciding or acting.
// Reports throughput, loss (accepted + shed must equal sent: loss 0), peak RSS and event-loop delay
// p99 of the server process, and the same figures for a baseline measured in the same run: a bare
// node:http server that reads and discards the body (ratio = intake / baseline).
// Phases: batched at the target rate (20 POSTs/s, fresh process), batched flood, single flood (8
// keep-alive connections as fast as answers come), and an overload phase where the stand-in engine
// is throttled so HTTP sheds (503) and shed alerts must all be counted and journaled.
// The load generator runs in a child process so it does not share the server's event loop.
//   npm run build && node scripts/bench/intake.mjs [--seconds 30] [--connections 8]
// Targets: >= 20,000 alerts/s batched, >= 3,000/s single, RSS <= 200 MB.
import { fork } from 'node:child_process';
import { Agent, createServer, request } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BoundedQueue } from '../../dist/intake/bounded-queue.js';
import { alertJournalOf } from '../../dist/intake/hand-over.js';
import { startIntakeServer } from '../../dist/intake/http-server.js';
import { Journal } from '../../dist/journal/journal.js';
import { createMetrics } from '../../dist/metrics/metrics.js';

const { values } = parseArgs({
  strict: false,
  options: {
    seconds: { type: 'string', default: '30' },
    connections: { type: 'string', default: '8' },
    role: { type: 'string', default: 'server' },
    runs: { type: 'string', default: '1' },
  },
});
let seconds = Number(values.seconds);
const connections = Number(values.connections);
const batchSize = 1000;
const round = (n, d = 1) => Math.round(n * 10 ** d) / 10 ** d;

function alertLine(n) {
  return JSON.stringify({
    rule: 'fork_storm',
    severity: n % 2 ? 'High' : 'medium',
    container: `web-${n % 50}`,
    message: 'pids grew by 400 in 200ms',
    fields: { pids: 400 + (n % 7) },
  });
}

if (values.role === 'client') await runClient();
else if (values.role === 'phase') await runPhase();
else await runServer();

/** Child process: POSTs as fast as `connections` keep-alive sockets allow, for `seconds`. */
async function runClient() {
  const { port, mode, postsPerSecond } = JSON.parse(process.env.BRIG_BENCH_CLIENT);
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const body =
    mode === 'batched'
      ? Array.from({ length: batchSize }, (_, i) => alertLine(i)).join('\n') + '\n'
      : alertLine(1);
  const perPost = mode === 'batched' ? batchSize : 1;
  const totals = { sent: 0, accepted: 0, shed: 0, rejected: 0, requests: 0, statuses: {}, errors: 0 };
  const deadline = Date.now() + seconds * 1000;
  const post = () =>
    new Promise((resolve) => {
      totals.sent += perPost;
      const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/v1/alerts', agent }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          totals.requests += 1;
          totals.statuses[res.statusCode] = (totals.statuses[res.statusCode] ?? 0) + 1;
          const answer = JSON.parse(Buffer.concat(chunks).toString());
          totals.accepted += answer.accepted ?? 0;
          totals.shed += answer.shed ?? 0;
          totals.rejected += answer.rejected?.length ?? 0;
          resolve();
        });
      });
      req.on('error', () => {
        totals.errors += 1;
        resolve();
      });
      req.end(body);
    });
  const worker = async () => {
    while (Date.now() < deadline) await post();
  };
  // Paced: one POST every 1/postsPerSecond s, whatever the answers' timing (open loop).
  const paced = async () => {
    const inFlight = [];
    for (let due = Date.now(); due < deadline; due += 1000 / postsPerSecond) {
      const wait = due - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      inFlight.push(post());
    }
    await Promise.all(inFlight);
  };
  const start = Date.now();
  if (postsPerSecond) await paced();
  else await Promise.all(Array.from({ length: connections }, worker));
  totals.elapsedMs = Date.now() - start;
  agent.destroy();
  process.send(totals, () => process.exit(0));
}

function runLoad(port, mode, postsPerSecond) {
  return new Promise((resolve, reject) => {
    const child = fork(
      fileURLToPath(import.meta.url),
      ['--role', 'client', '--seconds', String(seconds), '--connections', String(connections)],
      {
        env: { ...process.env, BRIG_BENCH_CLIENT: JSON.stringify({ port, mode, postsPerSecond }) },
      },
    );
    child.once('message', resolve);
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? undefined : reject(new Error(`load generator exited ${code}`)),
    );
  });
}

/** Runs one phase against a started server and measures the server process meanwhile. */
async function measure(port, mode, postsPerSecond) {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  let rssPeak = process.memoryUsage().rss;
  let heapPeak = process.memoryUsage().heapUsed;
  let heapTotalPeak = process.memoryUsage().heapTotal;
  let externalPeak = process.memoryUsage().external;
  const sampler = setInterval(() => {
    const memory = process.memoryUsage();
    rssPeak = Math.max(rssPeak, memory.rss);
    heapPeak = Math.max(heapPeak, memory.heapUsed);
    heapTotalPeak = Math.max(heapTotalPeak, memory.heapTotal);
    // Buffers (bodies as read, journal writes) live outside the JS heap.
    externalPeak = Math.max(externalPeak, memory.external);
  }, 100);
  const totals = await runLoad(port, mode, postsPerSecond);
  clearInterval(sampler);
  delay.disable();
  const elapsed = totals.elapsedMs / 1000;
  return {
    alerts_per_s: Math.round(totals.accepted / elapsed),
    requests_per_s: Math.round(totals.requests / elapsed),
    sent: totals.sent,
    accepted: totals.accepted,
    shed: totals.shed,
    rejected: totals.rejected,
    client_errors: totals.errors,
    statuses: totals.statuses,
    // RSS is the whole server process and only grows over the run: later phases include earlier ones.
    rss_peak_mb: round(rssPeak / 1024 / 1024),
    heap_used_peak_mb: round(heapPeak / 1024 / 1024),
    heap_total_peak_mb: round(heapTotalPeak / 1024 / 1024),
    external_peak_mb: round(externalPeak / 1024 / 1024),
    event_loop_delay_p99_ms: round(delay.percentile(99) / 1e6, 2),
  };
}

/**
 * `slowPerSecond`: the stand-in engine takes at most this many alerts a second (overload phase).
 * `commit`: 'group' = a real journal, 202 only after the alert records are fsync'd (Brig today);
 * 'none' = the same journal, answered without waiting for the fsync (Brig before issue 11 #9).
 */
async function intakePhase(mode, slowPerSecond, postsPerSecond, commit = 'group') {
  const dir = mkdtempSync(path.join(tmpdir(), 'brig-bench-intake-'));
  const journal = await Journal.open(path.join(dir, 'journal.jsonl'));
  const durable = alertJournalOf(journal);
  const alertJournal =
    commit === 'group' ? durable : { append: durable.append, commit: () => Promise.resolve() };
  const queue = new BoundedQueue(10_000);
  let consumed = 0;
  let journaledShed = 0;
  let running = true;
  // Stand-in for the engine: takes each alert off the queue and drops it.
  const consumer = (async () => {
    while (running) {
      await queue.take();
      consumed += 1;
      if (slowPerSecond && consumed % 100 === 0)
        await new Promise((r) => setTimeout(r, 100_000 / slowPerSecond));
    }
  })();
  const server = await startIntakeServer({
    host: '127.0.0.1',
    port: 0,
    maxBodyBytes: 1024 * 1024,
    queue,
    metrics: createMetrics(),
    record: (entry) => {
      journal.append(entry);
      if (entry.type === 'rejected' && entry.reason.startsWith('shed')) journaledShed += 1;
    },
    alertJournal,
    commands: async () => ({ ok: false, message: 'bench' }),
    health: () => [],
  });
  const result = await measure(server.address.port, mode, postsPerSecond);
  await server.close();
  // Let the stand-in engine finish what was accepted, so accepted = consumed can be checked.
  while (queue.size > 0) await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => setTimeout(r, 200));
  running = false;
  queue.offer({}); // wake the consumer so it sees running = false
  await consumer;
  // Loss: every alert sent was either accepted (and reached the consumer) or shed (and journaled).
  result.consumed_by_engine_stand_in = consumed - 1;
  result.shed_journaled = journaledShed;
  result.loss = result.sent - result.accepted - result.shed - result.rejected;
  result.loss_server_side = result.accepted - (consumed - 1) + (result.shed - journaledShed);
  await journal.close();
  rmSync(dir, { recursive: true, force: true });
  result.commit = commit;
  return result;
}

async function baselinePhase(mode) {
  const server = createServer({ keepAlive: true }, (req, res) => {
    req.on('data', () => {});
    req.on('end', () => {
      res.writeHead(202, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ accepted: mode === 'batched' ? batchSize : 1, rejected: [] }));
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const result = await measure(server.address().port, mode);
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  return result;
}

/** Child process: one phase in a fresh process, so its peak RSS is its own. */
async function runPhase() {
  const { phase, mode, slow, pps, commit, phaseSeconds } = JSON.parse(process.env.BRIG_BENCH_PHASE);
  seconds = phaseSeconds;
  const result =
    phase === 'baseline' ? await baselinePhase(mode) : await intakePhase(mode, slow, pps, commit);
  process.send(result, () => process.exit(0));
}

function phaseIn(spec) {
  return new Promise((resolve, reject) => {
    const child = fork(
      fileURLToPath(import.meta.url),
      ['--role', 'phase', '--connections', String(connections)],
      {
        env: { ...process.env, BRIG_BENCH_PHASE: JSON.stringify(spec) },
      },
    );
    child.once('message', resolve);
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`phase exited ${code}`))));
  });
}

async function runServer() {
  const runs = Number(values.runs);
  const out = {
    bench: 'intake',
    engine:
      'stand-in: a trivial consumer that takes alerts off the bounded queue and drops them (no decide/act)',
    journal: 'a real Journal in a temp dir (os.tmpdir()); every phase in a fresh process',
    seconds_per_phase: seconds,
    connections,
    batch_size: batchSize,
    runs,
    node: process.version,
    results: [],
  };
  const short = Math.min(seconds, 10);
  const phases = [
    // At the target rate: batched NDJSON at 20,000 alerts/s (20 POSTs/s).
    [
      'at_target_rate',
      { phase: 'intake', mode: 'batched', slow: 0, pps: 20, commit: 'group', phaseSeconds: short },
    ],
    ['batched_baseline', { phase: 'baseline', mode: 'batched', phaseSeconds: seconds }],
    [
      'batched_group_commit',
      { phase: 'intake', mode: 'batched', slow: 0, commit: 'group', phaseSeconds: seconds },
    ],
    [
      'batched_no_commit_wait',
      { phase: 'intake', mode: 'batched', slow: 0, commit: 'none', phaseSeconds: seconds },
    ],
    ['single_baseline', { phase: 'baseline', mode: 'single', phaseSeconds: seconds }],
    [
      'single_group_commit',
      { phase: 'intake', mode: 'single', slow: 0, commit: 'group', phaseSeconds: seconds },
    ],
    [
      'single_no_commit_wait',
      { phase: 'intake', mode: 'single', slow: 0, commit: 'none', phaseSeconds: seconds },
    ],
    // Overload: the stand-in engine is throttled (a 5 ms pause every 100 alerts), so the queue
    // fills and HTTP sheds (503 + Retry-After); every shed alert must be counted and journaled.
    [
      'overload_batched',
      { phase: 'intake', mode: 'batched', slow: 20_000, commit: 'group', phaseSeconds: short },
    ],
    [
      'overload_single',
      { phase: 'intake', mode: 'single', slow: 2_000, commit: 'group', phaseSeconds: short },
    ],
  ];
  for (let run = 1; run <= runs; run++) {
    const results = {};
    for (const [name, spec] of phases) {
      process.stderr.write(`run ${run}/${runs}: ${name} ${spec.phaseSeconds}s…\n`);
      results[name] = await phaseIn(spec);
    }
    const r = results;
    const ratio = (a, b) => round(a.alerts_per_s / b.alerts_per_s, 3);
    results.ratios = {
      batched_group_vs_no_wait: ratio(r.batched_group_commit, r.batched_no_commit_wait),
      single_group_vs_no_wait: ratio(r.single_group_commit, r.single_no_commit_wait),
      batched_group_vs_baseline: ratio(r.batched_group_commit, r.batched_baseline),
      single_group_vs_baseline: ratio(r.single_group_commit, r.single_baseline),
    };
    const intake = phases.filter(([, p]) => p.phase === 'intake').map(([n]) => r[n]);
    results.targets = {
      batched_alerts_per_s: { target: 20_000, measured: r.batched_group_commit.alerts_per_s },
      single_alerts_per_s: { target: 3_000, measured: r.single_group_commit.alerts_per_s },
      rss_peak_mb_overload: {
        target: 200,
        measured: Math.max(r.overload_batched.rss_peak_mb, r.overload_single.rss_peak_mb),
      },
      rss_peak_mb_any_intake_phase: { target: 200, measured: Math.max(...intake.map((x) => x.rss_peak_mb)) },
      loss: { target: 0, measured: intake.reduce((n, x) => n + x.loss + x.loss_server_side, 0) },
    };
    out.results.push(results);
    process.stderr.write(
      `run ${run}: rss peak MB ${Object.entries(results)
        .filter(([, v]) => v.rss_peak_mb)
        .map(([k, v]) => `${k}=${v.rss_peak_mb}`)
        .join(' ')}\n`,
    );
  }
  console.log(JSON.stringify(out, null, 2));
}
