#!/usr/bin/env node
// Issue 15's table in one command: every figure with its same-run baseline, and with --compare DIR
// the same measurements of another built checkout interleaved with these (before/after, one sitting).
//   first frame        tui.mjs: brig in tmux to its first full frame vs `node -e` to its first output
//                      (wall and CPU ms), n = --runs each, interleaved
//   idle whole/headless tui.mjs: CPU % of one core over --idle-seconds, 50 containers, both builds
//                      and an idle `node -e 'setInterval(…)'` side by side in the same window
//   fork bomb → paused fork-storm.mjs --mode cli: median of --fork-runs, builds alternating in rounds
//                      of 5; baseline a raw pause call on an idle container
//   intake peak RSS    intake.mjs, --intake-runs runs (each build's own script, alternating), the
//                      overload phases' peak; baseline the bare node:http server's peak in that run
// Prints the JSON of each bench to stderr as it finishes, then the table (markdown) and a JSON
// summary on stdout.
//
//   npm run build && node scripts/bench/issue15.mjs [--compare DIR] [--runs 5] [--idle-seconds 30] [--settle-seconds 15]
//                      [--fork-runs 10] [--intake-runs 3] [--intake-seconds 10] [--only tui,fork,intake]
// DIR must be built (npm ci runs the build). Needs the private engine (scripts/engine.sh) and tmux.
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { round } from './stats.mjs';

const { values } = parseArgs({
  options: {
    compare: { type: 'string' },
    runs: { type: 'string', default: '5' },
    'idle-seconds': { type: 'string', default: '30' },
    'settle-seconds': { type: 'string', default: '15' },
    'fork-runs': { type: 'string', default: '10' },
    'intake-runs': { type: 'string', default: '3' },
    'intake-seconds': { type: 'string', default: '10' },
    only: { type: 'string', default: 'tui,fork,intake' },
  },
});
const here = path.dirname(fileURLToPath(import.meta.url));
const compareDir = values.compare ? path.resolve(values.compare) : undefined;
const only = new Set(values.only.split(','));

/** Runs a bench script, its stderr passed through; resolves with the JSON it printed on stdout. */
function bench(script, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (c) => (out += c));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`${script} exited ${code}`));
      try {
        resolve(JSON.parse(out.slice(out.indexOf('{'), out.lastIndexOf('}') + 1)));
      } catch (error) {
        reject(new Error(`${script}: no JSON on stdout (${error.message})`));
      }
    });
  });
}

const log = (m) => process.stderr.write(`issue15: ${m}\n`);
const summary = { loadavg_at_start: loadavg().map((x) => round(x, 2)), compare: compareDir ?? null };
const rows = [];
const fmt = (x, unit = '') => (x === undefined || x === null ? '—' : `${x}${unit}`);

if (only.has('tui')) {
  log('tui.mjs (first frame, idle whole process and headless)…');
  const t = await bench(path.join(here, 'tui.mjs'), [
    '--no-flood',
    '--runs',
    values.runs,
    '--idle-seconds',
    values['idle-seconds'],
    '--settle-seconds',
    values['settle-seconds'],
    ...(compareDir ? ['--compare', compareDir] : []),
  ]);
  process.stderr.write(`${JSON.stringify(t, null, 2)}\n`);
  summary.tui = t;
  const c = t.compare ?? {};
  const n = t.first_frame_ms.n;
  rows.push(
    [
      `first frame, median of n=${n} (wall)`,
      fmt(c.first_frame_ms?.median, ` ms (${fmt(c.first_frame_ratio_to_node)}×)`),
      `${t.first_frame_ms.median} ms (${t.first_frame_ratio_to_node}×)`,
      `\`node -e\` ${t.baseline_node_first_output_ms.median} ms`,
      '≤ 400 ms and ≤ 3.5×',
      t.loadavg_after_first_frames.join(' '),
    ],
    [
      `first frame, CPU ms used by then, median of n=${n}`,
      fmt(c.first_frame_cpu_ms?.median, ` ms (${fmt(c.first_frame_cpu_ratio_to_node)}×)`),
      `${t.first_frame_cpu_ms.median} ms (${t.first_frame_cpu_ratio_to_node}×)`,
      `\`node -e\` ${t.baseline_node_cpu_ms_at_first_output.median} ms`,
      '—',
      t.loadavg_after_first_frames.join(' '),
    ],
    [
      `idle, whole process, ${t.containers} containers, ${t.idle_window_seconds} s from ${t.settle_seconds} s after start`,
      fmt(c.idle_tui_cpu_percent, '%'),
      `${t.idle_tui_cpu_percent}%`,
      `idle node ${t.baseline_idle_node_cpu_percent}%`,
      '≤ 1.5%',
      t.loadavg_after_idle.join(' '),
    ],
    [
      `the start's first ${t.settle_seconds} s before it (whole process; headless)`,
      '—',
      `${t.settling_tui_cpu_percent}%; ${t.settling_headless_cpu_percent}%`,
      '—',
      '—',
      t.loadavg_after_idle.join(' '),
    ],
    [
      `idle, headless, ${t.containers} containers, ${t.idle_window_seconds} s from ${t.settle_seconds} s after start`,
      fmt(c.idle_headless_cpu_percent, '%'),
      `${t.idle_headless_cpu_percent}%`,
      `idle node ${t.baseline_idle_node_cpu_percent_headless_window}%`,
      '≤ 1%',
      t.loadavg_after_idle.join(' '),
    ],
  );
}

if (only.has('fork')) {
  log('fork-storm.mjs --mode cli…');
  const f = await bench(path.join(here, 'fork-storm.mjs'), [
    '--mode',
    'cli',
    '--runs',
    values['fork-runs'],
    '--lateness-secs',
    '0',
    ...(compareDir ? ['--compare', compareDir] : []),
  ]);
  for (const build of [f.cli, f.compare_cli]) if (build) delete build.runs;
  process.stderr.write(`${JSON.stringify(f, null, 2)}\n`);
  summary.fork_storm = f;
  const m = (b) => b?.bomb_start_to_paused_event_ms;
  rows.push([
    `fork bomb → paused, median of n=${fmt(m(f.cli)?.n)}`,
    fmt(m(f.compare_cli)?.median, ' ms'),
    `${fmt(m(f.cli)?.median)} ms`,
    `raw pause ${f.baseline_pause_call_ms.median} ms`,
    '≤ 400 ms',
    `${f.loadavg_at_start.join(' ')} → ${f.loadavg_at_end.join(' ')}`,
  ]);
}

if (only.has('intake')) {
  const runs = Number(values['intake-runs']);
  const builds = [{ key: 'this', script: path.join(here, 'intake.mjs') }];
  if (compareDir) builds.push({ key: 'compare', script: path.join(compareDir, 'scripts/bench/intake.mjs') });
  const peaks = Object.fromEntries(builds.map((b) => [b.key, []]));
  const baselinePeaks = [];
  for (let run = 1; run <= runs; run++) {
    for (const build of run % 2 ? builds : [...builds].reverse()) {
      log(`intake.mjs (${build.key}) run ${run}/${runs}…`);
      const out = await bench(build.script, ['--runs', '1', '--seconds', values['intake-seconds']]);
      const r = out.results[0];
      peaks[build.key].push(r.targets.rss_peak_mb_overload.measured);
      if (build.key === 'this') baselinePeaks.push(r.batched_baseline.rss_peak_mb);
    }
  }
  summary.intake_overload_rss_peak_mb = { ...peaks, baseline_bare_http: baselinePeaks };
  rows.push([
    `intake peak RSS under overload, each of n=${runs} runs`,
    compareDir ? peaks.compare.map((x) => `${x}`).join(', ') + ' MB' : '—',
    `${peaks.this.join(', ')} MB`,
    `bare node:http ${baselinePeaks.join(', ')} MB`,
    '≤ 200 MB every run',
    loadavg()
      .map((x) => round(x, 2))
      .join(' '),
  ]);
}

summary.loadavg_at_end = loadavg().map((x) => round(x, 2));
const header = [
  'measure',
  compareDir ? `before (${path.basename(compareDir)})` : 'before',
  'now',
  'baseline, same run',
  'target',
  'load average',
];
const table = [header, header.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
process.stdout.write(`${table}\n\n${JSON.stringify(summary)}\n`);
