// Evidence capture (DESIGN §13): time and bundle size for a paused container with 1,000 changed
// files, and pause latency with no capture in flight (baseline) against pause latency while a
// capture of another container runs (containment must not slow). Figures are medians and maxima
// with their sample counts; the ratio is against the baseline measured in this same run.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DockerodePort } from '../../dist/docker/dockerode-port.js';
import { captureEvidence } from '../../dist/evidence/capture.js';
import { dockerHost, quantile, round } from './engine-api.mjs';

const port = new DockerodePort(dockerHost);
const image = 'brig-test/busybox:latest';
const created = [];
const samples = Number(process.env.BENCH_SAMPLES || 10);

async function run(name, cmd) {
  const id = await port.createContainer({ name, Image: image, Cmd: cmd, Labels: { 'brig.test': 'true' } });
  created.push(id);
  await port.start(id);
  return { id, name };
}

async function waitFor(id, pathName) {
  for (let i = 0; i < 300; i++) {
    if ((await port.changes(id)).some((c) => c.path === pathName)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${pathName} never appeared`);
}

const manyFiles = [
  'sh',
  '-c',
  'mkdir -p /tmp/many; i=0; while [ $i -lt 1000 ]; do head -c 1024 /dev/urandom > /tmp/many/f$i; i=$((i+1)); done; touch /tmp/ready; exec sleep 3600',
];

const stamp = Date.now().toString(36);
const dir = await mkdtemp(path.join(tmpdir(), 'brig-bench-evidence-'));
try {
  // Capture of 1,000 changed files.
  const captures = [];
  for (let i = 0; i < 3; i++) {
    const c = await run(`bench-ev-${stamp}-many-${i}`, manyFiles);
    await waitFor(c.id, '/tmp/ready');
    await port.pause(c.id);
    const t0 = performance.now();
    const r = await captureEvidence(port, c, { origin: 'manual' }, { dir });
    captures.push({ ms: performance.now() - t0, bytes: r.bytes, files: r.files, complete: r.complete });
  }

  // Pause latency: baseline, then with a capture of another container in flight.
  const subject = await run(`bench-ev-${stamp}-subject`, manyFiles);
  await waitFor(subject.id, '/tmp/ready');
  const victim = await run(`bench-ev-${stamp}-victim`, ['sleep', '3600']);
  const timePause = async () => {
    const t0 = performance.now();
    await port.pause(victim.id);
    const ms = performance.now() - t0;
    await port.unpause(victim.id);
    return ms;
  };
  const baseline = [];
  const during = [];
  for (let i = 0; i < samples; i++) {
    baseline.push(await timePause());
    const capture = captureEvidence(port, subject, { origin: 'manual' }, { dir });
    await new Promise((r) => setTimeout(r, 20));
    during.push(await timePause());
    await capture;
  }
  const median = (v) => quantile(v, 0.5);
  console.log(
    JSON.stringify(
      {
        bench: 'evidence-capture',
        capture_1000_files: {
          samples: captures.length,
          median_ms: round(median(captures.map((c) => c.ms))),
          max_ms: round(Math.max(...captures.map((c) => c.ms))),
          bundle_bytes: captures[0].bytes,
          files_in_bundle: captures[0].files,
          complete: captures.every((c) => c.complete),
        },
        pause_latency: {
          samples,
          baseline_median_ms: round(median(baseline)),
          baseline_max_ms: round(Math.max(...baseline)),
          during_capture_median_ms: round(median(during)),
          during_capture_max_ms: round(Math.max(...during)),
          ratio_median: round(median(during) / median(baseline), 2),
        },
      },
      null,
      2,
    ),
  );
} finally {
  await Promise.allSettled(created.map((id) => port.removeContainer(id)));
  await rm(dir, { recursive: true, force: true });
}
