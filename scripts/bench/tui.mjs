#!/usr/bin/env node
// TUI benchmark (issue 7), in tmux on a private tmux server, against the private engine:
//   first frame: spawn of `brig` to its first full frame (header and footer on screen), against the
//                spawn of `node -e` to its first output (baseline, same tmux, same polling)
//   idle:        CPU of the brig process over 30 s with 50 containers, disarmed; the same for
//                `brig --headless` (the engine without the UI) as the baseline
//   flood:       CPU while 1,000 alerts/s are POSTed to --listen for 10 s, and keypress-to-frame
//                latency (a focus key until the screen shows it) during the flood and at idle
// Targets: first frame ≤ 700 ms; idle ≤ 2% of one core; flood ≤ 60% with keypress-to-frame ≤ 150 ms.
// Brig is never armed here and its only policy names this bench's containers: nothing else on the
// engine is touched.
//
//   node scripts/bench/tui.mjs [--containers 50] [--idle-seconds 30] [--flood-seconds 10]
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath, URL } from 'node:url';
import { DockerodePort } from '../../dist/docker/dockerode-port.js';
import { median, quantile } from './stats.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const containerCount = opt('--containers', 50);
const idleSeconds = opt('--idle-seconds', 30);
const floodSeconds = opt('--flood-seconds', 10);
// Screen polling for keypress-to-frame: each poll spawns tmux, so polling too fast loads the CPU
// the TUI needs; 5 ms is the resolution.
const pollMs = opt('--poll-ms', 5);
const alertsPerSecond = 1000;
const cli = path.join(root, 'dist/cli.js');

execFileSync('bash', [path.join(root, 'scripts/engine.sh'), 'up'], {
  stdio: ['ignore', 'ignore', 'inherit'],
});
const host =
  process.env.DOCKER_HOST ??
  execFileSync('bash', [path.join(root, 'scripts/engine.sh'), 'env'], { encoding: 'utf8' })
    .trim()
    .replace(/^DOCKER_HOST=/, '');

const runId = randomBytes(3).toString('hex');
const socket = `brig-bench-tui-${runId}`;
const tmux = (...a) =>
  execFileSync('tmux', ['-L', socket, ...a], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const pct = quantile;
const round = (x, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}

/** Percent of one core used by pid over `seconds`, while `during` runs. */
async function cpuPercent(pid, seconds, during = async () => sleep(seconds * 1000)) {
  const c0 = cpuSeconds(pid);
  const t0 = process.hrtime.bigint();
  await during();
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  return (100 * (cpuSeconds(pid) - c0)) / wall;
}

function screen(session) {
  return tmux('capture-pane', '-p', '-t', session);
}

async function waitScreen(session, predicate, timeoutMs = 30_000, pollMs = 5) {
  const start = performance.now();
  while (performance.now() - start < timeoutMs) {
    if (predicate(screen(session))) return performance.now() - start;
    await sleep(pollMs);
  }
  throw new Error(`tui bench: timed out; screen:\n${screen(session)}`);
}

const port = new DockerodePort(host);
const dir = mkdtempSync(path.join(tmpdir(), 'brig-bench-tui-'));
const created = [];
const sessions = [];
const prefix = `brigbench-tui-${runId}`;

function startSession(name, command, columns = 120, rows = 40) {
  tmux('new-session', '-d', '-s', name, '-x', String(columns), '-y', String(rows), command);
  tmux('set-option', '-t', name, 'window-size', 'manual');
  sessions.push(name);
  return Number(tmux('display-message', '-p', '-t', name, '#{pane_pid}').trim());
}

function brigCommand(listenPort, extra = '') {
  return (
    `exec env -u CI XDG_CONFIG_HOME=${dir} XDG_STATE_HOME=${dir} ${process.execPath} ${cli} ` +
    `--docker-host ${host} --listen 127.0.0.1:${listenPort} --policies ${path.join(dir, 'policies')} ` +
    `--journal ${path.join(dir, `journal-${listenPort}.jsonl`)} ${extra}`
  );
}

const isFullFrame = (s) => /^ brig /.test(s) && s.includes('q quit') && s.includes('1 Containers');

async function main() {
  // One session lives for the whole run, so the tmux server never exits between measurements.
  startSession('keep', 'exec sleep 86400');
  mkdirSync(path.join(dir, 'policies'));
  writeFileSync(
    path.join(dir, 'policies', 'bench.toml'),
    [
      'id = "bench-pause"',
      'name = "bench: pause"',
      'severity_threshold = "High"',
      'rules = ["bench_flood"]',
      '[target_filter]',
      `container_names = ["${prefix}-*"]`,
      '[action]',
      'Pause = []',
      '',
    ].join('\n'),
  );
  // 50 containers, created in parallel batches.
  for (let i = 0; i < containerCount; i += 10) {
    await Promise.all(
      Array.from({ length: Math.min(10, containerCount - i) }, async (_, j) => {
        const id = await port.createContainer({
          name: `${prefix}-${i + j}`,
          Image: 'brig-test/busybox:latest',
          Cmd: ['sleep', '3600'],
          Labels: { 'brig.bench': runId },
        });
        created.push(id);
        await port.start(id);
      }),
    );
  }
  const result = { containers: containerCount, loadavg_at_start: loadavg().map((x) => round(x, 2)) };

  // 1. First frame, against `node -e` to first output; interleaved, 5 runs each.
  const firstFrame = [];
  const baseline = [];
  for (let run = 0; run < 5; run++) {
    const b = `base-${run}`;
    let t0 = performance.now();
    startSession(
      b,
      `exec ${process.execPath} -e "process.stdout.write('ready'); setTimeout(() => {}, 60000)"`,
    );
    await waitScreen(b, (s) => s.includes('ready'));
    baseline.push(performance.now() - t0);
    tmux('kill-session', '-t', b);
    const f = `first-${run}`;
    t0 = performance.now();
    startSession(f, brigCommand(30000 + Math.floor(Math.random() * 20000)));
    await waitScreen(f, isFullFrame);
    firstFrame.push(performance.now() - t0);
    tmux('send-keys', '-t', f, 'q');
    await sleep(300);
    try {
      tmux('kill-session', '-t', f);
    } catch {
      // Quit by itself.
    }
  }
  result.first_frame_ms = { median: round(median(firstFrame)), runs: firstFrame.map((x) => round(x)) };
  result.baseline_node_first_output_ms = {
    median: round(median(baseline)),
    runs: baseline.map((x) => round(x)),
  };
  result.first_frame_ratio = round(median(firstFrame) / median(baseline), 2);

  // 2. Idle CPU: the TUI, then headless (the engine alone) as the baseline.
  const listenPort = 30000 + Math.floor(Math.random() * 20000);
  const tuiPid = startSession('tui', brigCommand(listenPort));
  await waitScreen('tui', isFullFrame);
  await sleep(3000);
  result.idle_tui_cpu_percent = round(await cpuPercent(tuiPid, idleSeconds), 2);
  const headlessPort = 30000 + Math.floor(Math.random() * 20000);
  const headless = spawn(
    process.execPath,
    [
      cli,
      '--headless',
      '--docker-host',
      host,
      '--listen',
      `127.0.0.1:${headlessPort}`,
      '--policies',
      path.join(dir, 'policies'),
      '--journal',
      path.join(dir, 'journal-headless.jsonl'),
    ],
    {
      stdio: ['ignore', 'ignore', 'ignore'],
      env: { ...process.env, XDG_CONFIG_HOME: dir, XDG_STATE_HOME: dir },
    },
  );
  await sleep(4000);
  result.idle_headless_cpu_percent = round(await cpuPercent(headless.pid, idleSeconds), 2);
  headless.kill('SIGTERM');
  result.idle_ui_share_percent = round(result.idle_tui_cpu_percent - result.idle_headless_cpu_percent, 2);

  // Keypress-to-frame: alternate focus between panes 1 and 2 and time until the screen shows it.
  async function keyLatencies(n) {
    const out = [];
    for (let i = 0; i < n; i++) {
      const [key, marker] = i % 2 === 0 ? ['2', '▶2 Alerts'] : ['1', '▶1 Containers'];
      const t0 = performance.now();
      tmux('send-keys', '-t', 'tui', key);
      await waitScreen('tui', (s) => s.includes(marker), 10_000, pollMs);
      out.push(performance.now() - t0);
      await sleep(150);
    }
    return out;
  }
  const idleKeys = await keyLatencies(10);
  result.idle_keypress_to_frame_ms = {
    median: round(median(idleKeys)),
    p95: round(pct(idleKeys, 0.95)),
    max: round(Math.max(...idleKeys)),
  };

  // 3. Flood: 1,000 alerts/s in batches of 100 every 100 ms, naming the bench containers.
  let posted = 0;
  let failedPosts = 0;
  let flooding = true;
  const flood = (async () => {
    const start = performance.now();
    let batch = 0;
    while (flooding) {
      const body = Array.from({ length: alertsPerSecond / 10 }, (_, i) =>
        JSON.stringify({
          rule: 'bench_flood',
          severity: 'High',
          container: `${prefix}-${(batch * 100 + i) % containerCount}`,
          message: 'flood',
        }),
      ).join('\n');
      fetch(`http://127.0.0.1:${listenPort}/v1/alerts`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-ndjson' },
        body,
      })
        .then((r) => (r.ok ? (posted += 100) : (failedPosts += 1)))
        .catch(() => (failedPosts += 1));
      batch += 1;
      const next = start + batch * 100;
      await sleep(Math.max(0, next - performance.now()));
    }
  })();
  let floodKeys = [];
  await sleep(1000);
  result.flood_tui_cpu_percent = round(
    await cpuPercent(tuiPid, floodSeconds, async () => {
      const stopAt = performance.now() + floodSeconds * 1000;
      floodKeys = await keyLatencies(Math.max(4, Math.floor((floodSeconds * 1000) / 400)));
      await sleep(Math.max(0, stopAt - performance.now()));
    }),
    2,
  );
  flooding = false;
  await flood;
  await sleep(500);
  result.flood = {
    alerts_per_second: alertsPerSecond,
    seconds: floodSeconds + 1,
    alerts_accepted: posted,
    failed_posts: failedPosts,
  };
  result.flood_keypress_to_frame_ms = {
    median: round(median(floodKeys)),
    p95: round(pct(floodKeys, 0.95)),
    max: round(Math.max(...floodKeys)),
    n: floodKeys.length,
  };
  result.flood_keypress_ratio_to_idle = round(median(floodKeys) / median(idleKeys), 2);
  result.screen_after_flood_120x40 = screen('tui');
  tmux('resize-window', '-t', 'tui', '-x', '70', '-y', '20');
  await sleep(1000);
  result.screen_70x20 = screen('tui');
  result.targets = {
    first_frame_ms_max: 700,
    idle_cpu_percent_max: 2,
    flood_cpu_percent_max: 60,
    flood_keypress_ms_max: 150,
  };
  result.loadavg_at_end = loadavg().map((x) => round(x, 2));
  tmux('send-keys', '-t', 'tui', 'q');
  await sleep(500);
  return result;
}

try {
  const result = await main();
  const { screen_after_flood_120x40: big, screen_70x20: small, ...figures } = result;
  process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
  if (process.argv.includes('--screens')) process.stdout.write(`\n${big}\n\n${small}\n`);
} finally {
  try {
    tmux('kill-server');
  } catch {
    // No sessions left.
  }
  await Promise.allSettled(created.map((id) => port.removeContainer(id)));
  rmSync(dir, { recursive: true, force: true });
}
