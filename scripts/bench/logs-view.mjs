#!/usr/bin/env node
// Logs view benchmark (issue 14 point 7), against the private engine (DOCKER_HOST):
//   pipeline: a container prints --lines lines and exits; the time to read its whole log through
//             DockerodePort.followLogs (frames, lines, timestamps) into the view's ring
//             (displayText, LogRing.push) with a frame every 100 ms that runs the search over the
//             ring, against the same log read raw (dockerode's stream, bytes counted, nothing
//             parsed): lines/s of each and the ratio, --runs times interleaved. This is the rate the
//             view keeps up with, not the rate a live container writes at.
//   memory:   heap held by a full ring (5,000 lines of 120 characters; and 1 KiB lines, which the
//             4 MiB cap stops first), after GC, --runs times.
//   search:   time to test the pattern on every line of a full ring (what one frame costs), plain
//             text and a regex, 50 frames each.
//
//   DOCKER_HOST=unix:///tmp/brig-engine/docker.sock node scripts/bench/logs-view.mjs [--lines 100000] [--runs 5]
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { execFileSync } from 'node:child_process';
import { URL } from 'node:url';
import Docker from 'dockerode';
import { DockerodePort } from '../../dist/docker/dockerode-port.js';
import { LogRing } from '../../dist/ui/log-ring.js';
import { compileSearch } from '../../dist/ui/log-search.js';
import { displayText } from '../../dist/ui/log-text.js';
import { dockerHost, socketPath } from './engine-api.mjs';
import { ratio, round, summarize } from './stats.mjs';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const lineCount = opt('--lines', 100_000);
const runs = opt('--runs', 5);

const port = new DockerodePort(dockerHost);
const docker = new Docker({ socketPath: socketPath() });
const sample = 'request handled in 12ms status=200 path=/api/v1/items';

async function printer() {
  const id = await port.createContainer({
    name: `brig-bench-logs-${process.pid}`,
    Image: 'brig-test/busybox:latest',
    Cmd: ['sh', '-c', `seq 1 ${lineCount} | sed 's|$| ${sample}|'`],
    Labels: { 'brig.bench': 'true' },
  });
  await port.start(id);
  // Exited: the whole log is on disk, and both readers read the same bytes.
  for (;;) {
    const state = (await port.inspectContainer(id)).State;
    if (state.Status === 'exited') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return id;
}

function viaPort(id) {
  return new Promise((resolve, reject) => {
    const ring = new LogRing();
    const search = compileSearch('/status=5\\d\\d|7$/');
    let lines = 0;
    let frames = 0;
    const frame = setInterval(() => {
      frames += 1;
      for (const l of ring.toArray()) search.test(l.text);
    }, 100);
    const start = performance.now();
    port.followLogs(
      id,
      { tail: lineCount, signal: new AbortController().signal },
      {
        onLine(line) {
          lines += 1;
          ring.push({ ...line, text: displayText(line.text) });
        },
        onEnd(error) {
          clearInterval(frame);
          if (error) return reject(error);
          resolve({ ms: performance.now() - start, lines, frames, dropped: ring.dropped });
        },
      },
    );
  });
}

async function raw(id) {
  const start = performance.now();
  const stream = await docker
    .getContainer(id)
    .logs({ follow: true, stdout: true, stderr: true, timestamps: true, tail: lineCount });
  let bytes = 0;
  for await (const chunk of stream) bytes += chunk.length;
  return { ms: performance.now() - start, bytes };
}

// Lines as the port makes them: flat strings decoded from bytes, each with its own time string.
// One ring per fresh node process (--expose-gc), so nothing of an earlier sample is still on the heap.
function memory(text, n) {
  const ringUrl = new URL('../../dist/ui/log-ring.js', import.meta.url).href;
  const code = `
    const { LogRing } = await import(${JSON.stringify(ringUrl)});
    gc();
    const before = process.memoryUsage().heapUsed;
    const ring = new LogRing();
    for (let j = 0; j < ${n}; j++) {
      const line = Buffer.from(new Date(Date.now() + j).toISOString() + ' ' + j + ' ' + ${JSON.stringify(text)}).toString();
      ring.push({ time: line.slice(0, 24), ms: Date.now(), stream: 'stdout', text: line.slice(25) });
    }
    gc();
    globalThis.kept = ring;
    console.log(JSON.stringify({ mib: (process.memoryUsage().heapUsed - before) / 1048576, lines: ring.length }));
  `;
  const samples = [];
  let lines = 0;
  for (let i = 0; i < runs; i++) {
    const out = JSON.parse(
      execFileSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', code], {
        encoding: 'utf8',
      }),
    );
    samples.push(out.mib);
    lines = out.lines;
  }
  return { lines, heapMiB: summarize(samples, 2) };
}

function frameMs(ring, pattern) {
  const s = compileSearch(pattern);
  const samples = [];
  for (let i = 0; i < 50; i++) {
    const t = performance.now();
    let matched = 0;
    for (const l of ring.toArray()) if (s.test(l.text)) matched += 1;
    samples.push(performance.now() - t);
    if (matched === 0) throw new Error(`${pattern} matched nothing`);
  }
  return summarize(samples, 3);
}

const id = await printer();
try {
  const portRate = [];
  const rawRate = [];
  let last;
  for (let i = 0; i < runs; i++) {
    const r = await raw(id);
    rawRate.push((lineCount / r.ms) * 1000);
    const p = await viaPort(id);
    if (p.lines !== lineCount) throw new Error(`port read ${p.lines} lines, expected ${lineCount}`);
    portRate.push((p.lines / p.ms) * 1000);
    last = p;
  }
  const ring = new LogRing();
  for (let j = 0; j < 5000; j++)
    ring.push({ stream: 'stdout', text: `${j} ${sample.replace('200', j % 50 ? '200' : '503')}` });
  console.log(
    JSON.stringify(
      {
        bench: 'logs-view',
        host: dockerHost,
        lines: lineCount,
        pipeline: {
          portLinesPerSec: summarize(portRate, 0),
          rawLinesPerSec: summarize(rawRate, 0),
          portOverRaw: round(ratio(summarize(portRate).median, summarize(rawRate).median), 2),
          lastRun: { framesDuringRead: last.frames, droppedByRing: last.dropped },
        },
        memory: { full120: memory('x'.repeat(112), 5000), long1KiB: memory('y'.repeat(1018), 5000) },
        searchFrameMs: { text: frameMs(ring, 'status=503'), regex: frameMs(ring, '/status=5\\d\\d|7$/') },
      },
      null,
      2,
    ),
  );
} finally {
  await port.removeContainer(id).catch(() => undefined);
}
