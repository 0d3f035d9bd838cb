#!/usr/bin/env node
// TUI benchmark (issues 7 and 15), in tmux on a private tmux server, against the private engine:
//   first frame: spawn of `brig` (dist/cli.js, the bundle) to its first full frame (header and
//                footer on screen), against the spawn of `node -e` to its first output (baseline,
//                same tmux, same polling), interleaved, --runs times each
//                also the CPU time (user + system, from /proc) each process had used when its frame
//                was seen: on a shared host it moves far less with the load than wall time does
//   idle:        CPU of the brig process over 30 s with 50 containers, disarmed; then the same for
//                `brig --headless` (the engine without the UI); each window also measures an idle
//                `node -e 'setInterval(() => {}, 1000)'` beside it (baseline: what Node costs idle)
//   flood:       CPU while 1,000 alerts/s are POSTed to --listen for 10 s, and keypress-to-frame
//                latency (a focus key until the screen shows it) during the flood and at idle
// Targets (issue 15): first frame ≤ 400 ms and ≤ 3.5× `node -e`; idle ≤ 1.5% of one core, headless
// ≤ 1%; flood ≤ 60% with keypress-to-frame ≤ 150 ms.
// --compare DIR measures another checkout's build (e.g. main, built) in the same run: its first
// frames interleaved with these, its TUI and headless processes idling side by side with these
// over the same window (the same machine noise for both), so before/after is one sitting.
// Brig is never armed here and its only policy names this bench's containers: nothing else on the
// engine is touched.
//
// Idle windows start --settle-seconds (default 15) after the start; the settling window's CPU is
// printed too (settling_*).
//   node scripts/bench/tui.mjs [--containers 50] [--runs 5] [--idle-seconds 30] [--settle-seconds 15] [--flood-seconds 10]
//                              [--compare DIR] [--no-flood]
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath, URL } from 'node:url';
import { DockerodePort } from '../../dist/docker/dockerode-port.js';
import { median, ratio, round, summarize } from './stats.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const containerCount = opt('--containers', 50);
const runs = opt('--runs', 5);
const compareIndex = args.indexOf('--compare');
const compareDir = compareIndex >= 0 ? path.resolve(args[compareIndex + 1]) : undefined;
const withFlood = !args.includes('--no-flood');
const idleSeconds = opt('--idle-seconds', 30);
const settleSeconds = opt('--settle-seconds', 15);
const floodSeconds = opt('--flood-seconds', 10);
// Screen polling for keypress-to-frame: each poll spawns tmux, so polling too fast loads the CPU
// the TUI needs; 5 ms is the resolution.
const pollMs = opt('--poll-ms', 5);
const alertsPerSecond = 1000;
const cli = path.join(root, 'dist/cli.js');
const builds = [{ name: 'this', cli }];
if (compareDir) builds.push({ name: 'compare', cli: path.join(compareDir, 'dist/cli.js') });

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
const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}

/** Percent of one core used by pid over `seconds`, while `during` runs. */
async function cpuPercent(pid, seconds, during = async () => sleep(seconds * 1000)) {
  return (await cpuPercents([pid], seconds, during))[0];
}

/** The same for several processes over one window. */
async function cpuPercents(pids, seconds, during = async () => sleep(seconds * 1000)) {
  const c0 = pids.map(cpuSeconds);
  const t0 = process.hrtime.bigint();
  await during();
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  return pids.map((pid, i) => (100 * (cpuSeconds(pid) - c0[i])) / wall);
}

function screen(session) {
  return tmux('capture-pane', '-p', '-t', session);
}

/** User + system CPU ms the process has used so far. */
function cpuMs(pid) {
  return cpuSeconds(pid) * 1000;
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

function brigCommand(listenPort, extra = '', cliPath = cli) {
  return (
    `exec env -u CI XDG_CONFIG_HOME=${dir} XDG_STATE_HOME=${dir} ${process.execPath} ${cliPath} ` +
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

  // 1. First frame, against `node -e` to first output; interleaved, `runs` rounds of each.
  const firstFrame = Object.fromEntries(builds.map((b) => [b.name, []]));
  const firstFrameCpu = Object.fromEntries(builds.map((b) => [b.name, []]));
  const baseline = [];
  const baselineCpu = [];
  for (let run = 0; run < runs; run++) {
    const b = `base-${run}`;
    const t0 = performance.now();
    const basePid = startSession(
      b,
      `exec ${process.execPath} -e "process.stdout.write('ready'); setTimeout(() => {}, 60000)"`,
    );
    await waitScreen(b, (s) => s.includes('ready'));
    baseline.push(performance.now() - t0);
    baselineCpu.push(cpuMs(basePid));
    tmux('kill-session', '-t', b);
    for (const build of builds) {
      const f = `first-${build.name}-${run}`;
      const t1 = performance.now();
      const pid = startSession(f, brigCommand(30000 + Math.floor(Math.random() * 20000), '', build.cli));
      await waitScreen(f, isFullFrame);
      firstFrame[build.name].push(performance.now() - t1);
      firstFrameCpu[build.name].push(cpuMs(pid));
      tmux('send-keys', '-t', f, 'q');
      await sleep(300);
      try {
        tmux('kill-session', '-t', f);
      } catch {
        // Quit by itself.
      }
    }
  }
  const frameSummary = (xs) => ({ ...summarize(xs), runs: xs.map((x) => round(x)) });
  result.baseline_node_first_output_ms = frameSummary(baseline);
  result.first_frame_ms = frameSummary(firstFrame.this);
  result.first_frame_ratio_to_node = ratio(median(firstFrame.this), median(baseline));
  result.baseline_node_cpu_ms_at_first_output = frameSummary(baselineCpu);
  result.first_frame_cpu_ms = frameSummary(firstFrameCpu.this);
  result.first_frame_cpu_ratio_to_node = ratio(median(firstFrameCpu.this), median(baselineCpu));
  result.loadavg_after_first_frames = loadavg().map((x) => round(x, 2));
  if (compareDir) {
    result.compare = { dir: compareDir, first_frame_ms: frameSummary(firstFrame.compare) };
    result.compare.first_frame_ratio_to_node = ratio(median(firstFrame.compare), median(baseline));
    result.compare.first_frame_cpu_ms = frameSummary(firstFrameCpu.compare);
    result.compare.first_frame_cpu_ratio_to_node = ratio(median(firstFrameCpu.compare), median(baselineCpu));
  }

  // 2. Idle CPU: the TUI, then headless (the engine alone). With --compare both builds idle side by
  // side over the same window.
  const listenPort = 30000 + Math.floor(Math.random() * 20000);
  const idlePids = builds.map((build, i) =>
    i === 0
      ? startSession('tui', brigCommand(listenPort))
      : startSession(`tui-${build.name}`, brigCommand(listenPort + 1, '', build.cli)),
  );
  await waitScreen('tui', isFullFrame);
  if (compareDir) await waitScreen('tui-compare', isFullFrame);
  const idleNode = () => spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  let nodeIdle = idleNode();
  // Idle is what a supervisor left running costs: measured once the start is over (the engine
  // connected, every container listed, inspected and graded, first samples taken). The settling
  // window is reported too, so the start's tail is not hidden.
  const settling = await cpuPercents(idlePids, settleSeconds);
  result.settle_seconds = settleSeconds;
  result.settling_tui_cpu_percent = round(settling[0], 2);
  const idleTui = await cpuPercents([...idlePids, nodeIdle.pid], idleSeconds);
  nodeIdle.kill('SIGTERM');
  result.idle_tui_cpu_percent = round(idleTui[0], 2);
  result.baseline_idle_node_cpu_percent = round(idleTui.at(-1), 2);
  const headless = builds.map((build) => {
    const headlessPort = 30000 + Math.floor(Math.random() * 20000);
    return spawn(
      process.execPath,
      [
        build.cli,
        '--headless',
        '--docker-host',
        host,
        '--listen',
        `127.0.0.1:${headlessPort}`,
        '--policies',
        path.join(dir, 'policies'),
        '--journal',
        path.join(dir, `journal-headless-${build.name}.jsonl`),
      ],
      {
        stdio: ['ignore', 'ignore', 'ignore'],
        env: { ...process.env, XDG_CONFIG_HOME: dir, XDG_STATE_HOME: dir },
      },
    );
  });
  nodeIdle = idleNode();
  const settlingHeadless = await cpuPercents(
    headless.map((h) => h.pid),
    settleSeconds,
  );
  result.settling_headless_cpu_percent = round(settlingHeadless[0], 2);
  const idleHeadless = await cpuPercents([...headless.map((h) => h.pid), nodeIdle.pid], idleSeconds);
  for (const h of headless) h.kill('SIGTERM');
  nodeIdle.kill('SIGTERM');
  result.idle_headless_cpu_percent = round(idleHeadless[0], 2);
  result.baseline_idle_node_cpu_percent_headless_window = round(idleHeadless.at(-1), 2);
  result.loadavg_after_idle = loadavg().map((x) => round(x, 2));
  result.idle_ui_share_percent = round(result.idle_tui_cpu_percent - result.idle_headless_cpu_percent, 2);
  result.idle_window_seconds = idleSeconds;
  if (compareDir) {
    result.compare.idle_tui_cpu_percent = round(idleTui[1], 2);
    result.compare.idle_headless_cpu_percent = round(idleHeadless[1], 2);
    tmux('send-keys', '-t', 'tui-compare', 'q');
  }
  const tuiPid = idlePids[0];

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
  result.idle_keypress_to_frame_ms = summarize(idleKeys);
  if (!withFlood) return finish(result);

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
  result.flood_keypress_to_frame_ms = summarize(floodKeys);
  result.flood_keypress_ratio_to_idle = ratio(median(floodKeys), median(idleKeys));
  result.screen_after_flood_120x40 = screen('tui');
  tmux('resize-window', '-t', 'tui', '-x', '70', '-y', '20');
  await sleep(1000);
  result.screen_70x20 = screen('tui');
  return finish(result);
}

async function finish(result) {
  result.targets = {
    first_frame_ms_max: 400,
    first_frame_ratio_to_node_max: 3.5,
    idle_cpu_percent_max: 1.5,
    idle_headless_cpu_percent_max: 1,
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
