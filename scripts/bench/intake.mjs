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
import { BoundedQueue } from '../../dist/intake/bounded-queue.js';
import { startIntakeServer } from '../../dist/intake/http-server.js';
import { createMetrics } from '../../dist/metrics/metrics.js';

const { values } = parseArgs({
  strict: false,
  options: {
    seconds: { type: 'string', default: '30' },
    connections: { type: 'string', default: '8' },
    role: { type: 'string', default: 'server' },
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
  const sampler = setInterval(() => {
    const memory = process.memoryUsage();
    rssPeak = Math.max(rssPeak, memory.rss);
    heapPeak = Math.max(heapPeak, memory.heapUsed);
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
    event_loop_delay_p99_ms: round(delay.percentile(99) / 1e6, 2),
  };
}

/** `slowPerSecond`: the stand-in engine takes at most this many alerts a second (overload phase). */
async function intakePhase(mode, slowPerSecond, postsPerSecond) {
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
      if (entry.type === 'rejected' && entry.reason.startsWith('shed')) journaledShed += 1;
    },
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

async function runServer() {
  const out = {
    bench: 'intake',
    engine:
      'stand-in: a trivial consumer that takes alerts off the bounded queue and drops them (no decide/act)',
    seconds_per_phase: seconds,
    connections,
    batch_size: batchSize,
    node: process.version,
    results: {},
  };
  // At the target rate first, while the process is fresh (RSS only grows over a run): batched
  // NDJSON at 20,000 alerts/s (20 POSTs/s), for min(seconds, 10) s.
  const pacedSeconds = Math.min(seconds, 10);
  process.stderr.write(`batched at the target rate, 20 POSTs/s: brig intake ${pacedSeconds}s…\n`);
  const fullSeconds = seconds;
  seconds = pacedSeconds;
  out.results.at_target_rate = await intakePhase('batched', 0, 20);
  seconds = fullSeconds;
  for (const mode of ['batched', 'single']) {
    process.stderr.write(`${mode}: baseline (bare node:http) ${seconds}s…\n`);
    const baseline = await baselinePhase(mode);
    process.stderr.write(`${mode}: brig intake ${seconds}s…\n`);
    const intake = await intakePhase(mode);
    out.results[mode] = {
      intake,
      baseline,
      ratio_alerts_per_s_vs_baseline: round(intake.alerts_per_s / baseline.alerts_per_s, 3),
      ratio_rss_vs_baseline: round(intake.rss_peak_mb / baseline.rss_peak_mb, 2),
    };
  }
  // Overload: the stand-in engine is throttled (a 5 ms pause every 100 alerts, at most 20,000/s
  // and in practice less), so the queue fills and HTTP sheds (503 + Retry-After). Shows that every
  // shed alert is counted and journaled: loss stays 0.
  const overloadSeconds = Math.min(seconds, 10);
  process.stderr.write(`batched, engine stand-in throttled: brig intake ${overloadSeconds}s…\n`);
  const savedSeconds = seconds;
  seconds = overloadSeconds;
  out.results.overload = await intakePhase('batched', 20_000);
  seconds = savedSeconds;
  const o = out.results.overload;
  const t = out.results.at_target_rate;
  const b = out.results.batched.intake;
  const s = out.results.single.intake;
  out.targets = {
    batched_alerts_per_s: { target: 20_000, measured: b.alerts_per_s, ok: b.alerts_per_s >= 20_000 },
    single_alerts_per_s: { target: 3_000, measured: s.alerts_per_s, ok: s.alerts_per_s >= 3_000 },
    rss_peak_mb_at_target_rate: { target: 200, measured: t.rss_peak_mb, ok: t.rss_peak_mb <= 200 },
    rss_peak_mb_flood: {
      target: 200,
      measured: Math.max(b.rss_peak_mb, s.rss_peak_mb, o.rss_peak_mb),
      ok: Math.max(b.rss_peak_mb, s.rss_peak_mb, o.rss_peak_mb) <= 200,
    },
    loss: {
      target: 0,
      measured: [t, b, s, o].reduce((n, r) => n + r.loss + r.loss_server_side, 0),
      ok: [t, b, s, o].every((r) => r.loss === 0 && r.loss_server_side === 0),
    },
  };
  console.log(JSON.stringify(out, null, 2));
}
