// Sampler cost: CPU (process.cpuUsage) of Brig's detectors sampling N idle containers at 100 ms
// for 30 s, against a baseline of the same process idling for the same time (measured first, in
// the same run). Target: ≤ 3% of one core for 100 containers. Also the heap the pids pass
// allocates: 200 passes back to back, retried until a window without a GC (issue 15: none).
//   npm run build && node scripts/bench/sampler-cost.mjs [--containers 100] [--seconds 30]
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import { closeSync, openSync, readSync } from 'node:fs';
import { DockerodePort } from '../../dist/docker/dockerode-port.js';
import { containerFromInspect } from '../../dist/docker/inspect.js';
import { DetectorsConfigSchema } from '../../dist/detect/config.js';
import { startDetectors } from '../../dist/detect/detectors.js';
import { dockerHost, round } from './engine-api.mjs';

const { values } = parseArgs({
  options: { containers: { type: 'string', default: '100' }, seconds: { type: 'string', default: '30' } },
});
const count = Number(values.containers);
const seconds = Number(values.seconds);
const port = new DockerodePort(dockerHost);
const runId = Math.random().toString(16).slice(2, 8);
const ids = [];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function cleanup() {
  await Promise.allSettled(ids.map((id) => port.removeContainer(id)));
}
process.on('SIGINT', () => void cleanup().then(() => process.exit(130)));

/** CPU of this process over `ms`, as a percentage of one core. */
async function cpuOver(ms) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await sleep(ms);
  const c = process.cpuUsage(c0);
  const wall = performance.now() - t0;
  return { percent: ((c.user + c.system) / 1000 / wall) * 100, wallMs: wall };
}

/**
 * Heap bytes one pids pass over every container leaves behind: used-heap growth over 200 passes run
 * back to back, from the first window with no GC in it (the used heap never shrinks between two
 * passes; a GC would hide what was allocated), less the same window's growth with no pass (reading
 * the heap statistics allocates too). Node 20's fs.readSync itself allocates per call (its error
 * context): `read_sync_bytes` is that, measured the same way, for one call.
 */
function heapPerPass(detectors, passes = 200) {
  const used = () => v8.getHeapStatistics().used_heap_size;
  const growth = (step) => {
    for (let attempt = 0; attempt < 10; attempt += 1) {
      for (let i = 0; i < passes; i += 1) step(); // warm; resources are not due now
      const start = used();
      let last = start;
      let collected = false;
      for (let i = 0; i < passes; i += 1) {
        step();
        const now = used();
        if (now < last) collected = true;
        last = now;
      }
      if (!collected) return (last - start) / passes;
    }
    return NaN;
  };
  const control = growth(() => {});
  const pass = growth(() => detectors.sampleNow());
  const fd = openSync('/proc/self/stat', 'r');
  const buffer = Buffer.alloc(4096);
  const readSyncBytes = growth(() => readSync(fd, buffer, 0, 64, 0));
  closeSync(fd);
  const net = (x) => (Number.isNaN(x) || Number.isNaN(control) ? null : round(x - control, 1));
  return { per_pass: net(pass), containers: count, passes, read_sync_bytes: net(readSyncBytes) };
}

try {
  process.stderr.write(`creating ${count} idle containers on ${dockerHost}…\n`);
  for (let i = 0; i < count; i += 4) {
    await Promise.all(
      Array.from({ length: Math.min(4, count - i) }, async (_, j) => {
        const id = await port.createContainer({
          name: `brigbench-${runId}-idle-${i + j}`,
          Image: 'brig-test/busybox:latest',
          Cmd: ['sleep', '3600'],
          Labels: { 'brig.bench': 'true' },
          HostConfig: { NetworkMode: 'none', PidsLimit: 1000 },
        });
        ids.push(id);
        await port.start(id);
      }),
    );
  }
  const containers = [];
  for (const id of ids) containers.push(containerFromInspect(await port.inspectContainer(id), port.host));

  process.stderr.write(`baseline: idle process for ${seconds} s…\n`);
  const keepAlive = setInterval(() => {}, 1000);
  const baseline = await cpuOver(seconds * 1000);

  const statuses = [];
  let alerts = 0;
  const config = DetectorsConfigSchema.parse({});
  const detectors = startDetectors(config, {
    containers: () => containers,
    emit: () => void (alerts += 1),
    stats: () => {},
    port: () => port,
    status: (m) => statuses.push(m),
  });
  await sleep(500); // attach (opens the files) outside the measured window
  process.stderr.write(`sampler: ${detectors.mode}, ${count} containers for ${seconds} s…\n`);
  const sampled = await cpuOver(seconds * 1000);
  const lateness = detectors.tickLateness();
  const allocation = heapPerPass(detectors);
  detectors.close();
  clearInterval(keepAlive);

  const samplerOnly = Math.max(0, sampled.percent - baseline.percent);
  console.log(
    JSON.stringify(
      {
        bench: 'sampler-cost',
        containers: count,
        seconds,
        interval_ms: config.sampler.interval_ms,
        mode: detectors.mode,
        baseline_idle_cpu_percent_of_core: round(baseline.percent, 2),
        sampling_cpu_percent_of_core: round(sampled.percent, 2),
        sampler_cpu_percent_of_core: round(samplerOnly, 2),
        target_percent: 3,
        ratio_to_target: round(samplerOnly / 3, 2),
        ratio_sampling_to_baseline: round(sampled.percent / Math.max(baseline.percent, 0.01), 1),
        cpu_us_per_container_tick: round(
          ((samplerOnly / 100) * 1e6 * (config.sampler.interval_ms / 1000)) / count,
          2,
        ),
        tick_lateness_ms: lateness,
        pids_pass_heap_bytes: allocation,
        alerts,
        statuses,
      },
      null,
      2,
    ),
  );
} finally {
  process.stderr.write('removing containers…\n');
  await cleanup();
}
